//! The headless front door: `brooklet info|create|verify|download|seed`, for scripts, tests and benchmarks,
//! and `--register-handlers`/`--unregister-handlers` (the desktop's file and link handlers).
//!
//! Parses arguments (lexopt), runs one engine operation and reports it. Bad input is one clear
//! line on stderr and a non-zero exit, never a panic. Every string comes from Fluent through
//! [`fl!`](crate::fl). Exit codes: 0 success, 1 the operation failed (or a check found missing
//! pieces), 2 the command line was wrong.

mod create;
mod download;
mod handlers;
mod info;
mod progress;
mod verify;

use crate::fl;
use lexopt::prelude::*;
use std::ffi::OsString;
use std::process::ExitCode;

/// `println!` that ends the process quietly when stdout is a closed pipe (`brooklet info x | head`)
/// instead of panicking.
macro_rules! say {
    () => { $crate::cli::say_line(format_args!("")) };
    ($($arg:tt)*) => { $crate::cli::say_line(format_args!($($arg)*)) };
}
pub(crate) use say;

#[doc(hidden)]
pub fn say_line(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n"))
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// A failure to report: the message (already localised) and the exit code.
#[derive(Debug)]
pub struct CliError {
    message: String,
    code: u8,
}

impl CliError {
    /// The operation failed (exit code 1).
    pub fn failed(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            code: 1,
        }
    }
    /// The command line was wrong (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            code: 2,
        }
    }
}

impl From<lexopt::Error> for CliError {
    fn from(e: lexopt::Error) -> Self {
        CliError::usage(e.to_string())
    }
}

type CliResult = Result<ExitCode, CliError>;

/// The subcommands of the command line.
pub const COMMANDS: [&str; 6] = ["info", "create", "verify", "download", "seed", "help"];

/// True when the arguments ask for the desktop window: none at all, or only `.torrent` files
/// that exist and magnet links (what a file manager or browser passes), and `--minimized`
/// (start hidden in the tray, as at login). A subcommand, an option
/// or anything else goes to the command line, which reports mistakes.
pub fn opens_window(args: &[OsString]) -> bool {
    args.iter().all(|a| {
        let text = a.to_string_lossy();
        if text == crate::platform::autostart::MINIMIZED_FLAG {
            return true;
        }
        if text.starts_with('-') || COMMANDS.contains(&text.as_ref()) {
            return false;
        }
        is_magnet(&text) || std::path::Path::new(a).is_file()
    })
}

/// Runs the command line (without the program name) and returns the exit code.
pub fn main(args: Vec<OsString>) -> ExitCode {
    crate::i18n::init(std::env::var("BROOKLET_LANG").ok().as_deref());
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("brooklet: {}", one_line(&e.message));
            ExitCode::from(e.code)
        }
    }
}

fn run(args: Vec<OsString>) -> CliResult {
    let mut parser = lexopt::Parser::from_args(args);
    match parser.next()? {
        None => {
            say!("{}", usage());
            Ok(ExitCode::SUCCESS)
        }
        Some(Short('h') | Long("help")) => {
            say!("{}", usage());
            Ok(ExitCode::SUCCESS)
        }
        Some(Long("register-handlers")) => {
            handlers::run(handlers::Direction::Register, &mut parser)
        }
        Some(Long("unregister-handlers")) => {
            handlers::run(handlers::Direction::Unregister, &mut parser)
        }
        Some(Short('V') | Long("version")) => {
            say!("brooklet {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Some(Value(cmd)) => match cmd.to_string_lossy().as_ref() {
            "info" => info::run(&mut parser),
            "create" => create::run(&mut parser),
            "verify" => verify::run(&mut parser),
            "download" => download::run_download(&mut parser),
            "seed" => download::run_seed(&mut parser),
            "help" => {
                say!("{}", usage());
                Ok(ExitCode::SUCCESS)
            }
            other => Err(CliError::usage(fl!("cli-unknown-command", command = other))),
        },
        Some(arg) => Err(arg.unexpected().into()),
    }
}

/// True when a command-line argument is a magnet link rather than a file path.
fn is_magnet(arg: &str) -> bool {
    arg.get(..7)
        .is_some_and(|head| head.eq_ignore_ascii_case("magnet:"))
}

/// A message made safe for one terminal line: line breaks become spaces and other control
/// characters (which a hostile torrent may put in a file name) are shown escaped, never sent to
/// the terminal.
fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// The usage text.
pub fn usage() -> String {
    format!(
        "{}\n\n{}\n\n{}",
        fl!("cli-usage"),
        fl!("cli-usage-limits"),
        fl!("cli-usage-ip-filter")
    )
}

/// A required positional argument, with a clear message when it is missing.
fn required_value(value: Option<OsString>, what: &str) -> Result<OsString, CliError> {
    value.ok_or_else(|| CliError::usage(fl!("cli-missing-argument", what = what)))
}

/// Parses a number argument for `option`.
fn parse_number(value: OsString, option: &str) -> Result<u64, CliError> {
    let text = value.to_string_lossy();
    parse_size(&text).ok_or_else(|| {
        CliError::usage(fl!(
            "cli-bad-number",
            option = option,
            value = text.as_ref()
        ))
    })
}

/// `16384`, `16k`, `16KiB`, `4M`, `4MiB` → bytes.
fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" | "kb" => 1 << 10,
        "m" | "mib" | "mb" => 1 << 20,
        "g" | "gib" | "gb" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_arguments_open_the_window() {
        let os = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(opens_window(&[]));
        assert!(opens_window(&os(&["magnet:?xt=urn:btih:abc"])));
        let file = std::env::current_exe().unwrap_or_default();
        assert!(opens_window(&[file.into_os_string()]));
        assert!(!opens_window(&os(&["info", "x.torrent"])));
        assert!(!opens_window(&os(&["--help"])));
        assert!(!opens_window(&os(&["--register-handlers"])));
        assert!(!opens_window(&os(&["--unregister-handlers"])));
        assert!(
            !opens_window(&os(&["frobnicate"])),
            "not a file: a command-line mistake"
        );
    }

    #[test]
    fn magnet_detection_never_slices_inside_a_character() {
        assert!(is_magnet("MAGNET:?xt=urn:btih:x"));
        assert!(!is_magnet("日本語.torrent"));
        assert!(!is_magnet("short"));
    }

    #[test]
    fn error_lines_carry_no_control_characters() {
        let line = one_line("bad `a\u{1b}[2Jb\u{b}c\0`\nnext");
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert!(line.contains("\\u{1b}[2J"));
    }

    #[test]
    fn sizes_on_the_command_line() {
        assert_eq!(parse_size("16384"), Some(16384));
        assert_eq!(parse_size("16k"), Some(16384));
        assert_eq!(parse_size("4MiB"), Some(4 << 20));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_size("99999999999999999999G"), None);
        assert_eq!(parse_size("18446744073709551615G"), None);
    }
}
