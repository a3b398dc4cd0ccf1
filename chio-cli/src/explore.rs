//! `chio builds`, `chio packets` and `chio diff`: what each build has on the wire.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::process::ExitCode;

use chio_packets::build::{REVISIONS, Revision};
use chio_packets::{Context, Direction};
use serde::Serialize;

use crate::args::{self, Build, From};
use crate::layouts::{self, FieldRow, PacketView};

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
            let views = layouts::packets(direction, ctx);
            if !args.json {
                writeln!(out, "\n{} packets ({}):", layouts::sender(direction), views.len())?;
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

/// A packet that changed between two builds.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub(crate) struct PacketChange {
    /// The reference's name.
    pub(crate) packet: &'static str,
    /// Who sends it.
    pub(crate) from: &'static str,
    /// `[old, new]` wire ids, if they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) wire_id: Option<[u16; 2]>,
    /// `[old, new]` era types, if they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) types: Option<[&'static str; 2]>,
    /// Fields only the new build has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) fields_added: Vec<FieldRow>,
    /// Fields only the old build has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) fields_removed: Vec<FieldRow>,
    /// `{name, old, new}` for fields whose wire type changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) wire_changed: Vec<WireChange>,
    /// `{name, old, new}` for fields whose condition on other values changed (`null`: none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) condition_changed: Vec<ConditionChange>,
    /// Whether the common fields come in another order.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) reordered: bool,
}

/// A field whose wire type changed.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct WireChange {
    pub(crate) name: String,
    pub(crate) old: String,
    pub(crate) new: String,
}

/// A field whose condition on other values changed.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct ConditionChange {
    pub(crate) name: String,
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
}

/// Everything that differs between two builds.
#[derive(Debug, Default, Serialize)]
pub(crate) struct BuildDiff {
    pub(crate) from: u32,
    pub(crate) to: u32,
    /// `[old, new]` protocol versions, if they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) protocol: Option<[u8; 2]>,
    /// `[old, new]` match slot counts, if they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) slots: Option<[u8; 2]>,
    /// Packets only the new build has (`server:Name` / `client:Name` in text).
    pub(crate) added: Vec<PacketRef>,
    /// Packets only the old build has.
    pub(crate) removed: Vec<PacketRef>,
    /// Packets in both that changed.
    pub(crate) changed: Vec<PacketChange>,
}

/// A packet named with its sender.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct PacketRef {
    pub(crate) packet: &'static str,
    pub(crate) from: &'static str,
    pub(crate) wire_id: u16,
}

impl BuildDiff {
    pub(crate) fn is_empty(&self) -> bool {
        self.protocol.is_none()
            && self.slots.is_none()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
    }
}

/// What changed from `old` to `new`.
pub(crate) fn diff(old: Context, new: Context) -> BuildDiff {
    let mut result = BuildDiff {
        from: old.build(),
        to: new.build(),
        protocol: (old.protocol() != new.protocol()).then_some([old.protocol(), new.protocol()]),
        slots: (old.slots() != new.slots()).then_some([old.slots(), new.slots()]),
        ..BuildDiff::default()
    };
    for direction in [Direction::ServerToClient, Direction::ClientToServer] {
        let before: BTreeMap<_, _> =
            layouts::packets(direction, old).into_iter().map(|v| ((v.id, v.packet), v)).collect();
        let after: BTreeMap<_, _> =
            layouts::packets(direction, new).into_iter().map(|v| ((v.id, v.packet), v)).collect();
        for (key, view) in &after {
            match before.get(key) {
                None => result.added.push(PacketRef {
                    packet: view.packet,
                    from: view.from,
                    wire_id: view.wire_id,
                }),
                Some(old_view) => {
                    let change = compare(old_view, view);
                    if change
                        != (PacketChange { packet: view.packet, from: view.from, ..PacketChange::default() })
                    {
                        result.changed.push(change);
                    }
                }
            }
        }
        for (key, view) in &before {
            if !after.contains_key(key) {
                result.removed.push(PacketRef {
                    packet: view.packet,
                    from: view.from,
                    wire_id: view.wire_id,
                });
            }
        }
    }
    result
}

fn compare(old: &PacketView, new: &PacketView) -> PacketChange {
    let mut change = PacketChange { packet: new.packet, from: new.from, ..PacketChange::default() };
    if old.wire_id != new.wire_id {
        change.wire_id = Some([old.wire_id, new.wire_id]);
    }
    if old.type_name != new.type_name {
        change.types = Some([old.type_name, new.type_name]);
    }
    let find = |fields: &[FieldRow], name: &str| fields.iter().position(|f| f.name == name);
    for field in &new.fields {
        match find(&old.fields, &field.name) {
            None => change.fields_added.push(field.clone()),
            Some(i) => {
                let before = &old.fields[i];
                if before.wire != field.wire {
                    change.wire_changed.push(WireChange {
                        name: field.name.clone(),
                        old: before.wire.clone(),
                        new: field.wire.clone(),
                    });
                }
                if before.when != field.when {
                    change.condition_changed.push(ConditionChange {
                        name: field.name.clone(),
                        old: before.when.clone(),
                        new: field.when.clone(),
                    });
                }
            }
        }
    }
    for field in &old.fields {
        if find(&new.fields, &field.name).is_none() {
            change.fields_removed.push(field.clone());
        }
    }
    let common = |from: &[FieldRow], other: &[FieldRow]| -> Vec<String> {
        from.iter().filter(|f| find(other, &f.name).is_some()).map(|f| f.name.clone()).collect()
    };
    change.reordered = common(&old.fields, &new.fields) != common(&new.fields, &old.fields);
    change
}

fn described(field: &FieldRow) -> String {
    match &field.when {
        Some(when) => format!("{} (when {when})", field.wire),
        None => field.wire.clone(),
    }
}

/// Runs `chio diff`.
pub(crate) fn diff_command(args: &DiffArgs) -> ExitCode {
    let result = diff(args.a.context(), args.b.context());
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
