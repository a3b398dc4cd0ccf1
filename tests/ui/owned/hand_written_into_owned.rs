use std::borrow::Cow;

use chio_packets::BanchoPayload;

// The derive writes the inherent `into_owned`; a hand-written one clashes with it.
#[derive(BanchoPayload)]
struct Channel<'a> {
    name: Cow<'a, str>,
}

impl Channel<'_> {
    fn into_owned(self) -> Channel<'static> {
        Channel { name: Cow::Owned(self.name.into_owned()) }
    }
}

fn main() {}
