use chio_packets::BanchoPacket;
use std::borrow::Cow;

#[derive(BanchoPacket)]
#[bancho(id = 7, from = server)]
struct SendMessage<'a, 'b> {
    sender: Cow<'a, str>,
    text: Cow<'b, str>,
}

fn main() {}
