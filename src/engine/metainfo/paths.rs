//! File names from a torrent are hostile until checked: this module decides whether a path from a
//! `.torrent` may be created under the download folder.
//!
//! A name is refused, never silently rewritten, when it could leave the folder (`..`, absolute
//! paths, drive letters, separators inside a component), hide itself (control characters, NUL), or
//! mean a device on Windows (CON, NUL, COM1 …). Two paths that would land on the same file once the
//! file system has folded them (case on Windows and macOS, trailing dots and spaces on Windows) are
//! a collision. Depends on nothing else in the engine.

use std::collections::{HashMap, HashSet};

/// Longest accepted path component, in bytes (the limit of common file systems).
pub const MAX_COMPONENT_BYTES: usize = 255;

/// Why one path component was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PathProblem {
    #[error("it has an empty component")]
    Empty,
    #[error("it leaves the download folder (`..`)")]
    ParentDir,
    #[error("it has a `.` component")]
    CurrentDir,
    #[error("it has a path separator inside a name")]
    Separator,
    #[error("it starts with a drive letter")]
    DriveLetter,
    #[error("it contains a control character")]
    ControlCharacter,
    #[error("it uses a name reserved by Windows (CON, NUL, COM1 …)")]
    ReservedName,
    #[error("a component is longer than {MAX_COMPONENT_BYTES} bytes")]
    TooLong,
}

const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Checks one component of a path from a torrent.
pub fn check_component(name: &str) -> Result<(), PathProblem> {
    if name.is_empty() {
        return Err(PathProblem::Empty);
    }
    if name == ".." {
        return Err(PathProblem::ParentDir);
    }
    if name == "." {
        return Err(PathProblem::CurrentDir);
    }
    if name.len() > MAX_COMPONENT_BYTES {
        return Err(PathProblem::TooLong);
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Err(PathProblem::DriveLetter);
    }
    if name.contains(['/', '\\']) {
        return Err(PathProblem::Separator);
    }
    if name.chars().any(char::is_control) {
        return Err(PathProblem::ControlCharacter);
    }
    // Windows treats `NUL.txt` and `nul ` as the device too.
    let stem = name
        .split('.')
        .next()
        .unwrap_or(name)
        .trim_end_matches([' ', '.']);
    if RESERVED.iter().any(|r| stem.eq_ignore_ascii_case(r)) {
        return Err(PathProblem::ReservedName);
    }
    Ok(())
}

/// How the file system of this platform folds a component when it compares names.
fn fold(name: &str) -> String {
    if cfg!(windows) {
        name.trim_end_matches(['.', ' ']).to_lowercase()
    } else if cfg!(target_os = "macos") {
        name.to_lowercase()
    } else {
        name.to_owned()
    }
}

/// Finds the first pair of paths that would name the same file, or a file that another path
/// needs as a folder. Returns the two paths as written in the torrent.
pub fn find_collision<'a>(
    paths: impl IntoIterator<Item = &'a [String]>,
) -> Option<(String, String)> {
    let mut files: HashMap<Vec<String>, String> = HashMap::new();
    let mut dirs: HashMap<Vec<String>, String> = HashMap::new();
    for path in paths {
        let shown = path.join("/");
        let key: Vec<String> = path.iter().map(|c| fold(c)).collect();
        if let Some(other) = files.get(&key) {
            return Some((other.clone(), shown));
        }
        if let Some(other) = dirs.get(&key) {
            return Some((other.clone(), shown));
        }
        for depth in 1..key.len() {
            let prefix = key[..depth].to_vec();
            if let Some(other) = files.get(&prefix) {
                return Some((other.clone(), shown));
            }
            dirs.entry(prefix).or_insert_with(|| shown.clone());
        }
        files.insert(key, shown);
    }
    None
}

/// True when the same exact path appears twice (independent of platform folding).
pub fn find_exact_duplicate<'a>(paths: impl IntoIterator<Item = &'a [String]>) -> Option<String> {
    let mut seen: HashSet<&'a [String]> = HashSet::new();
    for p in paths {
        if !seen.insert(p) {
            return Some(p.join("/"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_every_unsafe_component() {
        assert_eq!(check_component(""), Err(PathProblem::Empty));
        assert_eq!(check_component(".."), Err(PathProblem::ParentDir));
        assert_eq!(check_component("."), Err(PathProblem::CurrentDir));
        assert_eq!(check_component("a/b"), Err(PathProblem::Separator));
        assert_eq!(check_component("/etc"), Err(PathProblem::Separator));
        assert_eq!(check_component("a\\..\\b"), Err(PathProblem::Separator));
        assert_eq!(check_component("C:"), Err(PathProblem::DriveLetter));
        assert_eq!(check_component("c:evil"), Err(PathProblem::DriveLetter));
        assert_eq!(check_component("a\0b"), Err(PathProblem::ControlCharacter));
        assert_eq!(check_component("a\nb"), Err(PathProblem::ControlCharacter));
        assert_eq!(
            check_component("a\u{7f}"),
            Err(PathProblem::ControlCharacter)
        );
        for name in ["CON", "con", "Nul.txt", "com1", "LPT9.tar.gz", "aux "] {
            assert_eq!(
                check_component(name),
                Err(PathProblem::ReservedName),
                "{name}"
            );
        }
        assert_eq!(check_component(&"x".repeat(256)), Err(PathProblem::TooLong));
    }

    #[test]
    fn accepts_ordinary_names() {
        for name in [
            "a",
            "Star Wars: A New Hope.mkv",
            "...hidden",
            "console.log",
            "COM10",
            "日本語.txt",
            ".pad",
        ] {
            assert_eq!(check_component(name), Ok(()), "{name}");
        }
    }

    fn p(s: &str) -> Vec<String> {
        s.split('/').map(str::to_owned).collect()
    }

    #[test]
    fn collisions_between_files_and_folders() {
        let paths = [p("t/a"), p("t/a/b")];
        assert!(find_collision(paths.iter().map(Vec::as_slice)).is_some());
        let paths = [p("t/a/b"), p("t/a")];
        assert!(find_collision(paths.iter().map(Vec::as_slice)).is_some());
        let paths = [p("t/a/b"), p("t/a/c"), p("t/b")];
        assert!(find_collision(paths.iter().map(Vec::as_slice)).is_none());
    }

    #[test]
    fn case_collisions_depend_on_platform() {
        let paths = [p("t/Readme"), p("t/README")];
        let found = find_collision(paths.iter().map(Vec::as_slice)).is_some();
        assert_eq!(found, cfg!(any(windows, target_os = "macos")));
    }

    #[test]
    fn exact_duplicates() {
        let paths = [p("t/a"), p("t/b"), p("t/a")];
        assert_eq!(
            find_exact_duplicate(paths.iter().map(Vec::as_slice)),
            Some("t/a".into())
        );
    }
}
