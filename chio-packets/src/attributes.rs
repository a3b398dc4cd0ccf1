//! Reference of the `#[bancho(...)]` attributes (documentation only; nothing to import).
//!
//! # The derives
//!
//! | derive | on | generates |
//! |---|---|---|
//! | `BanchoPacket` | struct (named, tuple or unit) | `Encode`, `Decode`, `Describe`, `Packet`, `IntoOwned` and an inherent `into_owned`; `Default` with `default` |
//! | `BanchoPayload` | struct nested in packets | `Encode`, `Decode`, `Describe`, `IntoOwned` and an inherent `into_owned`; `Default` with `default` |
//! | `BanchoEnum` | fieldless enum with `#[repr(int)]` | codec, `WireCast` to every integer, `From`/`TryFrom` its repr, `Describe`, `IntoOwned` (the identity) |
//! | `BanchoFlags` | a `bitflags!` struct (inside its `#[derive]`) | codec, `WireCast` to every integer, `Describe`, `IntoOwned` (the identity) |
//!
//! Structs may have one lifetime parameter, which decoded strings borrow from the input;
//! type and const parameters are not supported. A newtype (one unnamed field) is
//! transparent in error paths.
//!
//! `into_owned` detaches a decoded struct from its input: `Foo<'a>` becomes
//! `Foo<'static>`, each field converted by [`IntoOwned`](crate::IntoOwned), so every field
//! type of a struct with a lifetime must implement it (`Cow<'a, str>` does, `&'a str`
//! cannot). A struct without a lifetime is returned as it is. The inherent method needs no
//! import and forwards to the trait; a hand-written inherent `into_owned` on a derived
//! struct clashes with it.
//!
//! # Container attributes
//!
//! | key | on | meaning |
//! |---|---|---|
//! | `id = N` | packets, required | canonical (modern) packet id, `u16` |
//! | `from = server` / `from = client` | packets, required | who sends it |
//! | `name = "..."` | packets | the reference's packet name (default: the struct name) |
//! | `since = B`, `until = B` | packets | the builds that have the packet, `since <= build < until` |
//! | `large` | packets `from = client` | frames of it may exceed the client frame cap ([`Packet::LARGE`](crate::Packet::LARGE)) |
//! | `default` | packets and payloads | generate `Default`: each field's `default = ...` if it has one, else `Default::default()` |
//! | `crate = "path"` | all | where the generated code finds the library (default `::chio_packets`) |
//!
//! # Field attributes
//!
//! Each `#[bancho(...)]` on a field that holds a window key is one *window*: a set of
//! builds and protocol versions where the field is on the wire, with its encoding there.
//! Windows are tried in order and must not overlap (an earlier window with `when` may).
//! A field without window attributes is on the wire everywhere, encoded as its own type.
//!
//! | key | kind | meaning |
//! |---|---|---|
//! | `since = B` | window | first build of the window |
//! | `until = B` | window | first build after the window |
//! | `since_protocol = P` | window | first protocol version of the window |
//! | `until_protocol = P` | window | first protocol version after the window |
//! | `wire = T` | window | carry the field as `T` here, converted through `WireCast<T>`; values that do not fit are errors, never clamped |
//! | `count = T` | window | for `Vec` fields: the count prefix type (`i32` by default; `u16`, `i16`, `u8`, `u32`) |
//! | `with = path` | window | encode with the functions `encoded_len`, `encode`, `decode` of module `path` |
//! | `when = expr` | window | also require `expr`; it sees earlier fields by reference (`*flag`) |
//! | `default` / `default = expr` | field | the value where the field is absent; required when some build, protocol or `when` leaves it out, refused when none does |
//!
//! The macro checks at compile time, reporting every problem at once at its span:
//! `since >= until`, overlapping windows, unknown or duplicate keys, missing or useless
//! `default`, several of `wire`/`count`/`with` in one window, `count` on a non-`Vec`,
//! non-literal or out-of-range numbers, packets without `id` or `from`, `large` on anything
//! but a client packet, and `default` on an enum or flag set. A `wire` type the field
//! cannot convert to is a type error naming `WireCast`; a field type without `IntoOwned`
//! (in a struct with a lifetime), or without `Default` under `#[bancho(default)]`, is a
//! type error at the field that says so.
//!
//! # Examples
//!
//! ## `id`, `from`, `name`: a packet's identity
//!
//! ```
//! use chio_packets::{BanchoPacket, Context, Direction, Encode, Packet};
//!
//! #[derive(BanchoPacket)]
//! #[bancho(id = 86, from = server, name = "BanchoRestart")]
//! struct Restart {
//!     retry_after_ms: i32,
//! }
//!
//! assert_eq!(Restart::NAME, "BanchoRestart");
//! assert_eq!(Restart::ID, 86);
//! assert_eq!(Restart::DIRECTION, Direction::ServerToClient);
//! let bytes = Restart { retry_after_ms: 5000 }.encode_payload(Context::NEWEST).unwrap();
//! assert_eq!(bytes, 5000i32.to_le_bytes());
//! ```
//!
//! ## `since`, `until` on a packet: the builds that have it
//!
//! ```
//! use chio_packets::{BanchoPacket, Context, Packet};
//!
//! #[derive(BanchoPacket)]
//! #[bancho(id = 10, from = server, since = 282, until = 1788)]
//! struct BanchoIrcQuit<'a>(std::borrow::Cow<'a, str>);
//!
//! assert!(BanchoIrcQuit::exists_in(Context::new(1787)));
//! assert!(!BanchoIrcQuit::exists_in(Context::new(1788)));
//! ```
//!
//! ## `since`, `until` on a field, with `default`
//!
//! ```
//! use chio_packets::{BanchoPayload, Context, Decode, Encode};
//!
//! #[derive(Debug, PartialEq, BanchoPayload)]
//! struct Frame {
//!     time: i32,
//!     /// Only b20160404 and later send a sequence number.
//!     #[bancho(since = 20160404)]
//!     #[bancho(default = -1)]
//!     sequence: i32,
//! }
//!
//! let frame = Frame { time: 1, sequence: 7 };
//! assert_eq!(frame.encode_payload(Context::new(20160403)).unwrap().len(), 4);
//! assert_eq!(frame.encode_payload(Context::new(20160404)).unwrap().len(), 8);
//! let old = Frame::decode_payload(&[1, 0, 0, 0], Context::new(20160403)).unwrap();
//! assert_eq!(old, Frame { time: 1, sequence: -1 });
//! ```
//!
//! ## `default` on a struct: `Default` without invented values
//!
//! The value of a field absent in some builds is its `default = ...` (what decoding gives
//! there); every other field takes `Default::default()`. Build a value for any build with
//! `..Default::default()` and the fields it lacks hold what its clients would read.
//!
//! ```
//! use std::borrow::Cow;
//! use chio_packets::{BanchoPayload, Context, Decode, Encode};
//!
//! #[derive(Debug, PartialEq, BanchoPayload)]
//! #[bancho(default)]
//! struct Message<'a> {
//!     content: Cow<'a, str>,
//!     #[bancho(since = 320)]
//!     #[bancho(default = Cow::Borrowed("#osu"))]
//!     target: Cow<'a, str>,
//!     #[bancho(since = 20121225)]
//!     #[bancho(default = -1)]
//!     sender_id: i32,
//! }
//!
//! let message = Message { content: "hi".into(), ..Message::default() };
//! assert_eq!((message.target.as_ref(), message.sender_id), ("#osu", -1));
//! // A b300 client reads the same value from the bytes it gets.
//! let old = Context::new(300);
//! let bytes = message.encode_payload(old).unwrap();
//! assert_eq!(Message::decode_payload(&bytes, old).unwrap(), message);
//! ```
//!
//! ## `large`: a client packet above the client frame cap
//!
//! ```
//! use chio_packets::{BanchoPacket, Packet};
//!
//! #[derive(BanchoPacket)]
//! #[bancho(id = 68, from = client, name = "OsuBeatmapInfoRequest", since = 354, large)]
//! struct BeatmapInfoRequest {
//!     filenames: Vec<String>,
//! }
//!
//! assert!(BeatmapInfoRequest::LARGE);
//! assert!(chio_packets::beatmaps::OsuBeatmapInfoRequest::LARGE);
//! ```
//!
//! ## `into_owned`: a decoded value that outlives its input
//!
//! ```
//! use std::borrow::Cow;
//! use chio_packets::{BanchoPacket, Context, Decode, Encode};
//!
//! #[derive(Debug, PartialEq, BanchoPacket)]
//! #[bancho(id = 24, from = server, name = "BanchoAnnounce")]
//! struct Announce<'a>(Cow<'a, str>);
//!
//! let ctx = Context::NEWEST;
//! let bytes = Announce("restarting".into()).encode_payload(ctx).unwrap();
//! let owned: Announce<'static> = Announce::decode_payload(&bytes, ctx).unwrap().into_owned();
//! drop(bytes);
//! std::thread::spawn(move || assert_eq!(owned, Announce("restarting".into()))).join().unwrap();
//! ```
//!
//! ## `wire`: one field, another wire type in some builds
//!
//! ```
//! use chio_packets::{BanchoPayload, Context, Encode, EncodeErrorKind};
//!
//! #[derive(BanchoPayload)]
//! struct Stats {
//!     /// `u16` before b695, `i32` from it.
//!     #[bancho(until = 695, wire = u16)]
//!     #[bancho(since = 695, wire = i32)]
//!     rank: i32,
//! }
//!
//! assert_eq!(Stats { rank: 7 }.encode_payload(Context::new(694)).unwrap(), [7, 0]);
//! assert_eq!(Stats { rank: 7 }.encode_payload(Context::new(695)).unwrap(), [7, 0, 0, 0]);
//! // No silent clamping: a rank of 70,000 cannot be sent to b694.
//! let err = Stats { rank: 70_000 }.encode_payload(Context::new(694)).unwrap_err();
//! assert_eq!(err.kind(), &EncodeErrorKind::OutOfRange { value: 70_000, wire: "u16" });
//! ```
//!
//! ## `since_protocol`, `until_protocol`: windows on the protocol version
//!
//! ```
//! use chio_packets::{BanchoPayload, Context, Encode};
//!
//! #[derive(BanchoPayload)]
//! struct Status {
//!     #[bancho(until_protocol = 11, wire = u16)]
//!     #[bancho(since_protocol = 11, wire = u32)]
//!     mods: u32,
//! }
//!
//! let ctx = Context::new(20120818); // protocol 11 by default
//! assert_eq!(Status { mods: 8 }.encode_payload(ctx).unwrap().len(), 4);
//! assert_eq!(Status { mods: 8 }.encode_payload(ctx.with_protocol(10)).unwrap().len(), 2);
//! ```
//!
//! ## `count`: the count prefix of a list
//!
//! ```
//! use chio_packets::{BanchoPayload, Context, Encode};
//!
//! #[derive(BanchoPayload)]
//! struct Ids {
//!     #[bancho(count = u16)]
//!     ids: Vec<i32>,
//! }
//!
//! let bytes = Ids { ids: vec![5] }.encode_payload(Context::NEWEST).unwrap();
//! assert_eq!(bytes, [1, 0, 5, 0, 0, 0]);
//! ```
//!
//! ## `when`: a window that depends on an earlier field
//!
//! ```
//! use chio_packets::{BanchoPayload, Context, Decode, Encode};
//!
//! #[derive(Debug, PartialEq, BanchoPayload)]
//! struct ScoreTail {
//!     using_scorev2: bool,
//!     #[bancho(when = *using_scorev2)]
//!     #[bancho(default)]
//!     combo_portion: f64,
//! }
//!
//! let ctx = Context::NEWEST;
//! assert_eq!(ScoreTail { using_scorev2: false, combo_portion: 0.0 }.encode_payload(ctx).unwrap(), [0]);
//! let v2 = ScoreTail { using_scorev2: true, combo_portion: 0.5 };
//! let bytes = v2.encode_payload(ctx).unwrap();
//! assert_eq!(bytes.len(), 9);
//! assert_eq!(ScoreTail::decode_payload(&bytes, ctx).unwrap(), v2);
//! ```
//!
//! ## `with`: a hand-written codec for one field
//!
//! ```
//! use chio_packets::{BanchoPayload, Context, Decode, Encode};
//!
//! /// A timezone sent as `offset + 24` in one byte.
//! mod timezone {
//!     use chio_packets::{BufMut, Context, Decode, DecodeError, Encode, EncodeError, Reader};
//!
//!     pub fn encoded_len(_: &i8, _: Context) -> usize { 1 }
//!     pub fn encode<B: BufMut + ?Sized>(v: &i8, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
//!         let shifted = u8::try_from(i16::from(*v) + 24)
//!             .map_err(|_| chio_packets::EncodeErrorKind::OutOfRange { value: (*v).into(), wire: "u8" })?;
//!         shifted.encode(buf, ctx)
//!     }
//!     pub fn decode(r: &mut Reader<'_>, ctx: Context) -> Result<i8, DecodeError> {
//!         let start = r.position();
//!         let raw = u8::decode(r, ctx)?;
//!         i8::try_from(i16::from(raw) - 24).map_err(|_| {
//!             DecodeError::new(chio_packets::DecodeErrorKind::OutOfRange { value: raw.into(), ty: "i8" }, start)
//!         })
//!     }
//! }
//!
//! #[derive(Debug, PartialEq, BanchoPayload)]
//! struct Presence {
//!     #[bancho(with = timezone)]
//!     utc_offset: i8,
//! }
//!
//! let bytes = Presence { utc_offset: -5 }.encode_payload(Context::NEWEST).unwrap();
//! assert_eq!(bytes, [19]);
//! assert_eq!(Presence::decode_payload(&bytes, Context::NEWEST).unwrap(), Presence { utc_offset: -5 });
//! ```
//!
//! ## `BanchoEnum` and `BanchoFlags`
//!
//! ```
//! use chio_packets::{BanchoEnum, BanchoFlags, BanchoPayload, Context, Decode, DecodeErrorKind, Encode};
//!
//! #[derive(Clone, Copy, Debug, PartialEq, BanchoEnum)]
//! #[repr(i32)]
//! enum Reply { Banned = -3, Ok = 0 }
//!
//! bitflags::bitflags! {
//!     #[derive(Clone, Copy, Debug, PartialEq, BanchoFlags)]
//!     struct Buttons: u8 { const LEFT = 1; const RIGHT = 2; }
//! }
//!
//! #[derive(Debug, PartialEq, BanchoPayload)]
//! struct Input {
//!     reply: Reply,
//!     #[bancho(wire = u32)]
//!     buttons: Buttons,
//! }
//!
//! let value = Input { reply: Reply::Banned, buttons: Buttons::LEFT | Buttons::RIGHT };
//! let bytes = value.encode_payload(Context::NEWEST).unwrap();
//! assert_eq!(bytes, [0xfd, 0xff, 0xff, 0xff, 3, 0, 0, 0]);
//! assert_eq!(Input::decode_payload(&bytes, Context::NEWEST).unwrap(), value);
//! // A value no variant has is an error, not a guess.
//! let err = Reply::decode_payload(&[9, 0, 0, 0], Context::NEWEST).unwrap_err();
//! assert_eq!(err.kind(), &DecodeErrorKind::InvalidEnum { ty: "Reply", value: 9 });
//! assert_eq!(err.offset(), 0);
//! ```
//!
//! ## `crate`: using the derives with `chio-core` alone
//!
//! ```
//! use chio_packets::BanchoPayload;
//!
//! // A crate that depends on chio-core and chio-derive directly names the core here.
//! #[derive(BanchoPayload)]
//! #[bancho(crate = "chio_packets")]
//! struct Pong;
//! ```
//!
//! # Layouts at run time
//!
//! Every derived type describes itself through [`Describe`](crate::Describe):
//!
//! ```
//! use chio_packets::presence::UserStats;
//! use chio_packets::{Context, Describe};
//!
//! let layout = UserStats::LAYOUT;
//! let pp = layout.fields().iter().find(|f| f.name == "pp").unwrap();
//! let window = pp.window(Context::new(20250306)).unwrap();
//! assert_eq!(window.builds.to_string(), "b20250306+");
//! assert!(pp.window(Context::new(20120722)).is_none());
//! ```
