//! The feature table of the event layer (`chio_packets::events::features`) drives the
//! behaviour: for every feature, the last build before it behaves the old way and its
//! first build the new way (the expected values are the reference's, chio 1.1.21).

use std::borrow::Cow;

use chio_packets::Context;
use chio_packets::beatmaps::{Rank, RankedStatus};
use chio_packets::catalog::{ClientPacket, ServerPacket};
use chio_packets::events::client::ClientEvent;
use chio_packets::events::features::{self, Feature};
use chio_packets::events::links::link_for_build;
use chio_packets::events::{
    Activity, BeatmapInfo, ChatMessage, INACTIVE_ACCOUNT_MESSAGE, LoginResult, ServerEvent, Stats, UserInfo,
};
use chio_packets::presence::{OsuUserStatus, UserStatus};
use chio_packets::types::{LoginError, Mode, Permissions, Status};

/// The last build without the feature and the first with it.
fn around(feature: Feature) -> [Context; 2] {
    [Context::new(feature.since - 1), Context::new(feature.since)]
}

/// The status a server sends in a statistics packet.
fn sent_status<'a>(packet: &'a ServerPacket<'_>) -> &'a UserStatus<'a> {
    match packet {
        ServerPacket::BanchoUserStatsB282(p) => &p.0.status,
        ServerPacket::BanchoUserStatsB323(p) => &p.0.status,
        ServerPacket::BanchoUserStatsB338(p) => &p.0.status,
        ServerPacket::BanchoUserStats(p) => &p.0.status,
        other => panic!("not a statistics packet: {other:?}"),
    }
}

fn user(action: Status, total_score: u64) -> UserInfo<'static> {
    let mut user = UserInfo { id: 2, name: "peppy".into(), ..UserInfo::default() };
    user.status.action = action;
    user.status.mode = Mode::Taiko;
    user.presence.permissions = Permissions::REGULAR;
    user.stats = Stats { total_score, ..Stats::default() };
    user
}

fn modern_status_numbering(feature: Feature) {
    // Paused is 10 today. In the legacy numbering (10 was "stats update") clients send
    // it as 11, and the reference's writer sends every action above 9 one lower
    // (`convert_output_status`), so as 9.
    let [before, at] = around(feature);
    let event = ServerEvent::UserStats(user(Status::Paused, 0));
    assert_eq!(sent_status(&event.packets(before)[0]).action as u8, 9);
    assert_eq!(sent_status(&event.packets(at)[0]).action as u8, 10);
    let event = ClientEvent::UserStatus(Activity { action: Status::Paused, ..Activity::default() });
    let raw = |ctx| match event.to_packet(ctx).unwrap() {
        ClientPacket::OsuUserStatus(OsuUserStatus(status)) => status.action as u8,
        other => panic!("{other:?}"),
    };
    assert_eq!((raw(before), raw(at)), (11, 10));
}

fn status_idle_trusted(feature: Feature) {
    // Idle with a map checksum reads as Playing before, as Idle from the feature.
    let status = UserStatus { action: Status::Idle, beatmap_checksum: "abc".into(), ..UserStatus::default() };
    let read =
        |ctx| match ClientEvent::from_packet(ClientPacket::OsuUserStatus(OsuUserStatus(status.clone())), ctx)
        {
            Ok(ClientEvent::UserStatus(activity)) => activity.action,
            other => panic!("{other:?}"),
        };
    let [before, at] = around(feature);
    assert_eq!((read(before), read(at)), (Status::Playing, Status::Idle));
}

/// The total score a b338–b1787 client gets for `total`.
fn total_score_sent(total: u64, ctx: Context) -> u64 {
    match &ServerEvent::UserStats(user(Status::Idle, total)).packets(ctx)[0] {
        ServerPacket::BanchoUserStatsB338(p) => p.0.total_score,
        other => panic!("{other:?}"),
    }
}

fn level_caps(feature: Feature, expected: [u64; 2]) {
    let [before, at] = around(feature);
    let total = 30_000_000_000;
    assert_eq!([total_score_sent(total, before), total_score_sent(total, at)], expected, "{}", feature.name);
}

fn verbatim_ranked_status(feature: Feature) {
    let reply = ServerEvent::BeatmapInfoReply(vec![BeatmapInfo {
        index: 0,
        beatmap_id: 1,
        beatmapset_id: 2,
        thread_id: 3,
        ranked_status: RankedStatus::Qualified,
        checksum: "abc".into(),
        osu_rank: Rank::N,
        taiko_rank: Rank::N,
        fruits_rank: Rank::N,
        mania_rank: Rank::N,
    }]);
    let sent = |ctx| match &reply.packets(ctx)[0] {
        ServerPacket::BanchoBeatmapInfoReply(p) => p.beatmaps[0].ranked_status,
        other => panic!("{other:?}"),
    };
    // Qualified goes as Approved (2) in the reduced numbering, as itself (3) after.
    let [before, at] = around(feature);
    assert_eq!((sent(before), sent(at)), (2, RankedStatus::Qualified as i8));
}

fn mode_in_presence_permissions(feature: Feature) {
    let event = ServerEvent::UserPresence(user(Status::Idle, 0));
    let permissions = |ctx| match &event.packets(ctx)[0] {
        ServerPacket::BanchoUserPresence(p) => p.permissions,
        other => panic!("{other:?}"),
    };
    let [before, at] = around(feature);
    let regular = Permissions::REGULAR.bits() as u8;
    assert_eq!((permissions(before), permissions(at)), (regular, regular | ((Mode::Taiko as u8) << 5)));
}

fn modern_chat_links(feature: Feature) {
    let [before, at] = around(feature);
    assert_eq!(link_for_build("site", "https://osu.ppy.sh", before.build()), "(site)[https://osu.ppy.sh]");
    assert_eq!(link_for_build("site", "https://osu.ppy.sh", at.build()), "[https://osu.ppy.sh site]");
}

fn title_update_redirect(feature: Feature) {
    // Without an image: nothing before, `"|redirect"` from the feature.
    let event = ServerEvent::TitleUpdate { image_url: "".into(), redirect_url: "https://osu.ppy.sh".into() };
    let [before, at] = around(feature);
    assert!(event.packets(before).is_empty());
    match &event.packets(at)[..] {
        [ServerPacket::BanchoTitleUpdate(p)] => assert_eq!(p.text, "|https://osu.ppy.sh"),
        other => panic!("{other:?}"),
    }
}

fn verbatim_message_content(feature: Feature) {
    let event = ServerEvent::Message(ChatMessage {
        sender: "peppy".into(),
        content: "see [https://osu.ppy.sh the site]".into(),
        target: "#osu".into(),
        sender_id: 2,
    });
    let content = |ctx| match &event.packets(ctx)[0] {
        ServerPacket::BanchoMessage(p) => p.0.content.clone().into_owned(),
        other => panic!("{other:?}"),
    };
    let [before, at] = around(feature);
    assert_eq!(content(before), "see (the site)[https://osu.ppy.sh]");
    assert_eq!(content(at), "see [https://osu.ppy.sh the site]");
}

fn inactive_shown_as_banned(feature: Feature) {
    let event = ServerEvent::LoginReply(LoginResult::Error(LoginError::UserInactive));
    let [before, at] = around(feature);
    match &event.packets(before)[..] {
        [ServerPacket::BanchoLoginReply(reply)] => assert_eq!(reply.0, LoginError::UserInactive as i32),
        other => panic!("{other:?}"),
    }
    match &event.packets(at)[..] {
        [ServerPacket::BanchoAnnounce(text), ServerPacket::BanchoLoginReply(reply)] => {
            assert_eq!(text.0, Cow::Borrowed(INACTIVE_ACCOUNT_MESSAGE));
            assert_eq!(reply.0, LoginError::InvalidLogin as i32);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_feature_starts_its_behaviour_at_its_build() {
    const CAP_365: u64 = 17_705_429_348;
    const CAP_504: u64 = 26_931_190_827;
    const UNCAPPED: u64 = 30_000_000_000;
    for &feature in features::ALL {
        match feature.name {
            "MODERN_STATUS_NUMBERING" => modern_status_numbering(feature),
            "STATUS_IDLE_TRUSTED" => status_idle_trusted(feature),
            "LEVEL_DISPLAY" => level_caps(feature, [UNCAPPED, CAP_365]),
            "LEVEL_OVERFLOW_RAISED" => level_caps(feature, [CAP_365, CAP_504]),
            "LEVEL_OVERFLOW_FIXED" => level_caps(feature, [CAP_504, UNCAPPED]),
            "VERBATIM_RANKED_STATUS" => verbatim_ranked_status(feature),
            "MODE_IN_PRESENCE_PERMISSIONS" => mode_in_presence_permissions(feature),
            "MODERN_CHAT_LINKS" => modern_chat_links(feature),
            "TITLE_UPDATE_REDIRECT" => title_update_redirect(feature),
            "VERBATIM_MESSAGE_CONTENT" => verbatim_message_content(feature),
            "INACTIVE_SHOWN_AS_BANNED" => inactive_shown_as_banned(feature),
            other => panic!("no behaviour check for the feature {other}: add one here"),
        }
    }
}
