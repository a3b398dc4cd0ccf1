//! Packets as JSON values, the form `chio decode` prints and the proxy logs (feature
//! `serde`).
//!
//! A packet enum serializes as `{"packet": <type name>, "data": ...}`; [`payload`] takes
//! the `data`. A payload type holds every field of every era, so [`on_the_wire`] removes
//! the fields the packet's build does not send: what is left is what was on the wire.

use serde::Serialize;
use serde_json::Value;

use crate::catalog;
use crate::layout::{Encoding, Layout, Shape};
use crate::{Context, Direction};

/// The `data` of a packet enum's JSON (`Null` for a packet without payload).
///
/// # Errors
///
/// What `serde_json` reports; the packet types of this crate always serialize.
pub fn payload(packet: &impl Serialize) -> serde_json::Result<Value> {
    let mut value = serde_json::to_value(packet)?;
    Ok(value.get_mut("data").map(Value::take).unwrap_or(Value::Null))
}

/// `data` (the JSON of the packet named `name` going `direction`) without the fields
/// `ctx`'s build does not put on the wire. Fields present under a condition on other
/// values stay.
///
/// ```
/// use chio_packets::{Context, Direction, json};
/// use chio_packets::presence::{OsuUserStatus, UserStatus};
/// use chio_packets::catalog::ClientPacket;
///
/// let packet = ClientPacket::from(OsuUserStatus(UserStatus::default()));
/// let data = json::payload(&packet).unwrap();
/// let old = json::on_the_wire(data.clone(), Direction::ClientToServer, "OsuUserStatus", Context::new(300));
/// let new = json::on_the_wire(data, Direction::ClientToServer, "OsuUserStatus", Context::new(20250306));
/// assert!(old.get("beatmap_id").is_none()); // b300 sends no map id
/// assert!(new.get("beatmap_id").is_some());
/// ```
pub fn on_the_wire(mut data: Value, direction: Direction, name: &str, ctx: Context) -> Value {
    if let Some(info) = catalog::find(name, ctx).filter(|info| info.direction == direction) {
        keep_on_the_wire(&mut data, info.layout, ctx);
    }
    data
}

/// Removes from `value` (the JSON of a value of `layout`) every field absent for `ctx`.
fn keep_on_the_wire(value: &mut Value, layout: &Layout, ctx: Context) {
    match &layout.shape {
        Shape::Struct { fields } => {
            // A newtype serializes as its field's value.
            if let [field] = fields
                && field.name == "0"
            {
                if let Some(Encoding::Wire(inner)) = field.window(ctx).map(|window| &window.encoding) {
                    keep_on_the_wire(value, inner, ctx);
                }
                return;
            }
            let Value::Object(object) = value else { return };
            for field in *fields {
                match field.window(ctx) {
                    None => {
                        object.remove(field.name);
                    }
                    Some(window) => {
                        if let (Encoding::Wire(inner), Some(value)) =
                            (&window.encoding, object.get_mut(field.name))
                        {
                            keep_on_the_wire(value, inner, ctx);
                        }
                    }
                }
            }
        }
        Shape::List { item, .. } => {
            if let Value::Array(items) = value {
                for item_value in items {
                    keep_on_the_wire(item_value, item, ctx);
                }
            }
        }
        Shape::Primitive | Shape::Enum { .. } | Shape::Flags { .. } => {}
    }
}
