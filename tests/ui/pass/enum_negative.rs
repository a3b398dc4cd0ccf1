use chio_packets::{BanchoEnum, BanchoPayload, Context, Decode, Encode};

#[derive(Clone, Copy, Debug, PartialEq, BanchoEnum)]
#[repr(i32)]
enum LoginError {
    InvalidLogin = -1,
    InvalidVersion,
    UserBanned = -3,
    Hex = 0x0b,
    Next,
}

#[derive(Debug, PartialEq, BanchoPayload)]
struct Reply {
    #[bancho(until = 1788, wire = i8)]
    #[bancho(since = 1788)]
    error: LoginError,
}

fn main() {
    assert_eq!(i32::from(LoginError::InvalidVersion), 0);
    assert_eq!(i32::from(LoginError::Next), 12);
    assert_eq!(LoginError::try_from(-3).unwrap(), LoginError::UserBanned);
    assert!(LoginError::try_from(-2).is_err());
    for build in [1000, 20250306] {
        let ctx = Context::new(build);
        let reply = Reply { error: LoginError::InvalidLogin };
        let bytes = reply.encode_payload(ctx).unwrap();
        assert_eq!(Reply::decode_payload(&bytes, ctx).unwrap(), reply);
    }
}
