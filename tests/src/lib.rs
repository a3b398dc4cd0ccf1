//! Cross-crate tests of chio-rs, and a packet declared outside `chio-packets` to prove
//! that downstream crates can define their own with the same derive.

pub mod fuzz_checks;
pub mod loopback;
pub mod relay;
pub mod wire_gen;

/// The README's Rust examples, compiled and run as doctests here, where every crate they
/// use (the server and the headless client too) is at hand.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The packets the reference recorded for `build` (`fixtures/server/<build>.json`, one of
/// the revisions), in order: wire id and uncompressed payload.
pub fn fixture_packets(build: u32) -> Vec<departures::Recorded> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/server/{build}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let cases: serde_json::Value = serde_json::from_str(&text).expect("a fixture file");
    cases
        .as_array()
        .expect("a list of cases")
        .iter()
        .flat_map(|case| case["packets"].as_array().expect("each case has packets"))
        .map(|packet| departures::Recorded {
            wire_id: packet["wire_id"].as_u64().and_then(|id| u16::try_from(id).ok()).expect("a wire id"),
            payload: unhex(packet["payload"].as_str().expect("a hex payload")),
        })
        .collect()
}

/// `packets` framed as `build`'s server frames them, in one stream.
pub fn frame_stream(build: u32, packets: &[departures::Recorded]) -> Vec<u8> {
    let ctx = chio_packets::Context::new(build);
    let mut stream = Vec::new();
    for packet in packets {
        chio_packets::frame::write_frame(
            packet.wire_id,
            &chio_packets::Trailing(packet.payload.as_slice().into()),
            &mut stream,
            ctx,
            chio_packets::frame::Compression::for_build(build),
        )
        .expect("a recorded payload frames");
    }
    stream
}

/// Every packet the reference recorded for `build`, framed in one stream.
pub fn fixture_stream(build: u32) -> Vec<u8> {
    frame_stream(build, &fixture_packets(build))
}

/// A custom server packet as a downstream crate would write it: no glob imports, only
/// the `chio_packets` dependency, fully qualified paths in the generated code.
pub mod custom {
    use std::borrow::Cow;

    /// A private-server notice that grew over time: a priority byte became an `i32` in
    /// build 20200101, and an expiry appeared in 20210101 (protocol 19 and up).
    #[derive(Clone, Debug, PartialEq, chio_packets::BanchoPacket)]
    #[bancho(id = 1000, from = server, name = "ServerNotice", since = 20150101)]
    pub struct ServerNotice<'a> {
        /// The notice text.
        pub text: Cow<'a, str>,
        /// Priority: one byte before b20200101, an `i32` after.
        #[bancho(until = 20200101, wire = u8)]
        #[bancho(since = 20200101, wire = i32)]
        pub priority: i32,
        /// Expiry as a Unix time, absent before b20210101 or below protocol 19.
        #[bancho(since = 20210101, since_protocol = 19)]
        #[bancho(default = -1)]
        pub expires_at: i64,
        /// Users the notice concerns, with a 16-bit count.
        #[bancho(count = u16)]
        pub user_ids: Vec<i32>,
    }

    /// A downstream server's packet set: the standard server packets plus its notice.
    ///
    /// This is what a crate with packets of its own writes to put them through every
    /// reader, the packet decoder and encoder, and the codec: an enum of its packets, its
    /// payload encoding, and [`PacketSet`](chio_packets::PacketSet) for a marker type,
    /// delegating the standard ids to [`FromServer`](chio_packets::FromServer).
    #[derive(Clone, Debug, PartialEq)]
    pub enum NoticeServerPacket<'a> {
        /// A standard server packet.
        Standard(chio_packets::ServerPacket<'a>),
        /// The custom notice.
        Notice(ServerNotice<'a>),
    }

    impl chio_packets::Encode for NoticeServerPacket<'_> {
        fn encoded_len(&self, ctx: chio_packets::Context) -> usize {
            match self {
                Self::Standard(packet) => packet.encoded_len(ctx),
                Self::Notice(notice) => notice.encoded_len(ctx),
            }
        }

        fn encode<B: chio_packets::BufMut + ?Sized>(
            &self,
            buf: &mut B,
            ctx: chio_packets::Context,
        ) -> Result<(), chio_packets::EncodeError> {
            match self {
                Self::Standard(packet) => packet.encode(buf, ctx),
                Self::Notice(notice) => notice.encode(buf, ctx),
            }
        }
    }

    /// The marker of [`NoticeServerPacket`]'s set.
    #[derive(Clone, Copy, Debug)]
    pub enum NoticeServer {}

    impl chio_packets::PacketSet for NoticeServer {
        const DIRECTION: chio_packets::Direction = chio_packets::Direction::ServerToClient;
        type Packet<'a> = NoticeServerPacket<'a>;

        fn decode<'a>(
            id: u16,
            reader: &mut chio_packets::Reader<'a>,
            ctx: chio_packets::Context,
        ) -> Result<NoticeServerPacket<'a>, chio_packets::DecodeError> {
            use chio_packets::{Decode, Packet};
            if id == ServerNotice::ID {
                if !ServerNotice::exists_in(ctx) {
                    return Err(reader.error(chio_packets::DecodeErrorKind::PacketNotInBuild {
                        name: ServerNotice::NAME,
                        build: ctx.build(),
                    }));
                }
                return ServerNotice::decode(reader, ctx).map(NoticeServerPacket::Notice);
            }
            chio_packets::FromServer::decode(id, reader, ctx).map(NoticeServerPacket::Standard)
        }

        fn id(packet: &NoticeServerPacket<'_>) -> u16 {
            match packet {
                NoticeServerPacket::Standard(packet) => packet.id(),
                NoticeServerPacket::Notice(_) => <ServerNotice<'_> as chio_packets::Packet>::ID,
            }
        }

        fn name(packet: &NoticeServerPacket<'_>) -> &'static str {
            match packet {
                NoticeServerPacket::Standard(packet) => packet.name(),
                NoticeServerPacket::Notice(_) => <ServerNotice<'_> as chio_packets::Packet>::NAME,
            }
        }

        fn into_owned(packet: NoticeServerPacket<'_>) -> NoticeServerPacket<'static> {
            match packet {
                NoticeServerPacket::Standard(packet) => NoticeServerPacket::Standard(packet.into_owned()),
                NoticeServerPacket::Notice(notice) => NoticeServerPacket::Notice(notice.into_owned()),
            }
        }
    }
}

/// Hex text to bytes, for payloads recorded from the reference (`"0b02..."`).
///
/// Panics on malformed hex: the input is always a literal in a test.
pub fn unhex(hex: &str) -> Vec<u8> {
    assert!(hex.len().is_multiple_of(2), "odd hex length: {hex}");
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digits")).collect()
}

/// Bytes to lowercase hex text, without separators.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Asserts that `value` matches a payload recorded from the reference for `ctx`: the
/// packet exists in that build, its wire id there is `wire_id` (when given), it encodes to
/// exactly `expected` with a matching `encoded_len`, and `expected` decodes back to it
/// with no bytes left over.
///
/// `expected` comes from the caller so that packets borrowing from their input decode
/// from it directly: `check(&value, ctx, Some(7), &unhex("0b01..."))`.
pub fn check_reference<'b, T>(value: &T, ctx: chio_packets::Context, wire_id: Option<u16>, expected: &'b [u8])
where
    T: chio_packets::Packet + chio_packets::Encode + chio_packets::Decode<'b> + PartialEq + std::fmt::Debug,
{
    let at = format!("{} in b{} p{}", T::NAME, ctx.build(), ctx.protocol());
    assert!(T::exists_in(ctx), "{at}: the packet is absent");
    if let Some(wire_id) = wire_id {
        assert_eq!(chio_packets::ids::wire_id(T::ID, ctx.build()), wire_id, "{at}: wire id");
    }
    assert_eq!(hex(&value.encode_payload(ctx).unwrap()), hex(expected), "{at}: encoding");
    assert_eq!(value.encoded_len(ctx), expected.len(), "{at}: encoded_len");
    let decoded = T::decode_payload(expected, ctx).unwrap();
    assert_eq!(&decoded, value, "{at}: decoding");
}

/// The pinned reference implementation (PyPI `chio` 1.1.21) in the workspace's `.venv`,
/// which `scripts/reference-env.sh` installs.
///
/// Tests that compare with the reference fail when it is missing; they never skip.
pub mod reference {
    use std::io::Write;
    use std::path::PathBuf;
    use std::process::{Command, Stdio};

    /// What to do when the reference is missing.
    pub const SETUP: &str = "run scripts/reference-env.sh to install the reference (chio 1.1.21) into .venv";

    /// The workspace root.
    pub fn workspace() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// The venv's interpreter; panics with [`SETUP`] when it is missing.
    pub fn python() -> PathBuf {
        let python = workspace().join(".venv/bin/python");
        assert!(python.exists(), "{} is missing: {SETUP}", python.display());
        python
    }

    /// Runs `args` with the reference's interpreter (from the workspace root), feeding
    /// `stdin`, and returns its standard output. Panics, with the script's error output,
    /// if it cannot run or fails; the script is prefixed with a check of the pinned version.
    pub fn run(args: &[&str], stdin: &[u8]) -> Vec<u8> {
        let python = python();
        let mut child = Command::new(&python)
            .args(args)
            .current_dir(workspace())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot run {}: {error}; {SETUP}", python.display()));
        let mut input = child.stdin.take().expect("piped stdin");
        let stdin = stdin.to_vec();
        // Written from a thread so a large output cannot block the child while we write.
        let writer = std::thread::spawn(move || input.write_all(&stdin));
        let output = child.wait_with_output().expect("the reference's output");
        writer.join().expect("stdin writer").expect("writing the reference's input");
        assert!(
            output.status.success(),
            "the reference failed ({}): {}\n{SETUP}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    /// What every snippet can use besides `sys` and `chio`: `norm(value)`, a reference value
    /// as plain JSON data (dataclasses as objects, enums and flags as their values).
    const NORM: &str = "import dataclasses, enum
def norm(v):
    if dataclasses.is_dataclass(v):
        return {f.name: norm(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, enum.Enum):
        return int(v.value)
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    return v";

    /// Runs a Python snippet (after checking the pinned version) with `stdin`; see [`run`].
    pub fn run_snippet(code: &str, stdin: &[u8]) -> Vec<u8> {
        let code = format!(
            "import sys, chio\nif chio.__version__ != '1.1.21':\n    sys.exit(f'the venv has chio {{chio.__version__}}, not 1.1.21')\n{NORM}\n{code}"
        );
        run(&["-c", &code], stdin)
    }
}

/// Comparing our event layer's packets with the reference's, allowing exactly the
/// documented departures (shared by the fixture and differential tests).
pub mod departures {
    use chio_packets::catalog::ServerPacket;
    use chio_packets::chat::BanchoIrcQuit;
    use chio_packets::events::ServerEvent;
    use chio_packets::ids::wire_id;
    use chio_packets::presence::QuitState;
    use chio_packets::{Context, Encode};

    use crate::hex;

    /// Canonical id of `BanchoIrcQuit`.
    pub const IRC_QUIT: u16 = 10;
    /// Canonical id of `BanchoUserQuit`.
    pub const USER_QUIT: u16 = 12;
    /// Canonical id of `BanchoUserPresence`.
    pub const USER_PRESENCE: u16 = 83;

    /// First build whose presence the reference ends with an extra mode byte.
    pub const COMPACT_PRESENCE_BUILD: u32 = 20121203;
    /// First build without `BanchoIrcQuit` (IRC users are ordinary users from here).
    pub const IRC_IN_PRESENCE_BUILD: u32 = 1788;

    /// One recorded packet.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Recorded {
        /// The id on the wire.
        pub wire_id: u16,
        /// The uncompressed payload.
        pub payload: Vec<u8>,
    }

    impl std::fmt::Display for Recorded {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{}:{}", self.wire_id, hex(&self.payload))
        }
    }

    /// Encodes a packet's payload, with the packet's name in the error.
    pub fn encode(packet: &ServerPacket<'_>, ctx: Context) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        packet.encode(&mut bytes, ctx).map_err(|error| format!("{}: {error}", packet.name()))?;
        Ok(bytes)
    }

    /// Which of the documented departures (chio_packets::events, "Where this layer departs
    /// from the reference") a comparison needed.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Departure {
        /// Presence from b20121203: the reference's payload is ours plus one mode byte.
        PresenceModeByte,
        /// An IRC user's quit (Gone / OsuRemaining) before b1788: the reference sends nothing,
        /// we send `BanchoIrcQuit(name)`.
        IrcQuitSent,
        /// An IRC user's quit (IrcRemaining) before b1788: the reference sends a UserQuit
        /// whose payload is the bare name, we send nothing.
        BareNameQuitDropped,
    }

    /// Compares our packets for `event` with the reference's, allowing only the documented
    /// departures (each checked exactly). Returns the departures applied.
    pub fn compare(
        event: &ServerEvent<'_>,
        ctx: Context,
        ours: &[ServerPacket<'_>],
        reference: &[Recorded],
    ) -> Result<Vec<Departure>, String> {
        let build = ctx.build();
        let ours: Vec<(Recorded, &ServerPacket<'_>)> = ours
            .iter()
            .map(|packet| {
                Ok((Recorded { wire_id: packet.wire_id(ctx), payload: encode(packet, ctx)? }, packet))
            })
            .collect::<Result<_, String>>()?;
        let show = |packets: &mut dyn Iterator<Item = &Recorded>| {
            packets.map(ToString::to_string).collect::<Vec<_>>().join(", ")
        };
        let mismatch = |what: &str| {
            format!(
                "{what}\n  ours:      [{}]\n  reference: [{}]",
                show(&mut ours.iter().map(|(recorded, _)| recorded)),
                show(&mut reference.iter())
            )
        };
        if let ServerEvent::UserQuit { user, state } = event
            && user.presence.is_irc
            && build < IRC_IN_PRESENCE_BUILD
        {
            // Departure 2: the reference's write_user_quit is a generator, so its
            // `return [(IrcQuit, name)]` is lost (digest 5.6, section 6 #8).
            let name = encode(&ServerPacket::BanchoIrcQuit(BanchoIrcQuit(user.name.clone())), ctx)?;
            return if *state == QuitState::IrcRemaining {
                let bare_name = Recorded { wire_id: wire_id(USER_QUIT, build), payload: name };
                if ours.is_empty() && reference == [bare_name] {
                    Ok(vec![Departure::BareNameQuitDropped])
                } else {
                    Err(mismatch(
                        "IRC user quit (IrcRemaining): expected nothing from us, a bare-name UserQuit from the reference",
                    ))
                }
            } else {
                let irc_quit = Recorded { wire_id: wire_id(IRC_QUIT, build), payload: name };
                if reference.is_empty() && ours.len() == 1 && ours[0].0 == irc_quit {
                    Ok(vec![Departure::IrcQuitSent])
                } else {
                    Err(mismatch(
                        "IRC user quit: expected BanchoIrcQuit(name) from us, nothing from the reference",
                    ))
                }
            };
        }
        if ours.len() != reference.len() {
            return Err(mismatch("packet counts differ"));
        }
        let mut departures = Vec::new();
        for ((ours, packet), reference) in ours.iter().zip(reference) {
            if ours.wire_id != reference.wire_id {
                return Err(mismatch("wire ids differ"));
            }
            if packet.id() == USER_PRESENCE && build >= COMPACT_PRESENCE_BUILD {
                // Departure 1: the reference ends the compact presence with `u8 mode` after
                // the rank (digest 4.3 P14, section 6 #16); the mode is already in bits 5-7
                // of the permissions byte.
                let ServerPacket::BanchoUserPresence(presence) = packet else {
                    return Err(mismatch("presence id without a presence packet"));
                };
                let mut expected = ours.payload.clone();
                expected.push(presence.mode as u8);
                if reference.payload != expected {
                    return Err(mismatch("presence: the reference should be ours plus the mode byte"));
                }
                departures.push(Departure::PresenceModeByte);
            } else if ours.payload != reference.payload {
                return Err(mismatch("payloads differ"));
            }
        }
        Ok(departures)
    }
}
