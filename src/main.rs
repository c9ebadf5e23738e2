//! The `brooklet` executable: a subcommand (`info`, `create`, `verify`, `download`, `seed`) or an
//! option runs the headless command line; no arguments, or only `.torrent` files and magnet
//! links, open the desktop window with them added. Anything else is a command-line mistake,
//! reported by the command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if !brooklet::cli::opens_window(&args) {
        return brooklet::cli::main(args);
    }
    // A small file read once before the window opens: the language must be known first.
    let settings = brooklet::settings::default_config_dir()
        .map(|dir| brooklet::settings::Settings::load(&dir))
        .unwrap_or_default();
    // BROOKLET_LANG wins over the saved language (tests and scripts rely on it).
    let lang = std::env::var("BROOKLET_LANG")
        .ok()
        .or_else(|| Some(settings.language.clone()).filter(|l| !l.is_empty()));
    brooklet::i18n::init(lang.as_deref());
    if !brooklet::gui::display_available() {
        eprintln!("brooklet: {}", brooklet::fl!("error-no-display"));
        return ExitCode::FAILURE;
    }
    let items = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    match brooklet::gui::run(items, settings) {
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
