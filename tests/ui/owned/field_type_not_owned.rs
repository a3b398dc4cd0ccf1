// A field type of its own in a struct with a lifetime needs `IntoOwned` too (uses
// chio-core directly, so rustc's list of implementing types stays the same).
use std::borrow::Cow;

use chio_derive::BanchoPayload;

#[derive(BanchoPayload)]
#[bancho(crate = "chio_core")]
struct Score<'a> {
    player: Cow<'a, str>,
    grade: Grade,
}

struct Grade(u8);

impl chio_core::Encode for Grade {
    fn encoded_len(&self, _: chio_core::Context) -> usize {
        1
    }
    fn encode<B: chio_core::BufMut + ?Sized>(
        &self,
        buf: &mut B,
        _: chio_core::Context,
    ) -> Result<(), chio_core::EncodeError> {
        buf.put_u8(self.0);
        Ok(())
    }
}

impl<'de> chio_core::Decode<'de> for Grade {
    fn decode(reader: &mut chio_core::Reader<'de>, ctx: chio_core::Context) -> Result<Self, chio_core::DecodeError> {
        u8::decode(reader, ctx).map(Grade)
    }
}

impl chio_core::Describe for Grade {
    const LAYOUT: &'static chio_core::Layout = <u8 as chio_core::Describe>::LAYOUT;
}

fn main() {}
