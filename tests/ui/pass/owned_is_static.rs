// `into_owned` (inherent, and the trait's) gives a value that outlives its input buffer
// and can move to another thread.
use std::borrow::Cow;

use chio_packets::chat::{BanchoMessage, Message};
use chio_packets::multiplayer::Match;
use chio_packets::{BanchoPacket, Context, Decode, Encode, IntoOwned, Trailing};

#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[bancho(id = 1000, from = server)]
struct Notice<'a> {
    text: Cow<'a, str>,
    tags: Vec<Cow<'a, str>>,
    #[bancho(since = 20200101)]
    #[bancho(default)]
    extra: Trailing<'a>,
}

fn spawn_with<T: Send + 'static + PartialEq + std::fmt::Debug>(value: T, expected: T) {
    std::thread::spawn(move || assert_eq!(value, expected)).join().unwrap();
}

fn main() {
    let ctx = Context::NEWEST;

    let notice = Notice { text: "hi".into(), tags: vec!["a".into()], extra: Trailing(Cow::Borrowed(b"\x01\x02")) };
    let bytes = notice.encode_payload(ctx).unwrap();
    let owned: Notice<'static> = Notice::decode_payload(&bytes, ctx).unwrap().into_owned();
    drop(bytes);
    spawn_with(owned, notice);

    let message = BanchoMessage(Message {
        sender: "peppy".into(),
        content: "hello".into(),
        is_dm: false,
        target: "#osu".into(),
        sender_id: 2,
    });
    let bytes = message.encode_payload(ctx).unwrap();
    let owned: BanchoMessage<'static> =
        IntoOwned::into_owned(BanchoMessage::decode_payload(&bytes, ctx).unwrap());
    drop(bytes);
    spawn_with(owned, message);

    let game = Match { slots: vec![Default::default(); 16], ..Match::default() };
    let bytes = game.encode_payload(ctx).unwrap();
    let owned: Match<'static> = Match::decode_payload(&bytes, ctx).unwrap().into_owned();
    drop(bytes);
    spawn_with(owned, game);
}
