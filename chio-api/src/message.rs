//! The typed messages: what an application sends ([`ClientMessage`]) and what the game
//! sends back ([`ServerMessage`]), each a JSON object tagged by its `type`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::{Scope, Token, UnknownName};
use crate::permission::{Permissions, RequestKind};
use crate::state::{MultiplayerStatus, SpectatingStatus, Status};

/// A message from an application to the game.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Authenticate; only valid as the first message.
    Auth(AuthRequest),
    /// Ask for the player's status (needs `read`).
    Status,
    /// Ask what the player is spectating (needs `read`).
    SpectatingStatus,
    /// Ask for the player's multiplayer room (needs `read`).
    MultiplayerStatus,
    /// Start receiving changes of some events (needs `subscribe`).
    Subscribe(EventList),
    /// Stop receiving changes of some events (needs `subscribe`).
    Unsubscribe(EventList),
    /// Pop up a notification in the game (needs `notify`); no answer when it succeeds.
    Notification(Notification),
    /// Draw the player's attention to the game (its window flashes; needs `interact`); no
    /// answer when it succeeds, `unsupported_feature` when the game cannot do it now.
    GetAttention,
    /// Close the connection.
    Disconnect(Disconnect),
}

/// A message from the game to an application.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The outcome of authentication.
    Auth(AuthResponse),
    /// A request failed.
    Error(ErrorMessage),
    /// The game is closing the connection.
    Disconnect(Disconnect),
    /// The player's status: an answer, or a change pushed to subscribers.
    Status(Status),
    /// What the player is spectating: an answer, or a change pushed to subscribers.
    SpectatingStatus(SpectatingStatus),
    /// The player's multiplayer room: an answer, or a change pushed to subscribers.
    MultiplayerStatus(MultiplayerStatus),
    /// The events subscribed to after a `subscribe`.
    Subscribe(EventList),
    /// The events subscribed to after an `unsubscribe`.
    Unsubscribe(EventList),
}

/// The `auth` request: who the application is, what it wants, and an earlier token if any.
///
/// Field limits, counted in Unicode scalar values (`char`s): `application` 1 to
/// [`MAX_APPLICATION_CHARS`] (64), `description` at most [`MAX_DESCRIPTION_CHARS`] (512).
/// A request over either limit is refused with auth state `protocol_error` and the
/// connection closes (see [`AuthRequest::is_acceptable`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuthRequest {
    /// The application's name, shown to the player (1 to 64 characters).
    pub application: String,
    /// What it does, shown to the player (at most 512 characters).
    #[serde(default)]
    pub description: String,
    /// The permissions it asks for.
    pub permissions: Permissions,
    /// Whom the grant is for.
    pub scope: Scope,
    /// A token from an earlier approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Token>,
}

/// Longest application name, in characters.
pub const MAX_APPLICATION_CHARS: usize = 64;
/// Longest application description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 512;
/// Longest notification text, in characters, after trimming surrounding white space: the
/// default of [`ServerConfig::max_notification_chars`](crate::server::ServerConfig::max_notification_chars).
pub const MAX_NOTIFICATION_CHARS: usize = 500;

impl AuthRequest {
    /// A request without a token.
    pub fn new(application: &str, description: &str, permissions: Permissions, scope: Scope) -> Self {
        Self {
            application: application.to_owned(),
            description: description.to_owned(),
            permissions,
            scope,
            token: None,
        }
    }

    /// Whether the server can show this to the player: a name of 1 to
    /// [`MAX_APPLICATION_CHARS`] characters without control characters or surrounding
    /// spaces, a description of at most [`MAX_DESCRIPTION_CHARS`] without control characters
    /// other than line breaks (no terminal escapes in a prompt), and some permission.
    pub fn is_acceptable(&self) -> bool {
        let name = &self.application;
        (1..=MAX_APPLICATION_CHARS).contains(&name.chars().count())
            && name.trim() == name
            && !name.chars().any(char::is_control)
            && self.description.chars().count() <= MAX_DESCRIPTION_CHARS
            && !self.description.chars().any(|c| c.is_control() && c != '\n')
            && !self.permissions.is_empty()
    }
}

/// The outcome of authentication.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthState {
    /// The player approved the application just now; a new token comes with it.
    Whitelisted,
    /// No approval was needed: a valid token, or the application's name was whitelisted.
    Ok,
    /// The player refused, or did not answer in time.
    Denied,
    /// The application cannot be approved now (the player is busy, or not logged in for `user` scope).
    InvalidState,
    /// The application is blacklisted.
    Blacklisted,
    /// The application sent something that is not a valid `auth` request.
    ProtocolError,
}

impl AuthState {
    /// Whether the application is now authenticated.
    pub const fn is_success(&self) -> bool {
        matches!(self, Self::Whitelisted | Self::Ok)
    }
}

/// The `auth` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuthResponse {
    /// The outcome.
    pub state: AuthState,
    /// The token to present next time; present on success only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Token>,
}

/// Why a request failed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The application has not authenticated yet.
    NotAuthentified,
    /// The request is malformed.
    InvalidRequest,
    /// The session lacks the permission the request needs.
    PermissionError,
    /// The request's `type` is not one this server implements.
    UnsupportedFeature,
    /// Too many notifications too quickly (an extension of the concept).
    RateLimited,
    /// The server is at its connection limit and closes this connection (an extension of
    /// the concept): every unauthenticated slot is taken and no valid token was presented
    /// in time, or every authenticated slot is taken.
    TooManyConnections,
}

/// The `error` message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorMessage {
    /// Why.
    pub error: ErrorKind,
    /// The `type` of the request this answers, when it had one (an extension of the concept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
}

/// Why a connection is being closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisconnectReason {
    /// The game (or the application) is closing.
    Shutdown,
    /// The game is restarting, for an update.
    Restart,
    /// The player blacklisted the application.
    Blacklisted,
    /// The player revoked the application's grant (an extension of the concept).
    Revoked,
}

/// The `disconnect` message, in either direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disconnect {
    /// Why.
    pub reason: DisconnectReason,
}

/// An event that can be subscribed to: the `type` of the read response it pushes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Changes of the player's status.
    Status,
    /// Changes of what the player is spectating.
    SpectatingStatus,
    /// Changes of the player's multiplayer room.
    MultiplayerStatus,
}

impl EventKind {
    /// Every event, in the order subscription lists use.
    pub const ALL: [Self; 3] = [Self::Status, Self::SpectatingStatus, Self::MultiplayerStatus];

    /// The event's wire name.
    pub const fn wire_name(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::SpectatingStatus => "spectating_status",
            Self::MultiplayerStatus => "multiplayer_status",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

impl FromStr for EventKind {
    type Err = UnknownName;

    fn from_str(name: &str) -> Result<Self, UnknownName> {
        Self::ALL.into_iter().find(|event| event.wire_name() == name).ok_or_else(|| UnknownName {
            what: "event",
            name: name.to_owned(),
            expected: "status, spectating_status, multiplayer_status",
        })
    }
}

/// The body of `subscribe` and `unsubscribe`, both the request and the answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventList {
    /// In a request, the events to add or remove; in an answer, every event now subscribed.
    pub events: Vec<EventKind>,
}

/// The `notification` request.
///
/// `message` is trimmed; it must then hold 1 to [`MAX_NOTIFICATION_CHARS`] (500) characters
/// (the server's [`max_notification_chars`](crate::server::ServerConfig::max_notification_chars)),
/// or the answer is `{"type":"error","error":"invalid_request","request":"notification"}`
/// and nothing is shown; the session goes on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// The text to show.
    pub message: String,
}

/// Why a frame is not a valid [`ClientMessage`].
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Not UTF-8 JSON, not an object, or no string `type`.
    #[error("not a JSON object with a string \"type\": {0}")]
    Malformed(String),
    /// A `type` this server does not know.
    #[error("unknown message type {0:?}")]
    UnknownType(String),
    /// A known `type` whose other fields are wrong.
    #[error("invalid {kind:?} message: {source}")]
    InvalidFields {
        /// The message's type.
        kind: RequestKind,
        /// What serde found wrong.
        source: serde_json::Error,
    },
}

impl ParseError {
    /// The `type` the frame named, if it named one.
    pub fn message_type(&self) -> Option<&str> {
        match self {
            Self::Malformed(_) => None,
            Self::UnknownType(name) => Some(name),
            Self::InvalidFields { kind, .. } => Some(kind.wire_name()),
        }
    }
}

impl ClientMessage {
    /// Parses one frame's payload, telling apart malformed JSON, unknown types and bad fields.
    ///
    /// The JSON must be strict (RFC 8259: no comments, no trailing commas); fields the
    /// message does not define are ignored.
    pub fn parse(payload: &[u8]) -> Result<Self, ParseError> {
        let value: Value =
            serde_json::from_slice(payload).map_err(|err| ParseError::Malformed(err.to_string()))?;
        let kind = match value.get("type") {
            Some(Value::String(name)) => {
                RequestKind::from_wire_name(name).ok_or_else(|| ParseError::UnknownType(name.clone()))?
            }
            _ => return Err(ParseError::Malformed("no string \"type\" field".into())),
        };
        serde_json::from_value(value).map_err(|source| ParseError::InvalidFields { kind, source })
    }

    /// The request kind of this message.
    pub const fn kind(&self) -> RequestKind {
        match self {
            Self::Auth(_) => RequestKind::Auth,
            Self::Status => RequestKind::Status,
            Self::SpectatingStatus => RequestKind::SpectatingStatus,
            Self::MultiplayerStatus => RequestKind::MultiplayerStatus,
            Self::Subscribe(_) => RequestKind::Subscribe,
            Self::Unsubscribe(_) => RequestKind::Unsubscribe,
            Self::Notification(_) => RequestKind::Notification,
            Self::GetAttention => RequestKind::GetAttention,
            Self::Disconnect(_) => RequestKind::Disconnect,
        }
    }
}

impl ServerMessage {
    /// An `error` answering a request of type `request`.
    pub fn error(error: ErrorKind, request: Option<&str>) -> Self {
        Self::Error(ErrorMessage { error, request: request.map(str::to_owned) })
    }

    /// The `type` this message has on the wire.
    pub const fn wire_type(&self) -> &'static str {
        match self {
            Self::Auth(_) => "auth",
            Self::Error(_) => "error",
            Self::Disconnect(_) => "disconnect",
            Self::Status(_) => "status",
            Self::SpectatingStatus(_) => "spectating_status",
            Self::MultiplayerStatus(_) => "multiplayer_status",
            Self::Subscribe(_) => "subscribe",
            Self::Unsubscribe(_) => "unsubscribe",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn auth_request_reads_the_concept_shape() {
        let payload = br#"{"type":"auth","application":"overlay","description":"shows pp",
            "permissions":"read|notify|interact","scope":"user","token":null}"#;
        let ClientMessage::Auth(auth) = ClientMessage::parse(payload).unwrap() else { panic!() };
        assert_eq!(auth.application, "overlay");
        assert_eq!(auth.permissions.to_string(), "read|notify|interact");
        assert_eq!(auth.scope, Scope::User);
        assert!(auth.token.is_none());
    }

    #[test]
    fn unit_requests_ignore_extra_fields() {
        assert_eq!(ClientMessage::parse(br#"{"type":"status","x":1}"#).unwrap(), ClientMessage::Status);
    }

    #[test]
    fn parse_errors_are_told_apart() {
        assert!(matches!(ClientMessage::parse(b"{\"type\":"), Err(ParseError::Malformed(_))));
        assert!(matches!(ClientMessage::parse(b"[1]"), Err(ParseError::Malformed(_))));
        assert!(matches!(ClientMessage::parse(br#"{"type":7}"#), Err(ParseError::Malformed(_))));
        assert!(matches!(ClientMessage::parse(b"\xff\xfe"), Err(ParseError::Malformed(_))));
        let unknown = ClientMessage::parse(br#"{"type":"join_room"}"#).unwrap_err();
        assert_eq!(unknown.message_type(), Some("join_room"));
        let bad = ClientMessage::parse(br#"{"type":"subscribe","events":["chat"]}"#).unwrap_err();
        assert!(matches!(bad, ParseError::InvalidFields { kind: RequestKind::Subscribe, .. }));
    }

    #[test]
    fn the_concepts_commented_examples_are_not_json() {
        // The concept writes its examples with comments and a missing comma; the wire is strict.
        let commented = b"{\n  \"type\": \"status\" // or \"idle\"\n}";
        assert!(matches!(ClientMessage::parse(commented), Err(ParseError::Malformed(_))));
        let trailing = br#"{"type":"status",}"#;
        assert!(matches!(ClientMessage::parse(trailing), Err(ParseError::Malformed(_))));
    }

    #[test]
    fn server_messages_have_the_concept_shape() {
        let error = ServerMessage::error(ErrorKind::PermissionError, Some("status"));
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            json!({"type": "error", "error": "permission_error", "request": "status"})
        );
        let disconnect = ServerMessage::Disconnect(Disconnect { reason: DisconnectReason::Shutdown });
        assert_eq!(
            serde_json::to_value(&disconnect).unwrap(),
            json!({"type": "disconnect", "reason": "shutdown"})
        );
        let subscribed = ServerMessage::Subscribe(EventList { events: vec![EventKind::SpectatingStatus] });
        assert_eq!(
            serde_json::to_value(&subscribed).unwrap(),
            json!({"type": "subscribe", "events": ["spectating_status"]})
        );
        let denied = ServerMessage::Auth(AuthResponse { state: AuthState::Denied, token: None });
        assert_eq!(serde_json::to_value(&denied).unwrap(), json!({"type": "auth", "state": "denied"}));
        assert_eq!(denied.wire_type(), "auth");
    }

    #[test]
    fn names_parse_as_on_the_wire() {
        for event in EventKind::ALL {
            assert_eq!(event.to_string().parse::<EventKind>(), Ok(event));
            assert_eq!(serde_json::to_value(event).unwrap(), json!(event.wire_name()));
        }
        assert!("chat".parse::<EventKind>().is_err());
        assert_eq!("user".parse::<Scope>(), Ok(Scope::User));
        assert_eq!(Scope::Client.to_string(), "client");
        assert!("global".parse::<Scope>().is_err());
    }

    #[test]
    fn auth_names_are_checked() {
        let request =
            |application: &str, permissions| AuthRequest::new(application, "", permissions, Scope::Client);
        assert!(request("overlay", Permissions::READ).is_acceptable());
        assert!(!request("", Permissions::READ).is_acceptable());
        assert!(!request(" overlay", Permissions::READ).is_acceptable());
        assert!(!request("a\nb", Permissions::READ).is_acceptable());
        assert!(!request(&"x".repeat(65), Permissions::READ).is_acceptable());
        assert!(request(&"é".repeat(64), Permissions::READ).is_acceptable());
        let described =
            |description: &str| AuthRequest::new("overlay", description, Permissions::READ, Scope::User);
        assert!(described("two\nlines").is_acceptable());
        assert!(!described("\u{1b}[2Jcleared").is_acceptable());
        assert!(!described(&"d".repeat(513)).is_acceptable());
    }
}
