//! The criterion benches of BENCHMARKS.md: chio-rs and `bancho-packets` 5.3.1 on the same
//! packets and bytes. Throughput is in packets (elements); `bench-report` adds MB/s.
//!
//! ```text
//! cargo bench -p chio-bench --bench codec -- --warm-up-time 1 --measurement-time 3
//! cargo run -p chio-bench --release --bin bench-report
//! ```

// `criterion_group!` declares an undocumented function.
#![allow(missing_docs)]

#[path = "../peers/bancho_packets.rs"]
mod bancho_peer;

use std::hint::black_box;

use chio_bench::drive;
use chio_bench::workloads::{self, CHUNK, MODERN_BUILD, OLD_BUILDS, ctx};
use chio_packets::events::ServerEvent;
use chio_packets::frame::{FrameWriter, GzipLevel, UNCOMPRESSED_BUILD};
use chio_packets::primitives::string;
use chio_packets::{FromClient, FromServer, PacketEncoder};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn elements(n: usize) -> Throughput {
    Throughput::Elements(n as u64)
}

/// Workload 1: the modern login burst, server to client.
fn login_burst(c: &mut Criterion) {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let packets = workloads::login_burst(&events, ctx);
    let bytes = drive::bytes::<FromServer>(&packets, ctx);
    let peer = bancho_peer::server_packets(&packets);
    let mut peer_bytes = Vec::new();
    bancho_peer::encode_server(&peer, &mut peer_bytes);
    assert_eq!(peer_bytes, bytes, "bancho-packets writes other bytes");

    let mut group = c.benchmark_group("login_burst");
    group.throughput(elements(packets.len()));
    let mut buf = Vec::with_capacity(bytes.len());
    let mut encoder = PacketEncoder::new(ctx);
    // Each compared pair runs back to back (events and prebuilt packets, chio-rs and
    // bancho-packets), so that a ratio is not the drift of a busy machine over a minute.
    // First what a server does: the packets laid out from its events, then written.
    let mut writer = FrameWriter::new();
    group.bench_function("chio/write_events", |b| {
        b.iter(|| {
            buf.clear();
            drive::write_events(black_box(&events), ctx, &mut writer, &mut buf).unwrap();
            black_box(buf.len())
        })
    });
    group.bench_function("chio/encode", |b| {
        b.iter(|| {
            buf.clear();
            drive::encode::<FromServer>(black_box(&packets), &mut encoder, &mut buf).unwrap();
            black_box(buf.len())
        })
    });
    group.bench_function("bancho-packets/encode", |b| {
        b.iter(|| {
            buf.clear();
            bancho_peer::encode_server(black_box(&peer), &mut buf);
            black_box(buf.len())
        })
    });
    group.bench_function("chio/decode", |b| {
        b.iter(|| {
            drive::decode::<FromServer>(black_box(&bytes), ctx, |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    group.bench_function("bancho-packets/decode", |b| {
        b.iter(|| {
            bancho_peer::decode_server(black_box(&bytes), |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    // The floor of decoding: a decoder written by hand for these eight packet types.
    group.bench_function("floor/decode", |b| {
        b.iter(|| {
            chio_bench::floor::decode(black_box(&bytes), |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    // The floor: copying the same bytes.
    group.bench_function("memcpy", |b| {
        b.iter(|| {
            buf.clear();
            buf.extend_from_slice(black_box(&bytes));
            black_box(buf.len())
        })
    });
    group.finish();
}

/// Workload 2: the client upload, client to server; all of it for chio-rs, and the subset
/// `bancho-packets` models for both.
fn client_upload(c: &mut Criterion) {
    let ctx = ctx(MODERN_BUILD);
    let packets = workloads::client_upload();
    let bytes = drive::bytes::<FromClient>(&packets, ctx);
    let mut buf = Vec::with_capacity(bytes.len());

    let mut encoder = PacketEncoder::new(ctx);
    let mut group = c.benchmark_group("client_upload");
    group.throughput(elements(packets.len()));
    group.bench_function("chio/encode", |b| {
        b.iter(|| {
            buf.clear();
            drive::encode::<FromClient>(black_box(&packets), &mut encoder, &mut buf).unwrap();
            black_box(buf.len())
        })
    });
    group.bench_function("chio/decode", |b| {
        b.iter(|| {
            drive::decode::<FromClient>(black_box(&bytes), ctx, |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    group.finish();

    let subset = workloads::client_upload_peer_subset(&packets);
    let subset_bytes = drive::bytes::<FromClient>(&subset, ctx);
    let peer = bancho_peer::client_packets(&subset);
    let mut peer_bytes = Vec::new();
    bancho_peer::encode_client(&peer, &mut peer_bytes);
    assert_eq!(peer_bytes, subset_bytes, "bancho-packets writes other bytes");

    let mut group = c.benchmark_group("client_upload_peer_subset");
    group.throughput(elements(subset.len()));
    // Compared pairs back to back, as in workload 1.
    group.bench_function("chio/encode", |b| {
        b.iter(|| {
            buf.clear();
            drive::encode::<FromClient>(black_box(&subset), &mut encoder, &mut buf).unwrap();
            black_box(buf.len())
        })
    });
    group.bench_function("bancho-packets/encode", |b| {
        b.iter(|| {
            buf.clear();
            bancho_peer::encode_client(black_box(&peer), &mut buf);
            black_box(buf.len())
        })
    });
    group.bench_function("chio/decode", |b| {
        b.iter(|| {
            drive::decode::<FromClient>(black_box(&subset_bytes), ctx, |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    group.bench_function("bancho-packets/decode", |b| {
        b.iter(|| {
            bancho_peer::decode_client(black_box(&subset_bytes), |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    group.bench_function("memcpy", |b| {
        b.iter(|| {
            buf.clear();
            buf.extend_from_slice(black_box(&subset_bytes));
            black_box(buf.len())
        })
    });
    group.finish();
}

/// Workload 3: the login burst for the old eras (uncompressed b20120818, gzip above 150
/// bytes b1797, gzip always b282), written from its events (`write_events`) right after
/// the prebuilt packets it is compared with; the gzip eras at every [`GzipLevel`] (the
/// default, stored, as `encode`; the others as `encode_<level>`).
fn old_eras(c: &mut Criterion) {
    let events = workloads::login_events();
    let mut group = c.benchmark_group("old_eras");
    group.sample_size(20);
    for build in OLD_BUILDS {
        let ctx = ctx(build);
        let packets = workloads::login_burst(&events, ctx);
        let bytes = drive::bytes::<FromServer>(&packets, ctx);
        let mut buf = Vec::with_capacity(bytes.len() * 2);
        group.throughput(elements(packets.len()));
        // The compared pair back to back: the prebuilt packets (stored where gzipped), then
        // the same from events.
        let mut stored = PacketEncoder::new(ctx).with_gzip_level(GzipLevel::Stored);
        group.bench_function(format!("b{build}/encode"), |b| {
            b.iter(|| {
                buf.clear();
                drive::encode::<FromServer>(black_box(&packets), &mut stored, &mut buf).unwrap();
                black_box(buf.len())
            })
        });
        // What a server does: the same packets laid out from its events, then written.
        let mut writer = FrameWriter::new();
        group.bench_function(format!("b{build}/write_events"), |b| {
            b.iter(|| {
                buf.clear();
                drive::write_events(black_box(&events), ctx, &mut writer, &mut buf).unwrap();
                black_box(buf.len())
            })
        });
        group.bench_function(format!("b{build}/decode"), |b| {
            b.iter(|| {
                drive::decode::<FromServer>(black_box(&bytes), ctx, |packet| {
                    black_box(packet);
                })
                .unwrap()
            })
        });
        // The slower gzip levels, in the gzip eras.
        if build >= UNCOMPRESSED_BUILD {
            continue;
        }
        for level in GzipLevel::ALL.into_iter().filter(|&level| level != GzipLevel::Stored) {
            let mut encoder = PacketEncoder::new(ctx).with_gzip_level(level);
            group.bench_function(format!("b{build}/encode_{}", level.name()), |b| {
                b.iter(|| {
                    buf.clear();
                    drive::encode::<FromServer>(black_box(&packets), &mut encoder, &mut buf).unwrap();
                    black_box(buf.len())
                })
            });
        }
    }
    group.finish();
}

/// Workload 4: the stream readers fed 1,460-byte pieces against reading the whole buffer
/// (`Frames`), each with a `PacketDecoder`, on workloads 1 and 2: the `FrameFeeder`
/// (borrowed pieces) and the tokio codec's path (`FrameDecoder` batches off a `BytesMut`).
fn streaming(c: &mut Criterion) {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let server = workloads::login_burst(&events, ctx);
    let server_bytes = drive::bytes::<FromServer>(&server, ctx);
    let client = workloads::client_upload();
    let client_bytes = drive::bytes::<FromClient>(&client, ctx);

    let mut group = c.benchmark_group("streaming");
    group.throughput(elements(server.len()));
    group.bench_function("login_burst/whole", |b| {
        b.iter(|| {
            drive::decode::<FromServer>(black_box(&server_bytes), ctx, |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    group.bench_function("login_burst/chunks_1460", |b| {
        b.iter(|| {
            drive::feed::<FromServer>(black_box(&server_bytes), ctx, CHUNK, |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    group.bench_function("login_burst/bytes_mut_1460", |b| {
        b.iter(|| {
            drive::decode_bytes_mut::<FromServer>(black_box(&server_bytes), ctx, CHUNK, |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    group.throughput(elements(client.len()));
    group.bench_function("client_upload/whole", |b| {
        b.iter(|| {
            drive::decode::<FromClient>(black_box(&client_bytes), ctx, |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    group.bench_function("client_upload/chunks_1460", |b| {
        b.iter(|| {
            drive::feed::<FromClient>(black_box(&client_bytes), ctx, CHUNK, |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    group.bench_function("client_upload/bytes_mut_1460", |b| {
        b.iter(|| {
            drive::decode_bytes_mut::<FromClient>(black_box(&client_bytes), ctx, CHUNK, |packet| {
                black_box(packet);
            })
            .unwrap()
        })
    });
    group.finish();
}

/// The strings of workload 1 (names, cities, status texts, checksums, chat lines; a
/// quarter of the chat words not ASCII), validated as UTF-8 by chio-rs's check (an ASCII
/// fast path, then `core`), by `core::str::from_utf8`, and by `simdutf8`'s SIMD validator
/// (alone, and after `<[u8]>::is_ascii`), beside copying the same bytes.
fn utf8(c: &mut Criterion) {
    let mut strings: Vec<&[u8]> = Vec::new();
    let events = workloads::login_events();
    for event in &events {
        match event {
            ServerEvent::Message(m) => {
                strings.extend([m.sender.as_bytes(), m.content.as_bytes(), m.target.as_bytes()]);
            }
            ServerEvent::UserPresence(u) => strings.extend([u.name.as_bytes(), u.presence.city.as_bytes()]),
            ServerEvent::UserStats(u) => {
                strings.extend([u.status.text.as_bytes(), u.status.beatmap_checksum.as_bytes()]);
            }
            _ => {}
        }
    }
    let bytes: usize = strings.iter().map(|s| s.len()).sum();
    let mut group = c.benchmark_group("utf8");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("chio", |b| {
        b.iter(|| {
            for s in black_box(&strings) {
                black_box(string::validate(s).unwrap());
            }
        })
    });
    group.bench_function("core", |b| {
        b.iter(|| {
            for s in black_box(&strings) {
                black_box(core::str::from_utf8(s).unwrap());
            }
        })
    });
    group.bench_function("simdutf8", |b| {
        b.iter(|| {
            for s in black_box(&strings) {
                black_box(simdutf8::basic::from_utf8(s).unwrap());
            }
        })
    });
    group.bench_function("is_ascii_then_simdutf8", |b| {
        b.iter(|| {
            for s in black_box(&strings) {
                let valid = s.is_ascii() || simdutf8::basic::from_utf8(s).is_ok();
                assert!(black_box(valid));
            }
        })
    });
    let mut copy = Vec::with_capacity(bytes);
    group.bench_function("memcpy", |b| {
        b.iter(|| {
            copy.clear();
            for s in black_box(&strings) {
                copy.extend_from_slice(s);
            }
            black_box(copy.len())
        })
    });
    group.finish();
}

criterion_group!(benches, login_burst, client_upload, old_eras, streaming, utf8);
criterion_main!(benches);
