use chio_packets::{BanchoPacket, Context, Decode, Encode};

#[derive(Debug, PartialEq, BanchoPacket)]
#[bancho(id = 5, from = server, name = "BanchoLoginReply")]
struct LoginReply(i32);

fn main() {
    let ctx = Context::NEWEST;
    let bytes = LoginReply(-3).encode_payload(ctx).unwrap();
    assert_eq!(bytes, (-3i32).to_le_bytes());
    assert_eq!(LoginReply::decode_payload(&bytes, ctx).unwrap(), LoginReply(-3));
}
