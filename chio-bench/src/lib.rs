//! Benchmarks of chio-rs side by side with its peers (not published).
//!
//! - [`workloads`]: the four workloads of `BENCHMARKS.md`, built deterministically.
//! - [`drive`]: the work each benchmark times (encode into one buffer; decode a buffer
//!   whole or in chunks), shared by the criterion benches, the tests and the report.
//! - [`floor`]: a decoder of workload 1 written by hand, the floor a general decoder can
//!   approach.
//!
//! The criterion benches are in `benches/codec.rs`; the `workload-bytes` binary writes the
//! workloads' bytes and values for the reference timing script
//! (`scripts/bench_reference.py`), and `bench-report` turns criterion's and the script's
//! medians into the tables of `BENCHMARKS.md`.

pub mod drive;
pub mod floor;
pub mod workloads;
