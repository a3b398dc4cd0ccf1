"""Records what the reference (chio 1.1.21) sends for realistic server events, per revision.

Writes tests/fixtures/server/<build>.json for each revision: a list of
{"event": <our ServerEvent JSON>, "packets": [{"wire_id": n, "payload": "<hex>"}]}, one
case per line. Payloads are the writers' uncompressed output (the handler generators are
called directly, so no gzip is involved). Every event kind is recorded for every revision;
where the revision has no writer for it, the reference sends nothing and "packets" is
empty. The values are defined once below, in our JSON shape; tests/reference/reference_model.py
converts them into the reference's objects.

Run: .venv/bin/python tests/reference/record_fixtures.py  (after scripts/reference-env.sh)
"""

import json
import sys
from pathlib import Path

import reference_model as model
from reference_model import (
    beatmap_info_value, bundle_value, channel_value, match_value, message, replay_frame_value, score_frame_value,
    slot, user,
)

FREEDOM_DIVE = "xi - FREEDOM DiVE [FOUR DIMENSIONS]"
FREEDOM_DIVE_MD5 = "da8aae79c8f3306b5d65ec951874a7fb"

PEPPY = user(
    2, "peppy", timezone=10, country="AU", city="Sydney", permissions="REGULAR | BAT | SUPPORTER | PEPPY",
    longitude=151.2093, latitude=-33.8688, action="Playing", text=FREEDOM_DIVE,
    beatmap_checksum=FREEDOM_DIVE_MD5, mods="HIDDEN | DOUBLE_TIME", mode="Osu", beatmap_id=129891,
    # A rank above 65535 (u16 before b695) and a total score above both level-display caps
    # (b365-b503 and b504-b658).
    rank=123456, ranked_score=1_634_221_467, total_score=30_000_000_000, accuracy=0.9843, play_count=12345,
    pp=4250,
)
PEPPY_REFRESH = json.loads(json.dumps(PEPPY))
PEPPY_REFRESH["status"]["update_stats"] = True
COOKIEZI = user(
    124493, "Cookiezi", timezone=9, country="KR", permissions="REGULAR | SUPPORTER", longitude=126.978,
    latitude=37.5665, action="Multiplaying", text="Mutsuhiko Izumi - Red Goose [Insane]",
    beatmap_checksum="b1f0a8d1b3e5c7a9f2e4d6c8a0b2c4d6", mods="HARD_ROCK | KEY4", mode="OsuMania",
    beatmap_id=75, rank=15, ranked_score=38_412_552_110, total_score=181_226_334_019, accuracy=0.99105,
    # Above i16::MAX: b20120723-b20250305 send pp as i16.
    play_count=21894, pp=34567,
)
AWAY = user(
    4787150, "WhiteCat", timezone=1, country="DE", city="Berlin", permissions="REGULAR", action="Unknown",
    mode="Taiko", beatmap_id=-1, rank=5, ranked_score=20_000_000_000, total_score=70_000_000_000,
    accuracy=0.9876, play_count=30000, pp=12000,
)
LOBBY = user(
    1001, "Mrekk", timezone=-5, country="US", permissions="REGULAR | SUPPORTER | TOURNAMENT", action="Lobby",
    mode="CatchTheBeat", rank=1, ranked_score=10, total_score=20, accuracy=0.5, play_count=2, pp=29000,
)
IRC_USER = user(5000, "irc_guest", is_irc=True, timezone=-5, country="US", city="New York", permissions="REGULAR")

MESSAGE_OSU = message("peppy", "Welcome! News is at [https://osu.ppy.sh osu!].", "#osu", 2)
MESSAGE_LOBBY = message("Cookiezi", "anyone up for [https://osu.ppy.sh/b/129891 FREEDOM DiVE]?", "#lobby", 124493)
MESSAGE_DM = message("peppy", "hi! my profile: [http://osu.ppy.sh/u/2 peppy [osu!]]", "Cookiezi", 2)
MESSAGE_ANNOUNCE = message("BanchoBot", "Bancho will restart in 5 minutes.", "#announce", 1)
INVITE = message("peppy", "Come join my multiplayer match: [osump://12/hunter2 peppy's game]", "Cookiezi", 2)

MATCH = match_value(
    12, "peppy's game", password="hunter2", mods="HIDDEN", beatmap_text=FREEDOM_DIVE, beatmap_id=129891,
    beatmap_checksum=FREEDOM_DIVE_MD5,
    slots=[
        slot("READY", "Blue", 2),
        slot("NOT_READY", "Red", 124493),
        slot("NO_MAP", "Blue", 4787150),
        slot("OPEN"),
        slot("LOCKED"),
    ],
    host_id=2, mode="Osu", scoring_type="Accuracy", team_type="TeamVs", seed=8241,
)
FREEMOD_MATCH = match_value(
    13, "freemod lobby", in_progress=True, mods="DOUBLE_TIME", beatmap_text="Camellia - Exit This Earth's Atomosphere",
    beatmap_id=1_234_567, beatmap_checksum="0f5cb5b3c4f1bb5ab6d1d5d3a6b4f9e2",
    slots=[slot("PLAYING", "Neutral", 2), slot("PLAYING", "Neutral", 124493), slot("COMPLETE", "Neutral", 1001)],
    slot_mods=["HIDDEN", "HARD_ROCK | FLASHLIGHT", ""],
    host_id=124493, mode="Osu", scoring_type="ScoreV2", team_type="HeadToHead", freemod=True,
    # Clients draw seeds with Random.Next(): non-negative.
    seed=1_906_352_442,
)
# An id above 255 (one byte before b1796) and ten players (more than 8 slots).
BIG_MATCH = match_value(
    1234, "10 player tourney", mode="Taiko", match_type="Powerplay", beatmap_text="Taiko map", beatmap_id=42,
    beatmap_checksum="00112233445566778899aabbccddeeff",
    slots=[slot("NOT_READY", "Red" if i % 2 else "Blue", 100 + i) for i in range(10)] + [slot("OPEN")],
    host_id=100, team_type="TagTeamVs", scoring_type="Combo",
)

SCORE = score_frame_value(
    63_244, 1, total_300=412, total_100=23, total_50=2, total_geki=87, total_katu=15, total_miss=1,
    total_score=7_843_210, max_combo=512, current_combo=211, perfect=False, hp=187,
)
# ScoreV2, failed (hp 254), and slot 11: sent only to 16-slot builds.
SCORE_V2 = score_frame_value(
    90_001, 11, total_300=999, total_100=1, total_score=1_000_000, max_combo=1200, current_combo=1200,
    perfect=True, hp=254, tag_byte=3, using_scorev2=True, combo_portion=0.7125, bonus_portion=0.0625,
)
FRAMES = bundle_value(
    [
        replay_frame_value("LEFT1", 256.0, 192.0, 63_000),
        replay_frame_value("LEFT1 | RIGHT2", 260.5, 190.25, 63_016),
        replay_frame_value("SMOKE", 261.0, 188.75, 63_033),
        replay_frame_value("", -12.5, 400.125, 63_050),
    ],
    "Standard", score_frame=SCORE, extra=-1, sequence=42,
)
FRAMES_NEW_SONG = bundle_value([], "NewSong", extra=2, sequence=0)

BEATMAPS = [
    beatmap_info_value(i, 100 + i, 50 + i, 4000 + i, status, f"{i:x}" * 32, osu_rank=osu, taiko_rank=taiko,
                       fruits_rank=fruits, mania_rank=mania)
    for i, (status, osu, taiko, fruits, mania) in enumerate([
        ("NotSubmitted", "N", "N", "N", "N"),
        ("Pending", "F", "N", "N", "N"),
        ("Ranked", "XH", "S", "A", "D"),
        ("Approved", "SH", "X", "B", "C"),
        ("Qualified", "A", "N", "N", "XH"),
        ("Loved", "S", "D", "C", "N"),
    ])
]

EVENTS = [
    {"LoginReply": {"Success": 2}},
    {"LoginReply": {"Error": "InvalidLogin"}},
    {"LoginReply": {"Error": "UserInactive"}},
    {"LoginReply": {"Error": "UserBanned"}},
    {"Message": MESSAGE_OSU},
    {"Message": MESSAGE_LOBBY},
    {"Message": MESSAGE_DM},
    {"Message": MESSAGE_ANNOUNCE},
    "Ping",
    {"IrcChangeUsername": {"old": "irc_guest", "new": "irc_guest_"}},
    {"IrcQuit": "irc_guest"},
    {"UserStats": PEPPY},
    {"UserStats": PEPPY_REFRESH},
    {"UserStats": COOKIEZI},
    {"UserStats": AWAY},
    {"UserStats": LOBBY},
    {"UserStats": IRC_USER},
    {"UserQuit": {"user": PEPPY, "state": "Gone"}},
    {"UserQuit": {"user": PEPPY, "state": "OsuRemaining"}},
    {"UserQuit": {"user": PEPPY, "state": "IrcRemaining"}},
    {"UserQuit": {"user": IRC_USER, "state": "Gone"}},
    {"UserQuit": {"user": IRC_USER, "state": "OsuRemaining"}},
    {"UserQuit": {"user": IRC_USER, "state": "IrcRemaining"}},
    {"SpectatorJoined": 124493},
    {"SpectatorLeft": 124493},
    {"SpectateFrames": FRAMES},
    {"SpectateFrames": FRAMES_NEW_SONG},
    "VersionUpdate",
    {"SpectatorCantSpectate": 124493},
    "GetAttention",
    {"Announce": "Welcome to osu!Bancho."},
    {"MatchUpdate": MATCH},
    {"MatchUpdate": BIG_MATCH},
    {"MatchNew": FREEMOD_MATCH},
    {"MatchNew": BIG_MATCH},
    {"MatchDisband": 12},
    {"LobbyJoin": 2},
    {"LobbyPart": 2},
    {"MatchJoinSuccess": MATCH},
    {"MatchJoinSuccess": BIG_MATCH},
    "MatchJoinFail",
    {"FellowSpectatorJoined": 4787150},
    {"FellowSpectatorLeft": 4787150},
    {"MatchStart": FREEMOD_MATCH},
    {"MatchScoreUpdate": SCORE},
    {"MatchScoreUpdate": SCORE_V2},
    "MatchTransferHost",
    "MatchAllPlayersLoaded",
    {"MatchPlayerFailed": 1},
    {"MatchPlayerFailed": 9},
    "MatchComplete",
    "MatchSkip",
    {"ChannelJoinSuccess": "#osu"},
    {"ChannelAvailable": channel_value("#osu", "General discussion", 1234)},
    {"ChannelRevoked": "#lobby"},
    {"ChannelAvailableAutojoin": channel_value("#announce", "Announcements", 0)},
    {"BeatmapInfoReply": BEATMAPS},
    {"LoginPermissions": "REGULAR | SUPPORTER"},
    {"FriendsList": [3, 1001, 124493]},
    {"ProtocolNegotiation": None},
    {"ProtocolNegotiation": 19},
    {"TitleUpdate": {"image_url": "https://assets.ppy.sh/menu-content.png", "redirect_url": "https://osu.ppy.sh/home"}},
    {"TitleUpdate": {"image_url": "", "redirect_url": "https://osu.ppy.sh/home"}},
    "Monitor",
    {"MatchPlayerSkipped": 2},
    {"UserPresence": PEPPY},
    {"UserPresence": COOKIEZI},
    {"UserPresence": IRC_USER},
    {"Restart": {"retry_after_ms": 5000}},
    {"Invite": INVITE},
    "ChannelInfoComplete",
    {"MatchChangePassword": "hunter3"},
    {"SilenceInfo": -1},
    {"SilenceInfo": 3600},
    {"UserSilenced": 124493},
    {"UserPresenceSingle": PEPPY},
    {"UserPresenceBundle": [PEPPY, COOKIEZI, IRC_USER]},
    {"UserDmsBlocked": "Cookiezi"},
    {"TargetIsSilenced": "Cookiezi"},
    "VersionUpdateForced",
    {"SwitchServer": 3600},
    "AccountRestricted",
    {"Rtx": "Zallius' eyes have awoken"},
    "MatchAbort",
    {"SwitchTournamentServer": "c.ppy.sh"},
    {"IrcJoin": "irc_guest"},
]


def main():
    revisions = model.revisions()
    # Every writer of every revision is exercised by at least one event.
    covered = {model.event_variant(event)[0] for event in EVENTS}
    for build, cls in revisions:
        for packet in model.writers(cls):
            assert model.VARIANT_OF_PACKET[packet.name] in covered, (build, packet)
    out_dir = Path(__file__).resolve().parent.parent / "fixtures" / "server"
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.json"):
        old.unlink()
    total = 0
    for build, cls in revisions:
        model.prime(cls)
        cases = [{"event": event, "packets": model.reference_packets(cls, event)} for event in EVENTS]
        lines = [json.dumps(case, ensure_ascii=False, separators=(",", ":")) for case in cases]
        (out_dir / f"{build}.json").write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
        total += len(cases)
    print(f"wrote {out_dir}: {len(revisions)} revisions, {total} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
