//! Copies of added `.torrent` files kept in a folder the user chose
//! ([`super::Config::torrent_copies`], μTorrent's "store .torrents in"), for backups and for
//! other programs that watch the folder.
//!
//! The copy is named after the torrent, whose name comes from the network (a magnet's metadata)
//! or a stranger's file: it is made safe first ([`copy_file_name`]: no separators, no `..`, no
//! control characters, bounded length, no device names), and checked with the same rules as the
//! torrent's own file names ([`check_component`]). A copy is written atomically (temp file,
//! fsync, then linked into place, so a crash never leaves half a file under the final name); a
//! file of that name with other bytes is kept and the copy takes ` (2)`, ` (3)` …; one with the
//! same bytes means the copy is already there. Nothing here depends on the session's state.

use super::Session;
use crate::engine::info_hash::InfoHash;
use crate::engine::metainfo::paths::check_component;
use crate::engine::session_state::sync_dir;
use crate::engine::torrent::task;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Longest name kept from a torrent, in bytes (before ` (n).torrent`).
const MAX_NAME_BYTES: usize = 150;
/// Most ` (n)` suffixes tried before giving up.
const MAX_SUFFIX: u32 = 1000;
/// Largest copy written; metadata beyond this is not a torrent we could have added.
const MAX_COPY_BYTES: usize = 64 << 20;

/// A file name (without `.torrent`) for a torrent called `name`: path separators, control and
/// Windows-forbidden characters become `_`, leading and trailing dots and spaces go, the
/// length is bounded (on a character boundary); a name that is empty or still unusable (a
/// device name) becomes the info-hash.
pub fn copy_file_name(name: &str, info_hash: &InfoHash) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if out.len() > MAX_NAME_BYTES {
        let mut end = MAX_NAME_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    let trimmed = out.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() || check_component(&format!("{trimmed}.torrent")).is_err() {
        return info_hash.to_hex();
    }
    trimmed.to_owned()
}

/// Writes `bytes` into `dir` as `<stem>.torrent`, or `<stem> (n).torrent` when that name holds
/// other bytes (blocking). Returns the file that holds the copy.
pub fn keep_copy(dir: &Path, stem: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    if bytes.len() > MAX_COPY_BYTES {
        return Err(io::Error::other("the torrent is too large to copy"));
    }
    std::fs::create_dir_all(dir)?;
    // Each write has its own temp file, so two torrents of the same name written at once
    // cannot take each other's bytes.
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{stem}.{}-{n}.brooklet-tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let result = place(dir, stem, bytes, &tmp);
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Puts the written temp file under the first free name (or finds the copy already there).
fn place(dir: &Path, stem: &str, bytes: &[u8], tmp: &Path) -> io::Result<PathBuf> {
    for n in 1..=MAX_SUFFIX {
        let name = if n == 1 {
            format!("{stem}.torrent")
        } else {
            format!("{stem} ({n}).torrent")
        };
        let path = dir.join(name);
        // A hard link never replaces an existing file, so two writers cannot overwrite each
        // other; where links are not supported, a rename after checking the name is free.
        let linked = match std::fs::hard_link(tmp, &path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(_) if !path.exists() => std::fs::rename(tmp, &path).map(|()| true),
            Err(_) => Ok(false),
        }?;
        if linked {
            sync_dir(dir);
            return Ok(path);
        }
        if std::fs::read(&path).is_ok_and(|existing| existing == bytes) {
            return Ok(path);
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_SUFFIX} files are called `{stem}`"
    )))
}

impl Session {
    /// Keeps a copy of a torrent just added (or whose metadata just arrived) in the copies
    /// folder, if one is set, in the background. A failure is logged: the torrent is added all
    /// the same.
    pub(super) fn keep_torrent_copy(&self, info_hash: InfoHash, name: &str, bytes: &[u8]) {
        let Some(dir) = self.torrent_copies.clone() else {
            return;
        };
        let stem = copy_file_name(name, &info_hash);
        let bytes = bytes.to_vec();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = keep_copy(&dir, &stem, &bytes) {
                task::log::info(&format!(
                    "{info_hash}: cannot keep a copy of the torrent in {}: {e}",
                    dir.display()
                ));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const HASH: InfoHash = InfoHash([0xab; 20]);

    #[test]
    fn hostile_names_become_safe_file_names() {
        assert_eq!(copy_file_name("Ubuntu 24.04", &HASH), "Ubuntu 24.04");
        assert_eq!(copy_file_name("../../etc/passwd", &HASH), "_.._etc_passwd");
        assert_eq!(copy_file_name("a/b\\c", &HASH), "a_b_c");
        assert_eq!(copy_file_name("bell\u{7}\n", &HASH), "bell__");
        assert_eq!(copy_file_name("..", &HASH), HASH.to_hex());
        assert_eq!(copy_file_name("", &HASH), HASH.to_hex());
        assert_eq!(copy_file_name("CON", &HASH), HASH.to_hex());
        let long = copy_file_name(&"é".repeat(500), &HASH);
        assert!(long.len() <= MAX_NAME_BYTES && long.starts_with('é'));
    }

    #[test]
    fn a_copy_is_kept_once_and_a_different_one_gets_a_number() {
        let dir = tempfile::tempdir().unwrap();
        let first = keep_copy(dir.path(), "t", b"one").unwrap();
        assert_eq!(first, dir.path().join("t.torrent"));
        assert_eq!(keep_copy(dir.path(), "t", b"one").unwrap(), first);
        let second = keep_copy(dir.path(), "t", b"two").unwrap();
        assert_eq!(second, dir.path().join("t (2).torrent"));
        assert_eq!(std::fs::read(&first).unwrap(), b"one");
        assert_eq!(std::fs::read(&second).unwrap(), b"two");
        assert_eq!(keep_copy(dir.path(), "t", b"two").unwrap(), second);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "no temp file is left");
    }

    #[test]
    fn namesakes_written_at_once_each_keep_their_own_copy() {
        let dir = tempfile::tempdir().unwrap();
        let writers: Vec<_> = (0..8u8)
            .map(|i| {
                let dir = dir.path().to_path_buf();
                std::thread::spawn(move || keep_copy(&dir, "same", &[i; 1000]).unwrap())
            })
            .collect();
        let mut kept: Vec<Vec<u8>> = writers
            .into_iter()
            .map(|w| std::fs::read(w.join().unwrap()).unwrap())
            .collect();
        kept.sort();
        kept.dedup();
        assert_eq!(
            kept.len(),
            8,
            "every writer's bytes are kept under a name of its own"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 8);
    }
}
