//! Who is online and what they are doing: presence, status and statistics.
//!
//! [`Presences`] keeps a [`UserInfo`] per online session and each session's
//! [`PresenceFilter`] (`OsuReceiveUpdates`), plus bot users with no session (BanchoBot),
//! who are always listed. It sends, following anchor (`docs/design/server-research.md` §4,
//! §7, §8):
//!
//! - at login, the user's own presence and stats, then the others (bundles of
//!   [`BUNDLE_CHUNK`] ids from b20121224, one presence each before), then the newcomer to
//!   everyone whose filter lets them see it;
//! - on a status change, stats to the user and to the builds that cannot ask for them
//!   ([`ClientPolicy::pushes_stats`]); newer clients ask ([`Presences::stats_request`]);
//! - at logout, `UserQuit` to everyone else.
//!
//! The events layer turns each event into what a build can read (a b1000 client gets a
//! presence as a statistics packet, b282 nothing it cannot show), so this block only
//! chooses whom to tell. Where a build's presence already *is* its statistics packet
//! (before b1788), no second statistics packet is sent with it.
//!
//! Tournament sessions receive everything but are never listed or announced: their user
//! is listed through the regular session.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use chio_packets::Packet;
use chio_packets::events::{Activity, Presence, ServerEvent, Stats, UserInfo};
use chio_packets::presence::BanchoUserPresence;
use chio_packets::presence::QuitState;
use chio_packets::session::PresenceFilter;

use crate::blocks::friends::Friends;
use crate::era::ClientPolicy;
use crate::mail::Mailer;
use crate::registry::SessionHandle;
use crate::session::SessionId;

/// How many users one `UserPresenceBundle` carries (anchor's chunk).
pub const BUNDLE_CHUNK: usize = 512;

/// The most ids one `OsuUserStatsRequest` is answered for (anchor); the rest are ignored.
pub const MAX_STATS_REQUEST: usize = 32;

/// The most ids one `OsuUserPresenceRequest` is answered for (anchor).
pub const MAX_PRESENCE_REQUEST: usize = 256;

/// The longest status text kept, in characters; longer text is cut.
pub const MAX_STATUS_TEXT_LEN: usize = 256;

/// The longest beatmap checksum kept (an MD5 is 32 hex digits).
const MAX_CHECKSUM_LEN: usize = 64;

#[derive(Debug)]
struct Online {
    session: SessionHandle,
    info: UserInfo<'static>,
    filter: PresenceFilter,
}

/// The users online and their presence; see the [module documentation](self).
#[derive(Debug, Default)]
pub struct Presences {
    /// Every session that logged in, ordered by id.
    online: BTreeMap<SessionId, Online>,
    /// The regular session listed for each user id.
    listed: HashMap<i32, SessionId>,
    /// Users with no session, listed first, in the order added.
    bots: Vec<UserInfo<'static>>,
    /// Users who left and whose `UserQuit` is not sent yet ([`Presences::on_logout_later`]).
    quits: Vec<UserInfo<'static>>,
    /// Sessions whose new status the builds that need statistics pushed have not been
    /// sent yet ([`Presences::status_later`]).
    stats_due: Vec<SessionId>,
}

/// A copy of `info` borrowing its text, for events.
fn borrowed<'a>(info: &'a UserInfo<'_>) -> UserInfo<'a> {
    UserInfo {
        id: info.id,
        name: Cow::Borrowed(&info.name),
        presence: Presence { city: Cow::Borrowed(&info.presence.city), ..info.presence },
        status: Activity {
            text: Cow::Borrowed(&info.status.text),
            beatmap_checksum: Cow::Borrowed(&info.status.beatmap_checksum),
            ..info.status
        },
        stats: info.stats,
    }
}

/// `text` cut to `max` characters.
fn cut(text: &mut Cow<'_, str>, max: usize) {
    if let Some((at, _)) = text.char_indices().nth(max) {
        text.to_mut().truncate(at);
    }
}

/// Whether the build's presence is its statistics packet (before b1788), so a presence
/// needs no statistics after it.
fn presence_is_stats(session: &SessionHandle) -> bool {
    !BanchoUserPresence::exists_in(session.ctx())
}

fn pushes_stats(session: &SessionHandle) -> bool {
    ClientPolicy::for_context(session.ctx()).pushes_stats
}

impl Presences {
    /// Nobody online.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a user with no session (a bot such as BanchoBot, id 1), listed to everyone;
    /// replaces a bot with the same id.
    pub fn add_bot(&mut self, info: UserInfo<'static>) {
        self.bots.retain(|bot| bot.id != info.id);
        self.bots.push(info);
    }

    /// The users listed to `session`'s user: bots, then the other users online.
    fn others(&self, user_id: i32) -> impl Iterator<Item = &UserInfo<'static>> {
        let online = self.listed.values().filter_map(|id| self.online.get(id)).map(|o| &o.info);
        let mut users: Vec<_> = self.bots.iter().chain(online).filter(|u| u.id != user_id).collect();
        // Deterministic order: bots first (as added), then users by id.
        let bots = self.bots.len().min(users.len());
        users[bots..].sort_by_key(|u| u.id);
        users.into_iter()
    }

    /// Logs `session` in with `info`: sends it its own `UserPresence` and `UserStats`,
    /// then everyone else (`UserPresenceBundle` in chunks of [`BUNDLE_CHUNK`] where the
    /// build reads bundles, else a `UserPresence` each, with `UserStats` where the build
    /// needs stats pushed), then announces the newcomer to the other sessions:
    /// `UserPresenceSingle` to those whose filter allows (a `Friends` filter when the
    /// newcomer is on their list in `friends`), `UserStats` to the builds that need
    /// stats pushed.
    ///
    /// `info.id` is set to the session's user id. A tournament session gets the same
    /// lists but is not announced.
    pub fn on_login(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        mut info: UserInfo<'static>,
        friends: &Friends,
    ) {
        info.id = session.user_id();
        // A user who left and comes back is gone for the others before they see them again.
        self.flush_quits(mail);
        let own = [ServerEvent::UserPresence(borrowed(&info)), ServerEvent::UserStats(borrowed(&info))];
        let others: Vec<_> = self.others(session.user_id()).collect();
        // One burst, queued as a few large items rather than an item per user.
        if ClientPolicy::for_context(session.ctx()).presence_bundles {
            let bundles = others
                .chunks(BUNDLE_CHUNK)
                .map(|chunk| ServerEvent::UserPresenceBundle(chunk.iter().map(|u| borrowed(u)).collect()));
            mail.send_each(session, own.into_iter().chain(bundles));
        } else {
            let stats_too = pushes_stats(session) && !presence_is_stats(session);
            let lists = others.iter().flat_map(|user| {
                let stats = stats_too.then(|| ServerEvent::UserStats(borrowed(user)));
                std::iter::once(ServerEvent::UserPresence(borrowed(user))).chain(stats)
            });
            mail.send_each(session, own.into_iter().chain(lists));
        }

        if !session.is_tournament() {
            let mut presence_to = Vec::new();
            let mut stats_to = Vec::new();
            for other in self.online.values().filter(|o| o.session.user_id() != info.id) {
                let sees = match other.filter {
                    PresenceFilter::NoPlayers => false,
                    PresenceFilter::All => true,
                    PresenceFilter::Friends => friends.is_friend(other.session.user_id(), info.id),
                };
                if sees {
                    presence_to.push(&other.session);
                }
                if pushes_stats(&other.session) && !(sees && presence_is_stats(&other.session)) {
                    stats_to.push(&other.session);
                }
            }
            mail.send_all(presence_to, &ServerEvent::UserPresenceSingle(borrowed(&info)), &[]);
            mail.send_all(stats_to, &ServerEvent::UserStats(borrowed(&info)), &[]);
            self.listed.insert(info.id, session.id());
        }
        self.online
            .insert(session.id(), Online { session: session.clone(), info, filter: PresenceFilter::All });
    }

    /// Stores the session's new status (text and checksum bounded) and sends its
    /// `UserStats` to it and to every session whose build needs stats pushed. Returns
    /// the updated info (for the server to tell spectators), `None` if the session is not
    /// logged in here.
    pub fn status(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        activity: Activity<'static>,
    ) -> Option<&UserInfo<'static>> {
        self.set_status(session, activity)?;
        let me = session.id();
        let to = self
            .online
            .values()
            .map(|o| &o.session)
            .filter(|s| s.id() == me || (!session.is_tournament() && pushes_stats(s)));
        let info = &self.online[&me].info;
        mail.send_all(to, &ServerEvent::UserStats(borrowed(info)), &[]);
        Some(info)
    }

    /// [`status`](Self::status), but only the session itself is sent its `UserStats` now;
    /// the builds that need statistics pushed get them with the next
    /// [`flush_stats`](Self::flush_stats), together with everyone else's changed since.
    ///
    /// About half the revisions (before b1800) need every user's status pushed, so with
    /// thousands online each status change is thousands of queue items and socket writes;
    /// gathered over a short interval, each such session gets one item per interval.
    pub fn status_later(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        activity: Activity<'static>,
    ) -> Option<&UserInfo<'static>> {
        self.set_status(session, activity)?;
        if !session.is_tournament() && !self.stats_due.contains(&session.id()) {
            self.stats_due.push(session.id());
        }
        let info = &self.online[&session.id()].info;
        mail.send(session, &ServerEvent::UserStats(borrowed(info)));
        Some(info)
    }

    /// Stores the session's new status, text and checksum bounded; `None` if it is not
    /// logged in here.
    fn set_status(&mut self, session: &SessionHandle, mut activity: Activity<'static>) -> Option<()> {
        cut(&mut activity.text, MAX_STATUS_TEXT_LEN);
        cut(&mut activity.beatmap_checksum, MAX_CHECKSUM_LEN);
        self.online.get_mut(&session.id())?.info.status = activity;
        Some(())
    }

    /// Whether some status changes wait for [`flush_stats`](Self::flush_stats).
    pub fn has_stats_due(&self) -> bool {
        !self.stats_due.is_empty()
    }

    /// Sends the statistics of the sessions whose status changed with
    /// [`status_later`](Self::status_later) since the last flush (and are still online) to
    /// every session whose build needs them pushed: one outbox item per session, encoded
    /// once per wire layout.
    pub fn flush_stats(&mut self, mail: &mut Mailer) {
        if self.stats_due.is_empty() {
            return;
        }
        let stats: Vec<_> = self
            .stats_due
            .iter()
            .filter_map(|id| self.online.get(id))
            .map(|online| ServerEvent::UserStats(borrowed(&online.info)))
            .collect();
        let to = self.online.values().map(|o| &o.session).filter(|s| pushes_stats(s));
        mail.send_many(to, &stats, &[]);
        drop(stats);
        self.stats_due.clear();
    }

    /// Answers `OsuStatusUpdateRequest`: the session's own `UserStats`.
    pub fn status_update_request(&self, mail: &mut Mailer, session: &SessionHandle) {
        if let Some(online) = self.online.get(&session.id()) {
            mail.send(session, &ServerEvent::UserStats(borrowed(&online.info)));
        }
    }

    /// Answers `OsuUserStatsRequest`: `UserStats` for each of the first
    /// [`MAX_STATS_REQUEST`] ids that is online (or a bot); the rest are ignored.
    pub fn stats_request(&self, mail: &mut Mailer, session: &SessionHandle, ids: &[i32]) {
        let infos = ids.iter().take(MAX_STATS_REQUEST).filter_map(|id| self.info_by_user(*id));
        mail.send_each(session, infos.map(|info| ServerEvent::UserStats(borrowed(info))));
    }

    /// Answers `OsuUserPresenceRequest`: `UserPresence` for each of the first
    /// [`MAX_PRESENCE_REQUEST`] ids that is online (or a bot).
    pub fn presence_request(&self, mail: &mut Mailer, session: &SessionHandle, ids: &[i32]) {
        let infos = ids.iter().take(MAX_PRESENCE_REQUEST).filter_map(|id| self.info_by_user(*id));
        mail.send_each(session, infos.map(|info| ServerEvent::UserPresence(borrowed(info))));
    }

    /// Answers `OsuUserPresenceRequestAll`: a `UserPresence` for every other user listed.
    pub fn presence_request_all(&self, mail: &mut Mailer, session: &SessionHandle) {
        let infos = self.others(session.user_id());
        mail.send_each(session, infos.map(|info| ServerEvent::UserPresence(borrowed(info))));
    }

    /// Stores the session's `OsuReceiveUpdates` filter, used for later announcements.
    pub fn set_filter(&mut self, session: SessionId, filter: PresenceFilter) {
        if let Some(online) = self.online.get_mut(&session) {
            online.filter = filter;
        }
    }

    /// The session's filter (`All` until the client sets one).
    pub fn filter(&self, session: SessionId) -> Option<PresenceFilter> {
        self.online.get(&session).map(|o| o.filter)
    }

    /// Replaces the session's statistics (after a score or a mode change); sends nothing.
    pub fn set_stats(&mut self, session: SessionId, stats: Stats) {
        if let Some(online) = self.online.get_mut(&session) {
            online.info.stats = stats;
        }
    }

    /// What is known of the session's user.
    pub fn info(&self, session: SessionId) -> Option<&UserInfo<'static>> {
        self.online.get(&session).map(|o| &o.info)
    }

    /// What is known of the user online (or the bot) with this id.
    pub fn info_by_user(&self, user_id: i32) -> Option<&UserInfo<'static>> {
        self.listed
            .get(&user_id)
            .and_then(|id| self.online.get(id))
            .map(|o| &o.info)
            .or_else(|| self.bots.iter().find(|bot| bot.id == user_id))
    }

    /// How many sessions are logged in here.
    pub fn len(&self) -> usize {
        self.online.len()
    }

    /// Whether no session is logged in here.
    pub fn is_empty(&self) -> bool {
        self.online.is_empty()
    }

    /// Logs `session` out: for its user's listed session, `UserQuit` (gone) to every
    /// other session. Does nothing for a session not logged in here.
    pub fn on_logout(&mut self, mail: &mut Mailer, session: &SessionHandle) {
        self.on_logout_later(session);
        self.flush_quits(mail);
    }

    /// [`on_logout`](Self::on_logout) without telling the others yet: the session is no
    /// longer online, and its `UserQuit` waits for [`flush_quits`](Self::flush_quits) (or
    /// the next login, which flushes first).
    ///
    /// When many sessions end at once (a network cut, a restart of a proxy), telling each
    /// departure at once sends the sessions that are still to be found gone about N²/2
    /// frames; waiting until the departures stop sends each survivor one item with all of
    /// them.
    pub fn on_logout_later(&mut self, session: &SessionHandle) {
        let Some(online) = self.online.remove(&session.id()) else { return };
        if self.listed.get(&online.info.id) != Some(&session.id()) {
            return;
        }
        self.listed.remove(&online.info.id);
        self.quits.push(online.info);
    }

    /// Whether some `UserQuit`s wait for [`flush_quits`](Self::flush_quits).
    pub fn has_quits(&self) -> bool {
        !self.quits.is_empty()
    }

    /// Tells every session online the departures waiting since the last flush: one outbox
    /// item per session, encoded once per wire layout.
    pub fn flush_quits(&mut self, mail: &mut Mailer) {
        if self.quits.is_empty() {
            return;
        }
        let quits: Vec<_> = self
            .quits
            .iter()
            .map(|user| ServerEvent::UserQuit { user: borrowed(user), state: QuitState::Gone })
            .collect();
        mail.send_many(self.online.values().map(|o| &o.session), &quits, &[]);
        drop(quits);
        self.quits.clear();
    }
}

#[cfg(test)]
mod tests {
    use chio_packets::ServerPacket;
    use chio_packets::types::Status;

    use super::*;
    use crate::testkit::{Kit, names, received};

    const BUILDS: [u32; 7] = [282, 1000, 1788, 20121224, 20130815, 20150915, 20250306];

    fn user(session: &SessionHandle) -> UserInfo<'static> {
        UserInfo { id: session.user_id(), name: session.name().to_owned().into(), ..UserInfo::default() }
    }

    fn bot() -> UserInfo<'static> {
        UserInfo { id: 1, name: "BanchoBot".into(), ..UserInfo::default() }
    }

    /// The user ids in the session's presence, stats and bundle packets, in order.
    fn ids(session: &SessionHandle) -> Vec<i32> {
        let mut out = Vec::new();
        for packet in received(session) {
            match packet {
                ServerPacket::BanchoUserPresence(p) => out.push(p.user_id),
                ServerPacket::BanchoUserStatsB282(s) => out.push(s.0.user_id as i32),
                ServerPacket::BanchoUserStatsB323(s) => out.push(s.0.user_id as i32),
                ServerPacket::BanchoUserStatsB338(s) => out.push(s.0.user_id as i32),
                ServerPacket::BanchoUserStats(s) => out.push(s.0.user_id),
                ServerPacket::BanchoUserPresenceSingle(p) => out.push(p.user_id),
                ServerPacket::BanchoUserPresenceBundle(b) => out.extend(b.user_ids),
                other => panic!("unexpected {}", other.name()),
            }
        }
        out
    }

    struct World {
        kit: Kit,
        mail: Mailer,
        presences: Presences,
        friends: Friends,
    }

    impl World {
        fn new() -> Self {
            let mut presences = Presences::new();
            presences.add_bot(bot());
            Self { kit: Kit::new(), mail: Mailer::new(), presences, friends: Friends::new() }
        }

        fn login(&mut self, user_id: i32, build: u32) -> SessionHandle {
            let s = self.kit.session(user_id, &format!("u{user_id}"), build);
            self.presences.on_login(&mut self.mail, &s, user(&s), &self.friends);
            s
        }
    }

    #[test]
    fn login_burst_for_a_modern_build() {
        let mut w = World::new();
        let others: Vec<_> = BUILDS.iter().enumerate().map(|(i, b)| w.login(1000 + i as i32, *b)).collect();
        others.iter().for_each(|s| drop(received(s)));
        let me = w.login(2000, 20250306);
        let packets = received(&me);
        let got: Vec<_> = packets.iter().map(ServerPacket::name).collect();
        assert_eq!(got, ["BanchoUserPresence", "BanchoUserStats", "BanchoUserPresenceBundle"]);
        let ServerPacket::BanchoUserPresenceBundle(bundle) = &packets[2] else { unreachable!() };
        assert_eq!(bundle.user_ids, [1, 1000, 1001, 1002, 1003, 1004, 1005, 1006]);

        // Each build hears of the newcomer its way: a stats packet before b1788, a
        // presence (plus pushed stats) in b1788–b1799, a presence id from b20121224.
        let heard: Vec<_> = others.iter().map(names).collect();
        assert_eq!(heard[0], ["BanchoUserStats"]);
        assert_eq!(heard[1], ["BanchoUserStats"]);
        assert_eq!(heard[2], ["BanchoUserPresence", "BanchoUserStats"]);
        for h in &heard[3..] {
            assert_eq!(h, &["BanchoUserPresenceSingle"]);
        }
    }

    #[test]
    fn login_burst_for_old_builds() {
        let mut w = World::new();
        let a = w.login(1000, 20250306);
        let b = w.login(1001, 1000);
        // b1000: own presence and stats, then one presence (its stats packet) per user.
        assert_eq!(ids(&b), [1001, 1001, 1, 1000]);
        // b1788: presence plus pushed stats per user.
        let c = w.login(1002, 1788);
        assert_eq!(names(&c), ["BanchoUserPresence", "BanchoUserStats"].repeat(4));
        // b282 hears of everyone in its one statistics packet.
        let d = w.login(1003, 282);
        assert_eq!(ids(&d), [1003, 1003, 1, 1000, 1001, 1002]);
        assert_eq!(ids(&a), [1000, 1000, 1, 1001, 1002, 1003]);
    }

    #[test]
    fn bundles_are_chunked_at_512() {
        let mut w = World::new();
        let mut mail = Mailer::new();
        let kit = Kit::new();
        for i in 0..1200 {
            let s = kit.session(1000 + i, "x", 20250306);
            w.presences.on_login(&mut mail, &s, user(&s), &w.friends);
        }
        let me = w.login(5000, 20250306);
        let packets = received(&me);
        let sizes: Vec<_> = packets
            .iter()
            .filter_map(|p| match p {
                ServerPacket::BanchoUserPresenceBundle(b) => Some(b.user_ids.len()),
                _ => None,
            })
            .collect();
        assert_eq!(sizes, [512, 512, 177], "1200 players and the bot");
        assert_eq!(packets.len(), 5);
    }

    #[test]
    fn filters_choose_who_hears_of_a_login() {
        let mut w = World::new();
        let all = w.login(1000, 20250306);
        let none = w.login(1001, 20250306);
        let friends_only = w.login(1002, 20250306);
        let old = w.login(1003, 1000);
        w.presences.set_filter(none.id(), PresenceFilter::NoPlayers);
        w.presences.set_filter(friends_only.id(), PresenceFilter::Friends);
        // b1000 cannot filter, but say the server stored one: it still gets stats pushed.
        w.presences.set_filter(old.id(), PresenceFilter::NoPlayers);
        w.friends.load(1002, vec![1005]);
        for s in [&all, &none, &friends_only, &old] {
            names(s);
        }
        w.login(1004, 20250306);
        assert_eq!(ids(&all), [1004]);
        assert!(names(&none).is_empty());
        assert!(names(&friends_only).is_empty());
        assert_eq!(ids(&old), [1004]);
        w.login(1005, 20250306);
        assert_eq!(ids(&friends_only), [1005]);
        assert_eq!(w.presences.filter(friends_only.id()), Some(PresenceFilter::Friends));
    }

    #[test]
    fn status_pushes_stats_to_old_builds_only() {
        let mut w = World::new();
        let sessions: Vec<_> = BUILDS.iter().enumerate().map(|(i, b)| w.login(1000 + i as i32, *b)).collect();
        sessions.iter().for_each(|s| drop(received(s)));
        let me = &sessions[6];
        let activity =
            Activity { action: Status::Playing, text: "x".repeat(1000).into(), ..Activity::default() };
        let info = w.presences.status(&mut w.mail, me, activity).unwrap();
        assert_eq!(info.status.action, Status::Playing);
        assert_eq!(info.status.text.len(), MAX_STATUS_TEXT_LEN);
        for s in &sessions {
            let expected: &[i32] = if s.ctx().build() < 1800 || s.id() == me.id() { &[1006] } else { &[] };
            assert_eq!(ids(s), expected, "b{}", s.ctx().build());
        }
        let stranger = w.kit.session(3000, "nobody", 20250306);
        assert!(w.presences.status(&mut w.mail, &stranger, Activity::default()).is_none());
    }

    #[test]
    fn requests_are_capped_and_skip_unknown_ids() {
        let mut w = World::new();
        let me = w.login(1000, 20250306);
        for id in 1001..1300 {
            w.login(id, 20250306);
        }
        names(&me);
        w.presences.status_update_request(&mut w.mail, &me);
        assert_eq!(ids(&me), [1000]);

        let asked: Vec<i32> = [1, 42, 1001].into_iter().chain(1100..1200).collect();
        w.presences.stats_request(&mut w.mail, &me, &asked);
        let got = ids(&me);
        assert_eq!(got.len(), MAX_STATS_REQUEST - 1, "42 is nobody");
        assert_eq!(got[..3], [1, 1001, 1100]);

        let asked: Vec<i32> = (1001..1300).collect();
        w.presences.presence_request(&mut w.mail, &me, &asked);
        assert_eq!(ids(&me), (1001..1001 + MAX_PRESENCE_REQUEST as i32).collect::<Vec<_>>());
        w.presences.presence_request(&mut w.mail, &me, &[1]);
        let packets = received(&me);
        assert!(matches!(&packets[..], [ServerPacket::BanchoUserPresence(p)] if p.name == "BanchoBot"));

        w.presences.presence_request_all(&mut w.mail, &me);
        let all = ids(&me);
        assert_eq!(all.len(), 300, "the bot and 299 others, not me");
        assert!(!all.contains(&1000));
    }

    #[test]
    fn logout_tells_everyone_else() {
        let mut w = World::new();
        let sessions: Vec<_> = BUILDS.iter().enumerate().map(|(i, b)| w.login(1000 + i as i32, *b)).collect();
        sessions.iter().for_each(|s| drop(received(s)));
        w.presences.on_logout(&mut w.mail, &sessions[3]);
        for (i, s) in sessions.iter().enumerate() {
            let expected: &[&str] = if i == 3 { &[] } else { &["BanchoUserQuit"] };
            assert_eq!(names(s), expected, "b{}", s.ctx().build());
        }
        assert!(w.presences.info(sessions[3].id()).is_none());
        assert!(w.presences.info_by_user(1003).is_none());
        assert_eq!(w.presences.len(), 6);
        // A second logout, or one of a stranger, sends nothing.
        w.presences.on_logout(&mut w.mail, &sessions[3]);
        assert!(sessions.iter().all(|s| names(s).is_empty()));
    }

    #[test]
    fn departures_told_later_go_out_together_and_before_a_return() {
        let mut w = World::new();
        let sessions: Vec<_> = BUILDS.iter().enumerate().map(|(i, b)| w.login(1000 + i as i32, *b)).collect();
        sessions.iter().for_each(|s| drop(received(s)));
        w.presences.on_logout_later(&sessions[1]);
        w.presences.on_logout_later(&sessions[2]);
        // Gone from the lists at once, told nobody yet.
        assert!(w.presences.info_by_user(1001).is_none() && w.presences.has_quits());
        assert!(sessions.iter().all(|s| names(s).is_empty()));
        w.presences.flush_quits(&mut w.mail);
        assert!(!w.presences.has_quits());
        for s in sessions.iter().skip(3) {
            assert_eq!(s.outbox().queued_frames(), 1, "one item for both, b{}", s.ctx().build());
            assert_eq!(names(s), ["BanchoUserQuit"; 2], "b{}", s.ctx().build());
        }
        // A user who left and comes back: the others hear the quit before the return.
        w.presences.on_logout_later(&sessions[4]);
        let again = w.login(1004, 20250306);
        drop(received(&again));
        for s in [&sessions[0], &sessions[5], &sessions[6]] {
            let got = names(s);
            assert_eq!(got.first().copied(), Some("BanchoUserQuit"), "b{}: {got:?}", s.ctx().build());
            assert!(got.len() > 1, "b{}: {got:?}", s.ctx().build());
        }
    }

    #[test]
    fn status_changes_told_later_go_to_the_pushed_builds_in_one_item() {
        let mut w = World::new();
        let sessions: Vec<_> = BUILDS.iter().enumerate().map(|(i, b)| w.login(1000 + i as i32, *b)).collect();
        sessions.iter().for_each(|s| drop(received(s)));
        for (i, s) in sessions.iter().enumerate().take(3) {
            let text = format!("map {i}");
            let activity = Activity { text: text.clone().into(), ..Activity::default() };
            assert_eq!(w.presences.status_later(&mut w.mail, s, activity).unwrap().status.text, text);
            // The session itself hears at once.
            assert_eq!(names(s), ["BanchoUserStats"], "b{}", s.ctx().build());
        }
        // The same session again: still one push for it.
        w.presences.status_later(&mut w.mail, &sessions[0], Activity::default()).unwrap();
        drop(received(&sessions[0]));
        assert!(sessions.iter().all(|s| names(s).is_empty()) && w.presences.has_stats_due());
        w.presences.flush_stats(&mut w.mail);
        assert!(!w.presences.has_stats_due());
        for s in &sessions {
            let pushed = ClientPolicy::for_context(s.ctx()).pushes_stats;
            assert_eq!(s.outbox().queued_frames(), usize::from(pushed), "b{}", s.ctx().build());
            let expected: &[&str] = if pushed { &["BanchoUserStats"; 3] } else { &[] };
            assert_eq!(names(s), expected, "b{}", s.ctx().build());
        }
    }

    #[test]
    fn stats_and_lookups() {
        let mut w = World::new();
        let me = w.login(1000, 20250306);
        w.presences.set_stats(me.id(), Stats { rank: 7, ..Stats::default() });
        assert_eq!(w.presences.info(me.id()).unwrap().stats.rank, 7);
        assert_eq!(w.presences.info_by_user(1000).unwrap().stats.rank, 7);
        assert_eq!(w.presences.info_by_user(1).unwrap().name, "BanchoBot");
        assert!(w.presences.info_by_user(2).is_none());
    }
}
