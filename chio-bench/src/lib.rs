//! Benchmark workloads for chio-rs (work in progress).
