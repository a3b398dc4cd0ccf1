//! A decoder of workload 1 written by hand: the floor a general decoder can approach.
//!
//! It knows only the modern header and the eight packet types of the login burst, reads
//! each field straight from the slice into a struct of borrowed strings, and validates
//! what chio-rs validates (frame bounds, string lengths, UTF-8 with the same ASCII fast
//! path). No build windows, id translation, limits, error offsets or raw frames: what is
//! left is the work any decoder of these bytes must do. BENCHMARKS.md compares it with
//! chio-rs and `bancho-packets` to show how far the 3× decoding target is from what the
//! machine allows.

use chio_packets::primitives::string;

/// One packet of workload 1, its strings borrowed from the input; the fixed-size fields
/// after the strings are kept as their bytes.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Packet<'a> {
    /// `LoginReply`, `ProtocolNegotiation` or `LoginPermissions`: one `i32`.
    Int { id: u16, value: i32 },
    /// `UserPresence`.
    Presence { user: i32, name: &'a str, fixed: [u8; 15] },
    /// `UserStats`.
    Stats { user: i32, status: u8, text: &'a str, checksum: &'a str, fixed: [u8; 39] },
    /// `Message`.
    Message { sender: &'a str, text: &'a str, target: &'a str, sender_id: i32 },
    /// `ChannelAvailable`.
    Channel { name: &'a str, topic: &'a str, users: i16 },
    /// `ChannelInfoComplete`.
    Empty,
}

/// Why the floor decoder stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The input ended inside a header, a payload or a field.
    Short,
    /// A string was not UTF-8, or its marker byte was neither `0x00` nor `0x0b`.
    BadString,
    /// A packet id outside workload 1.
    UnknownId(u16),
    /// A payload had bytes after its packet.
    Trailing,
}

/// A cursor over one payload.
struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    #[inline(always)]
    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let (head, rest) = self.rest.split_first_chunk::<N>().ok_or(Error::Short)?;
        self.rest = rest;
        Ok(*head)
    }

    #[inline(always)]
    fn i32(&mut self) -> Result<i32, Error> {
        self.array().map(i32::from_le_bytes)
    }

    #[inline(always)]
    fn string(&mut self) -> Result<&'a str, Error> {
        let (&marker, rest) = self.rest.split_first().ok_or(Error::Short)?;
        match marker {
            string::EMPTY => {
                self.rest = rest;
                Ok("")
            }
            string::PRESENT => {
                // ULEB128 length.
                let (mut len, mut shift, mut at) = (0usize, 0u32, 0usize);
                loop {
                    let &byte = rest.get(at).ok_or(Error::Short)?;
                    at += 1;
                    len |= usize::from(byte & 0x7f).checked_shl(shift).ok_or(Error::Short)?;
                    if byte & 0x80 == 0 {
                        break;
                    }
                    shift += 7;
                }
                let end = at.checked_add(len).ok_or(Error::Short)?;
                let bytes = rest.get(at..end).ok_or(Error::Short)?;
                self.rest = &rest[end..];
                string::validate(bytes).map_err(|_| Error::BadString)
            }
            _ => Err(Error::BadString),
        }
    }
}

/// Reads every frame of `bytes` (workload 1 for b20250306) and lends each packet to `each`.
/// Returns the number of packets.
pub fn decode<'a>(bytes: &'a [u8], mut each: impl FnMut(&Packet<'a>)) -> Result<usize, Error> {
    let mut rest = bytes;
    let mut count = 0;
    while !rest.is_empty() {
        let (header, after) = rest.split_first_chunk::<7>().ok_or(Error::Short)?;
        let id = u16::from_le_bytes([header[0], header[1]]);
        let len = u32::from_le_bytes([header[3], header[4], header[5], header[6]]) as usize;
        if after.len() < len {
            return Err(Error::Short);
        }
        let (payload, next) = after.split_at(len);
        rest = next;
        let mut fields = Fields { rest: payload };
        let packet = match id {
            5 | 71 | 75 => Packet::Int { id, value: fields.i32()? },
            83 => Packet::Presence { user: fields.i32()?, name: fields.string()?, fixed: fields.array()? },
            11 => Packet::Stats {
                user: fields.i32()?,
                status: fields.array::<1>()?[0],
                text: fields.string()?,
                checksum: fields.string()?,
                fixed: fields.array()?,
            },
            7 => Packet::Message {
                sender: fields.string()?,
                text: fields.string()?,
                target: fields.string()?,
                sender_id: fields.i32()?,
            },
            65 => Packet::Channel {
                name: fields.string()?,
                topic: fields.string()?,
                users: i16::from_le_bytes(fields.array()?),
            },
            89 => Packet::Empty,
            other => return Err(Error::UnknownId(other)),
        };
        if !fields.rest.is_empty() {
            return Err(Error::Trailing);
        }
        each(&packet);
        count += 1;
    }
    Ok(count)
}
