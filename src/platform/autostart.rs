//! "Start Brooklet when I log in": the one per-user switch each desktop has for it.
//!
//! - Linux and the BSDs: an XDG autostart entry, `$XDG_CONFIG_HOME/autostart/<app id>.desktop`
//!   (default `~/.config/autostart`), that runs this binary with `--minimized`.
//! - Windows: the value `Brooklet` under `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`.
//! - macOS: a launch agent, `~/Library/LaunchAgents/<app id>.plist`, run at load.
//!
//! Brooklet starts minimised (to the tray when there is one) so logging in does not throw a
//! window in the user's face. Turning it off removes only what Brooklet wrote. This module
//! depends on neither the GUI nor the engine.

use super::handlers::{APP_ID, HandlerError};
use std::path::Path;
#[cfg(unix)]
use std::path::PathBuf;

/// The option that starts the app without showing its window.
pub const MINIMIZED_FLAG: &str = "--minimized";

/// Whether Brooklet starts at login now.
pub fn is_enabled() -> bool {
    imp::is_enabled()
}

/// Makes Brooklet start at login (`true`) or not (`false`), for the current user.
pub fn set_enabled(enabled: bool) -> Result<(), HandlerError> {
    let exe = std::env::current_exe().map_err(HandlerError::CurrentExe)?;
    imp::set_enabled(enabled, &exe)
}

/// The first line of the autostart entry: how turning it off knows the file is Brooklet's.
#[cfg(all(unix, not(target_os = "macos")))]
const MARKER: &str = "# Written by Brooklet (Preferences → Start Brooklet when I log in)";

/// The XDG autostart entry running `exe` minimised.
#[cfg(all(unix, not(target_os = "macos")))]
fn desktop_entry(exe: &Path) -> Result<String, HandlerError> {
    let program = super::handlers::xdg::exec_program(exe)
        .ok_or_else(|| HandlerError::UnusablePath(exe.to_owned()))?;
    Ok(format!(
        "{MARKER}\n[Desktop Entry]\nType=Application\nName=Brooklet\n\
         Exec={program} {MINIMIZED_FLAG}\nIcon={APP_ID}\nTerminal=false\n\
         X-GNOME-Autostart-enabled=true\n"
    ))
}

/// The launch agent running `exe` minimised at login.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
fn launch_agent(exe: &Path) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \
         \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n<dict>\n\
         \t<key>Label</key>\n\t<string>{APP_ID}</string>\n\
         \t<key>ProgramArguments</key>\n\t<array>\n\
         \t\t<string>{}</string>\n\t\t<string>{MINIMIZED_FLAG}</string>\n\t</array>\n\
         \t<key>RunAtLoad</key>\n\t<true/>\n</dict>\n</plist>\n",
        escape(&exe.to_string_lossy())
    )
}

/// The user's autostart folder: `$XDG_CONFIG_HOME/autostart`, default `~/.config/autostart`.
#[cfg(all(unix, not(target_os = "macos")))]
fn xdg_autostart_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })
        .map(|c| c.join("autostart"))
}

/// Writes `text` to `path` (making its folder) or removes `path` when it is Brooklet's.
#[cfg_attr(windows, allow(dead_code))]
fn write_or_remove(
    path: &Path,
    text: Option<&str>,
    ours: impl Fn(&str) -> bool,
) -> Result<(), HandlerError> {
    match text {
        Some(text) => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| HandlerError::Write {
                    path: parent.to_owned(),
                    source,
                })?;
            }
            write_file(path, text.as_bytes())
        }
        None => match std::fs::read_to_string(path) {
            Ok(old) if ours(&old) => {
                std::fs::remove_file(path).map_err(|source| HandlerError::Remove {
                    path: path.to_owned(),
                    source,
                })
            }
            // Missing, unreadable or someone else's: nothing of ours to remove.
            _ => Ok(()),
        },
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), HandlerError> {
    super::handlers::xdg::replace_file(path, bytes)
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
#[cfg_attr(windows, allow(dead_code))]
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), HandlerError> {
    std::fs::write(path, bytes).map_err(|source| HandlerError::Write {
        path: path.to_owned(),
        source,
    })
}

#[cfg(all(unix, not(target_os = "macos")))]
mod imp {
    use super::*;

    fn entry_path() -> Option<PathBuf> {
        xdg_autostart_dir().map(|d| d.join(format!("{APP_ID}.desktop")))
    }

    pub fn is_enabled() -> bool {
        entry_path()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .is_some_and(|text| text.starts_with(MARKER))
    }

    pub fn set_enabled(enabled: bool, exe: &Path) -> Result<(), HandlerError> {
        let path = entry_path().ok_or(HandlerError::NoHome)?;
        let entry = if enabled {
            Some(desktop_entry(exe)?)
        } else {
            None
        };
        write_or_remove(&path, entry.as_deref(), |old| old.starts_with(MARKER))
    }
}

#[cfg(target_os = "macos")]
mod imp {
    use super::*;

    fn agent_path() -> Option<PathBuf> {
        std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| {
            PathBuf::from(h)
                .join("Library/LaunchAgents")
                .join(format!("{APP_ID}.plist"))
        })
    }

    pub fn is_enabled() -> bool {
        agent_path().is_some_and(|p| p.is_file())
    }

    pub fn set_enabled(enabled: bool, exe: &Path) -> Result<(), HandlerError> {
        let path = agent_path().ok_or(HandlerError::NoHome)?;
        let agent = enabled.then(|| launch_agent(exe));
        write_or_remove(&path, agent.as_deref(), |old| old.contains(APP_ID))
    }
}

#[cfg(windows)]
mod imp {
    use super::*;
    use std::io::ErrorKind;
    use winreg::RegKey;
    use winreg::enums::{HKEY_CURRENT_USER, KEY_READ, KEY_WRITE};

    const RUN: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";
    const VALUE: &str = "Brooklet";

    fn error(source: std::io::Error) -> HandlerError {
        HandlerError::Registry {
            key: format!(r"HKCU\{RUN}\{VALUE}"),
            source,
        }
    }

    pub fn is_enabled() -> bool {
        RegKey::predef(HKEY_CURRENT_USER)
            .open_subkey(RUN)
            .and_then(|k| k.get_value::<String, _>(VALUE))
            .is_ok()
    }

    pub fn set_enabled(enabled: bool, exe: &Path) -> Result<(), HandlerError> {
        let user = RegKey::predef(HKEY_CURRENT_USER);
        if enabled {
            let (key, _) = user.create_subkey(RUN).map_err(error)?;
            let command = format!("\"{}\" {MINIMIZED_FLAG}", exe.display());
            key.set_value(VALUE, &command).map_err(error)
        } else {
            match user.open_subkey_with_flags(RUN, KEY_READ | KEY_WRITE) {
                Ok(key) => match key.delete_value(VALUE) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
                    Err(e) => Err(error(e)),
                },
                Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
                Err(e) => Err(error(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    #[cfg(all(unix, not(target_os = "macos")))]
    fn the_autostart_entry_runs_this_binary_minimised() {
        let entry = desktop_entry(Path::new("/opt/my apps/brooklet")).unwrap();
        assert!(entry.starts_with(MARKER));
        assert!(
            entry
                .lines()
                .any(|l| l == "Exec=\"/opt/my apps/brooklet\" --minimized"),
            "{entry}"
        );
        assert!(entry.contains("\nType=Application\n"));
        assert!(entry.contains(&format!("\nIcon={APP_ID}\n")));
    }

    #[test]
    fn the_launch_agent_escapes_the_path() {
        let agent = launch_agent(Path::new("/Applications/A&B.app/Contents/MacOS/brooklet"));
        assert!(
            agent.contains("<string>/Applications/A&amp;B.app/Contents/MacOS/brooklet</string>")
        );
        assert!(agent.contains("<string>--minimized</string>"));
        assert!(agent.contains("<key>RunAtLoad</key>"));
    }

    #[test]
    #[cfg(all(unix, not(target_os = "macos")))]
    fn writing_then_removing_leaves_nothing_and_spares_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("autostart/x.desktop");
        let ours = |t: &str| t.starts_with(MARKER);
        let text = desktop_entry(Path::new("/usr/bin/brooklet")).unwrap();
        write_or_remove(&path, Some(&text), ours).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        write_or_remove(&path, None, ours).unwrap();
        assert!(!path.exists());
        // Removing again is fine; a file someone else wrote is kept.
        write_or_remove(&path, None, ours).unwrap();
        std::fs::write(&path, "[Desktop Entry]\nExec=other\n").unwrap();
        write_or_remove(&path, None, ours).unwrap();
        assert!(path.exists());
    }
}
