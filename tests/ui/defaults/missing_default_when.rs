use chio_packets::BanchoPayload;

// A window under `when` may not apply, whatever the build.
#[derive(BanchoPayload)]
struct Status {
    update: bool,
    #[bancho(when = *update)]
    beatmap_id: i32,
}

fn main() {}
