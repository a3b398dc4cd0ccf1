//! `chio`: look inside osu! bancho traffic, build test traffic, and learn what changed
//! between client builds. Run `chio --help`, or `chio <command> --help` for examples.

mod api;
mod args;
mod capture;
mod client;
mod explore;
mod load;
mod login;
mod output;
mod proxy;
mod reference;
mod replay;
mod serve;
mod traffic;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The osu! bancho protocol of every client build from b282 (2008) to b20250306, on the
/// command line.
#[derive(Parser, Debug)]
#[command(name = "chio", version, about, long_about = None)]
#[command(after_help = "\
Examples:
  chio decode --build 20250306 --from server --hex <<< '05 00 00 04 00 00 00 e8 03 00 00'
  chio packets --build 20121224 --from server
  chio diff 20121223 20121224
  chio builds
  chio api serve --approve always     # then, elsewhere: chio api watch

Run `chio <command> --help` for each command's options and examples.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Decode a bancho byte stream to JSON lines, one per packet.
    Decode(traffic::DecodeArgs),
    /// Encode JSON lines (as `decode` prints them) to a bancho byte stream.
    Encode(traffic::EncodeArgs),
    /// List the protocol revisions and what changed in each.
    Builds(explore::BuildsArgs),
    /// List the packets of a build with their wire layouts.
    Packets(explore::PacketsArgs),
    /// Show what changed on the wire between two builds.
    Diff(explore::DiffArgs),
    /// Parse a login request body to JSON.
    Login(login::LoginArgs),
    /// Print the protocol reference (docs/PROTOCOL.md) generated from the definitions.
    Reference(reference::ReferenceArgs),
    /// The osu! client API: a demo server on a simulated game, and a watching client.
    #[command(subcommand)]
    Api(api::ApiCommand),
    /// Run a bancho server every client build can log into (TCP and HTTP, SQLite, a bot).
    Serve(serve::ServeArgs),
    /// A headless osu! client of any build: log in, print packets, send commands.
    Client(client::ClientArgs),
    /// Replay a captured session against a server and compare its answer with the capture.
    Replay(replay::ReplayArgs),
    /// A proxy between osu! clients and their server: logs every packet, captures every byte.
    Proxy(proxy::ProxyArgs),
    /// A load generator: many headless clients of mixed builds chatting, with figures.
    Load(load::LoadArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Decode(args) => match &args.capture {
            Some(path) => capture::decode(path, args.session, args.dir, args.strictness()),
            None => traffic::decode(args),
        },
        Command::Encode(args) => traffic::encode(args),
        Command::Builds(args) => explore::builds(args),
        Command::Packets(args) => explore::packets(args),
        Command::Diff(args) => explore::diff_command(args),
        Command::Login(args) => login::login(args),
        Command::Reference(args) => reference::reference(args),
        Command::Api(command) => api::run(command.clone()),
        Command::Serve(args) => serve::serve(args),
        Command::Client(args) => client::client(args),
        Command::Replay(args) => replay::replay(args),
        Command::Proxy(args) => proxy::proxy(args),
        Command::Load(args) => load::load(args),
    }
}
