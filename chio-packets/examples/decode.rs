//! Decodes a bancho payload for a given build and prints the value and its wire layout.
//!
//! ```text
//! cargo run -p chio-packets --example decode                      # a built-in sample
//! cargo run -p chio-packets --example decode -- stats 20250306 e8030000...
//! cargo run -p chio-packets --example decode -- status 1788 0200...
//! ```
//!
//! The built-in sample is the payload of a `BanchoUserStats` packet that the reference
//! implementation (chio 1.1.21) wrote for build 20250306.

use std::process::ExitCode;

use chio_packets::layout::{Encoding, Layout};
use chio_packets::login::BanchoLoginReply;
use chio_packets::presence::{BanchoUserStats, OsuUserStatus};
use chio_packets::{Context, Decode, Describe};

/// `BanchoUserStats` for user 1000 playing a taiko map with HD+DT, 40,000 pp (b20250306).
const SAMPLE: &str = "e803000002 0b024e69 0b026162 48000000 01 04030201 2211000000000000 0000003f \
                      07000000 4433000000000000 2a000000 409c";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kind, build, hex) = match args.as_slice() {
        [] => ("stats", 20250306, SAMPLE.to_owned()),
        [kind, build, hex @ ..] => match build.trim_start_matches('b').parse() {
            Ok(build) => (kind.as_str(), build, hex.concat()),
            Err(_) => return usage(&format!("not a build number: {build}")),
        },
        _ => return usage("expected: <stats|status|login-reply> <build> <hex>"),
    };
    let bytes = match parse_hex(&hex) {
        Some(bytes) => bytes,
        None => return usage("the payload must be hex digits"),
    };
    let ctx = Context::new(build);
    println!("build {build}, protocol {}, {} bytes", ctx.protocol(), bytes.len());
    let result = match kind {
        "stats" => show::<BanchoUserStats>(&bytes, ctx),
        "status" => show::<OsuUserStatus>(&bytes, ctx),
        "login-reply" => show::<BanchoLoginReply>(&bytes, ctx),
        other => return usage(&format!("unknown payload kind: {other}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn show<'de, T: Decode<'de> + Describe + std::fmt::Debug>(
    bytes: &'de [u8],
    ctx: Context,
) -> Result<(), chio_packets::DecodeError> {
    let value = T::decode_payload(bytes, ctx)?;
    println!("{value:#?}");
    println!("\nwire layout of {} for this build:", T::LAYOUT.name);
    print_layout(T::LAYOUT, ctx, 1);
    Ok(())
}

fn print_layout(layout: &Layout, ctx: Context, depth: usize) {
    for (field, window) in layout.fields_in(ctx) {
        let condition = window.condition.map(|c| format!(" (when {c})")).unwrap_or_default();
        match window.encoding {
            Encoding::Wire(inner) if !inner.fields().is_empty() => {
                println!("{:indent$}{}: {}{condition}", "", field.name, inner.name, indent = depth * 2);
                print_layout(inner, ctx, depth + 1);
            }
            Encoding::Wire(inner) => {
                println!("{:indent$}{}: {}{condition}", "", field.name, inner.name, indent = depth * 2);
            }
            Encoding::With(path) => {
                println!("{:indent$}{}: with {path}{condition}", "", field.name, indent = depth * 2);
            }
        }
    }
}

fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits.chunks(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()).collect()
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("{problem}\nusage: decode [<stats|status|login-reply> <build> <hex>]");
    ExitCode::from(2)
}
