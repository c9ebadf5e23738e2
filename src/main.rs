//! The `brooklet` executable: a subcommand (`info`, `create`, `verify`, `download`, `seed`) or an
//! option runs the headless command line; no arguments, or only `.torrent` files and magnet
//! links, open the desktop window with them added. Anything else is a command-line mistake,
//! reported by the command line.
//!
//! Before the window opens, a running Brooklet of the same user is asked to take the items
//! (and raise its window); when it does, this process exits at once (single instance).

use brooklet::fl;
use brooklet::platform::instance::{self, Endpoint, HandOffError, OpenRequest, Role};
use std::process::ExitCode;

/// Requests from second launches that may wait for the window at once.
const ARRIVALS_QUEUE: usize = 16;

fn main() -> ExitCode {
    brooklet::gui::mark_process_start();
    // Before any file or socket is opened: every torrent keeps its files' handles open.
    brooklet::engine::storage::handles::raise_limit();
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if !brooklet::cli::opens_window(&args) {
        return brooklet::cli::main(args);
    }
    let before = args.len();
    args.retain(|a| a != brooklet::platform::autostart::MINIMIZED_FLAG);
    let minimized_flag = args.len() != before;
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
        eprintln!("brooklet: {}", fl!("error-no-display"));
        return ExitCode::FAILURE;
    }
    let request = OpenRequest::from_args(&args);
    let listener = match Endpoint::for_this_user()
        .map_err(HandOffError::NoInstance)
        .and_then(|endpoint| instance::hand_off_or_listen(&endpoint, &request))
    {
        Ok(Role::HandedOff) => return ExitCode::SUCCESS,
        Ok(Role::First(listener)) => Some(listener),
        Err(HandOffError::Refused) => {
            eprintln!("brooklet: {}", fl!("error-instance-refused"));
            return ExitCode::FAILURE;
        }
        Err(e @ (HandOffError::Io(_) | HandOffError::Request(_))) => {
            eprintln!(
                "brooklet: {}",
                fl!("error-instance-unreachable", reason = e.to_string())
            );
            return ExitCode::FAILURE;
        }
        // No endpoint could be made: this window works alone.
        Err(HandOffError::NoInstance(e)) => {
            eprintln!(
                "brooklet: {}",
                fl!("warning-instance-endpoint", reason = e.to_string())
            );
            None
        }
    };
    let (arrivals, _server) = match listener {
        Some(listener) => {
            let (tx, arrivals) = brooklet::gui::Arrivals::channel(ARRIVALS_QUEUE);
            // macOS opens files and links in the running app with Apple Events: same queue.
            #[cfg(target_os = "macos")]
            {
                let tx = tx.clone();
                brooklet::platform::apple_events::install(Box::new(move |items| {
                    let _ = tx.try_send(OpenRequest { items });
                }));
            }
            match listener.serve(move |request| tx.try_send(request).is_ok()) {
                Ok(server) => (Some(arrivals), Some(server)),
                Err(e) => {
                    eprintln!(
                        "brooklet: {}",
                        fl!("warning-instance-endpoint", reason = e.to_string())
                    );
                    (None, None)
                }
            }
        }
        None => (None, None),
    };
    let minimized = minimized_flag || settings.start_minimized;
    match brooklet::gui::run(request.items, arrivals, settings, minimized) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("brooklet: {}", fl!("error-window", reason = e.to_string()));
            ExitCode::FAILURE
        }
    }
}
