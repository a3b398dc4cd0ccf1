"""Differential testing against the reference (chio 1.1.21); driven by tests/tests/reference_differential.rs.

Server direction (default mode): for every revision and every server packet writer the
revision implements, generate --cases-per-packet seeded random events (in the JSON of
chio-packets' ServerEvent) and print one JSON line per case:
    {"build": n, "event": <ServerEvent JSON>, "packets": [{"wire_id": n, "payload": "<hex>"}]}
with the packets the reference's writer produces (uncompressed payloads).

Client direction (--check-client FILE): FILE holds JSON lines
    {"build": n, "hex": "<full frame: header + payload>", "expected": <ClientEvent JSON>}
or, instead of "expected", "expected_error": {"kind": "<ClientEventError variant>", "message"}
for frames the reference must reject (with the matching exception, REFERENCE_ERRORS).
Each frame is read with the reference's read_packet, the value it returns is converted to
our ClientEvent JSON and compared with "expected". Prints one line per mismatch and a
summary on stderr; the exit status is 0 only if everything matches.

Run with .venv/bin/python (scripts/reference-env.sh).
"""

import argparse
import json
import random
import sys

import chio
from chio.constants import CountryAcronyms

import reference_model as model
from reference_model import FLAGS, f32, flags_text

I32 = (-(2**31), 2**31 - 1)
U32 = (0, 2**32 - 1)
I16 = (-(2**15), 2**15 - 1)
U16 = (0, 2**16 - 1)
U8 = (0, 255)
I8 = (-128, 127)
U64 = (0, 2**64 - 1)

# First build whose status and match mods are 32-bit (protocol 11): before it, mods above
# bit 15 are dropped by chio-packets and clamped to 65535 by the reference (the documented
# mods rule), so random mods stay within 16 bits there.
WIDE_MODS_BUILD = 20120818

# Characters for random text: ASCII, multi-byte UTF-8, the whitespace Python's `\s` and
# Rust's `char::is_whitespace` (plus U+001C-U+001F) see, and link syntax.
WHITESPACE = [" ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "\x85", "\xa0", "\u2003", "\u3000"]
TEXT_CHARS = list("abcxyzABC019 _-.:/#!?()") + ["é", "ß", "日本", "😀", "\u200b"] + WHITESPACE + ["[", "]"]
LINK_TOKENS = [
    "[https://osu.ppy.sh osu!]", "[http://a.b/c?d=e text with spaces]", "[https://x y [z] w]",
    "[https://x [a] [b] c]", "[http://only-url]", "[https://]", "[http://a\u3000b]", "[http://a\x1cb]",
    "[ftp://no scheme]", "[https://a.b c", "(old)[https://legacy]", "[https://a b]]", "[[https://a b]",
    "[https://a\tb\tc]", "[https://é 日本]",
]
CHANNELS = ["#osu", "#announce", "#lobby", "#taiko", "#multiplayer", "#"]


def short(value):
    """The value rounded to 12 significant digits."""
    return float(f"{value:.12g}")


class Gen:
    """Seeded random values in our JSON shape."""

    def __init__(self, rng, build):
        self.rng = rng
        self.build = build

    def int(self, bounds):
        low, high = bounds
        r = self.rng.random()
        if r < 0.15:
            return self.rng.choice([low, high, 0, 1, -1 if low < 0 else 2, min(high, 255), min(high, 256)])
        if r < 0.5:
            return max(low, min(high, self.rng.randint(-300, 70000)))
        return self.rng.randint(low, high)

    def small(self, high=20):
        return self.rng.randint(0, high) if self.rng.random() < 0.8 else self.int(I32)

    def bool(self):
        return self.rng.random() < 0.5

    def f32(self):
        r = self.rng.random()
        if r < 0.1:
            return f32(self.rng.choice([0.0, -0.0, 1.0, -1.0, 512.0, 3.4e38, -3.4e38, 1e-45]))
        if r < 0.8:
            return f32(self.rng.uniform(-1000.0, 1000.0))
        return f32(self.rng.uniform(-1e30, 1e30))

    def f64(self):
        # At most 12 significant digits and small exponents: serde_json (without its
        # float_roundtrip feature) parses such decimals exactly, longer ones may be 1 ulp off.
        r = self.rng.random()
        if r < 0.1:
            return self.rng.choice([0.0, 1.0, 0.5, -0.0, 1e-9])
        if r < 0.8:
            return short(self.rng.random())
        return short(self.rng.uniform(-1e6, 1e6))

    def accuracy(self):
        # f64 in b282-b322, f32 later (the cast rounds the same in both implementations).
        return self.f64()

    def text(self, max_len=12):
        r = self.rng.random()
        if r < 0.15:
            return ""
        if r < 0.2:
            # Longer than 127 bytes: a two-byte length.
            return "".join(self.rng.choice(TEXT_CHARS) for _ in range(self.rng.randint(60, 200)))
        return "".join(self.rng.choice(TEXT_CHARS) for _ in range(self.rng.randint(1, max_len)))

    def content(self):
        parts = []
        for _ in range(self.rng.randint(0, 5)):
            parts.append(self.rng.choice(LINK_TOKENS) if self.rng.random() < 0.5 else self.text(6))
        return "".join(parts)

    def choice(self, options):
        return self.rng.choice(options)

    def flags(self, kind, bits):
        r = self.rng.random()
        if r < 0.1:
            return ""
        if r < 0.7:
            count = min(len(FLAGS[kind]), bits)
            value = 0
            for _ in range(self.rng.randint(1, 3)):
                value |= 1 << self.rng.randrange(count)
            return flags_text(value, kind)
        return flags_text(self.rng.randint(0, 2**bits - 1), kind)

    def mods(self):
        return self.flags("Mods", 32 if self.build >= WIDE_MODS_BUILD else 16)

    def enum(self, enum):
        return self.rng.choice(list(enum.__members__))

    def status_name(self):
        # Status.StatsUpdate is an alias of Paused in the reference; our enum has Paused.
        return self.rng.choice([s.name for s in chio.Status])

    def user(self):
        return model.user(
            self.int(I32), self.text(), is_irc=self.rng.random() < 0.3, timezone=self.int(I8),
            country=self.choice(CountryAcronyms), city=self.text(), permissions=self.flags("Permissions", 32),
            longitude=self.f32(), latitude=self.f32(), action=self.status_name(), text=self.text(),
            beatmap_checksum=self.text(), mods=self.mods(), mode=self.enum(chio.Mode),
            beatmap_id=self.int(I32), update_stats=self.bool(), rank=self.int(I32),
            ranked_score=self.int(U64), total_score=self.int(U64), accuracy=self.accuracy(),
            play_count=self.int(U32), pp=self.int(U16),
        )

    def message(self):
        target = self.choice(CHANNELS) if self.bool() else self.text()
        return model.message(self.text(), self.content(), target, self.int(I32))

    def match(self):
        count = self.rng.randint(0, 18)
        slots = [
            model.slot(self.flags("SlotStatus", 8), self.enum(chio.SlotTeam), self.int(I32))
            for _ in range(count)
        ]
        slot_mods = [self.mods() for _ in range(self.rng.randint(0, count))]
        return model.match_value(
            self.int(U16), self.text(), slots=slots, slot_mods=slot_mods, in_progress=self.bool(),
            match_type=self.enum(chio.MatchType), mods=self.mods(), password=self.text(),
            beatmap_text=self.text(), beatmap_id=self.int(I32), beatmap_checksum=self.text(),
            host_id=self.int(I32), mode=self.enum(chio.Mode), scoring_type=self.enum(chio.ScoringType),
            team_type=self.enum(chio.TeamType), freemod=self.bool(), seed=self.int(I32),
        )

    def score_frame(self):
        return model.score_frame_value(
            self.int(I32), self.small(20) % 256 if self.rng.random() < 0.8 else self.int(U8),
            total_300=self.int(U16), total_100=self.int(U16), total_50=self.int(U16),
            total_geki=self.int(U16), total_katu=self.int(U16), total_miss=self.int(U16),
            total_score=self.int(U32), max_combo=self.int(U16), current_combo=self.int(U16),
            perfect=self.bool(), hp=self.choice([254, 200, 0]) if self.bool() else self.int(U8),
            tag_byte=self.int(U8), using_scorev2=self.bool(), combo_portion=self.f64(), bonus_portion=self.f64(),
        )

    def bundle(self):
        frames = [
            model.replay_frame_value(
                self.flags("ButtonState", 8), self.f32(), self.f32(), self.int(I32), left=self.bool(),
                right=self.bool(), legacy_right=self.int(U8),
            )
            for _ in range(self.rng.randint(0, 5))
        ]
        return model.bundle_value(
            frames, self.enum(chio.ReplayAction), score_frame=self.score_frame() if self.bool() else None,
            extra=self.int(I32), sequence=self.int(U16),
        )

    def beatmap(self):
        return model.beatmap_info_value(
            self.int(I16), self.int(I32), self.int(I32), self.int(I32), self.enum(chio.RankedStatus),
            self.text(), osu_rank=self.enum(chio.Rank), taiko_rank=self.enum(chio.Rank),
            fruits_rank=self.enum(chio.Rank), mania_rank=self.enum(chio.Rank),
        )

    def channel(self):
        return model.channel_value(self.choice(CHANNELS) if self.bool() else self.text(), self.text(), self.int(I16))

    def event(self, variant):
        """A random event of the variant."""
        g = self
        content = {
            "LoginReply": lambda: {"Success": g.int(I32)} if g.bool() else {"Error": g.enum(chio.LoginError)},
            "Message": g.message,
            "IrcChangeUsername": lambda: {"old": g.text(), "new": g.text()},
            "IrcQuit": g.text,
            "UserStats": g.user,
            "UserQuit": lambda: {"user": g.user(), "state": g.enum(chio.QuitState)},
            "SpectatorJoined": lambda: g.int(I32),
            "SpectatorLeft": lambda: g.int(I32),
            "SpectateFrames": g.bundle,
            "SpectatorCantSpectate": lambda: g.int(I32),
            "Announce": g.content,
            "MatchUpdate": g.match,
            "MatchNew": g.match,
            "MatchDisband": lambda: g.int(I32),
            "LobbyJoin": lambda: g.int(I32),
            "LobbyPart": lambda: g.int(I32),
            "MatchJoinSuccess": g.match,
            "FellowSpectatorJoined": lambda: g.int(I32),
            "FellowSpectatorLeft": lambda: g.int(I32),
            "MatchStart": g.match,
            "MatchScoreUpdate": g.score_frame,
            "MatchPlayerFailed": lambda: g.small(),
            "ChannelJoinSuccess": g.text,
            "ChannelAvailable": g.channel,
            "ChannelRevoked": g.text,
            "ChannelAvailableAutojoin": g.channel,
            "BeatmapInfoReply": lambda: [g.beatmap() for _ in range(g.rng.randint(0, 4))],
            "LoginPermissions": lambda: g.flags("Permissions", 32),
            "FriendsList": lambda: [g.int(I32) for _ in range(g.rng.randint(0, 6))],
            "ProtocolNegotiation": lambda: None if g.bool() else g.int(I32),
            "TitleUpdate": lambda: {"image_url": g.text(), "redirect_url": g.text()},
            "MatchPlayerSkipped": lambda: g.small(),
            "UserPresence": g.user,
            "Restart": lambda: {"retry_after_ms": g.int(U32)},
            "Invite": g.message,
            "MatchChangePassword": g.text,
            "SilenceInfo": lambda: g.int(I32),
            "UserSilenced": lambda: g.int(I32),
            "UserPresenceSingle": g.user,
            "UserPresenceBundle": lambda: [g.user() for _ in range(g.rng.randint(0, 4))],
            "UserDmsBlocked": g.text,
            "TargetIsSilenced": g.text,
            "SwitchServer": lambda: g.int(I32),
            "Rtx": g.content,
            "SwitchTournamentServer": g.text,
            "IrcJoin": g.text,
        }.get(variant)
        if content is None:
            return variant  # A unit variant.
        return {variant: content()}


def server(seed, cases_per_packet):
    revisions = model.revisions()
    total = 0
    out = sys.stdout
    for build, cls in revisions:
        model.prime(cls)
        for packet in model.writers(cls):
            variant = model.VARIANT_OF_PACKET[packet.name]
            # One stream per (seed, build, packet): cases do not shift when others change.
            gen = Gen(random.Random(f"{seed}:{build}:{packet.name}"), build)
            unit = model.EVENTS[variant][1] is None
            for _ in range(1 if unit else cases_per_packet):
                event = gen.event(variant)
                line = {"build": build, "event": event, "packets": model.reference_packets(cls, event)}
                out.write(json.dumps(line, separators=(",", ":")) + "\n")
                total += 1
    print(f"server: {len(revisions)} revisions, {total} cases", file=sys.stderr)


def first_difference(expected, actual, path="$"):
    """The path and values of the first difference between two JSON values, or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in expected or key not in actual:
                return f"{path}.{key}: {expected.get(key, '<absent>')!r} != {actual.get(key, '<absent>')!r}"
            found = first_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: length {len(expected)} != {len(actual)}"
        for index, (e, a) in enumerate(zip(expected, actual)):
            found = first_difference(e, a, f"{path}[{index}]")
            if found:
                return found
        return None
    # bool is an int in Python: a bool only equals a bool.
    if expected != actual or isinstance(expected, bool) != isinstance(actual, bool):
        return f"{path}: expected {expected!r}, the reference read {actual!r}"
    return None


# Our ClientEventError kinds -> the reference's exception for the same frame.
REFERENCE_ERRORS = {
    # b294-b319 private message without its direct-message flag (b294.py read_private_message).
    "NotDirectMessage": (ValueError, "Expected direct message, got channel message"),
}


def matches_error(kind, error):
    expected = REFERENCE_ERRORS.get(kind)
    return expected is not None and isinstance(error, expected[0]) and str(error) == expected[1]


def check_client(path):
    """Reads every frame of FILE with the reference; prints one line per mismatch."""
    classes = {build: model.prime(cls) for build, cls in model.revisions()}
    total = mismatches = rejected = 0
    packets = set()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            case = json.loads(line)
            total += 1
            build = case["build"]
            cls = classes[build]
            frame = bytes.fromhex(case["hex"])
            packets.add(case["packet"])
            problem = None
            expected_error = case.get("expected_error")
            try:
                packet, value, consumed = model.read_client_frame(cls, frame)
            except Exception as error:  # noqa: BLE001 - any failure to read is reported
                if expected_error and matches_error(expected_error["kind"], error):
                    rejected += 1
                    continue
                problem = f"the reference cannot read it: {type(error).__name__}: {error}"
                if expected_error:
                    problem += f" (we reject it with {expected_error['kind']})"
            else:
                if expected_error:
                    problem = f"the reference reads it (as {packet.name}) but we reject it: {expected_error['message']}"
                elif packet.name != case["packet"]:
                    problem = f"read as {packet.name}, not {case['packet']}"
                elif not consumed:
                    problem = "the frame is not consumed exactly"
                else:
                    actual = model.client_event_json(packet, value, build)
                    problem = first_difference(case["expected"], actual)
                    if problem:
                        problem += f"; expected {json.dumps(case['expected'], ensure_ascii=False)}"
            if problem:
                mismatches += 1
                print(f"b{build} {case['packet']} {case['hex']}: {problem}")
    print(
        f"client: {len(classes)} revisions, {len(packets)} packet types, {total} frames, {rejected} rejected as "
        f"expected, {mismatches} mismatches",
        file=sys.stderr,
    )
    return 0 if mismatches == 0 and total > 0 else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases-per-packet", type=int, default=10)
    parser.add_argument("--check-client", metavar="FILE")
    args = parser.parse_args()
    if args.check_client:
        sys.exit(check_client(args.check_client))
    server(args.seed, args.cases_per_packet)


if __name__ == "__main__":
    main()
