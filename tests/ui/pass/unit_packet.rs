use chio_packets::{BanchoPacket, Context, Decode, Encode, Packet};

#[derive(Debug, PartialEq, BanchoPacket)]
#[bancho(id = 4, from = client, name = "OsuPong")]
struct Pong;

#[derive(Debug, PartialEq, BanchoPacket)]
#[bancho(id = 8, from = server, name = "BanchoPing")]
struct Ping {}

fn main() {
    let ctx = Context::NEWEST;
    assert!(Pong.encode_payload(ctx).unwrap().is_empty());
    assert_eq!(Pong::decode_payload(&[], ctx).unwrap(), Pong);
    assert!(Ping {}.encode_payload(ctx).unwrap().is_empty());
    assert_eq!(<Pong as Packet>::ID, 4);
}
