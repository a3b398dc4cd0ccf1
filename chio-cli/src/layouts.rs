//! Packet layouts as one build sees them: each packet's wire fields flattened to
//! `path: wire type` rows, the view `packets`, `diff` and the changelog share.

use chio_packets::catalog::{self, PacketInfo};
use chio_packets::layout::{Encoding, Layout, Shape};
use chio_packets::{Context, Direction};
use serde::Serialize;

/// One wire field of a packet in one build.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct FieldRow {
    /// The path from the packet down (`status.mods`, `slots[].user_id`).
    pub(crate) name: String,
    /// The wire type (`i32`, `string`, `u8 as Status`, `list (i16 count)`).
    pub(crate) wire: String,
    /// A condition on other values, as written in the definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) when: Option<String>,
}

/// One packet as a build has it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PacketView {
    /// The reference's name.
    pub(crate) packet: &'static str,
    /// The Rust type carrying it in this build.
    #[serde(rename = "type")]
    pub(crate) type_name: &'static str,
    /// The canonical (modern) id.
    pub(crate) id: u16,
    /// The id on the wire in this build.
    pub(crate) wire_id: u16,
    /// Who sends it.
    pub(crate) from: &'static str,
    /// The wire fields in order.
    pub(crate) fields: Vec<FieldRow>,
}

/// `server` or `client`.
pub(crate) const fn sender(direction: Direction) -> &'static str {
    match direction {
        Direction::ServerToClient => "server",
        Direction::ClientToServer => "client",
    }
}

/// The packets of `direction` in `ctx`'s build, in canonical id order.
pub(crate) fn packets(direction: Direction, ctx: Context) -> Vec<PacketView> {
    catalog::packets_in(direction, ctx).into_iter().map(|info| view(info, ctx)).collect()
}

/// One packet type as `ctx`'s build has it.
pub(crate) fn view(info: &'static PacketInfo, ctx: Context) -> PacketView {
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

/// The name of a layout as a wire type: primitives by name, enums and flag sets with
/// their integer, lists with their count.
pub(crate) fn wire_name(layout: &Layout) -> String {
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
