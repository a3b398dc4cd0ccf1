use chio_packets::BanchoPayload;

// An earlier window with `when` may overlap a later one (it falls through when false),
// but an unconditional window hides every later window it overlaps.
#[derive(BanchoPayload)]
struct Status {
    update: bool,
    #[bancho(until = 1788, when = *update)]
    #[bancho(until = 1788)]
    #[bancho(since = 1000, until = 2000)]
    #[bancho(default)]
    beatmap_id: i32,
}

fn main() {}
