//! Hashing a torrent's data on every core: the hash check of existing files (which pieces do we
//! have?) and the piece hashes of a new torrent.
//!
//! Workers take batches of consecutive pieces from a shared counter and hash them with SHA-1 as
//! they read them, in chunks small enough to be hashed while still in the CPU cache. Where the
//! CPU has the SHA extensions, a worker hashes four pieces in step ([`crate::engine::sha1_lanes`]):
//! it reads a chunk of each in turn, then hashes the four chunks together, about 2.5 times the
//! bytes per second of one piece at a time. Runs on plain threads: call it from a blocking
//! context. Progress is a shared byte counter the caller may poll; a cancel flag stops
//! the workers within one batch.

use super::{Storage, StorageError};
use crate::engine::bitfield::Bitfield;
use crate::engine::metainfo::Metainfo;
use crate::engine::sha1_lanes::{self, LANES, MultiSha1};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// Pieces one worker takes from the shared counter at a time (fewer atomic operations, and
/// each worker reads a longer sequential run).
const BATCH_BYTES: u64 = 4 * 1024 * 1024;
/// Bytes read per system call, for all the pieces hashed together: small enough that the data is
/// still in the CPU cache when it is hashed right after the copy, large enough that the call
/// overhead vanishes.
const READ_CHUNK: usize = 128 * 1024;

/// Shared state a caller watches while hashing runs.
#[derive(Debug, Default)]
pub struct HashProgress {
    /// Bytes hashed (or found missing) so far.
    pub bytes: AtomicU64,
    /// Set to stop the work early.
    pub cancel: AtomicBool,
    /// The work has its turn (hash checks of a session wait for one another).
    pub started: AtomicBool,
}

/// The work was cancelled through [`HashProgress::cancel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

/// Number of hashing threads to use by default: one per core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Hashes every piece of `storage` on `threads` threads, calling `on_piece(index, result)` once
/// per piece (from any worker, in no particular order).
pub fn hash_pieces<F>(
    storage: &Storage,
    threads: usize,
    progress: &HashProgress,
    on_piece: F,
) -> Result<(), Cancelled>
where
    F: Fn(usize, Result<[u8; 20], StorageError>) + Sync,
{
    let layout = storage.layout();
    let count = layout.piece_count();
    let piece_length = layout.piece_length();
    let lanes = if sha1_lanes::lanes_pay() { LANES } else { 1 };
    // At least a group of pieces hashed together per batch.
    let batch = (BATCH_BYTES / piece_length).clamp(lanes as u64, 1024) as usize;
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, count.max(1));

    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let chunk = (READ_CHUNK / lanes).min(piece_length as usize);
                let mut buf = vec![0u8; chunk * lanes];
                loop {
                    if progress.cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let first = next.fetch_add(batch, Ordering::Relaxed);
                    if first >= count {
                        return;
                    }
                    let end = (first + batch).min(count);
                    for group in (first..end).step_by(lanes) {
                        let pieces: Vec<(u64, u64)> = (group..(group + lanes).min(end))
                            .map(|i| (layout.piece_offset(i), layout.piece_size(i)))
                            .collect();
                        let results = hash_together(storage, &pieces, chunk, &mut buf);
                        for (i, result) in (group..).zip(results) {
                            on_piece(i, result);
                        }
                        let bytes: u64 = pieces.iter().map(|p| p.1).sum();
                        progress.bytes.fetch_add(bytes, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    if progress.cancel.load(Ordering::Relaxed) {
        Err(Cancelled)
    } else {
        Ok(())
    }
}

/// SHA-1 of each `(offset, size)` stretch of the stream, hashed together: a chunk of each read
/// in turn into `buf` (`chunk` bytes per piece), then the chunks hashed in step. A piece that
/// cannot be read gets its error; the others go on.
fn hash_together(
    storage: &Storage,
    pieces: &[(u64, u64)],
    chunk: usize,
    buf: &mut [u8],
) -> Vec<Result<[u8; 20], StorageError>> {
    let mut hasher = MultiSha1::new(pieces.len());
    let mut errors: Vec<Option<StorageError>> = pieces.iter().map(|_| None).collect();
    let longest = pieces.iter().map(|p| p.1).max().unwrap_or(0);
    let mut done = 0u64;
    while done < longest {
        let mut lens = Vec::with_capacity(pieces.len());
        for ((&(offset, size), error), part) in
            pieces.iter().zip(&mut errors).zip(buf.chunks_mut(chunk))
        {
            let n = if error.is_some() {
                0
            } else {
                size.saturating_sub(done).min(chunk as u64) as usize
            };
            if n > 0
                && let Err(e) = storage.read_at(offset + done, &mut part[..n])
            {
                *error = Some(e);
                lens.push(0);
                continue;
            }
            lens.push(n);
        }
        let parts: Vec<&[u8]> = buf
            .chunks(chunk)
            .zip(&lens)
            .map(|(part, &n)| &part[..n])
            .collect();
        hasher.update(&parts);
        done += chunk as u64;
    }
    hasher
        .finalize()
        .into_iter()
        .zip(errors)
        .map(|(digest, error)| match error {
            Some(e) => Err(e),
            None => Ok(digest),
        })
        .collect()
}

/// What a hash check found.
#[derive(Debug)]
pub struct CheckResult {
    /// Pieces whose data matches their hash.
    pub have: Bitfield,
    /// Pieces that could not be read because a file is missing or too short.
    pub unreadable: usize,
    /// The first few read errors other than missing or short files, with their piece.
    pub errors: Vec<(usize, StorageError)>,
}

/// Most read errors kept in a [`CheckResult`].
const MAX_KEPT_ERRORS: usize = 8;

/// Checks the data of `meta` in `storage` against its piece hashes.
pub fn verify(
    storage: &Storage,
    meta: &Metainfo,
    threads: usize,
    progress: &HashProgress,
) -> Result<CheckResult, Cancelled> {
    let result = Mutex::new(CheckResult {
        have: Bitfield::new(meta.piece_count()),
        unreadable: 0,
        errors: Vec::new(),
    });
    hash_pieces(storage, threads, progress, |index, hash| {
        let mut r = result.lock().unwrap_or_else(|p| p.into_inner());
        match hash {
            Ok(h) if meta.piece_hashes.get(index) == Some(&h) => r.have.set(index),
            Ok(_) => {}
            Err(StorageError::Missing(_) | StorageError::ShortFile(_)) => r.unreadable += 1,
            Err(e) => {
                r.unreadable += 1;
                if r.errors.len() < MAX_KEPT_ERRORS {
                    r.errors.push((index, e));
                }
            }
        }
    })?;
    Ok(result.into_inner().unwrap_or_else(|p| p.into_inner()))
}
