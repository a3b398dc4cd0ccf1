//! `chio client`: a headless osu! client of any build on the command line. It logs in,
//! prints every packet it receives as a JSON line (the form `chio decode` prints), and
//! sends what the commands read from standard input ask for.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use chio_client::{Client, ClientConfig, ClientError, Transport, command};
use chio_packets::events::client::ClientEvent;
use chio_packets::login::version::ClientVersion;
use chio_packets::{Context, Direction, ServerPacket};
use serde::Serialize;
use serde_json::Value;
use tokio::io::AsyncBufReadExt;
use tokio::sync::mpsc;

use crate::args;
use crate::traffic::{on_the_wire, payload_json};

/// Arguments of `chio client`.
#[derive(clap::Args, Debug)]
#[command(after_help = format!("\
Examples:
  chio client --server 127.0.0.1:13381 --build 20121224 --user peppy --password hunter2
  chio client --server http://127.0.0.1:8080 --build 20250306 --user peppy --password hunter2
  printf 'join #osu\\nsay #osu hello\\n' | chio client --server http://127.0.0.1:8080 --build 20250306 --user bot --password pw

Logs in over the build's transport (TCP up to b20130815, HTTP after; --transport to
force one), then prints every packet received as one JSON line, as `chio decode` prints
them:
  {{\"packet\":\"BanchoLoginReply\",\"id\":5,\"data\":1234}}
and sends what each line of standard input asks for. Pings are answered on their own.
Errors in a command are reported on standard error and the client goes on; end of input
(or `logout`) logs out. Exit status 1 when the login fails or the connection breaks.

{}", command::HELP))]
pub(crate) struct ClientArgs {
    /// The server: host:port for TCP builds, http://host:port for HTTP builds (either form
    /// is accepted for either transport).
    #[arg(long)]
    server: String,
    /// The client build: a number (20250306) or a version string (b20250306.1cuttingedge,
    /// sent as it is in the login).
    #[arg(long, value_parser = parse_version)]
    build: ClientVersion,
    /// The username.
    #[arg(long)]
    user: String,
    /// The password, in plain text (its MD5 is sent).
    #[arg(long)]
    password: String,
    /// The transport; the build's by default.
    #[arg(long, value_enum)]
    transport: Option<TransportArg>,
    /// Milliseconds between HTTP polls.
    #[arg(long, default_value_t = 500)]
    poll_ms: u64,
}

/// How to talk to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum TransportArg {
    /// One TCP connection (builds up to b20130815).
    Tcp,
    /// HTTP polling (builds from b20130816).
    Http,
}

/// Runs `chio client`.
pub(crate) fn client(args: &ClientArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return crate::output::fail("client", &format!("starting the runtime: {error}")),
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Output(error)) => crate::output::output_failed(&error),
        Err(Failure::Message(message)) => crate::output::fail("client", &message),
    }
}

enum Failure {
    Output(io::Error),
    Message(String),
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Self::Output(error)
    }
}

/// clap's parser for `--build`: a build number or a whole version string.
fn parse_version(text: &str) -> Result<ClientVersion, String> {
    let build = args::parse_build(text)?;
    Ok(ClientVersion::parse(text).unwrap_or(ClientVersion::new(build.0)))
}

/// The `http://` URL and the TCP address named by `server` (the address resolved only
/// when TCP is used).
fn server_url(server: &str) -> String {
    if server.starts_with("http://") || server.starts_with("https://") {
        server.to_owned()
    } else {
        format!("http://{server}")
    }
}

async fn tcp_address(server: &str) -> Result<SocketAddr, String> {
    let rest = server.strip_prefix("http://").unwrap_or(server);
    let authority = rest.split('/').next().unwrap_or(rest);
    let mut addrs =
        tokio::net::lookup_host(authority).await.map_err(|error| format!("server {authority:?}: {error}"))?;
    addrs.next().ok_or_else(|| format!("server {authority:?}: no address"))
}

async fn run(args: &ClientArgs) -> Result<(), Failure> {
    let mut config = ClientConfig::with_version(args.build, args.user.as_str(), args.password.as_str())
        .with_http(server_url(&args.server))
        .with_poll_interval(Duration::from_millis(args.poll_ms.max(1)))
        .with_keep_history(false);
    if let Some(transport) = args.transport {
        config = config.with_transport(match transport {
            TransportArg::Tcp => Transport::Tcp,
            TransportArg::Http => Transport::Http,
        });
    }
    if config.transport() == Transport::Tcp {
        config = config.with_tcp(tcp_address(&args.server).await.map_err(Failure::Message)?);
    }
    let transport = config.transport();
    let mut client =
        Client::login(config).await.map_err(|error| Failure::Message(format!("login: {error}")))?;
    let ctx = client.ctx();
    eprintln!("chio client: logged in as user {} (b{} over {transport:?})", client.user_id(), ctx.build());

    let (lines_tx, mut lines) = mpsc::channel::<String>(16);
    tokio::spawn(async move {
        let mut input = tokio::io::BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(line)) = input.next_line().await {
            if lines_tx.send(line).await.is_err() {
                break;
            }
        }
    });

    let sender = client.sender();
    let mut out = io::stdout().lock();
    loop {
        tokio::select! {
            packet = client.recv() => match packet {
                Some(packet) => {
                    print_packet(&mut out, &packet, client.ctx())?;
                }
                None => {
                    return match client.close_error() {
                        Some(error) => Err(Failure::Message(format!("connection lost: {error}"))),
                        None => {
                            eprintln!("chio client: the server closed the connection");
                            Ok(())
                        }
                    };
                }
            },
            line = lines.recv() => {
                let Some(line) = line else { break };
                if line.trim().is_empty() {
                    continue;
                }
                match command::parse(&line, sender.ctx()) {
                    Ok(ClientEvent::Exit(_)) => break,
                    Ok(event) => match sender.send(&event).await {
                        Ok(()) => {}
                        Err(ClientError::Closed) => {}
                        Err(error) => eprintln!("chio client: {}: {error}", line.trim()),
                    },
                    Err(error) => eprintln!("chio client: {error}"),
                }
            }
        }
    }
    // Whatever already arrived is printed before leaving.
    while let Some(packet) = client.try_recv() {
        print_packet(&mut out, &packet, client.ctx())?;
    }
    client.logout().await.map_err(|error| Failure::Message(format!("logout: {error}")))?;
    eprintln!("chio client: logged out");
    Ok(())
}

/// A packet line as `chio decode` prints it (without `compressed`, which the client does
/// not keep; `chio encode` takes the line as it is).
#[derive(Serialize)]
struct PacketLine<'a> {
    packet: &'a str,
    id: u16,
    data: Value,
}

fn print_packet(out: &mut impl Write, packet: &ServerPacket<'_>, ctx: Context) -> io::Result<()> {
    let name = packet.name();
    let data = payload_json(packet).map_err(io::Error::other)?;
    let line = PacketLine {
        packet: name,
        id: packet.wire_id(ctx),
        data: on_the_wire(data, Direction::ServerToClient, name, ctx),
    };
    serde_json::to_writer(&mut *out, &line).map_err(io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use chio_packets::login::BanchoLoginReply;

    use super::*;

    #[test]
    fn packets_print_as_decode_prints_them() {
        let mut out = Vec::new();
        let packet = ServerPacket::from(BanchoLoginReply(1234));
        print_packet(&mut out, &packet, Context::new(20250306)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"packet\":\"BanchoLoginReply\",\"id\":5,\"data\":1234}\n"
        );
    }

    #[test]
    fn builds_keep_their_version_string() {
        let version = parse_version("b20140127.1cuttingedge").unwrap();
        assert_eq!(version.to_string(), "b20140127.1cuttingedge");
        assert_eq!(parse_version("20250306").unwrap(), ClientVersion::new(20250306));
        assert!(parse_version("281").is_err());
    }

    #[test]
    fn servers_are_urls_or_addresses() {
        assert_eq!(server_url("127.0.0.1:80"), "http://127.0.0.1:80");
        assert_eq!(server_url("http://c.localhost:8080"), "http://c.localhost:8080");
    }

    #[tokio::test]
    async fn tcp_addresses_come_from_either_form() {
        let addr: SocketAddr = "127.0.0.1:13381".parse().unwrap();
        assert_eq!(tcp_address("127.0.0.1:13381").await, Ok(addr));
        assert_eq!(tcp_address("http://127.0.0.1:13381/").await, Ok(addr));
        assert!(tcp_address("no port").await.is_err());
    }
}
