//! The `brooklet` executable: hands its arguments to the command-line front end.
//!
//! With a subcommand (`info`, `create`, `verify`) it runs headless; the desktop window (its own
//! issue) will open when there is none.

fn main() -> std::process::ExitCode {
    brooklet::cli::main(std::env::args_os().skip(1).collect())
}
