//! One connection's state machine: sniff, authenticate, then serve requests and pushes until
//! either side ends it.

use std::collections::BTreeSet;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::net::TcpStream;
use tokio::sync::{Notify, OwnedSemaphorePermit, broadcast, watch};
use tokio::time::Instant;

use crate::approval::{Approval, ApprovalRequest};
use crate::auth::{GrantId, IssueError, Scope, Token};
use crate::frame::{FrameCodec, FrameError};
use crate::message::{
    AuthRequest, AuthResponse, AuthState, ClientMessage, Disconnect, DisconnectReason, ErrorKind, EventKind,
    EventList, ParseError, ServerMessage,
};
use crate::permission::{Permissions, RequestKind};
use crate::rate_limit::RateLimiter;
use crate::registry::{Registry, SessionGuard, SessionInfo, Shared};
use crate::source::Interaction;
use crate::transport::FramedStream;

/// How long one write may wait for the application to read.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the `error` to a refused connection may wait for the application to read.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(1);

/// First bytes of an HTTP/1 request line (or the HTTP/2 preface): what a browser sends.
const HTTP_PREFIXES: [&[u8]; 10] = [
    b"GET ",
    b"POST ",
    b"PUT ",
    b"HEAD ",
    b"DELETE ",
    b"OPTIONS ",
    b"PATCH ",
    b"CONNECT ",
    b"TRACE ",
    b"PRI ",
];

/// What the first bytes of a connection look like.
#[derive(Debug, PartialEq, Eq)]
enum Sniff {
    /// An HTTP request: close without a word.
    Http,
    /// Not HTTP: read frames.
    Frames,
    /// Could still become an HTTP method: read more.
    Undecided,
}

fn sniff(buffered: &[u8]) -> Sniff {
    if HTTP_PREFIXES.iter().any(|prefix| buffered.starts_with(prefix)) {
        Sniff::Http
    } else if HTTP_PREFIXES.iter().any(|prefix| prefix.starts_with(buffered)) {
        Sniff::Undecided
    } else {
        Sniff::Frames
    }
}

/// What follows the authentication phase.
enum Next {
    /// Authenticated: serve it.
    Serve(Authenticated),
    /// Close it (after anything already sent).
    Close,
}

/// What an authenticated session holds.
struct Authenticated {
    application: String,
    permissions: Permissions,
    grant: GrantId,
    /// Released before the guard unlists the session (fields drop in order).
    _slot: Option<OwnedSemaphorePermit>,
    _guard: SessionGuard,
}

/// How a connection was admitted, holding its place in an unauthenticated budget.
pub(crate) struct Admission {
    /// `false`: within the budget of unauthenticated connections, it may authenticate any
    /// way. `true`: over it, admitted only if it sends an `auth` with a valid token within
    /// the shorter overflow window.
    pub(crate) token_only: bool,
    /// Over the budget: signalled when a newer connection takes this one's place in the
    /// overflow window. The server holds it weakly: dropping it leaves the window.
    pub(crate) evicted: Option<Arc<Notify>>,
    /// Within the budget: the place.
    pub(crate) _permit: Option<OwnedSemaphorePermit>,
}

/// Why reading the next payload failed.
#[derive(Debug)]
pub(crate) enum ReadFailure {
    /// The frame (or message) is over the maximum, or (WebSocket) a text message is not
    /// UTF-8, which RFC 6455 says fails the connection: answered (`protocol_error` before
    /// `auth`, `invalid_request` after), and the stream cannot go on.
    Fatal,
    /// The transport broke.
    Broken,
}

/// A connection carrying one JSON message per frame: TCP with ULEB128 frames, or WebSocket
/// with one text message per frame.
pub(crate) trait Wire: Send + 'static {
    /// Anything to check before the first frame; `false` to close without a word.
    fn prelude(&mut self) -> impl Future<Output = bool> + Send {
        async { true }
    }

    /// The next payload, or `None` at a clean end. Cancel-safe.
    fn read_payload(&mut self) -> impl Future<Output = Result<Option<Bytes>, ReadFailure>> + Send;

    /// Writes one message; whether it was written.
    fn write_message(&mut self, message: &ServerMessage) -> impl Future<Output = bool> + Send;

    /// Closes the connection after everything written.
    fn close(self) -> impl Future<Output = ()> + Send;
}

/// TCP with `[ULEB128 length][JSON]` frames.
pub(crate) struct TcpWire(FramedStream<TcpStream>);

impl TcpWire {
    pub(crate) fn new(stream: TcpStream, max_frame_len: u32) -> Self {
        // Frames are small and answers should not wait for Nagle.
        let _ = stream.set_nodelay(true);
        Self(FramedStream::new(stream, FrameCodec::new(max_frame_len)))
    }
}

impl Wire for TcpWire {
    async fn prelude(&mut self) -> bool {
        loop {
            match sniff(self.0.buffered()) {
                Sniff::Http => return false,
                Sniff::Frames => return true,
                Sniff::Undecided => {
                    if !matches!(self.0.fill().await, Ok(1..)) {
                        return false;
                    }
                }
            }
        }
    }

    async fn read_payload(&mut self) -> Result<Option<Bytes>, ReadFailure> {
        match self.0.read_frame().await {
            Ok(payload) => Ok(payload),
            Err(FrameError::TooLarge { .. } | FrameError::LengthOverflow) => Err(ReadFailure::Fatal),
            Err(_) => Err(ReadFailure::Broken),
        }
    }

    async fn write_message(&mut self, message: &ServerMessage) -> bool {
        self.0.write_message(message).await.is_ok()
    }

    async fn close(self) {
        self.0.close().await;
    }
}

/// Serves one connection to the end.
pub(crate) async fn run<W: Wire>(shared: Arc<Shared>, io: W, peer: SocketAddr, admission: Admission) {
    let mut session = Session { control: shared.control(), shared, io, peer };
    if let Next::Serve(auth) = session.authenticate(admission).await {
        session.serve(auth).await;
    }
    session.io.close().await;
}

/// Answers a connection over every budget with an `error` and closes it.
pub(crate) async fn refuse<W: Wire>(mut io: W) {
    let message = ServerMessage::error(ErrorKind::TooManyConnections, None);
    if matches!(tokio::time::timeout(REFUSAL_TIMEOUT, io.write_message(&message)).await, Ok(true)) {
        io.close().await;
    }
}

struct Session<W> {
    shared: Arc<Shared>,
    io: W,
    control: watch::Receiver<u64>,
    peer: SocketAddr,
}

impl<W: Wire> Session<W> {
    /// Sends `message`; whether the connection is still usable. An application that stops
    /// reading is dropped once a write has waited [`WRITE_TIMEOUT`].
    async fn send(&mut self, message: &ServerMessage) -> bool {
        matches!(tokio::time::timeout(WRITE_TIMEOUT, self.io.write_message(message)).await, Ok(true))
    }

    async fn send_auth(&mut self, state: AuthState, token: Option<Token>) -> bool {
        self.send(&ServerMessage::Auth(AuthResponse { state, token })).await
    }

    async fn send_error(&mut self, error: ErrorKind, request: Option<&str>) -> bool {
        self.send(&ServerMessage::error(error, request)).await
    }

    async fn send_disconnect(&mut self, reason: DisconnectReason) {
        let _ = self.send(&ServerMessage::Disconnect(Disconnect { reason })).await;
    }

    /// Everything up to the `auth` response, within the auth timeout (approval excepted).
    async fn authenticate(&mut self, mut admission: Admission) -> Next {
        let evicted = admission.evicted.take();
        let config = &self.shared.config;
        let token_only = admission.token_only;
        let timeout = if token_only {
            config.overflow_auth_timeout.min(config.auth_timeout)
        } else {
            config.auth_timeout
        };
        let deadline = Instant::now() + timeout;
        let (mut control, shared) = (self.control.clone(), Arc::clone(&self.shared));
        let request = tokio::select! {
            biased;
            reason = wait_for_shutdown(&mut control, &shared) => {
                self.send_disconnect(reason).await;
                return Next::Close;
            }
            // A newer connection took this one's place in the overflow window. One whose
            // `auth` is already on its way (an application sends it as it connects) is still
            // read, for a short grace: under a flood of silent connections, evictions come
            // faster than its task is scheduled to read it.
            () = wait_evicted(evicted.as_deref()) => {
                let grace = deadline.min(Instant::now() + EVICTION_GRACE);
                match tokio::time::timeout_at(grace, self.read_auth_request(token_only)).await {
                    Ok(Some(request)) => request,
                    Ok(None) => return Next::Close,
                    Err(_) => {
                        self.send_error(ErrorKind::TooManyConnections, None).await;
                        return Next::Close;
                    }
                }
            }
            request = tokio::time::timeout_at(deadline, self.read_auth_request(token_only)) => match request {
                Ok(Some(request)) => request,
                Ok(None) => return Next::Close,
                Err(_) if token_only => {
                    self.send_error(ErrorKind::TooManyConnections, None).await;
                    return Next::Close;
                }
                Err(_) => return Next::Close,
            },
        };
        // Its request is read: no longer in the overflow window.
        drop(evicted);
        let next = self.authorize(request, token_only).await;
        // The connection leaves the unauthenticated budget, whatever the outcome.
        drop(admission);
        next
    }

    /// Reads until an `auth` request arrives; `None` when the connection must close.
    /// Over the budget (`token_only`), anything but `auth` is refused at once.
    async fn read_auth_request(&mut self, token_only: bool) -> Option<AuthRequest> {
        if !self.io.prelude().await {
            return None;
        }
        loop {
            let payload = match self.io.read_payload().await {
                Ok(Some(payload)) => payload,
                Err(ReadFailure::Fatal) => {
                    self.send_auth(AuthState::ProtocolError, None).await;
                    return None;
                }
                Ok(None) | Err(ReadFailure::Broken) => return None,
            };
            let parsed = ClientMessage::parse(&payload);
            // The frame may hold a token: leave no copy of it behind.
            crate::transport::wipe(payload);
            match parsed {
                Ok(ClientMessage::Auth(request)) => return Some(request),
                Ok(ClientMessage::Disconnect(_)) => return None,
                _ if token_only => {
                    self.send_error(ErrorKind::TooManyConnections, None).await;
                    return None;
                }
                Ok(other) => {
                    if !self.send_error(ErrorKind::NotAuthentified, Some(other.kind().wire_name())).await {
                        return None;
                    }
                }
                Err(ParseError::InvalidFields { kind: RequestKind::Auth, .. } | ParseError::Malformed(_)) => {
                    self.send_auth(AuthState::ProtocolError, None).await;
                    return None;
                }
                Err(err) => {
                    if !self.send_error(ErrorKind::NotAuthentified, err.message_type()).await {
                        return None;
                    }
                }
            }
        }
    }

    /// Decides an `auth` request, answers it, and registers the session on success.
    async fn authorize(&mut self, request: AuthRequest, token_only: bool) -> Next {
        let outcome = self.decide(&request, token_only).await;
        let (state, token, grant) = match outcome {
            Decision::Granted { state, token, grant } => (state, Some(token), Some(grant)),
            Decision::Refused(state) => (state, None, None),
            Decision::Busy => {
                self.send_error(ErrorKind::TooManyConnections, Some("auth")).await;
                return Next::Close;
            }
        };
        // Authenticated sessions have a budget of their own, which the unauthenticated
        // cannot take.
        let slot = match grant {
            Some(_) => match Arc::clone(&self.shared.sessions).try_acquire_owned() {
                Ok(slot) => Some(slot),
                Err(_) => {
                    self.send_error(ErrorKind::TooManyConnections, Some("auth")).await;
                    return Next::Close;
                }
            },
            None => None,
        };
        if !self.send_auth(state, token).await {
            return Next::Close;
        }
        let Some(grant) = grant else { return Next::Close };
        let application = request.application;
        let permissions = request.permissions;
        let peer = self.peer;
        let guard = self.shared.register(|id| SessionInfo {
            id,
            application: application.clone(),
            permissions,
            grant,
            peer,
        });
        Next::Serve(Authenticated { application, permissions, grant, _guard: guard, _slot: slot })
    }

    async fn decide(&mut self, request: &AuthRequest, token_only: bool) -> Decision {
        if !request.is_acceptable() {
            return Decision::Refused(AuthState::ProtocolError);
        }
        let username = self.shared.source.username();
        let mut escalating = None;
        {
            let mut registry = self.shared.registry();
            if registry.blacklist.contains(&request.application) {
                return Decision::Refused(AuthState::Blacklisted);
            }
            if request.scope == Scope::User && username.is_none() {
                return Decision::Refused(AuthState::InvalidState);
            }
            if let Some(token) = &request.token {
                let found =
                    registry.grants.find(token, &request.application, request.scope, username.as_deref());
                match found {
                    Some(grant) if grant.permissions.contains(request.permissions) => {
                        return Decision::Granted {
                            state: AuthState::Ok,
                            token: token.clone(),
                            grant: grant.id,
                        };
                    }
                    // Asking for more than the token covers needs the player again.
                    Some(grant) => escalating = Some(grant.id),
                    None => {}
                }
            }
            // Over the unauthenticated budget, only a valid token gets in.
            if token_only {
                return Decision::Busy;
            }
            let whitelisted = registry.whitelist.get(&request.application);
            if whitelisted.is_some_and(|allowed| allowed.contains(request.permissions)) {
                return issue(&mut registry, request, username.as_deref(), AuthState::Ok, None);
            }
        }
        let approval = self.ask_player(request, username.clone()).await;
        let mut registry = self.shared.registry();
        match approval {
            // The player may have blacklisted the name while the prompt was open.
            Approval::Approve if registry.blacklist.contains(&request.application) => {
                Decision::Refused(AuthState::Blacklisted)
            }
            Approval::Approve => {
                issue(&mut registry, request, username.as_deref(), AuthState::Whitelisted, escalating)
            }
            Approval::Deny => Decision::Refused(AuthState::Denied),
            Approval::Busy => Decision::Refused(AuthState::InvalidState),
            Approval::Blacklist => {
                registry.blacklist(&request.application);
                drop(registry);
                // Other sessions of the name must go too, as with the handle's blacklist.
                self.shared.wake_sessions();
                Decision::Refused(AuthState::Blacklisted)
            }
        }
    }

    /// Runs the approval callback within its timeout; silence, or a shutdown, is a denial.
    async fn ask_player(&mut self, request: &AuthRequest, username: Option<String>) -> Approval {
        let question = ApprovalRequest {
            application: request.application.clone(),
            description: request.description.clone(),
            permissions: request.permissions,
            scope: request.scope,
            username: match request.scope {
                Scope::User => username,
                Scope::Client => None,
            },
            peer: self.peer,
        };
        let answer = self.shared.approver.approve(question);
        tokio::select! {
            answer = tokio::time::timeout(self.shared.config.approval_timeout, answer) => {
                answer.unwrap_or(Approval::Deny)
            }
            _ = wait_for_shutdown(&mut self.control, &self.shared) => Approval::Deny,
        }
    }

    /// Serves requests and pushes until the application leaves or must go.
    async fn serve(&mut self, auth: Authenticated) {
        let config = &self.shared.config;
        let mut state = Served {
            pushing: BTreeSet::new(),
            notifications: RateLimiter::new(
                config.notification_burst,
                config.notification_interval,
                Instant::now(),
            ),
            pacer: Pacer::new(config.push_interval),
        };
        let mut changes = Some(self.shared.source.changes());
        loop {
            tokio::select! {
                biased;
                _ = self.control.changed() => {
                    let reason = self.shared.registry().disconnect_reason(&auth.application, auth.grant);
                    if let Some(reason) = reason {
                        self.send_disconnect(reason).await;
                        return;
                    }
                }
                // Before the changes, so a stream of them cannot hold up a deferred push.
                () = sleep_until_due(state.pacer.next_due()) => {
                    for event in state.pacer.take_due(Instant::now()) {
                        if state.pushing.contains(&event)
                            && !self.push_change(event, auth.permissions, &mut state.pacer).await
                        {
                            return;
                        }
                    }
                }
                change = next_change(&mut changes) => {
                    let events: Vec<EventKind> = match change {
                        Ok(event) => vec![event],
                        // Fell behind: whatever changed, the snapshots are current.
                        Err(broadcast::error::RecvError::Lagged(_)) => EventKind::ALL.to_vec(),
                        Err(broadcast::error::RecvError::Closed) => {
                            changes = None;
                            Vec::new()
                        }
                    };
                    let now = Instant::now();
                    for event in events {
                        if !state.pushing.contains(&event) {
                            continue;
                        }
                        // Within the interval of the last push of this kind, it waits: the
                        // state at the end of the interval is what goes out.
                        if state.pacer.may_push(event, now) {
                            if !self.push_change(event, auth.permissions, &mut state.pacer).await {
                                return;
                            }
                        } else {
                            state.pacer.defer(event);
                        }
                    }
                }
                frame = self.io.read_payload() => match frame {
                    Ok(Some(payload)) => {
                        if self.handle_request(&payload, &auth, &mut state).await == Flow::Close {
                            return;
                        }
                    }
                    Err(ReadFailure::Fatal) => {
                        self.send_error(ErrorKind::InvalidRequest, None).await;
                        return;
                    }
                    Ok(None) | Err(ReadFailure::Broken) => return,
                },
            }
        }
    }

    async fn handle_request(&mut self, payload: &[u8], auth: &Authenticated, state: &mut Served) -> Flow {
        let message = match ClientMessage::parse(payload) {
            Ok(message) => message,
            Err(ParseError::Malformed(_)) => return self.answer_error(ErrorKind::InvalidRequest, None).await,
            Err(ParseError::UnknownType(name)) => {
                return self.answer_error(ErrorKind::UnsupportedFeature, Some(&name)).await;
            }
            Err(ParseError::InvalidFields { kind, .. }) => {
                // Permission first: a session learns nothing about requests it may not make.
                let error = if auth.permissions.contains(kind.required_permission()) {
                    ErrorKind::InvalidRequest
                } else {
                    ErrorKind::PermissionError
                };
                return self.answer_error(error, Some(kind.wire_name())).await;
            }
        };
        let kind = message.kind();
        if !auth.permissions.contains(kind.required_permission()) {
            return self.answer_error(ErrorKind::PermissionError, Some(kind.wire_name())).await;
        }
        let sent = match message {
            ClientMessage::Auth(_) => {
                return self.answer_error(ErrorKind::InvalidRequest, Some("auth")).await;
            }
            ClientMessage::Disconnect(_) => return Flow::Close,
            ClientMessage::Status | ClientMessage::SpectatingStatus | ClientMessage::MultiplayerStatus => {
                let event = match kind {
                    RequestKind::SpectatingStatus => EventKind::SpectatingStatus,
                    RequestKind::MultiplayerStatus => EventKind::MultiplayerStatus,
                    _ => EventKind::Status,
                };
                // As the concept says, the answer "should also be sent when a change happens".
                state.pushing.insert(event);
                self.push(event, auth.permissions, &mut state.pacer).await
            }
            ClientMessage::Subscribe(EventList { events }) => {
                let added: Vec<EventKind> =
                    events.into_iter().filter(|event| state.pushing.insert(*event)).collect();
                let answer = EventList { events: state.pushing.iter().copied().collect() };
                let mut sent = self.send(&ServerMessage::Subscribe(answer)).await;
                // A new subscriber starts from the current state, then gets the changes.
                let mut added = added;
                added.sort_unstable();
                added.dedup();
                for event in added {
                    sent = sent && self.push(event, auth.permissions, &mut state.pacer).await;
                }
                sent
            }
            ClientMessage::Unsubscribe(EventList { events }) => {
                for event in &events {
                    state.pushing.remove(event);
                }
                let answer = EventList { events: state.pushing.iter().copied().collect() };
                self.send(&ServerMessage::Unsubscribe(answer)).await
            }
            ClientMessage::GetAttention => {
                if !self.shared.source.interact(&auth.application, Interaction::GetAttention) {
                    return self.answer_error(ErrorKind::UnsupportedFeature, Some("get_attention")).await;
                }
                true
            }
            ClientMessage::Notification(notification) => {
                let text = notification.message.trim();
                let chars = text.chars().count();
                if chars == 0 || chars > self.shared.config.max_notification_chars {
                    return self.answer_error(ErrorKind::InvalidRequest, Some("notification")).await;
                }
                if !state.notifications.try_acquire(Instant::now()) {
                    return self.answer_error(ErrorKind::RateLimited, Some("notification")).await;
                }
                self.shared.source.notify(&auth.application, text);
                true
            }
        };
        if sent { Flow::Continue } else { Flow::Close }
    }

    async fn answer_error(&mut self, error: ErrorKind, request: Option<&str>) -> Flow {
        if self.send_error(error, request).await { Flow::Continue } else { Flow::Close }
    }

    /// The current snapshot of `event`, as this session may see it.
    fn snapshot(&self, event: EventKind, permissions: Permissions) -> ServerMessage {
        let source = &self.shared.source;
        match event {
            EventKind::Status => ServerMessage::Status(source.status()),
            EventKind::SpectatingStatus => ServerMessage::SpectatingStatus(source.spectating_status()),
            EventKind::MultiplayerStatus => {
                let mut multiplayer = source.multiplayer_status();
                // The password lets a reader join the room: that is interact's business.
                if !permissions.contains(Permissions::INTERACT) {
                    multiplayer.room = multiplayer.room.map(|room| room.redacted());
                }
                ServerMessage::MultiplayerStatus(multiplayer)
            }
        }
    }

    /// Sends the current snapshot of `event` (an answer, or the start of a subscription).
    async fn push(&mut self, event: EventKind, permissions: Permissions, pacer: &mut Pacer) -> bool {
        let message = self.snapshot(event, permissions);
        let sent = self.send(&message).await;
        pacer.sent(event, message, Instant::now());
        sent
    }

    /// Pushes a change of `event`, unless this session already has that very state.
    async fn push_change(&mut self, event: EventKind, permissions: Permissions, pacer: &mut Pacer) -> bool {
        let message = self.snapshot(event, permissions);
        if pacer.already_sent(event, &message) {
            return true;
        }
        self.push(event, permissions, pacer).await
    }
}

/// Paces one session's pushes: at most one per kind per interval, the latest state winning,
/// and a change inside an interval is sent when the interval ends (never dropped).
struct Pacer {
    interval: Duration,
    /// Per kind (in [`EventKind::ALL`] order): when it was last sent, what was sent, and
    /// when a deferred change is due.
    last: [Option<Instant>; 3],
    sent: [Option<ServerMessage>; 3],
    due: [Option<Instant>; 3],
}

impl Pacer {
    fn new(interval: Duration) -> Self {
        Self { interval, last: [None; 3], sent: [None, None, None], due: [None; 3] }
    }

    fn index(event: EventKind) -> usize {
        match event {
            EventKind::Status => 0,
            EventKind::SpectatingStatus => 1,
            EventKind::MultiplayerStatus => 2,
        }
    }

    /// Whether a change of `event` may go out at `now`: nothing deferred, interval over.
    fn may_push(&self, event: EventKind, now: Instant) -> bool {
        let i = Self::index(event);
        self.due[i].is_none() && self.last[i].is_none_or(|last| now >= last + self.interval)
    }

    /// Defers a change of `event` to the end of its interval.
    fn defer(&mut self, event: EventKind) {
        let i = Self::index(event);
        if self.due[i].is_none() {
            let now = Instant::now();
            self.due[i] = Some(self.last[i].map_or(now, |last| last + self.interval));
        }
    }

    /// The earliest deferred change.
    fn next_due(&self) -> Option<Instant> {
        self.due.iter().flatten().min().copied()
    }

    /// The deferred changes due at `now`, no longer deferred.
    fn take_due(&mut self, now: Instant) -> Vec<EventKind> {
        EventKind::ALL
            .into_iter()
            .filter(|event| {
                let due = &mut self.due[Self::index(*event)];
                let ready = due.is_some_and(|at| at <= now);
                if ready {
                    *due = None;
                }
                ready
            })
            .collect()
    }

    /// Records that `message` (the state of `event`) was sent at `now`.
    fn sent(&mut self, event: EventKind, message: ServerMessage, now: Instant) {
        let i = Self::index(event);
        self.last[i] = Some(now);
        self.sent[i] = Some(message);
    }

    /// Whether `message` is what was last sent of `event`.
    fn already_sent(&self, event: EventKind, message: &ServerMessage) -> bool {
        self.sent[Self::index(event)].as_ref() == Some(message)
    }
}

/// Sleeps until `due`, or forever without one.
async fn sleep_until_due(due: Option<Instant>) {
    match due {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// What a served session keeps between requests.
struct Served {
    /// The kinds pushed on change: subscribed to, or asked for once.
    pushing: BTreeSet<EventKind>,
    notifications: RateLimiter,
    pacer: Pacer,
}

/// Whether to keep the connection after a request.
#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Close,
}

/// The outcome of an `auth` request.
enum Decision {
    Granted {
        state: AuthState,
        token: Token,
        grant: GrantId,
    },
    Refused(AuthState),
    /// Over the unauthenticated budget without a valid token: `too_many_connections`.
    Busy,
}

/// Issues a grant for `request`, replacing `replacing` (the token it escalates) if any.
fn issue(
    registry: &mut Registry,
    request: &AuthRequest,
    username: Option<&str>,
    state: AuthState,
    replacing: Option<GrantId>,
) -> Decision {
    match registry.issue(&request.application, request.scope, username, request.permissions, replacing) {
        Ok((grant, token)) => Decision::Granted { state, token, grant },
        // No randomness, no player, or the grant could not be stored: not now.
        Err(IssueError::Random(_) | IssueError::NoUser | IssueError::Store(_)) => {
            Decision::Refused(AuthState::InvalidState)
        }
    }
}

/// How long a connection pushed out of the overflow window still has to deliver the `auth`
/// it may have sent already, before it gets `too_many_connections`.
pub(crate) const EVICTION_GRACE: std::time::Duration = std::time::Duration::from_millis(100);

/// Waits for an eviction, or forever without a signal to wait on.
async fn wait_evicted(evicted: Option<&Notify>) {
    match evicted {
        Some(signal) => signal.notified().await,
        None => std::future::pending().await,
    }
}

/// Waits until the server shuts down, and says why.
async fn wait_for_shutdown(control: &mut watch::Receiver<u64>, shared: &Shared) -> DisconnectReason {
    loop {
        if let Some(reason) = shared.registry().shutdown {
            return reason;
        }
        if control.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// The next change announcement, or never once the source stopped announcing.
async fn next_change(
    changes: &mut Option<broadcast::Receiver<EventKind>>,
) -> Result<EventKind, broadcast::error::RecvError> {
    match changes {
        Some(receiver) => receiver.recv().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_http_methods_and_waits_on_their_prefixes() {
        assert_eq!(sniff(b"GET / HTTP/1.1\r\n"), Sniff::Http);
        assert_eq!(sniff(b"POST /x"), Sniff::Http);
        assert_eq!(sniff(b"PRI * HTTP/2.0"), Sniff::Http);
        assert_eq!(sniff(b""), Sniff::Undecided);
        assert_eq!(sniff(b"G"), Sniff::Undecided);
        assert_eq!(sniff(b"OPTI"), Sniff::Undecided);
        // A 71-byte frame starts with 'G' too, but its JSON does not continue with 'E'.
        assert_eq!(sniff(b"G{\"type\""), Sniff::Frames);
        assert_eq!(sniff(b"\x10{"), Sniff::Frames);
    }

    #[test]
    fn the_pacer_defers_within_the_interval_and_forgets_nothing() {
        use crate::state::{Status, UserStatus};
        let status = |mods| {
            ServerMessage::Status(Status { status: UserStatus::Idle, gamemode: 0, mods, beatmap: None })
        };
        let interval = Duration::from_millis(50);
        let mut pacer = Pacer::new(interval);
        let start = Instant::now();
        assert!(pacer.may_push(EventKind::Status, start), "nothing sent yet");
        pacer.sent(EventKind::Status, status(1), start);
        // Inside the interval: deferred to its end, once.
        assert!(!pacer.may_push(EventKind::Status, start + interval / 2));
        pacer.defer(EventKind::Status);
        pacer.defer(EventKind::Status);
        assert_eq!(pacer.next_due(), Some(start + interval));
        // Other kinds are paced apart.
        assert!(pacer.may_push(EventKind::MultiplayerStatus, start));
        assert!(pacer.take_due(start + interval / 2).is_empty());
        assert_eq!(pacer.take_due(start + interval), vec![EventKind::Status]);
        assert_eq!(pacer.next_due(), None);
        // What the session already has is not news.
        assert!(pacer.already_sent(EventKind::Status, &status(1)));
        assert!(!pacer.already_sent(EventKind::Status, &status(2)));
        assert!(pacer.may_push(EventKind::Status, start + interval));
    }
}
