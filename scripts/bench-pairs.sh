#!/usr/bin/env bash
# Criterion runs of each compared pair alone, back to back, repeated: the ratio of each
# run's two medians (`bench-report --ratio`), measured seconds apart. On a busy machine a
# full `cargo bench` run measures the two sides of a pair minutes apart, and load that
# changes in between moves the ratio (BENCHMARKS.md, "Noise"). Takes about 5 minutes.
#
#   scripts/bench-pairs.sh [RUNS]      # RUNS per pair, 5 by default
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
criterion=${CARGO_TARGET_DIR:-target}/criterion
# target | group | the side that should be faster | the other | the bar, as other ÷ faster
pairs=(
  "decode ≥ 3×, workload 1|login_burst|chio/decode|bancho-packets/decode|>=3"
  "decode ≥ 3×, workload 2p|client_upload_peer_subset|chio/decode|bancho-packets/decode|>=3"
  "encode ≥ 2×, workload 2p|client_upload_peer_subset|chio/encode|bancho-packets/encode|>=2"
  "events ≤ 1.3×, b20250306|login_burst|chio/encode|chio/write_events|<=1.3"
  "events ≤ 1.3×, b20120818|old_eras|b20120818/encode|b20120818/write_events|<=1.3"
  "events ≤ 1.3×, b1797|old_eras|b1797/encode|b1797/write_events|<=1.3"
  "events ≤ 1.3×, b282|old_eras|b282/encode|b282/write_events|<=1.3"
)
cargo bench -q -p chio-bench --bench codec --no-run
report() { cargo run -q -p chio-bench --release --bin bench-report -- "$@"; }
for pair in "${pairs[@]}"; do
  IFS='|' read -r name group fast other bar <<<"$pair"
  ratios=()
  for _ in $(seq "$runs"); do
    # Anchored names: `b282/encode` must not match `b282/encode_fast`.
    cargo bench -q -p chio-bench --bench codec -- --warm-up-time 1 --measurement-time 2 \
      "^$group/($fast|$other)\$" >/dev/null 2>&1
    ratios+=("$(report --ratio "$group/$fast" "$group/$other" "$criterion")")
  done
  held=$(printf '%s\n' "${ratios[@]}" | awk -v bar="$bar" '
    { limit = substr(bar, 3) + 0; if (substr(bar, 1, 2) == ">=" ? $1 >= limit : $1 <= limit) n++ }
    END { print n + 0 }')
  echo "$name: ${ratios[*]} (holds in $held of $runs)"
done
