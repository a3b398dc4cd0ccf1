#!/bin/sh
# Minimizes the corpus of each fuzz target given (all of them if none) in place, to what
# is committed under corpus/<target>/: a set cover of the corpus's coverage features
# (`cargo fuzz cmin` with `-set_cover_merge=1`); where that leaves more than 1000 files,
# a set cover of its edges alone (`-use_counters=0`: every covered edge is kept, the
# variety of hit counts is not). See FUZZING.md.
set -eu
cd "$(dirname "$0")"
targets=${*:-"frames login_request client_version tcp_login poll_body session_packets api_frames capture roundtrip"}
for target in $targets; do
    cargo +nightly fuzz cmin -s none "$target" -- -set_cover_merge=1 >/dev/null 2>&1
    if [ "$(ls "corpus/$target" | wc -l)" -gt 1000 ]; then
        cargo +nightly fuzz cmin -s none "$target" -- -set_cover_merge=1 -use_counters=0 >/dev/null 2>&1
    fi
    echo "$target: $(ls "corpus/$target" | wc -l) files, $(cat "corpus/$target"/* | wc -c) bytes"
done
