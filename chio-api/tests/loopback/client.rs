//! The client library against a real server.

use std::sync::Arc;

use chio_api::auth::Scope;
use chio_api::client::{ApiClient, ClientError};
use chio_api::message::{AuthRequest, AuthState, DisconnectReason, ErrorKind, EventKind, ServerMessage};
use chio_api::permission::Permissions;
use chio_api::server::{ApiServer, Approval};
use chio_api::sim::{SIM_USERNAME, Simulation};
use chio_api::source::{SharedState, StateSource};
use chio_api::state::UserStatus;

use crate::common::*;

fn request(permissions: Permissions) -> AuthRequest {
    AuthRequest::new("client test", "exercises the client library", permissions, Scope::User)
}

#[tokio::test]
async fn authenticates_and_remembers_the_token() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut client = ApiClient::connect(server.addr).await.unwrap();
    assert!(client.token().is_none());
    assert_eq!(client.authenticate(request(Permissions::READ)).await.unwrap(), AuthState::Whitelisted);
    let token = client.token().cloned().expect("token remembered");
    assert!(token.is_well_formed());
    assert_eq!(client.status().await.unwrap().status, UserStatus::Idle);
    client.disconnect(DisconnectReason::Shutdown).await.unwrap();

    server.approvals.set(Answer::Now(Approval::Deny));
    let mut again = ApiClient::connect(server.addr).await.unwrap().with_token(token.clone());
    assert_eq!(again.authenticate(request(Permissions::READ)).await.unwrap(), AuthState::Ok);
    assert_eq!(again.token(), Some(&token));
    assert_eq!(server.approvals.asked().len(), 1);
}

#[tokio::test]
async fn refusals_and_errors_are_typed() {
    let server = start(Answer::Now(Approval::Deny)).await;
    let mut client = ApiClient::connect(server.addr).await.unwrap();
    assert!(matches!(
        client.authenticate(request(Permissions::READ)).await,
        Err(ClientError::Refused(AuthState::Denied))
    ));

    server.handle.whitelist("client test", Permissions::READ);
    let mut client = ApiClient::connect(server.addr).await.unwrap();
    client.authenticate(request(Permissions::READ)).await.unwrap();
    let refused = client.subscribe(&[EventKind::Status]).await;
    assert!(matches!(
        refused,
        Err(ClientError::Server { error: ErrorKind::PermissionError, ref request }) if request == "subscribe"
    ));
}

#[tokio::test]
async fn a_late_notification_error_does_not_confuse_the_next_request() {
    let server = start(Answer::Now(Approval::Deny)).await;
    server.handle.whitelist("client test", Permissions::READ);
    let mut client = ApiClient::connect(server.addr).await.unwrap();
    client.authenticate(request(Permissions::READ)).await.unwrap();
    client.notify("not allowed").await.unwrap();
    // The error for the notification arrives before the status answer; it is kept.
    let status = client.multiplayer_status().await.unwrap();
    assert!(!status.multiplayer_enabled);
    match client.next_message().await.unwrap() {
        Some(ServerMessage::Error(error)) => {
            assert_eq!(error.error, ErrorKind::PermissionError);
            assert_eq!(error.request.as_deref(), Some("notification"));
        }
        other => panic!("expected the kept error, got {other:?}"),
    }
}

#[tokio::test]
async fn subscribes_to_the_simulation_and_receives_its_changes() {
    let state = Arc::new(SharedState::new());
    let mut simulation = Simulation::new(Arc::clone(&state));
    let server = ApiServer::bind(config(), state.clone(), |_| async { Approval::Approve }).await.unwrap();
    let addr = server.local_addr();
    tokio::spawn(server.serve());

    let mut client = ApiClient::connect(addr).await.unwrap();
    client.authenticate(request(Permissions::READ | Permissions::SUBSCRIBE)).await.unwrap();
    assert_eq!(client.subscribe(&EventKind::ALL).await.unwrap(), EventKind::ALL);
    // The current state of each event first.
    for expected in ["status", "spectating_status", "multiplayer_status"] {
        let message = client.next_message().await.unwrap().unwrap();
        assert_eq!(message.wire_type(), expected);
    }
    // Then every change the simulation makes.
    let scene = simulation.step().clone();
    match client.next_message().await.unwrap().unwrap() {
        ServerMessage::Status(status) => assert_eq!(status, scene.status),
        other => panic!("expected a status push, got {other:?}"),
    }
    assert_eq!(
        client.unsubscribe(&[EventKind::Status]).await.unwrap(),
        [EventKind::SpectatingStatus, EventKind::MultiplayerStatus]
    );
    let spectating = client.spectating_status().await.unwrap();
    assert_eq!(spectating, scene.spectating);
    assert_eq!(state.username().as_deref(), Some(SIM_USERNAME));
}

#[tokio::test]
async fn a_server_shutdown_reaches_a_waiting_client() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut client = ApiClient::connect(server.addr).await.unwrap();
    client.authenticate(request(Permissions::SUBSCRIBE)).await.unwrap();
    server.handle.shutdown(DisconnectReason::Restart);
    let message = client.next_message().await.unwrap();
    assert!(matches!(message, Some(ServerMessage::Disconnect(d)) if d.reason == DisconnectReason::Restart));
    assert!(client.next_message().await.unwrap().is_none());
    // A request on a server that is going away fails with a typed error, not a hang.
    assert!(client.status().await.is_err());
}

#[tokio::test]
async fn a_polling_client_keeps_only_the_latest_push_of_each_kind() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut client = ApiClient::connect(server.addr).await.unwrap();
    client.authenticate(request(Permissions::READ)).await.unwrap();
    // Asking once makes the server push status changes from then on.
    assert_eq!(client.status().await.unwrap().mods, 0);
    for mods in 1..=5 {
        let mut status = server.state.status();
        status.mods = mods;
        server.state.set_status(status);
        tokio::time::sleep(std::time::Duration::from_millis(70)).await;
    }
    // Reading an answer keeps the pushes read on the way, one per kind.
    client.multiplayer_status().await.unwrap();
    match client.next_message().await.unwrap() {
        Some(ServerMessage::Status(status)) => assert_eq!(status.mods, 5),
        other => panic!("expected the latest status, got {other:?}"),
    }
    let more = tokio::time::timeout(QUIET, client.next_message()).await;
    assert!(more.is_err(), "older pushes were kept: {more:?}");
}
