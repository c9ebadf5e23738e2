//! Resume data: which pieces of a torrent are verified *and on disk*, with the size and
//! modification time of each file as they were then, so a restart can skip the hash check.
//!
//! One file per torrent, `<data dir>/resume/<info-hash hex>.resume`, written with the session's
//! atomic writer ([`write_atomically`]: temporary file, fsync, rename, fsync of the folder) and
//! keeping the previous version as `.resume.bak`. The format is JSON (serde_json), like
//! `session.json`: one format for everything we own, readable when a user reports a problem,
//! and serde_json refuses hostile input (deep nesting, wrong types) with an error, never a panic.
//! The piece bitfield is stored as hex (BEP 3 wire order), 1 KiB for 4,096 pieces; the size
//! overhead against bencode does not matter at one small file per torrent written every 30 s.
//!
//! Two rules keep a claim from ever running ahead of the data:
//! - Taking resume data ([`ResumeData::seal`]) first syncs every data file written since the
//!   last sync ([`Storage::sync_all`]), and the caller only lists pieces verified (and written)
//!   before that sync started.
//! - Using resume data ([`ResumeData::check_files`]) requires every file that holds a claimed
//!   piece to have the recorded size, and the recorded mtime. One relaxation, on purpose: a file
//!   that was still being downloaded when the data was taken (some of its pieces unclaimed) may
//!   have a *newer* mtime — the client went on writing other pieces into it after the snapshot,
//!   and a crash (`kill -9`, power cut) never leaves a chance to record that. Its claimed pieces
//!   were synced before they were listed and are never written again, so they are still there
//!   unless something else rewrote the file at the same size while Brooklet was not running;
//!   that is the one case this rule trusts. A finished file must match exactly, and an older
//!   mtime, a different size or a missing file always means a full recheck.
//!
//! This module does blocking file I/O: call it on a blocking thread.

use super::{Storage, StorageError};
use crate::engine::bitfield::Bitfield;
use crate::engine::info_hash::InfoHash;
use crate::engine::session_state::write_atomically;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Folder of the resume files inside the data folder.
pub const RESUME_DIR: &str = "resume";
/// Format version written.
const VERSION: u32 = 1;

/// A file's size and modification time when resume data was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Length on disk (0 when missing).
    pub size: u64,
    /// Modification time as (seconds, nanoseconds) since the Unix epoch; `None`: no such file.
    pub mtime: Option<(i64, u32)>,
}

/// The resume data of one torrent.
#[derive(Debug, Clone, PartialEq)]
pub struct ResumeData {
    /// Which torrent.
    pub info_hash: InfoHash,
    /// The (canonical) save folder the files were in.
    pub save_path: PathBuf,
    /// Pieces verified and synced to disk.
    pub have: Bitfield,
    /// Each file of the torrent, in torrent order (pad files included, as missing).
    pub files: Vec<FileStamp>,
    /// Payload bytes uploaded, all sessions.
    pub uploaded: u64,
    /// Payload bytes downloaded, all sessions.
    pub downloaded: u64,
    /// When every wanted piece was first verified (Unix seconds).
    pub completed_at: Option<u64>,
    /// The first and last piece of each wanted file are fetched first.
    pub first_last_pieces_first: bool,
    /// Pieces are downloaded in order.
    pub sequential: bool,
    /// The torrent's own seeding goals.
    pub seed_goals: crate::engine::api::GoalOverride,
    /// The priority of each file (empty: all normal).
    pub file_priorities: Vec<crate::engine::api::FilePriority>,
    /// Set by [`ResumeStore::load_for`] (never saved): this file of a claimed piece is gone or
    /// shorter than recorded. The claims are kept for the user to see; the torrent stops with
    /// "files missing" until a recheck finds what is left.
    pub files_missing: Option<PathBuf>,
}

/// File priorities as one digit each (0 skip … 3 high): compact for torrents of many files.
fn priorities_text(p: &[crate::engine::api::FilePriority]) -> String {
    use crate::engine::api::FilePriority::*;
    if p.iter().all(|p| *p == Normal) {
        return String::new();
    }
    p.iter()
        .map(|p| match p {
            Skip => '0',
            Low => '1',
            Normal => '2',
            High => '3',
        })
        .collect()
}

/// The priorities of [`priorities_text`]; an unknown digit reads as normal.
fn priorities_from(text: &str) -> Vec<crate::engine::api::FilePriority> {
    use crate::engine::api::FilePriority::*;
    text.chars()
        .map(|c| match c {
            '0' => Skip,
            '1' => Low,
            '3' => High,
            _ => Normal,
        })
        .collect()
}

/// Why resume data cannot be used; the torrent is then hash-checked.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    #[error("no resume data")]
    Missing,
    #[error("cannot read the resume data: {0}")]
    Unreadable(io::Error),
    #[error("the resume data is corrupt: {0}")]
    Corrupt(String),
    #[error("the resume data belongs to another torrent")]
    WrongTorrent,
    #[error("the resume data lists {found} pieces, the torrent has {expected}")]
    WrongPieceCount { found: usize, expected: usize },
    #[error("the resume data is for the save folder `{0}`")]
    OtherSaveFolder(PathBuf),
    #[error("the resume data lists {found} files, the torrent has {expected}")]
    WrongFileCount { found: usize, expected: usize },
    #[error("file `{0}` changed since the resume data was saved")]
    FileChanged(PathBuf),
    #[error("file `{0}` is gone or shorter than when the resume data was saved")]
    FileMissing(PathBuf),
}

/// The on-disk form.
#[derive(Serialize, Deserialize)]
struct ResumeFile {
    version: u32,
    info_hash: String,
    save_path: PathBuf,
    piece_count: usize,
    /// The bitfield's bytes in hex.
    pieces: String,
    files: Vec<FileStamp>,
    uploaded: u64,
    downloaded: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    completed_at: Option<u64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    first_last_pieces_first: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    sequential: bool,
    #[serde(
        default,
        skip_serializing_if = "crate::engine::api::GoalOverride::is_global"
    )]
    seed_goals: crate::engine::api::GoalOverride,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    file_priorities: String,
    saved_at: u64,
}

impl ResumeData {
    /// Resume data claiming `have`, with no file stamps yet (see [`ResumeData::seal`]).
    pub fn new(info_hash: InfoHash, have: Bitfield) -> ResumeData {
        ResumeData {
            info_hash,
            save_path: PathBuf::new(),
            have,
            files: Vec::new(),
            uploaded: 0,
            downloaded: 0,
            completed_at: None,
            first_last_pieces_first: false,
            sequential: false,
            seed_goals: Default::default(),
            file_priorities: Vec::new(),
            files_missing: None,
        }
    }

    /// Makes the claimed pieces durable and records the files as they are now. With `sync`
    /// false the files are not synced: only when every claimed piece was synced by an earlier
    /// seal of the same storage.
    pub fn seal(&mut self, storage: &Storage, sync: bool) -> Result<(), StorageError> {
        if sync {
            storage.sync_all()?;
        }
        self.save_path = storage.root().to_path_buf();
        self.files = (0..storage.layout().files().len())
            .map(|i| stamp(storage, i))
            .collect();
        Ok(())
    }

    /// The serialized form.
    pub fn encode(&self) -> Vec<u8> {
        let file = ResumeFile {
            version: VERSION,
            info_hash: self.info_hash.to_hex(),
            save_path: self.save_path.clone(),
            piece_count: self.have.len(),
            pieces: to_hex(self.have.as_bytes()),
            files: self.files.clone(),
            uploaded: self.uploaded,
            downloaded: self.downloaded,
            completed_at: self.completed_at,
            first_last_pieces_first: self.first_last_pieces_first,
            sequential: self.sequential,
            seed_goals: self.seed_goals,
            file_priorities: priorities_text(&self.file_priorities),
            saved_at: crate::engine::unix_now(),
        };
        serde_json::to_vec_pretty(&file).unwrap_or_default()
    }

    /// Reads resume data, which must be for `info_hash` and `piece_count` pieces.
    pub fn decode(
        bytes: &[u8],
        info_hash: &InfoHash,
        piece_count: usize,
    ) -> Result<ResumeData, ResumeError> {
        let file: ResumeFile =
            serde_json::from_slice(bytes).map_err(|e| ResumeError::Corrupt(e.to_string()))?;
        if file.version != VERSION {
            return Err(ResumeError::Corrupt(format!(
                "unknown version {}",
                file.version
            )));
        }
        if InfoHash::from_hex(&file.info_hash).ok().as_ref() != Some(info_hash) {
            return Err(ResumeError::WrongTorrent);
        }
        if file.piece_count != piece_count {
            return Err(ResumeError::WrongPieceCount {
                found: file.piece_count,
                expected: piece_count,
            });
        }
        let bytes = from_hex(&file.pieces)
            .ok_or_else(|| ResumeError::Corrupt("the piece bitfield is not hex".into()))?;
        let have =
            Bitfield::from_bytes(&bytes, piece_count).ok_or(ResumeError::WrongPieceCount {
                found: bytes.len() * 8,
                expected: piece_count,
            })?;
        Ok(ResumeData {
            info_hash: *info_hash,
            save_path: file.save_path,
            have,
            files: file.files,
            uploaded: file.uploaded,
            downloaded: file.downloaded,
            completed_at: file.completed_at,
            first_last_pieces_first: file.first_last_pieces_first,
            sequential: file.sequential,
            seed_goals: file.seed_goals,
            file_priorities: priorities_from(&file.file_priorities),
            files_missing: None,
        })
    }

    /// Whether the files under `storage` still hold every claimed piece (see the module
    /// documentation for the rule); `Ok` means the claimed pieces need no hash check.
    pub fn check_files(&self, storage: &Storage) -> Result<(), ResumeError> {
        if self.save_path != storage.root() {
            return Err(ResumeError::OtherSaveFolder(self.save_path.clone()));
        }
        let layout = storage.layout();
        let count = layout.files().len();
        if self.files.len() != count {
            return Err(ResumeError::WrongFileCount {
                found: self.files.len(),
                expected: count,
            });
        }
        // Per file: does it hold a claimed piece, and are all its pieces claimed?
        let mut claimed = vec![false; count];
        let mut complete = vec![true; count];
        for piece in 0..layout.piece_count() {
            let had = self.have.get(piece);
            for f in layout.files_of_piece(piece) {
                claimed[f] |= had;
                complete[f] &= had;
            }
        }
        for (i, (range, recorded)) in layout.files().iter().zip(&self.files).enumerate() {
            if range.pad || range.length == 0 || !claimed[i] {
                continue;
            }
            let now = stamp(storage, i);
            if recorded.mtime.is_some() && (now.mtime.is_none() || now.size < recorded.size) {
                return Err(ResumeError::FileMissing(
                    storage.file_path(i).unwrap_or_default(),
                ));
            }
            let unchanged = match (recorded.mtime, now.mtime) {
                (Some(then), Some(now_mtime)) if now.size == recorded.size => {
                    then == now_mtime || (!complete[i] && now_mtime > then)
                }
                // Missing then and now: a skipped file whose bytes of shared pieces are in the
                // part file (the storage drops the pieces the part file does not hold).
                (None, None) => recorded.size == 0 && now.size == 0,
                _ => false,
            };
            if !unchanged {
                return Err(ResumeError::FileChanged(
                    storage.file_path(i).unwrap_or_default(),
                ));
            }
        }
        Ok(())
    }
}

/// File `index` of `storage` as it is now.
fn stamp(storage: &Storage, index: usize) -> FileStamp {
    let missing = FileStamp {
        size: 0,
        mtime: None,
    };
    if storage.layout().files().get(index).is_none_or(|f| f.pad) {
        return missing;
    }
    let Some(meta) = storage
        .file_path(index)
        .and_then(|p| std::fs::metadata(p).ok())
        .filter(|m| m.is_file())
    else {
        return missing;
    };
    let mtime = meta
        .modified()
        .ok()
        .map(|t| match t.duration_since(UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => (
                -(e.duration().as_secs() as i64),
                e.duration().subsec_nanos(),
            ),
        });
    FileStamp {
        size: meta.len(),
        mtime,
    }
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| char::from(c).to_digit(16).map(|d| d as u8);
    text.chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// The resume files under one folder.
#[derive(Debug, Clone)]
pub struct ResumeStore {
    dir: PathBuf,
}

impl ResumeStore {
    /// A store in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> ResumeStore {
        ResumeStore { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The resume file of a torrent (its backup is this path with `.bak` appended).
    pub fn path(&self, info_hash: &InfoHash) -> PathBuf {
        self.dir.join(format!("{}.resume", info_hash.to_hex()))
    }

    fn bak_path(&self, info_hash: &InfoHash) -> PathBuf {
        let mut p = self.path(info_hash).into_os_string();
        p.push(".bak");
        PathBuf::from(p)
    }

    /// Saves resume data atomically, keeping the previous version as `.bak`.
    pub fn save(&self, data: &ResumeData) -> io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        write_atomically(&self.path(&data.info_hash), &data.encode())
    }

    /// Loads a torrent's resume data: the main file, else its `.bak`. The error is the main
    /// file's when neither is usable.
    pub fn load(
        &self,
        info_hash: &InfoHash,
        piece_count: usize,
    ) -> Result<ResumeData, ResumeError> {
        self.load_with(info_hash, |bytes| {
            ResumeData::decode(bytes, info_hash, piece_count)
        })
    }

    /// Loads the resume data that `storage`'s files still back (main file, else `.bak`; see
    /// [`ResumeData::check_files`]). Any error means: hash-check the torrent. A file of a claimed
    /// piece gone or short is no error: it is named in [`ResumeData::files_missing`].
    pub fn load_for(
        &self,
        storage: &Storage,
        info_hash: &InfoHash,
    ) -> Result<ResumeData, ResumeError> {
        let piece_count = storage.layout().piece_count();
        self.load_with(info_hash, |bytes| {
            let mut data = ResumeData::decode(bytes, info_hash, piece_count)?;
            match data.check_files(storage) {
                Ok(()) => {}
                Err(ResumeError::FileMissing(path)) => data.files_missing = Some(path),
                Err(e) => return Err(e),
            }
            Ok(data)
        })
    }

    fn load_with(
        &self,
        info_hash: &InfoHash,
        use_bytes: impl Fn(&[u8]) -> Result<ResumeData, ResumeError>,
    ) -> Result<ResumeData, ResumeError> {
        let read = |path: PathBuf| match std::fs::read(path) {
            Ok(bytes) => use_bytes(&bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(ResumeError::Missing),
            Err(e) => Err(ResumeError::Unreadable(e)),
        };
        match read(self.path(info_hash)) {
            Ok(data) => Ok(data),
            Err(main) => read(self.bak_path(info_hash)).map_err(|_| main),
        }
    }

    /// Forgets a torrent's resume data (and its backup).
    pub fn remove(&self, info_hash: &InfoHash) {
        let _ = std::fs::remove_file(self.path(info_hash));
        let _ = std::fs::remove_file(self.bak_path(info_hash));
    }
}

#[cfg(test)]
#[path = "resume_tests.rs"]
mod tests;
