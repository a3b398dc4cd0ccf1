//! `chio serve`: a working bancho server on `chio-server`, with a bot, for every client
//! build; and `chio serve users add` to register accounts in its database.

use std::io::{self, BufRead};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chio_packets::frame::GzipLevel;
use chio_server::blocks::channels::ChannelConfig;
use chio_server::registry::SessionHandle;
use chio_server::server::{DEFAULT_HTTP_ADDR, DEFAULT_TCP_ADDR, Hooks, Server, ServerConfig};
use chio_server::storage::{PasswordPolicy, SqliteStorage, Storage};
use md5::{Digest, Md5};

use crate::output::fail;

/// The arguments of `chio serve`.
#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_help = "\
Examples:
  chio serve --open-registration                # TCP 127.0.0.1:13381, HTTP 127.0.0.1:8080
  chio serve users add peppy --password hunter2
  chio serve --db :memory: --tcp 127.0.0.1:0 --http 127.0.0.1:0

Clients of b282 to b20130815 connect over TCP, later ones over HTTP. Once listening, the
server prints one line per transport to standard output:
  listening tcp 127.0.0.1:13381
  listening http 127.0.0.1:8080
In #osu, or in a message to BanchoBot, `!help` lists the bot's commands.")]
pub(crate) struct ServeArgs {
    #[command(subcommand)]
    command: Option<ServeCommand>,
    /// Address for TCP clients (b282 to b20130815); `none` to not listen.
    #[arg(long, default_value_t = DEFAULT_TCP_ADDR.to_string())]
    tcp: String,
    /// Address for HTTP clients (from b20130816); `none` to not listen.
    #[arg(long, default_value_t = DEFAULT_HTTP_ADDR.to_string())]
    http: String,
    /// The SQLite database of accounts and friends; `:memory:` keeps nothing.
    #[arg(long, default_value = "chio-serve.db")]
    db: String,
    /// Register unknown names at their first login, with the password they sent.
    #[arg(long)]
    open_registration: bool,
    /// Hash passwords with the cheapest argon2id (8 KiB, 1 pass) instead of OWASP's
    /// (19 MiB, 2 passes): for load tests only, never for real accounts.
    #[arg(long)]
    insecure_fast_passwords: bool,
    /// How payloads to clients before b1800 are gzipped: stored (the default: no
    /// deflating, the fastest, read by every client), fast, balanced or best.
    #[arg(long, default_value = "stored", value_parser = parse_gzip_level)]
    gzip_level: GzipLevel,
    /// More channels, listed to every client and joined on request, beside #osu,
    /// #announce and #lobby: a name starting with `#`, repeated or comma-separated.
    #[arg(long = "channel", value_name = "NAME", value_delimiter = ',', value_parser = parse_channel)]
    channels: Vec<String>,
}

fn parse_channel(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.len() > 1 && name.starts_with('#') && !name.contains(char::is_whitespace) {
        Ok(name.to_owned())
    } else {
        Err(format!("`{name}` is not a channel name like #load0"))
    }
}

fn parse_gzip_level(name: &str) -> Result<GzipLevel, String> {
    GzipLevel::from_name(name).ok_or_else(|| format!("`{name}` is not one of stored, fast, balanced, best"))
}

/// `chio serve users ...`.
#[derive(clap::Subcommand, Debug)]
enum ServeCommand {
    /// Manage the accounts in the database.
    #[command(subcommand)]
    Users(UsersCommand),
}

/// `chio serve users add`.
#[derive(clap::Subcommand, Debug)]
enum UsersCommand {
    /// Register an account; the password is read from standard input unless given.
    Add {
        /// The name to register.
        name: String,
        /// The password (in plain text; stored as an argon2id hash of its MD5).
        #[arg(long)]
        password: Option<String>,
        /// The database to register in.
        #[arg(long, default_value = "chio-serve.db")]
        db: PathBuf,
    },
}

/// What `chio serve`'s bot answers.
struct DemoBot;

impl Hooks for DemoBot {
    fn on_bot_message(&self, from: &SessionHandle, text: &str) -> Option<String> {
        let mut words = text.split_whitespace();
        match words.next()? {
            "!help" => Some("I know !help and !roll [max] (1 to max, 100 by default).".to_owned()),
            "!roll" => {
                let max = words.next().and_then(|w| w.parse::<u32>().ok()).unwrap_or(100).max(1);
                let roll = getrandom::u32().map_or(0, |r| r % max) + 1;
                Some(format!("{} rolls {roll} point(s)", from.name()))
            }
            word if word.starts_with('!') => Some(format!("I do not know {word}; try !help.")),
            _ => None,
        }
    }
}

/// The MD5 hex digest a client sends for `password`.
fn md5_hex(password: &str) -> String {
    Md5::digest(password.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn open(db: &str, fast: bool) -> Result<Arc<dyn Storage>, String> {
    let policy = if fast { PasswordPolicy::FAST_FOR_TESTS } else { PasswordPolicy::default() };
    let storage =
        if db == ":memory:" { SqliteStorage::in_memory(policy) } else { SqliteStorage::open(db, policy) };
    storage
        .map(|s| Arc::new(s) as Arc<dyn Storage>)
        .map_err(|e| format!("cannot open the database {db}: {e}"))
}

fn parse_addr(flag: &str, value: &str) -> Result<Option<SocketAddr>, String> {
    if value == "none" {
        return Ok(None);
    }
    value.parse().map(Some).map_err(|_| format!("--{flag}: `{value}` is not an address like 127.0.0.1:13381"))
}

pub(crate) fn serve(args: &ServeArgs) -> ExitCode {
    if let Some(ServeCommand::Users(UsersCommand::Add { name, password, db })) = &args.command {
        return add_user(name, password.as_deref(), db);
    }
    let (tcp, http) = match (parse_addr("tcp", &args.tcp), parse_addr("http", &args.http)) {
        (Ok(tcp), Ok(http)) => (tcp, http),
        (Err(e), _) | (_, Err(e)) => return fail("serve", &e),
    };
    let storage = match open(&args.db, args.insecure_fast_passwords) {
        Ok(storage) => storage,
        Err(e) => return fail("serve", &e),
    };
    let mut config = ServerConfig { gzip_level: args.gzip_level, ..ServerConfig::default() };
    for name in &args.channels {
        if !config.channels.iter().any(|c| c.name == *name) {
            config.channels.push(ChannelConfig::new(name.as_str(), "A channel of this server.", false));
        }
    }
    let server =
        Server::builder(config, storage).open_registration(args.open_registration).hooks(DemoBot).build();
    let server = match server {
        Ok(server) => server,
        Err(e) => return fail("serve", &format!("cannot set up the bot account: {e}")),
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => return fail("serve", &format!("cannot start the runtime: {e}")),
    };
    match runtime.block_on(run(server, tcp, http)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail("serve", &e),
    }
}

async fn run(server: Server, tcp: Option<SocketAddr>, http: Option<SocketAddr>) -> Result<(), String> {
    let mut tasks = tokio::task::JoinSet::new();
    for (name, addr) in [("tcp", tcp), ("http", http)] {
        let Some(addr) = addr else { continue };
        let listener =
            chio_server::listen::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        println!("listening {name} {local}");
        let server = server.clone();
        tasks.spawn(async move {
            if name == "tcp" { server.serve_tcp(listener).await } else { server.serve_http(listener).await }
        });
    }
    if tasks.is_empty() {
        return Err("nothing to serve: both --tcp and --http are `none`".to_owned());
    }
    tokio::select! {
        _ = tokio::signal::ctrl_c() => server.shutdown(),
        Some(ended) = tasks.join_next() => {
            server.shutdown();
            if let Ok(Err(e)) = ended {
                return Err(format!("serving failed: {e}"));
            }
        }
    }
    while tasks.join_next().await.is_some() {}
    let stats = server.stats();
    eprintln!(
        "chio serve: stopped after {} logins ({} refused), {} packets ({} undecodable), {} sessions dropped",
        stats.logins, stats.refused, stats.packets, stats.bad_packets, stats.dropped
    );
    Ok(())
}

fn add_user(name: &str, password: Option<&str>, db: &std::path::Path) -> ExitCode {
    let password = match password {
        Some(password) => password.to_owned(),
        None => {
            let mut line = String::new();
            if io::stdin().lock().read_line(&mut line).is_err() || line.trim_end().is_empty() {
                return fail("serve users add", "no password: give --password or one line on standard input");
            }
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let storage = match SqliteStorage::open(db, PasswordPolicy::default()) {
        Ok(storage) => storage,
        Err(e) => return fail("serve users add", &format!("cannot open {}: {e}", db.display())),
    };
    match storage.register(name, &md5_hex(&password)) {
        Ok(account) => {
            println!("registered {} as user {}", account.name, account.id);
            ExitCode::SUCCESS
        }
        Err(e) => fail("serve users add", &e.to_string()),
    }
}
