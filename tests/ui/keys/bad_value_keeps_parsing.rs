use chio_packets::BanchoPacket;

// A bad id is the only error: `from` after it is still read, and nothing is called missing.
#[derive(BanchoPacket)]
#[bancho(id = 70000, from = server)]
struct TooBigId;

// A bad `from` is one error, not also "missing from".
#[derive(BanchoPacket)]
#[bancho(id = 1, from = both)]
struct BadFrom;

#[derive(BanchoPacket)]
#[bancho(id = 1, from = "server")]
struct QuotedFrom;

// A bad window value does not turn into a "default is never used" error.
#[derive(chio_packets::BanchoPayload)]
struct Stats {
    #[bancho(since = BUILD)]
    #[bancho(default)]
    pp: u16,
}

fn main() {}
