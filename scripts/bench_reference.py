"""Times the reference implementation (PyPI chio 1.1.21) on the workloads of BENCHMARKS.md.

The workloads come from chio-rs itself (`cargo run -p chio-bench --release --bin
workload-bytes`, run by this script when its files are missing or with --regenerate):
the login burst's events and the bytes chio-rs writes for them (builds 20250306, 20120818,
1797 and 282), and the client upload's bytes with the values they hold. The reference is a
server library, so it writes server packets and reads client packets; this script times

  * encoding the login burst with `write_packet` into one stream, per build, and
  * decoding the client upload with `read_packet` from one stream,

with time.perf_counter over --repeat runs, and reports the median (and the minimum) in
packets/s and MB/s (MB = 10^6 bytes of chio-rs's wire bytes for the workload, so that
every library is measured against the same amount of work). Before timing it checks that
the bytes are the same:

  * login burst: the reference's frames equal chio-rs's frame for frame: same wire ids,
    same compression flags, same payloads after gunzip (gzip output itself differs: the
    reference compresses at level 9 with the current time in the header, flate2 at level 6
    with none). The one documented departure is allowed, exactly: from b20121203 the
    reference ends a presence with one more mode byte (chio_packets::events, "Where this
    layer departs from the reference"). Neither compresses from b1800 (the reference's
    b1800 writer, chio-rs's framing), so b20120818 is uncompressed; b1797 compresses
    payloads over 150 bytes and b282 every payload, in both.
  * client upload: every packet the reference reads equals the value chio-rs encoded.

Results are printed and written to <dir>/python.json for `bench-report`.

Run with the interpreter of scripts/reference-env.sh:

    scripts/reference-env.sh && .venv/bin/python scripts/bench_reference.py [--repeat 15]
"""

import argparse
import gzip
import json
import os
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "reference"))

import chio  # noqa: E402
from chio.constants import PacketType  # noqa: E402
from chio.io import MemoryStream  # noqa: E402

import reference_model  # noqa: E402  (checks the pinned version)

LOGIN_BUILDS = [20250306, 20120818, 1797, 282]
COMPACT_PRESENCE_BUILD = 20121203
PRESENCE_ID = 83
MODES = ["Osu", "Taiko", "CatchTheBeat", "OsuMania"]


def workload_dir(args):
    directory = Path(args.dir) if args.dir else ROOT / "target" / "bench-workloads"
    if args.regenerate or not (directory / "manifest.json").exists():
        command = ["cargo", "run", "-q", "--release", "-p", "chio-bench", "--bin", "workload-bytes", "--", str(directory)]
        print("$", " ".join(command), file=sys.stderr)
        subprocess.run(command, cwd=ROOT, check=True)
    return directory


def frames(data, build):
    """(wire id, compressed, payload as on the wire) of every frame of `data`."""
    out = []
    position = 0
    legacy = build < 334
    while position < len(data):
        if legacy:
            wire_id, length = struct.unpack_from("<HI", data, position)
            compressed, position = True, position + 6
        else:
            wire_id, flag, length = struct.unpack_from("<HBI", data, position)
            compressed, position = flag != 0, position + 7
        out.append((wire_id, compressed, data[position : position + length]))
        position += length
    return out


def check_login(build, reference, ours):
    """The reference's login burst equals ours frame for frame (uncompressed payloads),
    allowing only the documented presence departure. Returns the departures counted."""
    theirs, mine = frames(reference, build), frames(ours, build)
    assert len(theirs) == len(mine), f"b{build}: {len(theirs)} frames from the reference, {len(mine)} from chio-rs"
    departures = 0
    for index, ((t_id, t_gz, t_raw), (o_id, o_gz, o_raw)) in enumerate(zip(theirs, mine)):
        where = f"b{build} frame {index} (wire id {o_id})"
        assert t_id == o_id, f"{where}: the reference wrote wire id {t_id}"
        assert t_gz == o_gz, f"{where}: compression flags differ ({t_gz} vs {o_gz})"
        t_payload = gzip.decompress(t_raw) if t_gz else t_raw
        o_payload = gzip.decompress(o_raw) if o_gz else o_raw
        if o_id == PRESENCE_ID and build >= COMPACT_PRESENCE_BUILD and t_payload != o_payload:
            # Departure 1: the reference appends `u8 mode` after the rank.
            assert t_payload[:-1] == o_payload and t_payload[-1] < len(MODES), f"{where}: presence differs beyond the mode byte"
            departures += 1
            continue
        assert t_payload == o_payload, f"{where}: payloads differ\n  reference {t_payload.hex()}\n  chio-rs   {o_payload.hex()}"
    return departures


def login_calls(cls, events):
    """(packet type, writer arguments) for each event, built fresh: some of the reference's
    writers change their arguments."""
    calls = []
    for event in events:
        variant, value = reference_model.event_variant(event)
        packet_name, convert = reference_model.EVENTS[variant]
        calls.append((PacketType[packet_name], [] if convert is None else convert(value)))
    return calls


def encode_login(cls, calls):
    stream = MemoryStream()
    for packet, args in calls:
        cls.write_packet(stream, packet, *args)
    return stream.data


def decode_all(cls, data, keep):
    stream = MemoryStream(data)
    packets = []
    while stream.available() >= cls.header_size:
        packet = cls.read_packet(stream)
        if keep:
            packets.append(packet)
    return packets


def check_upload(decoded, expected):
    assert len(decoded) == len(expected), f"the reference read {len(decoded)} packets, chio-rs wrote {len(expected)}"
    for index, ((packet, value), want) in enumerate(zip(decoded, expected)):
        kind = want["kind"]
        where = f"client packet {index} ({kind})"
        if kind == "status":
            got = {
                "kind": kind, "action": int(value.action), "text": value.text,
                "beatmap_checksum": value.beatmap_checksum, "mods": int(value.mods), "mode": int(value.mode),
                "beatmap_id": value.beatmap_id,
            }
        elif kind == "message":
            got = {"kind": kind, "sender": value.sender, "content": value.content, "target": value.target, "sender_id": value.sender_id}
        elif kind == "pong":
            got = {"kind": kind}
        else:
            score = value.frame
            got = {
                "kind": kind, "extra": value.extra, "action": int(value.action), "sequence": value.sequence,
                "frames": [[int(f.button_state), f.legacy_byte, f.mouse_x, f.mouse_y, f.time] for f in value.frames],
                "score_frame": None if score is None else [
                    score.time, score.id, score.total_300, score.total_100, score.total_50, score.total_geki,
                    score.total_katu, score.total_miss, score.total_score, score.max_combo, score.current_combo,
                    score.perfect, score.hp, score.tag_byte, score.using_scorev2,
                ],
            }
        assert packet.name == {"status": "OsuUserStatus", "message": "OsuMessage", "pong": "OsuPong", "frames": "OsuSpectateFrames"}[kind], where
        assert got == want, f"{where}:\n  reference {got}\n  chio-rs   {want}"


def timed(repeat, setup, run):
    samples = []
    for _ in range(repeat):
        state = setup()
        start = time.perf_counter()
        run(state)
        samples.append(time.perf_counter() - start)
    return samples


def summary(name, samples, packets, size):
    median = statistics.median(samples)
    result = {
        "median_s": median,
        "min_s": min(samples),
        "runs": len(samples),
        "packets": packets,
        "bytes": size,
        "packets_per_s": packets / median,
        "mb_per_s": size / median / 1e6,
    }
    print(f"{name:<28} median {median * 1e3:9.2f} ms  min {min(samples) * 1e3:9.2f} ms  "
          f"{result['packets_per_s']:>12,.0f} packets/s  {result['mb_per_s']:8.3f} MB/s")
    return name, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per workload (median reported)")
    parser.add_argument("--dir", help="workload directory (default target/bench-workloads)")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the workload files first")
    args = parser.parse_args()
    assert chio.__version__ == "1.1.21", chio.__version__
    directory = workload_dir(args)
    manifest = json.loads((directory / "manifest.json").read_text())
    events = json.loads((directory / "login_events.json").read_text())
    results = {}
    print(f"reference chio {chio.__version__} on Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
          f"{args.repeat} runs each", file=sys.stderr)

    for build in LOGIN_BUILDS:
        cls = chio.select_client(build)
        ours = (directory / f"login_b{build}.bin").read_bytes()
        info = manifest[f"login_b{build}"]
        reference = encode_login(cls, login_calls(cls, events))
        departures = check_login(build, reference, ours)
        print(f"b{build}: same frames and payloads as chio-rs ({len(frames(ours, build))} frames, "
              f"{departures} presence mode bytes: the documented departure)", file=sys.stderr)
        samples = timed(args.repeat, lambda: login_calls(cls, events), lambda calls: encode_login(cls, calls))
        name, result = summary(f"login_b{build}/encode", samples, info["packets"], info["bytes"])
        result["reference_bytes"] = len(reference)
        results[name] = result

    cls = chio.select_client(20250306)
    data = (directory / "client_upload.bin").read_bytes()
    expected = json.loads((directory / "client_upload.json").read_text())
    check_upload(decode_all(cls, data, keep=True), expected)
    print(f"client upload: the reference reads every one of the {len(expected)} packets as chio-rs wrote it", file=sys.stderr)
    info = manifest["client_upload"]
    samples = timed(args.repeat, lambda: None, lambda _: decode_all(cls, data, keep=False))
    name, result = summary("client_upload/decode", samples, info["packets"], info["bytes"])
    results[name] = result

    results["_environment"] = {
        "python": sys.version.split()[0],
        "chio": chio.__version__,
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
    }
    (directory / "python.json").write_text(json.dumps(results, indent=2))
    print(f"wrote {directory / 'python.json'}", file=sys.stderr)


if __name__ == "__main__":
    main()
