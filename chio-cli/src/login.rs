//! `chio login`: a login request body as JSON.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chio_packets::login::request::LoginRequest;
use serde::Serialize;

use crate::args;

/// Arguments of `chio login`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  printf 'peppy\\n5f4dcc3b5aa765d61d8327deb882cf99\\nb20250306|1|0|e3b0c44298fc1c149afbf4c8996fb924:runningunderwine:1a79a4d60de6718e8e5b326e338ae533:d41d8cd98f00b204e9800998ecf8427e:ad921d60486366258809553a3db49a4a:|1\\n' | chio login
  chio login body.txt | jq -r .version

Prints one JSON object: the request's fields, plus the build and the protocol version
and revision the build speaks. A body that does not parse gives one line on standard
error naming the field, line and byte, and exit status 1.")]
pub(crate) struct LoginArgs {
    /// The file holding the body; standard input if absent or `-`.
    file: Option<PathBuf>,
}

#[derive(Serialize)]
struct Parsed<'a> {
    #[serde(flatten)]
    request: LoginRequest<'a>,
    build: u32,
    protocol: u8,
    revision: u32,
}

/// Runs `chio login`.
pub(crate) fn login(args: &LoginArgs) -> ExitCode {
    let body = match args::read_input(args.file.as_ref()) {
        Ok(body) => body,
        Err(message) => return crate::output::fail("login", &message),
    };
    let request = match LoginRequest::parse(&body) {
        Ok(request) => request,
        Err(error) => return crate::output::fail("login", &error.to_string()),
    };
    let ctx = request.context();
    let parsed =
        Parsed { request, build: ctx.build(), protocol: ctx.protocol(), revision: ctx.revision().build };
    crate::output::print(|out| {
        serde_json::to_writer(&mut *out, &parsed).map_err(io::Error::other)?;
        writeln!(out)
    })
}
