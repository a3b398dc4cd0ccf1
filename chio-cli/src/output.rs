//! What every command writes: buffered standard output, and failures on standard error
//! with the exit status they give.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// Reports bad input of `command` on standard error: exit status 1.
pub(crate) fn fail(command: &str, message: &str) -> ExitCode {
    eprintln!("chio {command}: {message}");
    ExitCode::FAILURE
}

/// Standard output failed. A closed pipe (`chio ... | head`) is not an error worth a
/// message; anything else is.
pub(crate) fn output_failed(error: &io::Error) -> ExitCode {
    if error.kind() != io::ErrorKind::BrokenPipe {
        eprintln!("chio: writing the output: {error}");
    }
    ExitCode::FAILURE
}

/// Runs `write` on buffered standard output.
pub(crate) fn print(
    write: impl FnOnce(&mut BufWriter<io::StdoutLock<'static>>) -> io::Result<()>,
) -> ExitCode {
    let mut out = BufWriter::new(io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => output_failed(&error),
    }
}
