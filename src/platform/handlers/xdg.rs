//! Handlers on freedesktop.org systems (Linux, the BSDs), for the current user only.
//!
//! Registering writes the desktop entry (with `Exec` naming this binary), the hicolor icons and
//! the AppStream metainfo under `$XDG_DATA_HOME` (default `~/.local/share`), refreshes the
//! desktop database when `update-desktop-database` is installed, and makes Brooklet the default
//! for both handled types with `xdg-mime default` (xdg-utils), which writes
//! `$XDG_CONFIG_HOME/mimeapps.list`. `xdg-mime` is required: without it nothing is written.
//!
//! Unregistering removes a file only when it is still what Brooklet wrote (the desktop entry
//! carries [`MARKER`]; icons and metainfo must match the embedded bytes) and removes the
//! Brooklet entry from the handled types' lines of `mimeapps.list` (xdg-utils has no "unset"),
//! leaving every other line and application as it was.

use super::{APP_ID, DESKTOP_ENTRY, HANDLED_TYPES, HandlerError, ICONS, METAINFO, Step};
use std::ffi::OsStr;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The first line of an installed desktop entry: how unregistering knows the file is ours.
pub const MARKER: &str =
    "# Installed by brooklet --register-handlers (brooklet --unregister-handlers removes it)";

/// The sections of `mimeapps.list` that can name Brooklet for a type.
const MIMEAPPS_SECTIONS: [&str; 2] = ["[Default Applications]", "[Added Associations]"];

/// Where the user's files go.
#[derive(Debug, Clone)]
struct Places {
    /// `$XDG_DATA_HOME`, default `~/.local/share`.
    data_home: PathBuf,
    /// `$XDG_CONFIG_HOME`, default `~/.config`.
    config_home: PathBuf,
}

impl Places {
    /// The XDG base folders; relative values are ignored, as the specification says.
    fn from_env() -> Result<Places, HandlerError> {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        let base = |var: &str, fallback: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .or_else(|| home.as_ref().map(|h| h.join(fallback)))
                .ok_or(HandlerError::NoHome)
        };
        Ok(Places {
            data_home: base("XDG_DATA_HOME", ".local/share")?,
            config_home: base("XDG_CONFIG_HOME", ".config")?,
        })
    }

    fn applications(&self) -> PathBuf {
        self.data_home.join("applications")
    }

    fn desktop_file(&self) -> PathBuf {
        self.applications().join(desktop_id())
    }

    fn metainfo_file(&self) -> PathBuf {
        self.data_home
            .join("metainfo")
            .join(format!("{APP_ID}.metainfo.xml"))
    }

    /// Each icon's installed path and its bytes.
    fn icon_files(&self) -> impl Iterator<Item = (PathBuf, &'static [u8])> + '_ {
        ICONS.iter().map(|(size, ext, bytes)| {
            let path = self
                .data_home
                .join("icons/hicolor")
                .join(size)
                .join("apps")
                .join(format!("{APP_ID}.{ext}"));
            (path, *bytes)
        })
    }

    /// The `mimeapps.list` files that may name Brooklet: the current one and the deprecated
    /// one in the applications folder.
    fn mimeapps_lists(&self) -> [PathBuf; 2] {
        [
            self.config_home.join("mimeapps.list"),
            self.applications().join("mimeapps.list"),
        ]
    }
}

/// The desktop file id: `org.brooklet.Brooklet.desktop`.
pub fn desktop_id() -> String {
    format!("{APP_ID}.desktop")
}

/// Installs the files and sets the defaults (see the module documentation).
pub fn register(exe: &Path, report: &mut dyn FnMut(Step)) -> Result<(), HandlerError> {
    let places = Places::from_env()?;
    let entry = desktop_entry_for(exe)?;
    let xdg_mime = find_tool("xdg-mime").ok_or_else(|| HandlerError::ToolMissing {
        tool: "xdg-mime".into(),
        package: "xdg-utils".into(),
    })?;
    write_file(&places.desktop_file(), entry.as_bytes(), report)?;
    for (path, bytes) in places.icon_files() {
        write_file(&path, bytes, report)?;
    }
    write_file(&places.metainfo_file(), METAINFO.as_bytes(), report)?;
    refresh_desktop_database(&places, report);
    let id = desktop_id();
    for kind in HANDLED_TYPES {
        run_required(Command::new(&xdg_mime).args(["default", &id, kind]))?;
        report(Step::DefaultSet(kind.to_owned()));
    }
    Ok(())
}

/// Unsets the defaults naming Brooklet and removes the files it installed.
pub fn unregister(report: &mut dyn FnMut(Step)) -> Result<(), HandlerError> {
    let places = Places::from_env()?;
    let id = desktop_id();
    let mut unset = Vec::new();
    for list in places.mimeapps_lists() {
        let text = match std::fs::read_to_string(&list) {
            Ok(text) => text,
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(source) => return Err(HandlerError::Write { path: list, source }),
        };
        let (edited, kinds) = without_app(&text, &id);
        if edited != text {
            replace_file(&list, edited.as_bytes())?;
        }
        for kind in kinds {
            if !unset.contains(&kind) {
                unset.push(kind);
            }
        }
    }
    for kind in unset {
        report(Step::DefaultUnset(kind));
    }
    remove_if(&places.desktop_file(), report, |bytes| {
        bytes.starts_with(MARKER.as_bytes())
    })?;
    for (path, icon) in places.icon_files() {
        remove_if(&path, report, |bytes| bytes == icon)?;
    }
    remove_if(&places.metainfo_file(), report, |bytes| {
        bytes == METAINFO.as_bytes()
    })?;
    refresh_desktop_database(&places, report);
    Ok(())
}

/// The shipped desktop entry with [`MARKER`] on top and `Exec` naming `exe`.
pub fn desktop_entry_for(exe: &Path) -> Result<String, HandlerError> {
    let program = exec_program(exe).ok_or_else(|| HandlerError::UnusablePath(exe.to_owned()))?;
    let mut entry = format!("{MARKER}\n");
    for line in DESKTOP_ENTRY.lines() {
        if line.starts_with("Exec=") {
            entry.push_str(&format!("Exec={program} %U"));
        } else {
            entry.push_str(line);
        }
        entry.push('\n');
    }
    Ok(entry)
}

/// `exe` as the program of a desktop entry's `Exec` key, as the file must spell it: plain when
/// it holds only safe characters, else double-quoted with `"`, `` ` ``, `$` and `\` escaped
/// (then every `\` doubled by the file's own string escaping); `%` is always `%%`. `None` for a
/// path that is not UTF-8 or holds a control character: no spelling is valid.
pub fn exec_program(exe: &Path) -> Option<String> {
    let text = exe.to_str()?;
    if text.chars().any(char::is_control) {
        return None;
    }
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,@".contains(c);
    if text.chars().all(plain) {
        return Some(text.to_owned());
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '`' | '$' => {
                out.push_str("\\\\");
                out.push(c);
            }
            '\\' => out.push_str("\\\\\\\\"),
            '%' => out.push_str("%%"),
            c => out.push(c),
        }
    }
    out.push('"');
    Some(out)
}

/// `mimeapps.list` text without `app` in the handled types' lines; a line left with no
/// application goes. Also returns the types whose default named `app`.
pub fn without_app(text: &str, app: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut section = "";
    let mut unset = Vec::new();
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.starts_with('[') {
            section = content.trim();
            out.push_str(line);
            continue;
        }
        let handled = content.split_once('=').filter(|(key, _)| {
            MIMEAPPS_SECTIONS.contains(&section) && HANDLED_TYPES.contains(&key.trim())
        });
        let Some((key, value)) = handled else {
            out.push_str(line);
            continue;
        };
        let apps: Vec<&str> = value.split(';').filter(|a| !a.is_empty()).collect();
        let kept: Vec<&str> = apps.iter().copied().filter(|a| a.trim() != app).collect();
        if kept.len() == apps.len() {
            out.push_str(line);
            continue;
        }
        if section == MIMEAPPS_SECTIONS[0] {
            unset.push(key.trim().to_owned());
        }
        if !kept.is_empty() {
            out.push_str(&format!("{key}={};\n", kept.join(";")));
        }
    }
    (out, unset)
}

/// Writes a file, making its folders; reports it.
fn write_file(path: &Path, bytes: &[u8], report: &mut dyn FnMut(Step)) -> Result<(), HandlerError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| HandlerError::Write {
            path: parent.to_owned(),
            source,
        })?;
    }
    replace_file(path, bytes)?;
    report(Step::Wrote(path.to_owned()));
    Ok(())
}

/// Replaces a file's contents atomically (a temporary file beside it, then a rename), so a
/// reader never sees half a `mimeapps.list`.
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), HandlerError> {
    let name = path.file_name().unwrap_or(OsStr::new("file"));
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(".brooklet-tmp");
    let temp = path.with_file_name(temp_name);
    let error = |source| HandlerError::Write {
        path: path.to_owned(),
        source,
    };
    std::fs::write(&temp, bytes).map_err(error)?;
    std::fs::rename(&temp, path).map_err(|source| {
        let _ = std::fs::remove_file(&temp);
        error(source)
    })
}

/// Removes `path` when its contents pass `ours`; a missing file is fine, a foreign one is
/// reported and kept.
fn remove_if(
    path: &Path,
    report: &mut dyn FnMut(Step),
    ours: impl Fn(&[u8]) -> bool,
) -> Result<(), HandlerError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(HandlerError::Remove {
                path: path.to_owned(),
                source,
            });
        }
    };
    if !ours(&bytes) {
        report(Step::KeptForeign(path.to_owned()));
        return Ok(());
    }
    std::fs::remove_file(path).map_err(|source| HandlerError::Remove {
        path: path.to_owned(),
        source,
    })?;
    report(Step::Removed(path.to_owned()));
    Ok(())
}

/// Runs `update-desktop-database` on the user's applications folder when it is installed; a
/// missing or failing tool is reported, not fatal (the defaults work without its cache).
fn refresh_desktop_database(places: &Places, report: &mut dyn FnMut(Step)) {
    let tool = "update-desktop-database";
    let Some(program) = find_tool(tool) else {
        report(Step::ToolMissing(tool.to_owned()));
        return;
    };
    let folder = places.applications();
    if !folder.is_dir() {
        return;
    }
    let mut command = Command::new(program);
    command.arg(&folder);
    match run_required(&mut command) {
        Ok(()) => report(Step::Ran(format!("{tool} {}", folder.display()))),
        Err(e) => report(Step::ToolFailed {
            command: tool.to_owned(),
            reason: e.to_string(),
        }),
    }
}

/// Runs a command; a non-zero exit is an error carrying its first line of stderr.
fn run_required(command: &mut Command) -> Result<(), HandlerError> {
    let shown = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let output = command.output().map_err(|e| HandlerError::Command {
        command: shown.clone(),
        reason: e.to_string(),
    })?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr
        .lines()
        .find(|l| !l.trim().is_empty())
        .map_or_else(|| output.status.to_string(), str::to_owned);
    Err(HandlerError::Command {
        command: shown,
        reason,
    })
}

/// The first executable file called `name` on `PATH`.
fn find_tool(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| {
            std::fs::metadata(candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn plain_paths_stay_plain_in_exec() {
        assert_eq!(
            exec_program(Path::new("/usr/bin/brooklet")).as_deref(),
            Some("/usr/bin/brooklet")
        );
    }

    #[test]
    fn unusual_paths_are_quoted_and_escaped_in_exec() {
        assert_eq!(
            exec_program(Path::new("/opt/my apps/brook$let%")).as_deref(),
            Some(r#""/opt/my apps/brook\\$let%%""#)
        );
        assert_eq!(
            exec_program(Path::new(r"/a\b")).as_deref(),
            Some(r#""/a\\\\b""#)
        );
        assert_eq!(exec_program(Path::new("/a\nb")), None);
    }

    #[test]
    fn installed_entry_is_marked_and_runs_this_binary() {
        let entry = desktop_entry_for(Path::new("/home/u/bin/brooklet")).unwrap();
        assert!(entry.starts_with(MARKER));
        assert!(entry.contains("\nExec=/home/u/bin/brooklet %U\n"));
        assert_eq!(entry.matches("Exec=").count(), 1);
        assert!(entry.contains("MimeType=application/x-bittorrent;x-scheme-handler/magnet;"));
    }

    #[test]
    fn unsetting_keeps_other_apps_and_lines() {
        let text = "[Default Applications]\n\
                    application/x-bittorrent=org.brooklet.Brooklet.desktop\n\
                    x-scheme-handler/magnet=other.desktop;org.brooklet.Brooklet.desktop;\n\
                    text/plain=org.brooklet.Brooklet.desktop\n\
                    [Added Associations]\n\
                    application/x-bittorrent=org.brooklet.Brooklet.desktop;\n";
        let (edited, unset) = without_app(text, "org.brooklet.Brooklet.desktop");
        assert_eq!(
            edited,
            "[Default Applications]\n\
             x-scheme-handler/magnet=other.desktop;\n\
             text/plain=org.brooklet.Brooklet.desktop\n\
             [Added Associations]\n"
        );
        assert_eq!(
            unset,
            ["application/x-bittorrent", "x-scheme-handler/magnet"]
        );
    }
}
