//! The `brooklet` executable: a subcommand (`info`, `create`, `verify`, `download`, `seed`) or an
//! option runs the headless command line; otherwise the desktop window opens, with any `.torrent`
//! paths and magnet links given as arguments added to it.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if brooklet::cli::is_command_line(&args) {
        return brooklet::cli::main(args);
    }
    brooklet::i18n::init(std::env::var("BROOKLET_LANG").ok().as_deref());
    let items = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    match brooklet::gui::run(items) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "brooklet: {}",
                brooklet::fl!("error-window", reason = e.to_string())
            );
            ExitCode::FAILURE
        }
    }
}
