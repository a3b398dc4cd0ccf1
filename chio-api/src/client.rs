//! The application's side: connect, authenticate (remembering the token), make requests,
//! subscribe, and receive pushes.
//!
//! Answers and pushes share one stream. A method that waits for an answer keeps every
//! other message it reads (pushes, errors of earlier notifications) for
//! [`next_message`](ApiClient::next_message), in order; of the pushed states, only the
//! latest of each kind is kept. The server pushes a state kind to a session once it asked
//! for it (or subscribed); [`unsubscribe`](ApiClient::unsubscribe) stops that. An `error` is matched to its request
//! by the `request` field the server adds.

use std::collections::VecDeque;

use tokio::net::{TcpStream, ToSocketAddrs};

use crate::auth::Token;
use crate::frame::{DEFAULT_MAX_FRAME_LEN, FrameCodec};
use crate::message::{
    AuthRequest, AuthState, ClientMessage, Disconnect, DisconnectReason, ErrorKind, ErrorMessage, EventKind,
    EventList, Notification, ServerMessage,
};
use crate::state::{MultiplayerStatus, SpectatingStatus, Status};
use crate::transport::{FramedStream, TransportError};

/// An error of the client.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The connection could not be made.
    #[error("connecting: {0}")]
    Connect(std::io::Error),
    /// Reading or writing failed.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The server sent a frame that is not a message this client knows.
    #[error("undecodable message from the server: {0}")]
    Decode(serde_json::Error),
    /// Authentication did not succeed.
    #[error("authentication refused: {0:?}")]
    Refused(AuthState),
    /// The server answered a request with an error.
    #[error("the server answered {request:?} with {error:?}")]
    Server {
        /// The error.
        error: ErrorKind,
        /// The request it answers.
        request: String,
    },
    /// The server sent `disconnect`.
    #[error("the server disconnected: {0:?}")]
    Disconnected(DisconnectReason),
    /// The connection ended without a `disconnect`.
    #[error("the server closed the connection")]
    Closed,
}

/// A connection to an API server.
#[derive(Debug)]
pub struct ApiClient {
    io: FramedStream<TcpStream>,
    token: Option<Token>,
    kept: VecDeque<ServerMessage>,
}

impl ApiClient {
    /// Connects to `addr` (frames up to the default 64 KiB).
    pub async fn connect(addr: impl ToSocketAddrs) -> Result<Self, ClientError> {
        let stream = TcpStream::connect(addr).await.map_err(ClientError::Connect)?;
        let _ = stream.set_nodelay(true);
        Ok(Self::from_stream(stream))
    }

    /// A client over an established connection.
    pub fn from_stream(stream: TcpStream) -> Self {
        Self {
            io: FramedStream::new(stream, FrameCodec::new(DEFAULT_MAX_FRAME_LEN)),
            token: None,
            kept: VecDeque::new(),
        }
    }

    /// Uses `token` (from an earlier approval) when authenticating.
    #[must_use]
    pub fn with_token(mut self, token: Token) -> Self {
        self.token = Some(token);
        self
    }

    /// The token to present next time: the one given, or the one the server issued.
    pub fn token(&self) -> Option<&Token> {
        self.token.as_ref()
    }

    /// Authenticates with `request`, filling in the remembered token if it has none, and
    /// remembers the token the server returns. On success, the state (`whitelisted` or `ok`).
    pub async fn authenticate(&mut self, mut request: AuthRequest) -> Result<AuthState, ClientError> {
        if request.token.is_none() {
            request.token.clone_from(&self.token);
        }
        self.send(&ClientMessage::Auth(request)).await?;
        let answer = self
            .answer("auth", |message| match message {
                ServerMessage::Auth(response) => Ok(response),
                other => Err(Box::new(other)),
            })
            .await?;
        if !answer.state.is_success() {
            return Err(ClientError::Refused(answer.state));
        }
        if let Some(token) = answer.token {
            self.token = Some(token);
        }
        Ok(answer.state)
    }

    /// Asks for the player's status.
    pub async fn status(&mut self) -> Result<Status, ClientError> {
        self.send(&ClientMessage::Status).await?;
        self.answer("status", |message| match message {
            ServerMessage::Status(status) => Ok(status),
            other => Err(Box::new(other)),
        })
        .await
    }

    /// Asks what the player is spectating.
    pub async fn spectating_status(&mut self) -> Result<SpectatingStatus, ClientError> {
        self.send(&ClientMessage::SpectatingStatus).await?;
        self.answer("spectating_status", |message| match message {
            ServerMessage::SpectatingStatus(status) => Ok(status),
            other => Err(Box::new(other)),
        })
        .await
    }

    /// Asks for the player's multiplayer room.
    pub async fn multiplayer_status(&mut self) -> Result<MultiplayerStatus, ClientError> {
        self.send(&ClientMessage::MultiplayerStatus).await?;
        self.answer("multiplayer_status", |message| match message {
            ServerMessage::MultiplayerStatus(status) => Ok(status),
            other => Err(Box::new(other)),
        })
        .await
    }

    /// Subscribes to `events`; every event now subscribed. The current state of each new
    /// event follows as a push.
    pub async fn subscribe(&mut self, events: &[EventKind]) -> Result<Vec<EventKind>, ClientError> {
        self.send(&ClientMessage::Subscribe(EventList { events: events.to_vec() })).await?;
        self.answer("subscribe", |message| match message {
            ServerMessage::Subscribe(list) => Ok(list.events),
            other => Err(Box::new(other)),
        })
        .await
    }

    /// Unsubscribes from `events`; every event still subscribed.
    pub async fn unsubscribe(&mut self, events: &[EventKind]) -> Result<Vec<EventKind>, ClientError> {
        self.send(&ClientMessage::Unsubscribe(EventList { events: events.to_vec() })).await?;
        self.answer("unsubscribe", |message| match message {
            ServerMessage::Unsubscribe(list) => Ok(list.events),
            other => Err(Box::new(other)),
        })
        .await
    }

    /// Asks the game to show `message`. A success has no answer; a refusal arrives later as
    /// an `error` from [`next_message`](Self::next_message).
    pub async fn notify(&mut self, message: &str) -> Result<(), ClientError> {
        self.send(&ClientMessage::Notification(Notification { message: message.to_owned() })).await
    }

    /// Sends any message.
    pub async fn send(&mut self, message: &ClientMessage) -> Result<(), ClientError> {
        Ok(self.io.write_message(message).await?)
    }

    /// The next message: kept ones first, then the wire. `None` when the server closed
    /// the connection cleanly.
    pub async fn next_message(&mut self) -> Result<Option<ServerMessage>, ClientError> {
        if let Some(message) = self.kept.pop_front() {
            return Ok(Some(message));
        }
        self.read().await
    }

    /// Says goodbye with `reason` and closes the connection.
    pub async fn disconnect(mut self, reason: DisconnectReason) -> Result<(), ClientError> {
        self.send(&ClientMessage::Disconnect(Disconnect { reason })).await?;
        self.io.close().await;
        Ok(())
    }

    async fn read(&mut self) -> Result<Option<ServerMessage>, ClientError> {
        let Some(payload) = self.io.read_frame().await.map_err(TransportError::from)? else {
            return Ok(None);
        };
        let message = serde_json::from_slice(&payload).map(Some).map_err(ClientError::Decode);
        // An `auth` answer holds the token: leave no copy of it in the read buffer.
        crate::transport::wipe(payload);
        message
    }

    /// Reads until the answer to `request` arrives, keeping every other message.
    async fn answer<T>(
        &mut self,
        request: &str,
        mut pick: impl FnMut(ServerMessage) -> Result<T, Box<ServerMessage>>,
    ) -> Result<T, ClientError> {
        loop {
            let message = self.read().await?.ok_or(ClientError::Closed)?;
            let message = match pick(message) {
                Ok(answer) => return Ok(answer),
                Err(message) => *message,
            };
            match message {
                ServerMessage::Error(ErrorMessage { error, request: Some(answered) })
                    if answered == request =>
                {
                    return Err(ClientError::Server { error, request: answered });
                }
                // An error naming no request (a malformed frame) can only be ours.
                ServerMessage::Error(ErrorMessage { error, request: None }) => {
                    return Err(ClientError::Server { error, request: request.to_owned() });
                }
                ServerMessage::Disconnect(Disconnect { reason }) => {
                    return Err(ClientError::Disconnected(reason));
                }
                other => self.keep(other),
            }
        }
    }

    /// Keeps `message` for [`next_message`](Self::next_message). The server pushes a state
    /// kind after it was asked for once, so a client that only polls would keep pushes
    /// without end: a kept state message replaces an older kept one of its kind.
    fn keep(&mut self, message: ServerMessage) {
        let kind = message.wire_type();
        if matches!(
            message,
            ServerMessage::Status(_)
                | ServerMessage::SpectatingStatus(_)
                | ServerMessage::MultiplayerStatus(_)
        ) {
            self.kept.retain(|kept| kept.wire_type() != kind);
        }
        self.kept.push_back(message);
    }
}
