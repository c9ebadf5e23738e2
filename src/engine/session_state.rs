//! What survives a restart: the list of torrents (a copy of each `.torrent`, its save folder and
//! whether it was paused), under one data folder.
//!
//! Every file is written atomically — a temporary file, fsync, rename over the old one, fsync of
//! the folder — and the previous version is kept as `.bak`, so a crash at any moment leaves
//! either the old or the new state, never a torn one. Loading falls back to the `.bak` when the
//! main file is missing or unreadable. Resume data (which pieces are verified, so a restart
//! needs no hash check) lives in `resume/` beside the session list, written by the same
//! [`write_atomically`]: see [`crate::engine::storage::resume`].

use crate::engine::info_hash::InfoHash;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// File name of the session list inside the data folder.
const SESSION_FILE: &str = "session.json";
/// Folder of the `.torrent` copies inside the data folder.
const TORRENTS_DIR: &str = "torrents";

/// One torrent of the saved session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedTorrent {
    /// The info-hash in hex; the `.torrent` copy is `torrents/<hex>.torrent`.
    pub info_hash: String,
    /// Its save folder.
    pub save_path: PathBuf,
    /// Paused by the user.
    pub paused: bool,
    /// When it was added, seconds since the Unix epoch.
    pub added_at: u64,
    /// The magnet link, while its metadata has not arrived (there is no `.torrent` copy yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub magnet: Option<String>,
    /// When it was first complete, seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<u64>,
    /// Its own download and upload limits (absent in older files: none).
    #[serde(default, skip_serializing_if = "is_unlimited")]
    pub limits: crate::engine::limits::RateLimits,
    /// Force-started: the queue never holds it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
    /// Its own cap on connected peers (absent: the session's per-torrent one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_peers: Option<u32>,
    /// The user's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The tracker tiers the user set, used instead of the `.torrent`'s (or the magnet
    /// link's) own; absent: the torrent's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trackers: Option<Vec<Vec<String>>>,
    /// Its data was being moved to this folder and the move had not ended: a restart puts
    /// files already renamed there back (see [`crate::engine::storage::relocate::recover`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moving_to: Option<PathBuf>,
}

fn is_unlimited(l: &crate::engine::limits::RateLimits) -> bool {
    *l == crate::engine::limits::RateLimits::UNLIMITED
}

/// The saved session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    /// Format version, for future migrations.
    pub version: u32,
    /// Torrents in queue order.
    pub torrents: Vec<SavedTorrent>,
    /// The DHT's id and good nodes, to rejoin without the bootstrap routers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dht: Option<crate::engine::dht::DhtState>,
}

/// The data folder: `BROOKLET_HOME` if set (portable mode; tests), else the platform's data
/// directory (`~/.local/share/brooklet` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("BROOKLET_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home).join("data"));
    }
    directories::ProjectDirs::from("org", "Brooklet", "Brooklet")
        .map(|d| d.data_dir().to_path_buf())
}

/// Writes `bytes` to `path` atomically, keeping the previous version as `<path>.bak`. The
/// folder must exist.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomically_until(path, bytes, None)
}

/// The steps of [`write_atomically`], in order. A crash can end the process after any of them;
/// whichever it is, loading (main file, else `.bak`) finds the old or the new version whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The temporary file exists, empty.
    TempCreated,
    /// Half of the bytes are in the temporary file (a torn write).
    HalfWritten,
    /// All of them, not yet synced.
    Written,
    /// Synced to the disk.
    Synced,
    /// The previous `.bak` is gone.
    OldBackupRemoved,
    /// The current version is also `.bak`.
    BackupLinked,
    /// The new version has the file's name.
    Renamed,
}

/// [`write_atomically`], stopping dead after `crash_after` (tests: what a killed process
/// leaves behind).
fn write_atomically_until(path: &Path, bytes: &[u8], crash_after: Option<Step>) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    let mut tmp_name = file_name.clone();
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    let crash = |step: Step| crash_after == Some(step);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        if crash(Step::TempCreated) {
            return Ok(());
        }
        let half = bytes.len() / 2;
        f.write_all(&bytes[..half])?;
        if crash(Step::HalfWritten) {
            return Ok(());
        }
        f.write_all(&bytes[half..])?;
        if crash(Step::Written) {
            return Ok(());
        }
        f.sync_all()?;
        drop(f);
        if crash(Step::Synced) {
            return Ok(());
        }
        if path.exists() {
            let mut bak_name = file_name.clone();
            bak_name.push(".bak");
            // A hard link keeps the old version under .bak without a window where neither
            // name holds a complete file.
            let bak = dir.join(bak_name);
            let _ = std::fs::remove_file(&bak);
            if crash(Step::OldBackupRemoved) {
                return Ok(());
            }
            if std::fs::hard_link(path, &bak).is_err() {
                std::fs::copy(path, &bak)?;
            }
            if crash(Step::BackupLinked) {
                return Ok(());
            }
        }
        std::fs::rename(&tmp, path)?;
        if crash(Step::Renamed) {
            return Ok(());
        }
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Persists a rename in `dir` (not possible on every platform: best effort).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The session files under one data folder.
#[derive(Debug, Clone)]
pub struct StateStore {
    dir: PathBuf,
}

impl StateStore {
    /// A store in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> StateStore {
        StateStore { dir: dir.into() }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn torrent_path(&self, info_hash: &InfoHash) -> PathBuf {
        self.dir
            .join(TORRENTS_DIR)
            .join(format!("{}.torrent", info_hash.to_hex()))
    }

    /// Loads the session list: the main file, else its `.bak`, else an empty session.
    pub fn load(&self) -> SessionState {
        let main = self.dir.join(SESSION_FILE);
        let bak = self.dir.join(format!("{SESSION_FILE}.bak"));
        for path in [main, bak] {
            if let Ok(bytes) = std::fs::read(&path)
                && let Ok(state) = serde_json::from_slice::<SessionState>(&bytes)
            {
                return state;
            }
        }
        SessionState::default()
    }

    /// Saves the session list atomically.
    pub fn save(&self, state: &SessionState) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(state).map_err(io::Error::other)?;
        std::fs::create_dir_all(&self.dir)?;
        write_atomically(&self.dir.join(SESSION_FILE), &bytes)
    }

    /// Keeps a copy of a torrent's `.torrent` bytes.
    pub fn save_torrent(&self, info_hash: &InfoHash, bytes: &[u8]) -> io::Result<()> {
        std::fs::create_dir_all(self.dir.join(TORRENTS_DIR))?;
        write_atomically(&self.torrent_path(info_hash), bytes)
    }

    /// The kept `.torrent` bytes of a torrent.
    pub fn load_torrent(&self, info_hash: &InfoHash) -> io::Result<Vec<u8>> {
        std::fs::read(self.torrent_path(info_hash))
    }

    /// Forgets a torrent's `.torrent` copy.
    pub fn remove_torrent(&self, info_hash: &InfoHash) {
        let path = self.torrent_path(info_hash);
        let _ = std::fs::remove_file(&path);
        let mut bak = path.into_os_string();
        bak.push(".bak");
        let _ = std::fs::remove_file(bak);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn atomic_write_keeps_the_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/state.json");
        assert!(
            write_atomically(&p, b"one").is_err(),
            "the folder must exist"
        );
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write_atomically(&p, b"one").unwrap();
        write_atomically(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(
            std::fs::read(dir.path().join("sub/state.json.bak")).unwrap(),
            b"one"
        );
        assert!(!dir.path().join("sub/state.json.tmp").exists());
    }

    /// A crash after any step of an atomic write leaves the old or the new session whole, and
    /// the next write succeeds over whatever the crash left.
    #[test]
    fn a_crash_at_any_step_of_a_write_leaves_the_old_or_the_new_state() {
        let steps = [
            Step::TempCreated,
            Step::HalfWritten,
            Step::Written,
            Step::Synced,
            Step::OldBackupRemoved,
            Step::BackupLinked,
            Step::Renamed,
        ];
        let version = |v: u32| SessionState {
            version: v,
            ..SessionState::default()
        };
        for step in steps {
            let dir = tempfile::tempdir().unwrap();
            let store = StateStore::new(dir.path());
            store.save(&version(1)).unwrap();
            store.save(&version(2)).unwrap();
            let main = dir.path().join(SESSION_FILE);
            let bytes = std::fs::read(&main).unwrap();
            // The same session, but as version 3.
            let next = String::from_utf8(bytes.clone())
                .unwrap()
                .replacen("\"version\": 2", "\"version\": 3", 1)
                .replacen("\"version\":2", "\"version\":3", 1);
            assert_ne!(next.as_bytes(), &bytes[..], "version 3 differs");
            write_atomically_until(&main, next.as_bytes(), Some(step)).unwrap();
            let loaded = store.load().version;
            assert!(
                loaded == 2 || loaded == 3,
                "after a crash at {step:?} the session loaded as version {loaded}"
            );
            if step == Step::Renamed {
                assert_eq!(loaded, 3, "renamed: the new version is in place");
            }
            store.save(&version(4)).unwrap();
            assert_eq!(
                store.load().version,
                4,
                "the write after a crash at {step:?}"
            );
        }
    }

    #[test]
    fn session_round_trips_and_falls_back_to_the_backup() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path());
        assert_eq!(store.load(), SessionState::default());
        let mut state = SessionState {
            version: 1,
            torrents: vec![SavedTorrent {
                info_hash: "ab".repeat(20),
                save_path: "/downloads".into(),
                paused: true,
                added_at: 5,
                magnet: None,
                completed_at: None,
                limits: crate::engine::limits::RateLimits::new(1000, 2000),
                forced: true,
                max_peers: Some(30),
                label: Some("Linux".into()),
                trackers: Some(vec![vec!["udp://t:1".into()], vec!["http://u/a".into()]]),
                moving_to: None,
            }],
            dht: None,
        };
        store.save(&state).unwrap();
        assert_eq!(store.load(), state);
        let first = state.clone();
        state.torrents.clear();
        store.save(&state).unwrap();
        // A torn or corrupt main file: the backup (the previous good version) is used.
        std::fs::write(dir.path().join(SESSION_FILE), b"{\"version\": 1, \"torr").unwrap();
        assert_eq!(store.load(), first);
    }

    #[test]
    fn an_older_entry_without_edited_trackers_loads() {
        let old = r#"{"info_hash": "ab", "save_path": "/d", "paused": false, "added_at": 1}"#;
        let t: SavedTorrent = serde_json::from_str(old).unwrap();
        assert_eq!(t.trackers, None);
        // And an entry without them writes no `trackers` key.
        assert!(!serde_json::to_string(&t).unwrap().contains("trackers"));
    }

    #[test]
    fn torrent_copies() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path());
        let h = InfoHash([3; 20]);
        store.save_torrent(&h, b"d4:infodee").unwrap();
        assert_eq!(store.load_torrent(&h).unwrap(), b"d4:infodee");
        store.remove_torrent(&h);
        assert!(store.load_torrent(&h).is_err());
    }
}
