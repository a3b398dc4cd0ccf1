//! `chio builds`, `chio packets` and `chio diff`: what each build has on the wire.

use std::io::{self, Write};
use std::process::ExitCode;

use chio_packets::Direction;
use chio_packets::build::{REVISIONS, Revision};
use serde::Serialize;

use crate::args::{self, Build, From};
use chio_packets::view::{self, BuildDiff, FieldRow, PacketView};

/// Arguments of `chio builds`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  chio builds
  chio builds --json | jq -r 'select(.protocol >= 19) | .build'")]
pub(crate) struct BuildsArgs {
    /// Print JSON lines (`{"build", "protocol", "summary"}`) instead of a table.
    #[arg(long)]
    json: bool,
}

/// Arguments of `chio packets`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  chio packets --build 20250306
  chio packets --build b1788 --from client
  chio packets --build 20120818 --json | jq 'select(.packet == \"BanchoUserStats\") | .fields'

Each packet: its name, canonical id, wire id in the build, the type carrying it, and its
wire fields in order (nested values as dotted paths, list elements as `name[]`).")]
pub(crate) struct PacketsArgs {
    /// The client build: a number (20140127) or a version string (b20140127.1cuttingedge).
    #[arg(long, value_parser = args::parse_build)]
    build: Build,
    /// Only the packets of one sender (both if absent).
    #[arg(long, value_enum)]
    from: Option<From>,
    /// Print one JSON object per packet per line instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `chio diff`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  chio diff 20121223 20121224
  chio diff b282 b20250306 --json | jq '.changed[] | .packet'

Compares the packets of two builds: packets added and removed, wire ids changed, and
for packets in both, fields added and removed and wire types changed.")]
pub(crate) struct DiffArgs {
    /// The older build.
    #[arg(value_parser = args::parse_build)]
    a: Build,
    /// The newer build.
    #[arg(value_parser = args::parse_build)]
    b: Build,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `chio builds`.
pub(crate) fn builds(args: &BuildsArgs) -> ExitCode {
    #[derive(Serialize)]
    struct Line {
        build: u32,
        protocol: u8,
        summary: &'static str,
    }
    crate::output::print(|out| {
        for Revision { build, protocol, summary } in REVISIONS.iter().copied() {
            if args.json {
                serde_json::to_writer(&mut *out, &Line { build, protocol, summary })
                    .map_err(io::Error::other)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{:<10} protocol {protocol:>2}  {summary}", format!("b{build}"))?;
            }
        }
        Ok(())
    })
}

/// Runs `chio packets`.
pub(crate) fn packets(args: &PacketsArgs) -> ExitCode {
    let ctx = args.build.context();
    let directions = match args.from {
        Some(from) => vec![from.direction()],
        None => vec![Direction::ServerToClient, Direction::ClientToServer],
    };
    crate::output::print(|out| {
        if !args.json {
            writeln!(out, "b{}: protocol {}, {} match slots", ctx.build(), ctx.protocol(), ctx.slots())?;
        }
        for direction in directions {
            let views = view::packets(direction, ctx);
            if !args.json {
                writeln!(out, "\n{} packets ({}):", view::sender(direction), views.len())?;
            }
            for view in views {
                if args.json {
                    serde_json::to_writer(&mut *out, &view).map_err(io::Error::other)?;
                    writeln!(out)?;
                } else {
                    write_view(out, &view)?;
                }
            }
        }
        Ok(())
    })
}

fn write_view(out: &mut impl Write, view: &PacketView) -> io::Result<()> {
    let era = if view.type_name == view.packet { String::new() } else { format!(" as {}", view.type_name) };
    writeln!(out, "  {:>3}  {}{era}  (canonical id {})", view.wire_id, view.packet, view.id)?;
    for field in &view.fields {
        write_field(out, field)?;
    }
    Ok(())
}

fn write_field(out: &mut impl Write, field: &FieldRow) -> io::Result<()> {
    let name = shown(&field.name);
    match &field.when {
        Some(when) => writeln!(out, "         {name:<28} {}  (when {when})", field.wire),
        None => writeln!(out, "         {name:<28} {}", field.wire),
    }
}

fn described(field: &FieldRow) -> String {
    match &field.when {
        Some(when) => format!("{} (when {when})", field.wire),
        None => field.wire.clone(),
    }
}

/// Runs `chio diff`.
pub(crate) fn diff_command(args: &DiffArgs) -> ExitCode {
    let result = view::diff(args.a.context(), args.b.context());
    crate::output::print(|out| {
        if args.json {
            serde_json::to_writer(&mut *out, &result).map_err(io::Error::other)?;
            writeln!(out)
        } else {
            write_diff(out, &result)
        }
    })
}

/// The diff as text (also used by the generated reference's changelog).
pub(crate) fn write_diff(out: &mut impl Write, diff: &BuildDiff) -> io::Result<()> {
    if diff.is_empty() {
        return writeln!(
            out,
            "b{} and b{} have the same packets and field layouts; what differs is in framing, a \
             hand-written codec or server behaviour.",
            diff.from, diff.to
        );
    }
    if let Some([old, new]) = diff.protocol {
        writeln!(out, "- protocol {old} -> {new}")?;
    }
    if let Some([old, new]) = diff.slots {
        writeln!(out, "- match slots {old} -> {new}")?;
    }
    for packet in &diff.added {
        writeln!(out, "- added: {} ({}, wire id {})", packet.packet, packet.from, packet.wire_id)?;
    }
    for packet in &diff.removed {
        writeln!(out, "- removed: {} ({}, wire id {})", packet.packet, packet.from, packet.wire_id)?;
    }
    for change in &diff.changed {
        writeln!(out, "- changed: {} ({})", change.packet, change.from)?;
        if let Some([old, new]) = change.wire_id {
            writeln!(out, "  - wire id {old} -> {new}")?;
        }
        if let Some([old, new]) = change.types {
            writeln!(out, "  - carried by {new} (was {old})")?;
        }
        for field in &change.fields_added {
            writeln!(out, "  - field added: {}: {}", shown(&field.name), described(field))?;
        }
        for field in &change.fields_removed {
            writeln!(out, "  - field removed: {}: {}", shown(&field.name), described(field))?;
        }
        for wire in &change.wire_changed {
            writeln!(out, "  - wire type of {}: {} -> {}", shown(&wire.name), wire.old, wire.new)?;
        }
        for condition in &change.condition_changed {
            let when =
                |c: &Option<String>| c.as_ref().map_or_else(|| "always".to_owned(), |c| format!("when {c}"));
            writeln!(
                out,
                "  - condition of {}: {} -> {}",
                shown(&condition.name),
                when(&condition.old),
                when(&condition.new)
            )?;
        }
        if change.reordered {
            writeln!(out, "  - fields reordered")?;
        }
    }
    Ok(())
}

/// A field path for text, naming a bare value.
pub(crate) fn shown(name: &str) -> &str {
    if name.is_empty() { "(value)" } else { name }
}
