//! Making a `.torrent` from a file or a folder (BEP 3, BEP 12 tiers, BEP 19 web seeds, BEP 27).
//!
//! The source is walked in a deterministic order (names sorted by their bytes, folder by folder,
//! so the same tree always gives the same info-hash), every name is held to the same rules as a
//! downloaded torrent's, and the pieces are hashed on all cores through
//! [`crate::engine::storage::check::hash_pieces`]. The result is re-parsed by
//! [`Metainfo::from_bytes`] before it is returned, so what we write is what we accept.

use crate::engine::bencode;
use crate::engine::metainfo::paths::{PathProblem, check_component};
use crate::engine::metainfo::{FileEntry, MAX_FILES, MAX_PATH_DEPTH, Metainfo, MetainfoError};
use crate::engine::storage::check::{Cancelled, HashProgress, hash_pieces};
use crate::engine::storage::{Storage, StorageError, StorageMode};
use serde_bencode::value::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Smallest piece length chosen automatically (and the BitTorrent block size).
pub const MIN_AUTO_PIECE_LENGTH: u64 = 16 * 1024;
/// Largest piece length chosen automatically.
pub const MAX_AUTO_PIECE_LENGTH: u64 = 16 * 1024 * 1024;
/// Automatic piece lengths aim for at most this many pieces.
pub const TARGET_MAX_PIECES: u64 = 2000;

/// When the torrent says it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreationDate {
    /// The current time.
    Now,
    /// A fixed time, seconds since the Unix epoch (reproducible builds, tests).
    At(i64),
    /// No `creation date` field.
    Omit,
}

/// Everything that goes into a new torrent.
#[derive(Debug, Clone)]
pub struct CreateOptions {
    /// The file or folder to share.
    pub source: PathBuf,
    /// Bytes per piece; `None` picks one (see [`auto_piece_length`]).
    pub piece_length: Option<u64>,
    /// Tracker tiers (BEP 12), first tier first.
    pub trackers: Vec<Vec<String>>,
    /// Web seed URLs (BEP 19).
    pub web_seeds: Vec<String>,
    /// Free-text comment.
    pub comment: Option<String>,
    /// BEP 27 private flag.
    pub private: bool,
    /// The `created by` field; `None` omits it.
    pub created_by: Option<String>,
    /// The `creation date` field.
    pub creation_date: CreationDate,
    /// Hashing threads (0 means one per core).
    pub threads: usize,
}

impl CreateOptions {
    /// Options for `source` with defaults: automatic piece length, no trackers, public,
    /// created by this version of Brooklet, dated now.
    pub fn new(source: impl Into<PathBuf>) -> Self {
        CreateOptions {
            source: source.into(),
            piece_length: None,
            trackers: Vec::new(),
            web_seeds: Vec::new(),
            comment: None,
            private: false,
            created_by: Some(format!("Brooklet {}", env!("CARGO_PKG_VERSION"))),
            creation_date: CreationDate::Now,
            threads: 0,
        }
    }
}

/// Why a torrent could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{0}` has no name usable in a torrent")]
    NoName(PathBuf),
    #[error("cannot put `{path}` in a torrent: its name is unusable: {problem}")]
    BadName { path: PathBuf, problem: PathProblem },
    #[error("cannot put `{0}` in a torrent: its name is not valid Unicode")]
    NotUnicode(PathBuf),
    #[error("`{0}` holds no data: every file in it is empty or it has no files")]
    NoData(PathBuf),
    #[error("`{path}` holds more than {max} files")]
    TooManyFiles { path: PathBuf, max: usize },
    #[error("`{path}` is nested more than {max} folders deep")]
    TooDeep { path: PathBuf, max: usize },
    #[error("piece length {0} is invalid: use a power of two from 16 KiB to 256 MiB")]
    BadPieceLength(u64),
    #[error("while hashing: {0}")]
    Storage(#[from] StorageError),
    #[error("the files changed while they were being hashed")]
    Changed,
    #[error("torrent creation was cancelled")]
    Cancelled(#[from] Cancelled),
    #[error("the new torrent failed validation: {0}")]
    Invalid(#[from] MetainfoError),
}

/// A torrent made by [`create`].
#[derive(Debug, Clone)]
pub struct CreatedTorrent {
    /// The `.torrent` file's bytes.
    pub bytes: Vec<u8>,
    /// The same torrent, parsed.
    pub metainfo: Metainfo,
    /// The folder that holds the source, i.e. the save folder to seed it from.
    pub save_folder: PathBuf,
}

/// A power-of-two piece length giving at most [`TARGET_MAX_PIECES`] pieces (and at least about
/// half that), between 16 KiB and 16 MiB.
pub fn auto_piece_length(total: u64) -> u64 {
    let mut piece = MIN_AUTO_PIECE_LENGTH;
    while piece < MAX_AUTO_PIECE_LENGTH && total.div_ceil(piece) > TARGET_MAX_PIECES {
        piece *= 2;
    }
    piece
}

/// The files of a source, in torrent order, and the folder that holds it.
#[derive(Debug, Clone)]
pub struct SourceFiles {
    /// The torrent's name (the source's file or folder name).
    pub name: String,
    /// True when the source is a folder.
    pub multi_file: bool,
    /// The files with their offsets.
    pub files: Vec<FileEntry>,
    /// The source's parent folder.
    pub save_folder: PathBuf,
    /// Sum of the file lengths.
    pub total_length: u64,
}

/// Walks `source` deterministically and checks every name.
pub fn collect_files(source: &Path) -> Result<SourceFiles, CreateError> {
    let read_err = |path: &Path| {
        let path = path.to_owned();
        move |source| CreateError::Read { path, source }
    };
    let meta = std::fs::metadata(source).map_err(read_err(source))?;
    let abs = source.canonicalize().map_err(read_err(source))?;
    let name = component_name(&abs)?;
    let save_folder = abs
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| CreateError::NoName(abs.clone()))?;

    let mut files = Vec::new();
    let mut offset = 0u64;
    if meta.is_file() {
        files.push(entry(vec![name.clone()], meta.len(), &mut offset));
    } else {
        // Depth-first with an explicit stack; each folder's entries sorted by name bytes.
        let mut stack: Vec<(PathBuf, Vec<String>)> = vec![(abs.clone(), vec![name.clone()])];
        let mut found: Vec<(Vec<String>, u64)> = Vec::new();
        while let Some((dir, prefix)) = stack.pop() {
            if prefix.len() >= MAX_PATH_DEPTH {
                return Err(CreateError::TooDeep {
                    path: dir,
                    max: MAX_PATH_DEPTH,
                });
            }
            let mut entries: Vec<(String, PathBuf)> = Vec::new();
            for item in std::fs::read_dir(&dir).map_err(read_err(&dir))? {
                let item = item.map_err(read_err(&dir))?;
                let path = item.path();
                entries.push((component_name(&path)?, path));
            }
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            // Folders are pushed in reverse so they pop in order; files are recorded in place.
            let mut subdirs = Vec::new();
            let mut here = Vec::new();
            for (entry_name, path) in entries {
                let link = std::fs::symlink_metadata(&path).map_err(read_err(&path))?;
                let mut p = prefix.clone();
                p.push(entry_name);
                if link.is_dir() {
                    subdirs.push((path, p));
                } else if let Ok(m) = std::fs::metadata(&path) {
                    // Symbolic links to files are followed; links to folders are not (loops).
                    if m.is_file() {
                        here.push((p, m.len()));
                    }
                }
            }
            // Keep a stable global order: files and folders interleave by name.
            found.extend(here);
            stack.extend(subdirs.into_iter().rev());
            if found.len() > MAX_FILES {
                return Err(CreateError::TooManyFiles {
                    path: abs,
                    max: MAX_FILES,
                });
            }
        }
        found.sort_by(|a, b| cmp_paths(&a.0, &b.0));
        for (path, len) in found {
            files.push(entry(path, len, &mut offset));
        }
    }
    if offset == 0 {
        return Err(CreateError::NoData(abs));
    }
    Ok(SourceFiles {
        name,
        multi_file: !meta.is_file(),
        files,
        save_folder,
        total_length: offset,
    })
}

fn cmp_paths(a: &[String], b: &[String]) -> std::cmp::Ordering {
    a.iter()
        .map(String::as_bytes)
        .cmp(b.iter().map(String::as_bytes))
}

fn entry(path: Vec<String>, length: u64, offset: &mut u64) -> FileEntry {
    let f = FileEntry {
        path,
        length,
        offset: *offset,
        pad: false,
        executable: false,
        hidden: false,
    };
    *offset += length;
    f
}

fn component_name(path: &Path) -> Result<String, CreateError> {
    let name = path
        .file_name()
        .ok_or_else(|| CreateError::NoName(path.to_owned()))?
        .to_str()
        .ok_or_else(|| CreateError::NotUnicode(path.to_owned()))?
        .to_owned();
    check_component(&name).map_err(|problem| CreateError::BadName {
        path: path.to_owned(),
        problem,
    })?;
    Ok(name)
}

/// Makes a torrent of `options.source`, hashing on all cores. Watch `progress.bytes` against
/// [`SourceFiles::total_length`] (from [`collect_files`]) for a progress bar.
pub fn create(
    options: &CreateOptions,
    progress: &HashProgress,
) -> Result<CreatedTorrent, CreateError> {
    let source = collect_files(&options.source)?;
    create_from(options, &source, progress)
}

/// Like [`create`], for files already collected.
pub fn create_from(
    options: &CreateOptions,
    source: &SourceFiles,
    progress: &HashProgress,
) -> Result<CreatedTorrent, CreateError> {
    let piece_length = match options.piece_length {
        Some(p) if p.is_power_of_two() && (MIN_AUTO_PIECE_LENGTH..=256 << 20).contains(&p) => p,
        Some(p) => return Err(CreateError::BadPieceLength(p)),
        None => auto_piece_length(source.total_length),
    };
    let storage = Storage::new(
        &source.save_folder,
        piece_length,
        &source.files,
        StorageMode::ReadOnly,
    )?;
    let count = storage.layout().piece_count();
    let hashes = Mutex::new(vec![[0u8; 20]; count]);
    let failure: Mutex<Option<StorageError>> = Mutex::new(None);
    let threads = if options.threads == 0 {
        crate::engine::storage::check::default_threads()
    } else {
        options.threads
    };
    hash_pieces(&storage, threads, progress, |index, result| match result {
        Ok(h) => {
            if let Some(slot) = hashes
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_mut(index)
            {
                *slot = h;
            }
        }
        Err(e) => {
            let mut f = failure.lock().unwrap_or_else(|p| p.into_inner());
            if f.is_none() {
                *f = Some(e);
            }
            progress
                .cancel
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
    })
    .or_else(|c| {
        // A read failure cancels the other workers; report the failure, not the cancel.
        if failure.lock().map(|f| f.is_some()).unwrap_or(true) {
            Ok(())
        } else {
            Err(c)
        }
    })?;
    if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(match e {
            StorageError::ShortFile(_) | StorageError::Missing(_) => CreateError::Changed,
            e => CreateError::Storage(e),
        });
    }
    let hashes = hashes.into_inner().unwrap_or_else(|p| p.into_inner());
    let bytes = encode_torrent(options, source, piece_length, &hashes);
    let metainfo = Metainfo::from_bytes(&bytes)?;
    Ok(CreatedTorrent {
        bytes,
        metainfo,
        save_folder: source.save_folder.clone(),
    })
}

fn bytes(s: &str) -> Value {
    Value::Bytes(s.as_bytes().to_vec())
}

fn encode_torrent(
    options: &CreateOptions,
    source: &SourceFiles,
    piece_length: u64,
    hashes: &[[u8; 20]],
) -> Vec<u8> {
    let mut info: HashMap<Vec<u8>, Value> = HashMap::new();
    info.insert(b"name".to_vec(), bytes(&source.name));
    info.insert(b"piece length".to_vec(), Value::Int(piece_length as i64));
    info.insert(b"pieces".to_vec(), Value::Bytes(hashes.concat()));
    if options.private {
        info.insert(b"private".to_vec(), Value::Int(1));
    }
    if source.multi_file {
        let files = source
            .files
            .iter()
            .map(|f| {
                let mut d = HashMap::new();
                d.insert(b"length".to_vec(), Value::Int(f.length as i64));
                d.insert(
                    b"path".to_vec(),
                    Value::List(f.path[1..].iter().map(|c| bytes(c)).collect()),
                );
                Value::Dict(d)
            })
            .collect();
        info.insert(b"files".to_vec(), Value::List(files));
    } else {
        info.insert(b"length".to_vec(), Value::Int(source.total_length as i64));
    }

    let mut root: HashMap<Vec<u8>, Value> = HashMap::new();
    let tiers: Vec<Vec<String>> = options
        .trackers
        .iter()
        .map(|t| {
            t.iter()
                .filter(|u| !u.is_empty())
                .cloned()
                .collect::<Vec<_>>()
        })
        .filter(|t| !t.is_empty())
        .collect();
    if let Some(first) = tiers.first().and_then(|t| t.first()) {
        root.insert(b"announce".to_vec(), bytes(first));
    }
    if tiers.iter().map(Vec::len).sum::<usize>() > 1 {
        let list = tiers
            .iter()
            .map(|t| Value::List(t.iter().map(|u| bytes(u)).collect()))
            .collect();
        root.insert(b"announce-list".to_vec(), Value::List(list));
    }
    match options.web_seeds.as_slice() {
        [] => {}
        [one] => {
            root.insert(b"url-list".to_vec(), bytes(one));
        }
        many => {
            root.insert(
                b"url-list".to_vec(),
                Value::List(many.iter().map(|u| bytes(u)).collect()),
            );
        }
    }
    if let Some(c) = options.comment.as_deref().filter(|c| !c.is_empty()) {
        root.insert(b"comment".to_vec(), bytes(c));
    }
    if let Some(c) = &options.created_by {
        root.insert(b"created by".to_vec(), bytes(c));
    }
    let date = match options.creation_date {
        CreationDate::Now => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .map(|d| d.as_secs() as i64),
        CreationDate::At(t) => Some(t),
        CreationDate::Omit => None,
    };
    if let Some(t) = date {
        root.insert(b"creation date".to_vec(), Value::Int(t));
    }
    root.insert(b"info".to_vec(), Value::Dict(info));
    bencode::encode(&Value::Dict(root))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn auto_piece_length_aims_for_1000_to_2000_pieces() {
        assert_eq!(auto_piece_length(1), MIN_AUTO_PIECE_LENGTH);
        for total in [100 << 20, 700 << 20, 4 << 30, (8u64 << 30) + 1] {
            let p = auto_piece_length(total);
            let n = total.div_ceil(p);
            assert!(p.is_power_of_two());
            assert!((1000..=2000).contains(&n), "{total}: {p} gives {n} pieces");
        }
        assert_eq!(auto_piece_length(1 << 50), MAX_AUTO_PIECE_LENGTH);
    }

    #[test]
    fn path_order_is_by_component_bytes() {
        let a = vec!["t".to_string(), "a".into(), "z".into()];
        let b = vec!["t".to_string(), "a-b".into()];
        // "a" < "a-b" as components, although "a/z" > "a-b" as joined strings.
        assert_eq!(cmp_paths(&a, &b), std::cmp::Ordering::Less);
    }
}
