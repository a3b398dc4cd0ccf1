"""Our event model (the JSON of chio-packets' serde types) on the reference (chio 1.1.21).

Shared by tests/reference/record_fixtures.py, tests/reference/differential.py and
scripts/bench_reference.py. Values are written once,
in the JSON shape of `chio_packets::events::ServerEvent` (enums as variant names, flag
sets as "A | B" text, countries as acronyms), and converted here into the reference's
objects. Every conversion builds fresh objects: some reference writers mutate their
arguments (the b365 score cap, the b323 presence's update_stats).

Run with the interpreter of scripts/reference-env.sh (.venv/bin/python).
"""

import logging
import struct

import chio
from chio.clients import ClientDict
from chio.io import MemoryStream
from chio.constants import CountryAcronyms

assert chio.__version__ == "1.1.21", chio.__version__

# The reference logs a warning for every integer it clamps; clamping is expected here.
logging.getLogger("chio.py").setLevel(logging.CRITICAL)

# ---------------------------------------------------------------------------------------
# Revisions


def revisions():
    """(build, client class) of every revision, oldest first: one per client class."""
    classes = {type(client).version: type(client) for client in ClientDict.values()}
    return sorted(classes.items())


def prime(cls):
    """Puts a client class into the state it reaches after its first match.

    b20140528-b20150826 assign the class attribute `slot_size` (16 if protocol >= 19 else
    8) in every read_match/write_match; before the first call the inherited value is 16,
    which changes the slot filters of MatchScoreUpdate, MatchPlayerFailed and
    MatchPlayerSkipped (protocol digest 5.15 and section 6 #11). chio-packets uses the
    steady state (8 slots below protocol 19), so the reference is brought there with its
    own code: one match write.
    """
    writer = getattr(cls, "write_match", None)
    if writer is not None:
        writer(chio.Match())
    return cls


# ---------------------------------------------------------------------------------------
# Flag sets as chio-packets serializes them (bitflags 2: names joined by " | ", unknown
# bits as one hex number, "" for none).

FLAGS = {
    "Mods": [
        "NO_FAIL", "EASY", "NO_VIDEO", "HIDDEN", "HARD_ROCK", "SUDDEN_DEATH", "DOUBLE_TIME",
        "RELAX", "HALF_TIME", "NIGHTCORE", "FLASHLIGHT", "AUTOPLAY", "SPUN_OUT", "AUTOPILOT",
        "PERFECT", "KEY4", "KEY5", "KEY6", "KEY7", "KEY8", "FADE_IN", "RANDOM", "CINEMA",
        "TARGET", "KEY9", "KEY_COOP", "KEY1", "KEY3", "KEY2", "SCORE_V2", "MIRROR",
    ],
    "Permissions": ["REGULAR", "BAT", "SUPPORTER", "FRIEND", "PEPPY", "TOURNAMENT"],
    "SlotStatus": ["OPEN", "LOCKED", "NOT_READY", "READY", "NO_MAP", "PLAYING", "COMPLETE", "QUIT"],
    "ButtonState": ["LEFT1", "RIGHT1", "LEFT2", "RIGHT2", "SMOKE"],
}


def flags_text(value, kind):
    """The serde text of a flag set."""
    names = FLAGS[kind]
    parts = [name for bit, name in enumerate(names) if value & (1 << bit)]
    unknown = value & ~((1 << len(names)) - 1)
    if unknown:
        parts.append(f"{unknown:#x}")
    return " | ".join(parts)


def flags_value(text, kind):
    """The integer of a flag set's serde text."""
    names = FLAGS[kind]
    value = 0
    for part in text.split("|"):
        part = part.strip()
        if not part:
            continue
        if part.lower().startswith("0x"):
            value |= int(part, 16)
        else:
            value |= 1 << names.index(part)
    return value


def f32(value):
    """The nearest f32 value, as a Python float (exactly representable in both)."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


# ---------------------------------------------------------------------------------------
# Our JSON -> reference objects


def country_index(acronym):
    return CountryAcronyms.index(acronym)


def user_info(j):
    presence = j["presence"]
    status = j["status"]
    stats = j["stats"]
    return chio.UserInfo(
        id=j["id"],
        name=j["name"],
        presence=chio.UserPresence(
            is_irc=presence["is_irc"],
            timezone=presence["timezone"],
            country_index=country_index(presence["country"]),
            permissions=chio.Permissions(flags_value(presence["permissions"], "Permissions")),
            longitude=presence["longitude"],
            latitude=presence["latitude"],
            city=presence["city"],
        ),
        status=chio.UserStatus(
            action=chio.Status[status["action"]],
            text=status["text"],
            mods=chio.Mods(flags_value(status["mods"], "Mods")),
            mode=chio.Mode[status["mode"]],
            beatmap_checksum=status["beatmap_checksum"],
            beatmap_id=status["beatmap_id"],
            update_stats=status["update_stats"],
        ),
        stats=chio.UserStats(
            rank=stats["rank"],
            rscore=stats["ranked_score"],
            tscore=stats["total_score"],
            accuracy=stats["accuracy"],
            playcount=stats["play_count"],
            pp=stats["pp"],
        ),
    )


def chat_message(j):
    return chio.Message(sender=j["sender"], content=j["content"], target=j["target"], sender_id=j["sender_id"])


def channel(j):
    return chio.Channel(name=j["name"], topic=j["topic"], user_count=j["user_count"])


def match(j):
    """Our match: `slots` (status, team, user id) plus `slot_mods` (at most one per slot)."""
    slot_mods = j["slot_mods"]
    if len(slot_mods) > len(j["slots"]):
        raise ValueError("slot_mods longer than slots has no reference equivalent")
    slots = []
    for index, slot in enumerate(j["slots"]):
        mods = flags_value(slot_mods[index], "Mods") if index < len(slot_mods) else 0
        slots.append(
            chio.MatchSlot(
                user_id=slot["user_id"],
                status=chio.SlotStatus(flags_value(slot["status"], "SlotStatus")),
                team=chio.SlotTeam[slot["team"]],
                mods=chio.Mods(mods),
            )
        )
    return chio.Match(
        id=j["id"],
        in_progress=j["in_progress"],
        type=chio.MatchType[j["match_type"]],
        mods=chio.Mods(flags_value(j["mods"], "Mods")),
        name=j["name"],
        password=j["password"],
        beatmap_text=j["beatmap_text"],
        beatmap_id=j["beatmap_id"],
        beatmap_checksum=j["beatmap_checksum"],
        slots=slots,
        host_id=j["host_id"],
        mode=chio.Mode[j["mode"]],
        scoring_type=chio.ScoringType[j["scoring_type"]],
        team_type=chio.TeamType[j["team_type"]],
        freemod=j["freemod"],
        seed=j["seed"],
    )


def score_frame(j):
    """Our score frame. Its `checksum` field is not an input: b294-b333 get the MD5 the
    reference computes, other builds do not send one."""
    return chio.ScoreFrame(
        time=j["time"],
        id=j["id"],
        total_300=j["total_300"],
        total_100=j["total_100"],
        total_50=j["total_50"],
        total_geki=j["total_geki"],
        total_katu=j["total_katu"],
        total_miss=j["total_miss"],
        total_score=j["total_score"],
        max_combo=j["max_combo"],
        current_combo=j["current_combo"],
        perfect=j["perfect"],
        hp=j["hp"],
        tag_byte=j["tag_byte"],
        using_scorev2=j["using_scorev2"],
        combo_portion=j["combo_portion"],
        bonus_portion=j["bonus_portion"],
    )


def replay_frame(j):
    """Our replay frame. `left`, `right` and `legacy_right` are wire fields the event layer
    derives from `button_state` (b282-b373) or sets to 0 (b374+), so they are not inputs."""
    return chio.ReplayFrame(
        button_state=chio.ButtonState(flags_value(j["button_state"], "ButtonState")),
        mouse_x=j["x"],
        mouse_y=j["y"],
        time=j["time"],
    )


def bundle(j):
    frame = j["score_frame"]
    return chio.ReplayFrameBundle(
        action=chio.ReplayAction[j["action"]],
        frames=[replay_frame(f) for f in j["frames"]],
        frame=None if frame is None else score_frame(frame),
        extra=j["extra"],
        sequence=j["sequence"],
    )


def beatmap_info(j):
    return chio.BeatmapInfo(
        index=j["index"],
        beatmap_id=j["beatmap_id"],
        beatmapset_id=j["beatmapset_id"],
        thread_id=j["thread_id"],
        ranked_status=chio.RankedStatus[j["ranked_status"]],
        checksum=j["checksum"],
        osu_rank=chio.Rank[j["osu_rank"]],
        taiko_rank=chio.Rank[j["taiko_rank"]],
        fruits_rank=chio.Rank[j["fruits_rank"]],
        mania_rank=chio.Rank[j["mania_rank"]],
    )


def login_reply(j):
    (kind, value), = j.items()
    if kind == "Success":
        return value
    # The enum member itself: b20130801 rewrites `LoginError.UserInactive` by identity.
    return chio.LoginError[value]


def same(value):
    return value


# Event variant -> (reference packet type name, argument converter). The converter gets the
# variant's content and returns the writer's argument list.
EVENTS = {
    "LoginReply": ("BanchoLoginReply", lambda v: [login_reply(v)]),
    "Message": ("BanchoMessage", lambda v: [chat_message(v)]),
    "Ping": ("BanchoPing", None),
    "IrcChangeUsername": ("BanchoIrcChangeUsername", lambda v: [v["old"], v["new"]]),
    "IrcQuit": ("BanchoIrcQuit", lambda v: [v]),
    "UserStats": ("BanchoUserStats", lambda v: [user_info(v)]),
    "UserQuit": ("BanchoUserQuit", lambda v: [chio.UserQuit(user_info(v["user"]), chio.QuitState[v["state"]])]),
    "SpectatorJoined": ("BanchoSpectatorJoined", lambda v: [v]),
    "SpectatorLeft": ("BanchoSpectatorLeft", lambda v: [v]),
    "SpectateFrames": ("BanchoSpectateFrames", lambda v: [bundle(v)]),
    "VersionUpdate": ("BanchoVersionUpdate", None),
    "SpectatorCantSpectate": ("BanchoSpectatorCantSpectate", lambda v: [v]),
    "GetAttention": ("BanchoGetAttention", None),
    "Announce": ("BanchoAnnounce", lambda v: [v]),
    "MatchUpdate": ("BanchoMatchUpdate", lambda v: [match(v)]),
    "MatchNew": ("BanchoMatchNew", lambda v: [match(v)]),
    "MatchDisband": ("BanchoMatchDisband", lambda v: [v]),
    "LobbyJoin": ("BanchoLobbyJoin", lambda v: [v]),
    "LobbyPart": ("BanchoLobbyPart", lambda v: [v]),
    "MatchJoinSuccess": ("BanchoMatchJoinSuccess", lambda v: [match(v)]),
    "MatchJoinFail": ("BanchoMatchJoinFail", None),
    "FellowSpectatorJoined": ("BanchoFellowSpectatorJoined", lambda v: [v]),
    "FellowSpectatorLeft": ("BanchoFellowSpectatorLeft", lambda v: [v]),
    "MatchStart": ("BanchoMatchStart", lambda v: [match(v)]),
    "MatchScoreUpdate": ("BanchoMatchScoreUpdate", lambda v: [score_frame(v)]),
    "MatchTransferHost": ("BanchoMatchTransferHost", None),
    "MatchAllPlayersLoaded": ("BanchoMatchAllPlayersLoaded", None),
    "MatchPlayerFailed": ("BanchoMatchPlayerFailed", lambda v: [v]),
    "MatchComplete": ("BanchoMatchComplete", None),
    "MatchSkip": ("BanchoMatchSkip", None),
    "ChannelJoinSuccess": ("BanchoChannelJoinSuccess", lambda v: [v]),
    "ChannelAvailable": ("BanchoChannelAvailable", lambda v: [channel(v)]),
    "ChannelRevoked": ("BanchoChannelRevoked", lambda v: [v]),
    "ChannelAvailableAutojoin": ("BanchoChannelAvailableAutojoin", lambda v: [channel(v)]),
    "BeatmapInfoReply": ("BanchoBeatmapInfoReply", lambda v: [chio.BeatmapInfoReply([beatmap_info(b) for b in v])]),
    "LoginPermissions": ("BanchoLoginPermissions", lambda v: [chio.Permissions(flags_value(v, "Permissions"))]),
    "FriendsList": ("BanchoFriendsList", lambda v: [list(v)]),
    "ProtocolNegotiation": ("BanchoProtocolNegotiation", lambda v: [v]),
    "TitleUpdate": ("BanchoTitleUpdate", lambda v: [chio.TitleUpdate(v["image_url"], v["redirect_url"])]),
    "Monitor": ("BanchoMonitor", None),
    "MatchPlayerSkipped": ("BanchoMatchPlayerSkipped", lambda v: [v]),
    "UserPresence": ("BanchoUserPresence", lambda v: [user_info(v)]),
    "Restart": ("BanchoRestart", lambda v: [v["retry_after_ms"]]),
    "Invite": ("BanchoInvite", lambda v: [chat_message(v)]),
    "ChannelInfoComplete": ("BanchoChannelInfoComplete", None),
    "MatchChangePassword": ("BanchoMatchChangePassword", lambda v: [v]),
    "SilenceInfo": ("BanchoSilenceInfo", lambda v: [v]),
    "UserSilenced": ("BanchoUserSilenced", lambda v: [v]),
    "UserPresenceSingle": ("BanchoUserPresenceSingle", lambda v: [user_info(v)]),
    "UserPresenceBundle": ("BanchoUserPresenceBundle", lambda v: [[user_info(u) for u in v]]),
    "UserDmsBlocked": ("BanchoUserDmsBlocked", lambda v: [v]),
    "TargetIsSilenced": ("BanchoTargetIsSilenced", lambda v: [v]),
    "VersionUpdateForced": ("BanchoVersionUpdateForced", None),
    "SwitchServer": ("BanchoSwitchServer", lambda v: [v]),
    "AccountRestricted": ("BanchoAccountRestricted", None),
    "Rtx": ("BanchoRTX", lambda v: [v]),
    "MatchAbort": ("BanchoMatchAbort", None),
    "SwitchTournamentServer": ("BanchoSwitchTournamentServer", lambda v: [v]),
    "IrcJoin": ("BanchoIrcJoin", lambda v: [v]),
}

# The reference's server packets with no writer in any revision, so no event either.
NEVER_WRITTEN = {"BanchoCommandError", "BanchoUnauthorized"}

VARIANT_OF_PACKET = {packet: variant for variant, (packet, _) in EVENTS.items()}


def event_variant(event):
    """The variant name and content of an event's JSON."""
    if isinstance(event, str):
        return event, None
    (variant, value), = event.items()
    return variant, value


def writers(cls):
    """The reference packet types `cls` has a writer for (including writers that emit
    nothing, such as IrcJoin from b1788), in id order."""
    return [
        packet
        for packet in chio.PacketType
        if packet.is_server_packet and cls.implements_packet(packet)
    ]


def reference_packets(cls, event):
    """The (wire id, uncompressed payload) pairs the reference writes for an event of our
    model, called through the writer directly (no framing, no gzip). A revision without
    the writer emits nothing, as `write_packet` does."""
    variant, value = event_variant(event)
    packet_name, convert = EVENTS[variant]
    packet = chio.PacketType[packet_name]
    writer = getattr(cls, packet.handler_name, None)
    if writer is None:
        return []
    args = [] if convert is None else convert(value)
    return [
        {"wire_id": cls.convert_output_packet(kind), "payload": bytes(data).hex()}
        for kind, data in writer(*args)
    ]


def check_coverage():
    """Every reference server packet has an event, and every event a packet."""
    server = {p.name for p in chio.PacketType if p.is_server_packet}
    assert server - NEVER_WRITTEN == set(VARIANT_OF_PACKET), server ^ set(VARIANT_OF_PACKET)
    for _, cls in revisions():
        for packet in writers(cls):
            assert packet.name not in NEVER_WRITTEN, (cls, packet)



# ---------------------------------------------------------------------------------------
# Values in our JSON shape, with every field present (the serde types have no defaults).


def user(
    id, name, *, is_irc=False, timezone=0, country="XX", city="", permissions="", longitude=0.0,
    latitude=0.0, action="Idle", text="", beatmap_checksum="", mods="", mode="Osu", beatmap_id=0,
    update_stats=False, rank=0, ranked_score=0, total_score=0, accuracy=0.0, play_count=0, pp=0,
):
    return {
        "id": id,
        "name": name,
        "presence": {
            "is_irc": is_irc,
            "timezone": timezone,
            "country": country,
            "city": city,
            "permissions": permissions,
            "longitude": f32(longitude),
            "latitude": f32(latitude),
        },
        "status": {
            "action": action,
            "text": text,
            "beatmap_checksum": beatmap_checksum,
            "mods": mods,
            "mode": mode,
            "beatmap_id": beatmap_id,
            "update_stats": update_stats,
        },
        "stats": {
            "rank": rank,
            "ranked_score": ranked_score,
            "total_score": total_score,
            "accuracy": accuracy,
            "play_count": play_count,
            "pp": pp,
        },
    }


def message(sender, content, target, sender_id=-1):
    return {"sender": sender, "content": content, "target": target, "sender_id": sender_id}


def slot(status, team="Neutral", user_id=-1):
    return {"status": status, "team": team, "user_id": user_id}


def match_value(
    id, name, *, slots, slot_mods=(), in_progress=False, match_type="Standard", mods="", password="",
    beatmap_text="", beatmap_id=-1, beatmap_checksum="", host_id=-1, mode="Osu", scoring_type="Score",
    team_type="HeadToHead", freemod=False, seed=0,
):
    return {
        "id": id,
        "in_progress": in_progress,
        "match_type": match_type,
        "mods": mods,
        "name": name,
        "password": password,
        "beatmap_text": beatmap_text,
        "beatmap_id": beatmap_id,
        "beatmap_checksum": beatmap_checksum,
        "slots": list(slots),
        "host_id": host_id,
        "mode": mode,
        "scoring_type": scoring_type,
        "team_type": team_type,
        "freemod": freemod,
        "slot_mods": list(slot_mods),
        "seed": seed,
    }


def score_frame_value(
    time, id, *, total_300=0, total_100=0, total_50=0, total_geki=0, total_katu=0, total_miss=0,
    total_score=0, max_combo=0, current_combo=0, perfect=False, hp=200, tag_byte=0,
    using_scorev2=False, combo_portion=0.0, bonus_portion=0.0,
):
    return {
        "checksum": "",
        "time": time,
        "id": id,
        "total_300": total_300,
        "total_100": total_100,
        "total_50": total_50,
        "total_geki": total_geki,
        "total_katu": total_katu,
        "total_miss": total_miss,
        "total_score": total_score,
        "max_combo": max_combo,
        "current_combo": current_combo,
        "perfect": perfect,
        "hp": hp,
        "tag_byte": tag_byte,
        "using_scorev2": using_scorev2,
        "combo_portion": combo_portion,
        "bonus_portion": bonus_portion,
    }


def replay_frame_value(button_state, x, y, time, *, left=False, right=False, legacy_right=0):
    return {
        "left": left,
        "right": right,
        "button_state": button_state,
        "legacy_right": legacy_right,
        "x": f32(x),
        "y": f32(y),
        "time": time,
    }


def bundle_value(frames, action="Standard", *, score_frame=None, extra=-1, sequence=0):
    return {"extra": extra, "frames": list(frames), "action": action, "score_frame": score_frame, "sequence": sequence}


def beatmap_info_value(
    index, beatmap_id, beatmapset_id, thread_id, ranked_status, checksum, *, osu_rank="N", taiko_rank="N",
    fruits_rank="N", mania_rank="N",
):
    return {
        "index": index,
        "beatmap_id": beatmap_id,
        "beatmapset_id": beatmapset_id,
        "thread_id": thread_id,
        "ranked_status": ranked_status,
        "checksum": checksum,
        "osu_rank": osu_rank,
        "taiko_rank": taiko_rank,
        "fruits_rank": fruits_rank,
        "mania_rank": mania_rank,
    }


def channel_value(name, topic="", user_count=0):
    return {"name": name, "topic": topic, "user_count": user_count}



# ---------------------------------------------------------------------------------------
# Reference values -> our JSON (the client direction: what `read_packet` returns, in the
# shape of chio_packets::events::client::ClientEvent)


def activity_json(status):
    return {
        "action": chio.Status(status.action).name,
        "text": status.text,
        "beatmap_checksum": status.beatmap_checksum,
        "mods": flags_text(int(status.mods), "Mods"),
        "mode": chio.Mode(status.mode).name,
        "beatmap_id": status.beatmap_id,
        "update_stats": bool(status.update_stats),
    }


def message_json(m):
    return {"sender": m.sender, "content": m.content, "target": m.target, "sender_id": m.sender_id}


def match_json(m, build):
    """Our Match: per-slot mods are in `slot_mods`, present (one per slot) where the build
    sends them: b20130303+ with freemod set."""
    with_slot_mods = build >= 20130303 and m.freemod
    return {
        "id": m.id,
        "in_progress": bool(m.in_progress),
        "match_type": chio.MatchType(m.type).name,
        "mods": flags_text(int(m.mods), "Mods"),
        "name": m.name,
        "password": m.password,
        "beatmap_text": m.beatmap_text,
        "beatmap_id": m.beatmap_id,
        "beatmap_checksum": m.beatmap_checksum,
        "slots": [
            {"status": flags_text(int(slot.status), "SlotStatus"), "team": chio.SlotTeam(slot.team).name,
             "user_id": slot.user_id}
            for slot in m.slots
        ],
        "host_id": m.host_id,
        "mode": chio.Mode(m.mode).name,
        "scoring_type": chio.ScoringType(m.scoring_type).name,
        "team_type": chio.TeamType(m.team_type).name,
        "freemod": bool(m.freemod),
        "slot_mods": [flags_text(int(slot.mods), "Mods") for slot in m.slots] if with_slot_mods else [],
        # Ruling (chio_packets::multiplayer::Match::seed): clients write the seed as an
        # s32; the reference reads it as u32, so negative seeds come back 2^32 higher.
        "seed": signed32(m.seed),
    }


def score_frame_json(f):
    """Our score frame as events carry it: the checksum is not kept (client.rs rulings)."""
    return {
        "checksum": "",
        "time": f.time,
        "id": f.id,
        "total_300": f.total_300,
        "total_100": f.total_100,
        "total_50": f.total_50,
        "total_geki": f.total_geki,
        "total_katu": f.total_katu,
        "total_miss": f.total_miss,
        "total_score": f.total_score,
        "max_combo": f.max_combo,
        "current_combo": f.current_combo,
        "perfect": bool(f.perfect),
        "hp": f.hp,
        "tag_byte": f.tag_byte,
        "using_scorev2": bool(f.using_scorev2),
        "combo_portion": f.combo_portion,
        "bonus_portion": f.bonus_portion,
    }


def signed32(value):
    return value - 2**32 if value >= 2**31 else value


def bundle_json(b):
    return {
        # Ruling (protocol digest section 6 #14; chio_packets::events::client, "extra"):
        # the reference reads `extra` as u32 although clients write an s32, so -1 comes
        # back as 4294967295; our events keep it signed. The same 32 bits, compared signed.
        "extra": signed32(b.extra),
        "frames": [
            {"left": False, "right": False, "button_state": flags_text(int(f.button_state), "ButtonState"),
             "legacy_right": 0, "x": f.mouse_x, "y": f.mouse_y, "time": f.time}
            for f in b.frames
        ],
        "action": chio.ReplayAction(b.action).name,
        "score_frame": None if b.frame is None else score_frame_json(b.frame),
        # None before b20160404: our events carry 0.
        "sequence": b.sequence or 0,
    }


def client_event_json(packet, value, build):
    """Our ClientEvent JSON for what the reference's reader returned for `packet`."""
    variant = packet.name[len("Osu"):]
    if value is None:
        return variant
    converters = {
        "UserStatus": activity_json,
        "Message": message_json,
        "PrivateMessage": message_json,
        "SetIrcAwayMessage": message_json,
        "SpectateFrames": bundle_json,
        "MatchCreate": lambda m: match_json(m, build),
        "MatchChangeSettings": lambda m: match_json(m, build),
        "MatchChangePassword": lambda m: match_json(m, build),
        "MatchChangeBeatmap": lambda m: match_json(m, build),
        "MatchScoreUpdate": score_frame_json,
        "MatchJoin": lambda j: {"match_id": j.match_id, "password": j.password},
        "MatchChangeMods": lambda mods: flags_text(int(mods), "Mods"),
        "BeatmapInfoRequest": lambda r: {"filenames": list(r.filenames), "ids": list(r.ids)},
        "ReceiveUpdates": lambda f: chio.PresenceFilter(f).name,
        "UserStatsRequest": list,
        "PresenceRequest": list,
    }
    convert = converters.get(variant)
    return {variant: value if convert is None else convert(value)}


def read_client_frame(cls, frame):
    """(packet type, value) the reference reads from one whole client frame, and whether
    the frame was consumed exactly."""
    stream = MemoryStream(frame)
    packet, value = cls.read_packet(stream)
    return packet, value, stream.available() == 0


check_coverage()
