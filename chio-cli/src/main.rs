//! The `chio` command-line tool (work in progress).

fn main() {}
