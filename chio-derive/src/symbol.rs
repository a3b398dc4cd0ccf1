//! Every attribute key the derives accept, in one table.

use std::fmt;

use syn::{Ident, Path};

/// An attribute key.
#[derive(Copy, Clone)]
pub(crate) struct Symbol(pub(crate) &'static str);

/// The attribute all keys live under: `#[bancho(...)]`.
pub(crate) const BANCHO: Symbol = Symbol("bancho");

// Container keys.
/// Path of the crate the generated code refers to (default `::chio_packets`).
pub(crate) const CRATE: Symbol = Symbol("crate");
/// The reference's packet name.
pub(crate) const NAME: Symbol = Symbol("name");
/// The canonical packet id.
pub(crate) const ID: Symbol = Symbol("id");
/// Who sends the packet: `server` or `client`.
pub(crate) const FROM: Symbol = Symbol("from");
/// A client packet that may use the larger frame cap (`Packet::LARGE`).
pub(crate) const LARGE: Symbol = Symbol("large");

// Window keys (on fields; `since`/`until` also on packets).
/// First build of a window.
pub(crate) const SINCE: Symbol = Symbol("since");
/// First build after a window.
pub(crate) const UNTIL: Symbol = Symbol("until");
/// First protocol version of a window.
pub(crate) const SINCE_PROTOCOL: Symbol = Symbol("since_protocol");
/// First protocol version after a window.
pub(crate) const UNTIL_PROTOCOL: Symbol = Symbol("until_protocol");
/// Wire type in a window.
pub(crate) const WIRE: Symbol = Symbol("wire");
/// Count prefix of a list in a window.
pub(crate) const COUNT: Symbol = Symbol("count");
/// Hand-written codec module in a window.
pub(crate) const WITH: Symbol = Symbol("with");
/// Condition on earlier field values.
pub(crate) const WHEN: Symbol = Symbol("when");

// Field and container keys.
/// On a field: its value where it is absent. On a struct: generate `Default`.
pub(crate) const DEFAULT: Symbol = Symbol("default");

/// The keys accepted on fields, for "unknown key" messages.
pub(crate) const FIELD_KEYS: &[Symbol] =
    &[SINCE, UNTIL, SINCE_PROTOCOL, UNTIL_PROTOCOL, WIRE, COUNT, WITH, WHEN, DEFAULT];

/// The keys accepted on packet structs.
pub(crate) const PACKET_KEYS: &[Symbol] = &[NAME, ID, FROM, SINCE, UNTIL, LARGE, DEFAULT, CRATE];

/// The keys accepted on payload structs.
pub(crate) const PAYLOAD_KEYS: &[Symbol] = &[DEFAULT, CRATE];

/// The keys accepted on enums and flags.
pub(crate) const TYPE_KEYS: &[Symbol] = &[CRATE];

/// `a, b or c`, for messages.
pub(crate) fn list(keys: &[Symbol]) -> String {
    let names: Vec<String> = keys.iter().map(|k| format!("`{}`", k.0)).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
