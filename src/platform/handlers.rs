//! File and link handlers: `brooklet --register-handlers` makes Brooklet the program that opens
//! `.torrent` files and `magnet:` links for the current user; `--unregister-handlers` undoes it.
//!
//! Packages (the `.deb`, the Windows installer, the macOS bundle) declare the same things
//! system-wide; this module is for a binary that was copied or built by hand. Everything it
//! installs is embedded in the binary, so a lone executable can register itself:
//!
//! - Linux and the BSDs ([`xdg`]): the `.desktop` file (its `Exec` pointing at this binary), the
//!   hicolor icons and the AppStream metainfo under `$XDG_DATA_HOME`, then `xdg-mime default`
//!   for both types. Undoing removes only files that are still what Brooklet wrote, and unsets
//!   only defaults that name Brooklet.
//! - Windows ([`windows`]): keys under `HKCU\Software\Classes` (the `Brooklet.Torrent` ProgID,
//!   the `.torrent` association and the `magnet` URL protocol) and `RegisteredApplications`.
//! - macOS: nothing to do, the bundle's `Info.plist` declares both.
//!
//! Each step is reported through a callback as a [`Step`]; the caller (the command line) turns
//! steps and errors into localised lines. This module depends on neither the GUI nor the engine.

#[cfg(all(unix, not(target_os = "macos")))]
pub mod xdg;

#[cfg(windows)]
pub mod windows;

use std::path::PathBuf;

/// The one reverse-DNS app id (the `.desktop` name, the icon name, the metainfo id).
pub const APP_ID: &str = "org.brooklet.Brooklet";

/// The desktop entry shipped in `packaging/linux/` (the `.deb` installs it as it is).
pub const DESKTOP_ENTRY: &str = include_str!("../../packaging/linux/org.brooklet.Brooklet.desktop");

/// The AppStream metainfo shipped in `packaging/linux/`.
pub const METAINFO: &str = include_str!("../../packaging/linux/org.brooklet.Brooklet.metainfo.xml");

/// The app icon: the scalable SVG and the PNG renderings, by hicolor size folder.
pub const ICONS: [(&str, &str, &[u8]); 7] = [
    (
        "scalable",
        "svg",
        include_bytes!("../../assets/icons/hicolor/scalable/apps/org.brooklet.Brooklet.svg"),
    ),
    (
        "16x16",
        "png",
        include_bytes!("../../assets/icons/hicolor/16x16/apps/org.brooklet.Brooklet.png"),
    ),
    (
        "32x32",
        "png",
        include_bytes!("../../assets/icons/hicolor/32x32/apps/org.brooklet.Brooklet.png"),
    ),
    (
        "48x48",
        "png",
        include_bytes!("../../assets/icons/hicolor/48x48/apps/org.brooklet.Brooklet.png"),
    ),
    (
        "64x64",
        "png",
        include_bytes!("../../assets/icons/hicolor/64x64/apps/org.brooklet.Brooklet.png"),
    ),
    (
        "128x128",
        "png",
        include_bytes!("../../assets/icons/hicolor/128x128/apps/org.brooklet.Brooklet.png"),
    ),
    (
        "256x256",
        "png",
        include_bytes!("../../assets/icons/hicolor/256x256/apps/org.brooklet.Brooklet.png"),
    ),
];

/// What Brooklet opens: the `.torrent` MIME type and the `magnet:` URL scheme.
pub const HANDLED_TYPES: [&str; 2] = ["application/x-bittorrent", "x-scheme-handler/magnet"];

/// One thing done (or deliberately not done), reported as it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A file was written.
    Wrote(PathBuf),
    /// A file Brooklet had written was removed.
    Removed(PathBuf),
    /// A file is not what Brooklet writes (the user's or another package's): left alone.
    KeptForeign(PathBuf),
    /// An outside tool ran (the command line, for the report).
    Ran(String),
    /// An optional tool is not installed; its step was skipped.
    ToolMissing(String),
    /// An optional tool failed; registering went on without it.
    ToolFailed { command: String, reason: String },
    /// Brooklet is now the default for this MIME type or URL scheme.
    DefaultSet(String),
    /// Brooklet is no longer the default for this MIME type or URL scheme.
    DefaultUnset(String),
    /// A registry key was written (Windows).
    RegistryWrote(String),
    /// A registry key or value Brooklet had written was removed (Windows).
    RegistryRemoved(String),
    /// Nothing to do on this system (macOS: the bundle declares the handlers).
    NotNeeded,
}

/// Why registering or unregistering stopped.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// The path of the running program is unknown.
    #[error("cannot find the running program: {0}")]
    CurrentExe(std::io::Error),
    /// The running program's path cannot go into a desktop entry (a line break in it).
    #[error("the program's path `{0}` cannot be written in a desktop entry")]
    UnusablePath(PathBuf),
    /// Neither `XDG_DATA_HOME` nor `HOME` gives a folder to install into.
    #[error("no home folder: set HOME or XDG_DATA_HOME")]
    NoHome,
    /// A file or folder could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file could not be removed.
    #[error("cannot remove `{path}`: {source}")]
    Remove {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A required tool (`xdg-mime`) is missing.
    #[error("`{tool}` is not installed (package {package})")]
    ToolMissing { tool: String, package: String },
    /// A required tool failed.
    #[error("`{command}` failed: {reason}")]
    Command { command: String, reason: String },
    /// A registry key could not be written or removed (Windows).
    #[error("registry key `{key}`: {source}")]
    Registry { key: String, source: std::io::Error },
}

/// Registers Brooklet as the handler of `.torrent` files and magnet links for this user.
pub fn register(report: &mut dyn FnMut(Step)) -> Result<(), HandlerError> {
    #[cfg(all(unix, not(target_os = "macos")))]
    return xdg::register(&running_program()?, report);
    #[cfg(windows)]
    return windows::register(&running_program()?, report);
    #[cfg(target_os = "macos")]
    {
        report(Step::NotNeeded);
        Ok(())
    }
}

/// Undoes [`register`]: removes what it installed and unsets the defaults naming Brooklet.
pub fn unregister(report: &mut dyn FnMut(Step)) -> Result<(), HandlerError> {
    #[cfg(all(unix, not(target_os = "macos")))]
    return xdg::unregister(report);
    #[cfg(windows)]
    return windows::unregister(report);
    #[cfg(target_os = "macos")]
    {
        report(Step::NotNeeded);
        Ok(())
    }
}

/// The absolute path of the running binary, symbolic links resolved (what a desktop entry must
/// start).
#[cfg(all(unix, not(target_os = "macos")))]
fn running_program() -> Result<PathBuf, HandlerError> {
    let exe = std::env::current_exe().map_err(HandlerError::CurrentExe)?;
    Ok(std::fs::canonicalize(&exe).unwrap_or(exe))
}

/// The absolute path of the running binary (not canonicalised: that would add a `\\?\` prefix
/// that the shell's `open` command does not expect).
#[cfg(windows)]
fn running_program() -> Result<PathBuf, HandlerError> {
    std::env::current_exe().map_err(HandlerError::CurrentExe)
}
