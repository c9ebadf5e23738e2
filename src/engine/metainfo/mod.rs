//! `.torrent` files (BEP 3) and everything they promise: files, pieces, trackers.
//!
//! A [`Metainfo`] is only ever built from input that passed every check here, so the rest of the
//! engine can trust it: lengths are positive and add up, the piece count matches, every file path
//! is safe to create under the download folder and no two collide. The info-hash is the SHA-1 of
//! the `info` dictionary's bytes exactly as they stand in the file (never a re-encoding), so
//! torrents with unknown keys or keys out of order still hash like every other client.
//!
//! Supported: BEP 3 single- and multi-file, BEP 12 announce-list, BEP 19 url-list, BEP 27
//! private, BEP 47 pad files and attributes, hybrid v1+v2 torrents through their v1 part. v2-only
//! torrents (BEP 52) are recognised and refused. Depends on [`crate::engine::bencode`] only.

pub mod paths;

use crate::engine::bencode::{self, BencodeError, Limits, get};
use crate::engine::info_hash::InfoHash;
use crate::engine::magnet::MagnetLink;
use paths::{PathProblem, check_component};
use serde_bencode::value::Value;
use std::collections::HashMap;
use std::path::PathBuf;

/// Most files one torrent may list.
pub const MAX_FILES: usize = 500_000;
/// Deepest folder nesting of one file path (components, the torrent name included).
pub const MAX_PATH_DEPTH: usize = 64;
/// Largest accepted piece length (libtorrent refuses more than 128 MiB for v1; we allow 256 MiB).
pub const MAX_PIECE_LENGTH: u64 = 256 * 1024 * 1024;

type Dict = HashMap<Vec<u8>, Value>;

/// A validated `.torrent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metainfo {
    /// SHA-1 of the raw `info` bytes.
    pub info_hash: InfoHash,
    /// The raw `info` dictionary, served to peers that ask for metadata (BEP 9).
    pub info_bytes: Vec<u8>,
    /// The torrent's name: the file name of a single-file torrent, the folder of a multi-file one.
    pub name: String,
    /// Bytes per piece (the last piece may be shorter).
    pub piece_length: u64,
    /// SHA-1 of every piece, in order.
    pub piece_hashes: Vec<[u8; 20]>,
    /// Files in torrent order, including BEP 47 pad files (which are never written).
    pub files: Vec<FileEntry>,
    /// Sum of all file lengths, pad files included.
    pub total_length: u64,
    /// True for a torrent with a `files` list (its files live in a folder named [`Self::name`]).
    pub multi_file: bool,
    /// BEP 27: peers only from the torrent's trackers, no DHT or PEX.
    pub private: bool,
    /// Tracker tiers (BEP 12); a lone `announce` becomes one tier.
    pub trackers: Vec<Vec<String>>,
    /// Web seeds (BEP 19).
    pub web_seeds: Vec<String>,
    /// Free-text comment.
    pub comment: Option<String>,
    /// The program that made the torrent.
    pub created_by: Option<String>,
    /// Creation time, seconds since the Unix epoch.
    pub creation_date: Option<i64>,
    /// True when the torrent also carries a v2 (BEP 52) part; only its v1 part is used.
    pub hybrid: bool,
}

/// One file of a torrent, at its place in the torrent's byte stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Path components relative to the save folder; for a multi-file torrent the first one is
    /// the torrent's name. Every component passed [`paths::check_component`].
    pub path: Vec<String>,
    /// Length in bytes (may be zero).
    pub length: u64,
    /// Offset of the file's first byte in the torrent's byte stream.
    pub offset: u64,
    /// BEP 47 pad file: zeros that are never written to disk.
    pub pad: bool,
    /// BEP 47 `x` attribute.
    pub executable: bool,
    /// BEP 47 `h` attribute.
    pub hidden: bool,
}

impl FileEntry {
    /// The path relative to the save folder, for this platform.
    pub fn relative_path(&self) -> PathBuf {
        self.path.iter().collect()
    }

    /// The path as shown to people: components joined with `/`.
    pub fn display_path(&self) -> String {
        self.path.join("/")
    }
}

/// Why a `.torrent` was refused. Each message says what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetainfoError {
    #[error("not a valid torrent file: bencode error: {0}")]
    Bencode(#[from] BencodeError),
    #[error("not a valid torrent file: the top level is not a dictionary")]
    NotADictionary,
    #[error("not a valid torrent file: it has no `info` dictionary")]
    MissingInfo,
    #[error(
        "this is a BitTorrent v2-only torrent (BEP 52), which Brooklet does not support yet; \
         a hybrid v1+v2 torrent of the same data will work"
    )]
    V2Only,
    #[error("the torrent's `{0}` field is missing or has the wrong type")]
    MissingField(&'static str),
    #[error("the torrent has an empty name")]
    EmptyName,
    #[error("the torrent's name `{name}` is unusable: {problem}")]
    BadName { name: String, problem: PathProblem },
    #[error("piece length {0} is invalid (it must be between 1 byte and 256 MiB)")]
    BadPieceLength(i64),
    #[error("the piece hashes take {0} bytes, which is not a multiple of 20")]
    PiecesNotMultipleOf20(usize),
    #[error("the torrent has {actual} piece hashes but its {total_length} bytes need {expected}")]
    PieceCountMismatch {
        expected: u64,
        actual: u64,
        total_length: u64,
    },
    #[error("file `{path}` has an invalid length {length}")]
    BadFileLength { path: String, length: i64 },
    #[error("the files' lengths add up to more than 2^63 bytes")]
    TotalTooLarge,
    #[error("the torrent holds no data (every file is empty)")]
    NoData,
    #[error("the torrent has both `length` and `files`; it must have one of them")]
    BothLengthAndFiles,
    #[error("the torrent has neither `length` nor `files`")]
    NeitherLengthNorFiles,
    #[error("the torrent's `files` list is empty")]
    NoFiles,
    #[error("file entry {index} is malformed: {what}")]
    BadFileEntry { index: usize, what: &'static str },
    #[error("the torrent lists {count} files, more than the {max} allowed")]
    TooManyFiles { count: usize, max: usize },
    #[error("file `{path}` is nested more than {max} folders deep")]
    PathTooDeep { path: String, max: usize },
    #[error("file name `{path}` is unsafe: {problem}")]
    UnsafePath { path: String, problem: PathProblem },
    #[error("file `{0}` appears twice in the torrent")]
    DuplicatePath(String),
    #[error("files `{0}` and `{1}` would be written to the same place")]
    PathCollision(String, String),
}

impl Metainfo {
    /// Parses and validates a whole `.torrent` file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Metainfo, MetainfoError> {
        let (value, scan) = bencode::decode(bytes, Limits::TORRENT)?;
        let root = get::dict(&value).ok_or(MetainfoError::NotADictionary)?;
        let span = scan
            .value_span(bytes, b"info")
            .ok_or(MetainfoError::MissingInfo)?;
        let info = root
            .get(b"info".as_slice())
            .and_then(get::dict)
            .ok_or(MetainfoError::MissingInfo)?;
        let mut meta = parse_info(info, &bytes[span])?;
        meta.trackers = parse_trackers(root);
        meta.web_seeds = parse_web_seeds(root);
        meta.comment = utf8_field(root, "comment");
        meta.created_by = utf8_field(root, "created by");
        meta.creation_date = get::int(root, "creation date");
        Ok(meta)
    }

    /// Builds a torrent from a bare `info` dictionary, as received through metadata exchange.
    pub fn from_info_bytes(info_bytes: &[u8]) -> Result<Metainfo, MetainfoError> {
        let (value, _) = bencode::decode(info_bytes, Limits::TORRENT)?;
        let info = get::dict(&value).ok_or(MetainfoError::MissingInfo)?;
        parse_info(info, info_bytes)
    }

    /// Number of pieces.
    pub fn piece_count(&self) -> usize {
        self.piece_hashes.len()
    }

    /// Length of piece `index` (the last one may be short); 0 when out of range.
    pub fn piece_size(&self, index: usize) -> u64 {
        let start = index as u64 * self.piece_length;
        if index >= self.piece_count() {
            return 0;
        }
        (self.total_length - start).min(self.piece_length)
    }

    /// A magnet link for this torrent: info-hash, name and every tracker (not for private ones'
    /// peers to use outside their trackers, but for sharing the identity).
    pub fn to_magnet(&self) -> MagnetLink {
        let mut link = MagnetLink::new(self.info_hash);
        link.display_name = Some(self.name.clone());
        link.trackers = self.trackers.iter().flatten().cloned().collect();
        link.web_seeds = self.web_seeds.clone();
        link
    }

    /// Bytes of real data (pad files excluded).
    pub fn data_length(&self) -> u64 {
        self.files.iter().filter(|f| !f.pad).map(|f| f.length).sum()
    }
}

/// A UTF-8 text field, preferring its `.utf-8` twin.
fn utf8_field(d: &Dict, key: &'static str) -> Option<String> {
    let twin = format!("{key}.utf-8");
    d.get(twin.as_bytes())
        .and_then(|v| match v {
            Value::Bytes(b) => std::str::from_utf8(b).ok().map(str::to_owned),
            _ => None,
        })
        .or_else(|| get::string(d, key))
}

fn parse_info(info: &Dict, info_bytes: &[u8]) -> Result<Metainfo, MetainfoError> {
    let meta_version = get::int(info, "meta version").unwrap_or(1);
    let has_pieces = info.contains_key(b"pieces".as_slice());
    if meta_version >= 2 && !has_pieces {
        return Err(MetainfoError::V2Only);
    }
    let hybrid = meta_version >= 2;

    let name = utf8_field(info, "name").ok_or(MetainfoError::MissingField("name"))?;
    if name.is_empty() {
        return Err(MetainfoError::EmptyName);
    }
    check_component(&name).map_err(|problem| MetainfoError::BadName {
        name: name.clone(),
        problem,
    })?;

    let piece_length_raw =
        get::int(info, "piece length").ok_or(MetainfoError::MissingField("piece length"))?;
    let piece_length = u64::try_from(piece_length_raw)
        .ok()
        .filter(|&p| p > 0 && p <= MAX_PIECE_LENGTH)
        .ok_or(MetainfoError::BadPieceLength(piece_length_raw))?;

    let pieces = get::bytes(info, "pieces").ok_or(MetainfoError::MissingField("pieces"))?;
    if pieces.len() % 20 != 0 {
        return Err(MetainfoError::PiecesNotMultipleOf20(pieces.len()));
    }
    let piece_hashes: Vec<[u8; 20]> = pieces
        .chunks_exact(20)
        .map(|c| {
            let mut h = [0u8; 20];
            h.copy_from_slice(c);
            h
        })
        .collect();

    let has_length = info.contains_key(b"length".as_slice());
    let has_files = info.contains_key(b"files".as_slice());
    let (files, multi_file) = match (has_length, has_files) {
        (true, true) => return Err(MetainfoError::BothLengthAndFiles),
        (false, false) => return Err(MetainfoError::NeitherLengthNorFiles),
        (true, false) => {
            let raw = get::int(info, "length").ok_or(MetainfoError::MissingField("length"))?;
            let length = u64::try_from(raw).map_err(|_| MetainfoError::BadFileLength {
                path: name.clone(),
                length: raw,
            })?;
            let file = FileEntry {
                path: vec![name.clone()],
                length,
                offset: 0,
                pad: false,
                executable: false,
                hidden: false,
            };
            (vec![file], false)
        }
        (false, true) => (parse_files(info, &name)?, true),
    };

    let total_length = files
        .iter()
        .try_fold(0u64, |acc, f| acc.checked_add(f.length))
        .filter(|&t| t <= i64::MAX as u64)
        .ok_or(MetainfoError::TotalTooLarge)?;
    if total_length == 0 {
        return Err(MetainfoError::NoData);
    }
    let expected = total_length.div_ceil(piece_length);
    if expected != piece_hashes.len() as u64 {
        return Err(MetainfoError::PieceCountMismatch {
            expected,
            actual: piece_hashes.len() as u64,
            total_length,
        });
    }

    Ok(Metainfo {
        info_hash: InfoHash::of_info_bytes(info_bytes),
        info_bytes: info_bytes.to_vec(),
        name,
        piece_length,
        piece_hashes,
        files,
        total_length,
        multi_file,
        private: get::int(info, "private") == Some(1),
        trackers: Vec::new(),
        web_seeds: Vec::new(),
        comment: None,
        created_by: None,
        creation_date: None,
        hybrid,
    })
}

fn parse_files(info: &Dict, name: &str) -> Result<Vec<FileEntry>, MetainfoError> {
    let list = get::list(info, "files").ok_or(MetainfoError::MissingField("files"))?;
    if list.is_empty() {
        return Err(MetainfoError::NoFiles);
    }
    if list.len() > MAX_FILES {
        return Err(MetainfoError::TooManyFiles {
            count: list.len(),
            max: MAX_FILES,
        });
    }
    let mut files = Vec::with_capacity(list.len());
    let mut offset = 0u64;
    for (index, entry) in list.iter().enumerate() {
        let d = get::dict(entry).ok_or(MetainfoError::BadFileEntry {
            index,
            what: "it is not a dictionary",
        })?;
        let components = path_list(d, "path.utf-8", true)
            .or_else(|| path_list(d, "path", false))
            .ok_or(MetainfoError::BadFileEntry {
                index,
                what: "its `path` is missing or not a list of strings",
            })?;
        let mut path = Vec::with_capacity(components.len() + 1);
        path.push(name.to_owned());
        path.extend(components);
        let shown = path.join("/");
        if path.len() < 2 {
            return Err(MetainfoError::UnsafePath {
                path: shown,
                problem: PathProblem::Empty,
            });
        }
        if path.len() > MAX_PATH_DEPTH {
            return Err(MetainfoError::PathTooDeep {
                path: shown,
                max: MAX_PATH_DEPTH,
            });
        }
        for c in &path[1..] {
            check_component(c).map_err(|problem| MetainfoError::UnsafePath {
                path: shown.clone(),
                problem,
            })?;
        }
        let raw = get::int(d, "length").ok_or(MetainfoError::BadFileEntry {
            index,
            what: "its `length` is missing or not an integer",
        })?;
        let length = u64::try_from(raw).map_err(|_| MetainfoError::BadFileLength {
            path: shown.clone(),
            length: raw,
        })?;
        let attr = get::bytes(d, "attr").unwrap_or(b"");
        files.push(FileEntry {
            path,
            length,
            offset,
            pad: attr.contains(&b'p'),
            executable: attr.contains(&b'x'),
            hidden: attr.contains(&b'h'),
        });
        offset = offset
            .checked_add(length)
            .ok_or(MetainfoError::TotalTooLarge)?;
    }
    // Pad files are never written, so only real files can collide.
    let real = || files.iter().filter(|f| !f.pad).map(|f| f.path.as_slice());
    if let Some(dup) = paths::find_exact_duplicate(real()) {
        return Err(MetainfoError::DuplicatePath(dup));
    }
    if let Some((a, b)) = paths::find_collision(real()) {
        return Err(MetainfoError::PathCollision(a, b));
    }
    Ok(files)
}

/// A list of path components; with `strict`, components must be valid UTF-8.
fn path_list(d: &Dict, key: &str, strict: bool) -> Option<Vec<String>> {
    let items = get::list(d, key)?;
    items
        .iter()
        .map(|v| match v {
            Value::Bytes(b) if strict => std::str::from_utf8(b).ok().map(str::to_owned),
            Value::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
        .collect()
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Bytes(b) => std::str::from_utf8(b)
            .ok()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        _ => None,
    }
}

/// BEP 12: `announce-list` wins when it holds any tracker; otherwise `announce` is one tier.
/// Duplicate URLs are dropped; malformed entries are skipped rather than failing the torrent.
fn parse_trackers(root: &Dict) -> Vec<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    let mut tiers = Vec::new();
    if let Some(list) = get::list(root, "announce-list") {
        for tier in list {
            if let Value::List(urls) = tier {
                let urls: Vec<String> = urls
                    .iter()
                    .filter_map(text_of)
                    .filter(|u| seen.insert(u.clone()))
                    .collect();
                if !urls.is_empty() {
                    tiers.push(urls);
                }
            }
        }
    }
    if tiers.is_empty()
        && let Some(url) = root.get(b"announce".as_slice()).and_then(text_of)
    {
        tiers.push(vec![url]);
    }
    tiers
}

/// BEP 19: `url-list` is a string or a list of strings.
fn parse_web_seeds(root: &Dict) -> Vec<String> {
    match root.get(b"url-list".as_slice()) {
        Some(Value::List(items)) => items.iter().filter_map(text_of).collect(),
        Some(v) => text_of(v).into_iter().collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
