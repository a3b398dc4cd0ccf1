//! Packet layouts as one build sees them, and what changed between two builds.
//!
//! [`packets`] flattens each packet of a build to its wire fields, one [`FieldRow`] per
//! value on the wire (`status.mods: u32`, `slots[].user_id: i32`), read from the packet
//! definitions through [`Layout::fields_in`]. [`diff`] compares two builds' views: packets
//! added and removed, wire ids and era types changed, fields added, removed, retyped or
//! made conditional. The `chio packets` and `chio diff` commands print these, and the
//! generated protocol reference (`docs/PROTOCOL.md`) writes its changelog from [`diff`].
//!
//! With feature `serde`, every type here serializes as the CLI's `--json` output.
//!
//! ```
//! use chio_packets::{Context, Direction, view};
//!
//! let packets = view::packets(Direction::ServerToClient, Context::new(20250306));
//! let stats = packets.iter().find(|p| p.packet == "BanchoUserStats").unwrap();
//! assert!(stats.fields.iter().any(|field| field.name == "status.mods"));
//!
//! // b20121224 is a revision: something on the wire changed there.
//! let changes = view::diff(Context::new(20121223), Context::new(20121224));
//! assert!(changes.changed.iter().any(|change| change.packet == "BanchoUserQuit"));
//! assert!(view::diff(Context::new(20121224), Context::new(20121224)).is_empty());
//! ```

use std::collections::BTreeMap;

use crate::catalog::{self, PacketInfo};
use crate::layout::{Encoding, Layout, Shape};
use crate::{Context, Direction};

/// One wire field of a packet in one build.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FieldRow {
    /// The path from the packet down (`status.mods`, `slots[].user_id`; empty for a
    /// packet that is a bare value).
    pub name: String,
    /// The wire type (`i32`, `string`, `u8 as Status`, `list of i32 (i16 count)`,
    /// `custom (codec)`).
    pub wire: String,
    /// A condition on other values, as written in the definition.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub when: Option<String>,
}

/// One packet as a build has it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PacketView {
    /// The reference's name.
    pub packet: &'static str,
    /// The Rust type carrying it in this build.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_name: &'static str,
    /// The canonical (modern) id.
    pub id: u16,
    /// The id on the wire in this build.
    pub wire_id: u16,
    /// Who sends it: `server` or `client` ([`sender`]).
    pub from: &'static str,
    /// The wire fields in order.
    pub fields: Vec<FieldRow>,
}

/// `server` or `client`: who sends packets of `direction`.
pub const fn sender(direction: Direction) -> &'static str {
    match direction {
        Direction::ServerToClient => "server",
        Direction::ClientToServer => "client",
    }
}

/// The packets of `direction` in `ctx`'s build, in canonical id order.
pub fn packets(direction: Direction, ctx: Context) -> Vec<PacketView> {
    catalog::packets_in(direction, ctx).into_iter().map(|info| packet(info, ctx)).collect()
}

/// One packet type as `ctx`'s build has it.
pub fn packet(info: &'static PacketInfo, ctx: Context) -> PacketView {
    let mut fields = Vec::new();
    flatten(info.layout, ctx, "", None, &mut fields);
    PacketView {
        packet: info.name,
        type_name: info.type_name,
        id: info.id,
        wire_id: info.wire_id(ctx),
        from: sender(info.direction),
        fields,
    }
}

/// The name of a layout as a wire type: primitives and structs by name, enums and flag
/// sets with their integer (`u8 as Status`), lists with their count
/// (`list of i32 (i16 count)`).
pub fn wire_name(layout: &Layout) -> String {
    match &layout.shape {
        Shape::Primitive | Shape::Struct { .. } => layout.name.to_owned(),
        Shape::Enum { repr, .. } | Shape::Flags { repr, .. } => format!("{repr} as {}", layout.name),
        Shape::List { count, item } => format!("list of {} ({count} count)", wire_name(item)),
    }
}

/// Appends the wire fields of `layout` under `prefix`.
fn flatten(layout: &Layout, ctx: Context, prefix: &str, when: Option<&str>, out: &mut Vec<FieldRow>) {
    for (field, window) in layout.fields_in(ctx) {
        // A newtype's single field (`0`) is the value itself.
        let name = match (prefix, field.name) {
            (_, "0") => prefix.to_owned(),
            ("", name) => name.to_owned(),
            (prefix, name) => format!("{prefix}.{name}"),
        };
        let when = window.condition.or(when).map(str::to_owned);
        match window.encoding {
            Encoding::With(codec) => out.push(FieldRow { name, wire: format!("custom ({codec})"), when }),
            Encoding::Wire(inner) => match &inner.shape {
                Shape::Struct { .. } => flatten(inner, ctx, &name, when.as_deref(), out),
                Shape::List { item, .. } if matches!(item.shape, Shape::Struct { .. }) => {
                    out.push(FieldRow { name: name.clone(), wire: wire_name(inner), when: when.clone() });
                    flatten(item, ctx, &format!("{name}[]"), when.as_deref(), out);
                }
                _ => out.push(FieldRow { name, wire: wire_name(inner), when }),
            },
        }
    }
}

/// A packet that changed between two builds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PacketChange {
    /// The reference's name.
    pub packet: &'static str,
    /// Who sends it.
    pub from: &'static str,
    /// `[old, new]` wire ids, if they differ.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub wire_id: Option<[u16; 2]>,
    /// `[old, new]` era types, if they differ.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub types: Option<[&'static str; 2]>,
    /// Fields only the new build has.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub fields_added: Vec<FieldRow>,
    /// Fields only the old build has.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub fields_removed: Vec<FieldRow>,
    /// Fields whose wire type changed.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub wire_changed: Vec<WireChange>,
    /// Fields whose condition on other values changed.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub condition_changed: Vec<ConditionChange>,
    /// Whether the common fields come in another order.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub reordered: bool,
}

impl PacketChange {
    /// Whether nothing but the packet's name and sender is set: the packet did not change.
    pub fn is_empty(&self) -> bool {
        *self == Self { packet: self.packet, from: self.from, ..Self::default() }
    }
}

/// A field whose wire type changed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct WireChange {
    /// The field's path.
    pub name: String,
    /// The wire type in the old build.
    pub old: String,
    /// The wire type in the new build.
    pub new: String,
}

/// A field whose condition on other values changed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ConditionChange {
    /// The field's path.
    pub name: String,
    /// The condition in the old build (`None`: always on the wire).
    pub old: Option<String>,
    /// The condition in the new build (`None`: always on the wire).
    pub new: Option<String>,
}

/// A packet named with its sender.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PacketRef {
    /// The reference's name.
    pub packet: &'static str,
    /// Who sends it.
    pub from: &'static str,
    /// The wire id in the build that has it.
    pub wire_id: u16,
}

impl PacketRef {
    fn of(view: &PacketView) -> Self {
        Self { packet: view.packet, from: view.from, wire_id: view.wire_id }
    }
}

/// Everything that differs on the wire between two builds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BuildDiff {
    /// The old build.
    pub from: u32,
    /// The new build.
    pub to: u32,
    /// `[old, new]` protocol versions, if they differ.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub protocol: Option<[u8; 2]>,
    /// `[old, new]` match slot counts, if they differ.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub slots: Option<[u8; 2]>,
    /// Packets only the new build has.
    pub added: Vec<PacketRef>,
    /// Packets only the old build has.
    pub removed: Vec<PacketRef>,
    /// Packets in both that changed.
    pub changed: Vec<PacketChange>,
}

impl BuildDiff {
    /// Whether the two builds look the same on the wire as far as the definitions say
    /// (framing, hand-written codecs and server behaviour may still differ).
    pub fn is_empty(&self) -> bool {
        self.protocol.is_none()
            && self.slots.is_none()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
    }
}

/// What changed on the wire from `old` to `new`, server packets first, each direction in
/// canonical id order.
pub fn diff(old: Context, new: Context) -> BuildDiff {
    let mut result = BuildDiff {
        from: old.build(),
        to: new.build(),
        protocol: (old.protocol() != new.protocol()).then_some([old.protocol(), new.protocol()]),
        slots: (old.slots() != new.slots()).then_some([old.slots(), new.slots()]),
        ..BuildDiff::default()
    };
    for direction in [Direction::ServerToClient, Direction::ClientToServer] {
        let keyed = |ctx| -> BTreeMap<_, _> {
            packets(direction, ctx).into_iter().map(|view| ((view.id, view.packet), view)).collect()
        };
        let (before, after) = (keyed(old), keyed(new));
        for (key, view) in &after {
            match before.get(key) {
                None => result.added.push(PacketRef::of(view)),
                Some(old_view) => {
                    let change = compare(old_view, view);
                    if !change.is_empty() {
                        result.changed.push(change);
                    }
                }
            }
        }
        result
            .removed
            .extend(before.iter().filter(|(key, _)| !after.contains_key(key)).map(|(_, v)| PacketRef::of(v)));
    }
    result
}

/// How one packet changed from `old` to `new` (both views of the same packet).
pub fn compare(old: &PacketView, new: &PacketView) -> PacketChange {
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
