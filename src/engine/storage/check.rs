//! Hashing a torrent's data on every core: the hash check of existing files (which pieces do we
//! have?) and the piece hashes of a new torrent.
//!
//! Workers take batches of consecutive pieces from a shared counter and hash each piece with SHA-1
//! as they read it, in chunks small enough to be hashed while still in the CPU cache (the `sha1`
//! crate picks the SHA-NI instructions at run time where the CPU has them). Runs on plain threads: call it from a
//! blocking context. Progress is a shared byte counter the caller may poll; a cancel flag stops
//! the workers within one batch.

use super::{Storage, StorageError};
use crate::engine::bitfield::Bitfield;
use crate::engine::metainfo::Metainfo;
use sha1::{Digest, Sha1};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// Pieces one worker takes from the shared counter at a time (fewer atomic operations, and
/// each worker reads a longer sequential run).
const BATCH_BYTES: u64 = 4 * 1024 * 1024;
/// Bytes read per system call: small enough that the data is still in the CPU cache when it is
/// hashed right after the copy, large enough that the call overhead vanishes.
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
    let batch = (BATCH_BYTES / piece_length).clamp(1, 1024) as usize;
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, count.max(1));

    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut buf = vec![0u8; READ_CHUNK.min(piece_length as usize)];
                loop {
                    if progress.cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let first = next.fetch_add(batch, Ordering::Relaxed);
                    if first >= count {
                        return;
                    }
                    for index in first..(first + batch).min(count) {
                        let size = layout.piece_size(index);
                        let result =
                            hash_piece(storage, layout.piece_offset(index), size, &mut buf);
                        on_piece(index, result);
                        progress.bytes.fetch_add(size, Ordering::Relaxed);
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

/// SHA-1 of `size` bytes of the stream from `offset`, read in cache-sized chunks into `buf`.
fn hash_piece(
    storage: &Storage,
    offset: u64,
    size: u64,
    buf: &mut [u8],
) -> Result<[u8; 20], StorageError> {
    let mut hasher = Sha1::new();
    let mut done = 0u64;
    while done < size {
        let n = (size - done).min(buf.len() as u64) as usize;
        let chunk = &mut buf[..n];
        storage.read_at(offset + done, chunk)?;
        hasher.update(&*chunk);
        done += n as u64;
    }
    Ok(hasher.finalize().into())
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
