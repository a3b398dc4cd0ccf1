//! Asking the player: what an application asks for ([`ApprovalRequest`]), the answer
//! ([`Approval`]) and the host's callback that gives it ([`Approver`]).

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;

use crate::auth::Scope;
use crate::permission::Permissions;

/// What the player is asked to approve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalRequest {
    /// The application's self-declared name.
    pub application: String,
    /// Its self-declared description.
    pub description: String,
    /// The permissions it asks for.
    pub permissions: Permissions,
    /// The scope it asks for.
    pub scope: Scope,
    /// The player the grant would be bound to (scope `user`).
    pub username: Option<String>,
    /// Where it connects from.
    pub peer: SocketAddr,
}

/// The player's answer to an [`ApprovalRequest`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approval {
    /// Allow it: the application gets a token (`whitelisted`).
    Approve,
    /// Refuse it this time (`denied`).
    Deny,
    /// The player cannot answer now, for example while playing (`invalid_state`).
    Busy,
    /// Refuse it for good: the name is blacklisted (`blacklisted`).
    Blacklist,
}

/// The host's approval callback: asks the player, and answers asynchronously.
///
/// Any `Fn(ApprovalRequest) -> impl Future<Output = Approval>` closure is one. The server
/// stops waiting after [`ServerConfig::approval_timeout`](crate::server::ServerConfig::approval_timeout) and drops the future.
pub trait Approver: Send + Sync + 'static {
    /// Asks the player about `request`.
    fn approve(&self, request: ApprovalRequest) -> Pin<Box<dyn Future<Output = Approval> + Send + 'static>>;
}

impl<F, Fut> Approver for F
where
    F: Fn(ApprovalRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Approval> + Send + 'static,
{
    fn approve(&self, request: ApprovalRequest) -> Pin<Box<dyn Future<Output = Approval> + Send + 'static>> {
        Box::pin(self(request))
    }
}
