//! `chio api`: the osu! client API served from a simulated game, and a client that watches it.
//!
//! The protocol, the server and the simulation live in `chio-api`; this module parses the
//! flags, wires them together and prints.

use std::collections::BTreeMap;
use std::future::Future;
use std::io::{self, BufRead, Write};
use std::net::SocketAddr;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use chio_api::auth::Scope;
use chio_api::auth::Token;
use chio_api::client::{ApiClient, ClientError};
use chio_api::message::{AuthRequest, AuthState, DisconnectReason, EventKind, ServerMessage};
use chio_api::permission::Permissions;
use chio_api::server::{
    ApiServer, Approval, ApprovalRequest, Approver, ServerConfig, SessionId, SessionInfo,
};
use chio_api::sim::Simulation;
use chio_api::source::SharedState;
use chio_api::store::{MemoryStore, SqliteStore, Store};
use clap::ValueEnum;
use tokio::sync::{Mutex, mpsc};

/// The subcommands of `chio api`.
#[derive(clap::Subcommand, Clone, Debug)]
pub(crate) enum ApiCommand {
    /// Serve the osu! client API from a simulated game, to build applications without it.
    ///
    /// The simulation loops through scenes: menus, a map chosen and played, another player
    /// spectated, a multiplayer room that fills up and plays. Applications authenticate,
    /// are approved as --approve says, and read, subscribe to and notify it as they would
    /// the game.
    Serve(ServeArgs),
    /// Watch an API server: authenticate, subscribe, and print every update as a JSON line.
    Watch(WatchArgs),
}

/// How `chio api serve` answers applications that ask for approval.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApproveMode {
    /// Approve every application.
    Always,
    /// Refuse every application.
    Never,
    /// Ask on the terminal: y(es), n(o) or b(lacklist).
    Prompt,
}

/// Arguments of `chio api serve`.
#[derive(clap::Args, Clone, Debug)]
#[command(after_help = "\
Examples:
  chio api serve
  chio api serve --approve always --step-ms 500
  chio api serve --listen 127.0.0.1:0 --approve never
  chio api serve --grants ~/.config/chio/api-grants.sqlite3
  chio api serve --ws 127.0.0.1:13382 --ws-origin http://localhost:3000

Logs (the address, scenes, sessions, notifications, prompts) go to standard error.
Ctrl-C disconnects every application with reason \"shutdown\" and exits.")]
pub(crate) struct ServeArgs {
    /// Address to listen on; loopback only unless --allow-remote. Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:13381")]
    listen: SocketAddr,
    /// How to answer approval requests.
    #[arg(long, value_enum, default_value_t = ApproveMode::Prompt)]
    approve: ApproveMode,
    /// Seconds to wait for an approval before denying it.
    #[arg(long, default_value_t = 60)]
    approval_timeout: u64,
    /// Milliseconds between simulated scenes.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(10..))]
    step_ms: u64,
    /// Accept a non-loopback --listen address (the API has no encryption: trusted networks only).
    #[arg(long)]
    allow_remote: bool,
    /// Keep approvals, whitelist and blacklist in this SQLite file (created if missing;
    /// tokens only as their SHA-512 hashes), so approved applications reconnect with their
    /// tokens after a restart. Without it they are kept in memory and forgotten on exit.
    #[arg(long, value_name = "PATH")]
    grants: Option<std::path::PathBuf>,
    /// Also serve the API over WebSocket here, for browser overlays (one JSON message per
    /// text message, same authentication); loopback only unless --allow-remote. Port 0
    /// picks a free port.
    #[arg(long, value_name = "ADDR")]
    ws: Option<SocketAddr>,
    /// An origin (`scheme://host[:port]`) whose pages may open the WebSocket endpoint;
    /// repeat for more. Other origins get HTTP 403; clients sending no Origin are allowed.
    #[arg(long = "ws-origin", value_name = "ORIGIN", requires = "ws")]
    ws_origins: Vec<String>,
}

/// Arguments of `chio api watch`.
#[derive(clap::Args, Clone, Debug)]
#[command(after_help = "\
Examples:
  chio api watch
  chio api watch --events status,multiplayer_status --count 10
  chio api watch --permissions full --scope user --token 5e0c...e1 | jq .type

Prints one JSON line per message the server pushes: the current state of each event
first, then every change. The token is printed on standard error after authentication;
pass it with --token to skip the approval next time.")]
pub(crate) struct WatchArgs {
    /// Address of the API server.
    #[arg(long, default_value = "127.0.0.1:13381")]
    connect: String,
    /// Permissions to ask for: `|`-separated read, subscribe, notify, interact, or full.
    /// Watching needs subscribe.
    #[arg(long, default_value = "read|subscribe")]
    permissions: Permissions,
    /// Whom the grant is for: user (the logged-in player) or client (this installation).
    #[arg(long, default_value = "client")]
    scope: Scope,
    /// The application name shown to the player.
    #[arg(long, default_value = "chio api watch")]
    application: String,
    /// The description shown to the player.
    #[arg(long, default_value = "Prints the game's state changes as JSON lines")]
    description: String,
    /// A token from an earlier approval, to skip the prompt.
    #[arg(long)]
    token: Option<String>,
    /// Events to subscribe to, comma-separated: status, spectating_status,
    /// multiplayer_status. All three if absent.
    #[arg(long, value_delimiter = ',')]
    events: Vec<EventKind>,
    /// Exit after printing this many messages.
    #[arg(long)]
    count: Option<u64>,
}

/// Runs a `chio api` subcommand on its own runtime.
pub(crate) fn run(command: ApiCommand) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return fail("api", &format!("starting the async runtime: {error}")),
    };
    match command {
        ApiCommand::Serve(args) => runtime.block_on(serve(args)),
        ApiCommand::Watch(args) => runtime.block_on(watch(args)),
    }
}

/// Reports a failure of `command` on standard error: exit status 1.
fn fail(command: &str, message: &str) -> ExitCode {
    eprintln!("chio {command}: {message}");
    ExitCode::FAILURE
}

/// A log line of `chio api serve`.
fn log(message: std::fmt::Arguments<'_>) {
    eprintln!("chio api serve: {message}");
}

async fn serve(args: ServeArgs) -> ExitCode {
    let state = Arc::new(SharedState::new());
    let simulation = Simulation::new(Arc::clone(&state));
    let config = ServerConfig {
        listen: args.listen,
        allow_non_loopback: args.allow_remote,
        approval_timeout: Duration::from_secs(args.approval_timeout),
        ws_listen: args.ws,
        ws_allowed_origins: args.ws_origins.clone(),
        ..ServerConfig::default()
    };
    let approver = DemoApprover::new(args.approve);
    let store = match grant_store(args.grants.as_deref()) {
        Ok(store) => store,
        Err(error) => return fail("api serve", &error),
    };
    let server = match ApiServer::bind_with_store(config, state.clone(), approver, store).await {
        Ok(server) => server,
        Err(error) => return fail("api serve", &error.to_string()),
    };
    let handle = server.handle();
    let mode = args.approve.to_possible_value().map(|value| value.get_name().to_owned()).unwrap_or_default();
    let grants =
        args.grants.as_ref().map_or_else(|| "in memory".to_owned(), |path| path.display().to_string());
    log(format_args!(
        "listening on {} (approve: {mode}; grants: {grants}); Ctrl-C to stop",
        server.local_addr()
    ));
    if let Some(ws) = server.ws_local_addr() {
        let origins = if args.ws_origins.is_empty() { "none".to_owned() } else { args.ws_origins.join(", ") };
        log(format_args!("WebSocket on ws://{ws}/ (allowed origins: {origins})"));
    }

    tokio::spawn(simulation.run(Duration::from_millis(args.step_ms), |scene| {
        log(format_args!("scene: {}", scene.label));
    }));
    let mut notifications = state.notifications();
    tokio::spawn(async move {
        while let Ok(shown) = notifications.recv().await {
            log(format_args!("notification from {:?}: {}", shown.application, shown.message));
        }
    });
    let watched = handle.clone();
    tokio::spawn(async move { log_sessions(|| watched.sessions()).await });

    let serving = tokio::spawn(server.serve());
    if let Err(error) = tokio::signal::ctrl_c().await {
        log(format_args!("cannot wait for Ctrl-C ({error}); stopping"));
    }
    log(format_args!("shutting down"));
    handle.shutdown(DisconnectReason::Shutdown);
    let _ = serving.await;
    ExitCode::SUCCESS
}

/// Logs sessions as they come and go (the server has no callbacks for it: it is polled).
async fn log_sessions(sessions: impl Fn() -> Vec<SessionInfo>) {
    let mut known: BTreeMap<SessionId, SessionInfo> = BTreeMap::new();
    let mut ticks = tokio::time::interval(Duration::from_millis(250));
    loop {
        ticks.tick().await;
        let now: BTreeMap<SessionId, SessionInfo> = sessions().into_iter().map(|s| (s.id, s)).collect();
        for (id, session) in &now {
            if !known.contains_key(id) {
                log(format_args!(
                    "session {} open: {:?} from {} with {}",
                    id.0, session.application, session.peer, session.permissions
                ));
            }
        }
        for (id, session) in &known {
            if !now.contains_key(id) {
                log(format_args!("session {} closed: {:?}", id.0, session.application));
            }
        }
        known = now;
    }
}

/// Where grants are kept: the SQLite file at `path`, or memory.
pub(crate) fn grant_store(path: Option<&std::path::Path>) -> Result<Arc<dyn Store>, String> {
    match path {
        Some(path) => match SqliteStore::open(path) {
            Ok(store) => Ok(Arc::new(store)),
            Err(error) => Err(format!("{}: {error}", path.display())),
        },
        None => Ok(Arc::new(MemoryStore::new())),
    }
}

impl DemoApprover {
    /// The approver of `mode`.
    pub(crate) fn new(mode: ApproveMode) -> Self {
        match mode {
            ApproveMode::Always => Self::Always,
            ApproveMode::Never => Self::Never,
            ApproveMode::Prompt => Self::Prompt(Arc::new(Prompter::on_stdin())),
        }
    }
}

/// The approval policy chosen with `--approve`.
pub(crate) enum DemoApprover {
    Always,
    Never,
    Prompt(Arc<Prompter>),
}

impl Approver for DemoApprover {
    fn approve(&self, request: ApprovalRequest) -> Pin<Box<dyn Future<Output = Approval> + Send + 'static>> {
        match self {
            Self::Always => {
                log(format_args!("approving {:?} ({})", request.application, request.permissions));
                Box::pin(async { Approval::Approve })
            }
            Self::Never => {
                log(format_args!("denying {:?} ({})", request.application, request.permissions));
                Box::pin(async { Approval::Deny })
            }
            Self::Prompt(prompter) => {
                let prompter = Arc::clone(prompter);
                Box::pin(async move { prompter.ask(request).await })
            }
        }
    }
}

/// Asks approvals on the terminal, one at a time.
pub(crate) struct Prompter {
    /// Lines typed on standard input, read by a thread of their own.
    lines: Mutex<mpsc::UnboundedReceiver<String>>,
}

impl Prompter {
    pub(crate) fn on_stdin() -> Self {
        let (sender, lines) = mpsc::unbounded_channel();
        // A plain thread: a blocking read of stdin must not hold up the runtime's shutdown.
        std::thread::spawn(move || {
            for line in io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self { lines: Mutex::new(lines) }
    }

    async fn ask(&self, request: ApprovalRequest) -> Approval {
        let mut lines = self.lines.lock().await;
        // Lines typed while nobody was asked (or after an earlier prompt timed out) are not
        // answers to this question.
        while lines.try_recv().is_ok() {}
        let who = match &request.username {
            Some(user) => format!("scope user, player {user:?}"),
            None => format!("scope {}", request.scope),
        };
        log(format_args!(
            "{:?} from {} asks for {} ({who}): {:?}",
            request.application, request.peer, request.permissions, request.description
        ));
        log(format_args!("allow it? [y]es / [n]o / [b]lacklist, then Enter"));
        let _ = io::stderr().flush();
        let answer = match lines.recv().await {
            Some(line) => match line.trim().to_ascii_lowercase().as_str() {
                "y" | "yes" => Approval::Approve,
                "b" | "blacklist" => Approval::Blacklist,
                _ => Approval::Deny,
            },
            // Standard input closed: nobody can answer.
            None => Approval::Deny,
        };
        log(format_args!("{:?}: {answer:?}", request.application));
        answer
    }
}

async fn watch(args: WatchArgs) -> ExitCode {
    if !args.permissions.contains(Permissions::SUBSCRIBE) {
        return fail("api watch", "watching needs the subscribe permission (--permissions read|subscribe)");
    }
    let mut client = match ApiClient::connect(&args.connect).await {
        Ok(client) => client,
        Err(error) => return fail("api watch", &format!("{}: {error}", args.connect)),
    };
    if let Some(token) = args.token {
        client = client.with_token(Token::new(token));
    }
    let request = AuthRequest::new(&args.application, &args.description, args.permissions, args.scope);
    let state = match client.authenticate(request).await {
        Ok(state) => state,
        Err(ClientError::Refused(state)) => {
            return fail("api watch", &format!("authentication refused: {}", state_name(&state)));
        }
        Err(error) => return fail("api watch", &format!("authenticating: {error}")),
    };
    if let Some(token) = client.token() {
        eprintln!(
            "chio api watch: authenticated ({}); token {} (pass it with --token next time)",
            state_name(&state),
            token.as_str()
        );
    }
    let events = if args.events.is_empty() { EventKind::ALL.to_vec() } else { args.events };
    if let Err(error) = client.subscribe(&events).await {
        return fail("api watch", &format!("subscribing: {error}"));
    }

    let mut printed = 0u64;
    loop {
        if args.count.is_some_and(|count| printed >= count) {
            let _ = client.disconnect(DisconnectReason::Shutdown).await;
            return ExitCode::SUCCESS;
        }
        let message = tokio::select! {
            message = client.next_message() => message,
            _ = tokio::signal::ctrl_c() => {
                let _ = client.disconnect(DisconnectReason::Shutdown).await;
                return ExitCode::SUCCESS;
            }
        };
        let message = match message {
            Ok(Some(message)) => message,
            Ok(None) => return fail("api watch", "the server closed the connection"),
            Err(error) => return fail("api watch", &error.to_string()),
        };
        if let Err(error) = print_line(&message) {
            if error.kind() != io::ErrorKind::BrokenPipe {
                eprintln!("chio api watch: writing the output: {error}");
            }
            return ExitCode::FAILURE;
        }
        printed += 1;
        if let ServerMessage::Disconnect(disconnect) = message {
            return match disconnect.reason {
                DisconnectReason::Shutdown | DisconnectReason::Restart => ExitCode::SUCCESS,
                reason => fail("api watch", &format!("disconnected by the server: {reason:?}")),
            };
        }
    }
}

/// Prints `message` as one JSON line, flushed at once so pipes see it live.
fn print_line(message: &ServerMessage) -> io::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, message).map_err(io::Error::other)?;
    writeln!(out)?;
    out.flush()
}

/// The wire name of an auth state (`ok`, `denied`...).
fn state_name(state: &AuthState) -> String {
    serde_json::to_value(state).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
}
