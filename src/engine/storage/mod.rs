//! Torrent data on disk: positioned reads and writes of the torrent's byte stream across its
//! files, inside one save folder and never outside it.
//!
//! [`Storage`] owns the resolved file paths and a capped cache of open handles; every method is
//! blocking and is meant for a blocking thread (`spawn_blocking` or a hashing worker), never an
//! async worker. Data is read and written with explicit positioned I/O (no mmap); verified
//! pieces go past the page cache where the file system allows it ([`direct`], Linux). Files are
//! created sparse at their full length on first write. Each path is checked after joining: every
//! folder on the way is created by us or, when it is a symbolic link, must resolve inside the save
//! folder; a symlinked file pointing out of it is never written through.
//!
//! Every file written since the last [`Storage::sync_all`] is remembered, so the sync reaches it
//! even when its handle has left the cache: resume data relies on that to never claim a piece
//! the disk may not hold.
//!
//! A torrent whose save folder is missing (an unplugged drive) gets a storage that creates
//! nothing until the folder is back ([`Storage::for_absent_root`]); a write refused for lack of
//! room is told apart ([`StorageError::is_disk_full`]) so the torrent can wait it out.
//!
//! [`check`] hashes existing data on all cores to find the verified pieces; [`resume`] keeps the
//! verified pieces across restarts.

pub mod blocks;
pub mod check;
#[cfg(target_os = "linux")]
mod direct;
pub mod handles;
pub mod inject;
pub mod layout;
mod part;
pub mod piece_buf;
pub mod relocate;
pub mod resume;

use crate::engine::metainfo::{FileEntry, Metainfo};
use layout::Layout;
use std::collections::{BTreeSet, HashMap};
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Files whose handles are kept open at most, per torrent (and every torrent together within
/// [`handles::budget`]).
pub const DEFAULT_MAX_OPEN_FILES: usize = 4096;

/// Whether a storage may create and write files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageMode {
    /// Read existing data only; never create anything (hash checks, torrent creation).
    ReadOnly,
    /// Create folders and sparse files as needed and write blocks.
    ReadWrite,
}

/// A failed storage operation, naming the file and what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the save folder `{0}` does not exist or cannot be opened")]
    SaveFolderMissing(PathBuf),
    #[error("file `{0}` is missing")]
    Missing(PathBuf),
    #[error("file `{0}` is shorter than the torrent says")]
    ShortFile(PathBuf),
    #[error("`{0}` leads out of the save folder through a symbolic link; refusing to use it")]
    EscapesSaveFolder(PathBuf),
    #[error("`{0}` is in the way: a folder is needed there")]
    NotAFolder(PathBuf),
    #[error("`{0}` is a folder, not a file")]
    IsAFolder(PathBuf),
    #[error("read or write past the end of the torrent")]
    OutOfRange,
    #[error("file `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl StorageError {
    /// The disk refused the write for lack of room: no space left, a quota reached, or a file
    /// over the size the system allows. Waiting (for space to be freed) may help.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, StorageError::Io { source, .. } if matches!(
            source.kind(),
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge
        ))
    }

    fn io(path: &Path, source: io::Error) -> Self {
        match source.kind() {
            io::ErrorKind::NotFound => StorageError::Missing(path.to_owned()),
            _ => StorageError::Io {
                path: path.to_owned(),
                source,
            },
        }
    }
}

struct OpenFile {
    file: Arc<File>,
    writable: bool,
    last_used: u64,
    /// A second handle for writes that bypass the page cache: `None` until asked for, then
    /// `Some(None)` where the file system cannot do them.
    #[cfg(target_os = "linux")]
    direct: Option<Option<Arc<direct::DirectFile>>>,
    /// Counted against [`handles::budget`] while cached.
    _counted: handles::Counted,
}

#[derive(Default)]
struct HandleCache {
    open: HashMap<usize, OpenFile>,
    tick: u64,
}

/// The data of one torrent under one save folder.
pub struct Storage {
    root: PathBuf,
    layout: Layout,
    /// Paths relative to `root`, checked by the metainfo parser (or the torrent creator).
    relative: Vec<PathBuf>,
    /// Absolute paths, resolved and checked once per file on first use.
    resolved: Vec<OnceLock<PathBuf>>,
    mode: StorageMode,
    max_open: usize,
    cache: Mutex<HandleCache>,
    /// Files written since the last [`Storage::sync_all`].
    dirty: Mutex<BTreeSet<usize>>,
    /// One writer at a time per file (by file index, striped): the kernel serialises buffered
    /// writes to one file anyway, and a writer waiting there spins on the CPU for as long as
    /// the other copies (10 % of a download's CPU on 2 cores); waiting here, it sleeps.
    write_turns: [Mutex<()>; WRITE_TURNS],
    /// Where the bytes of skipped files go (see [`part`]); `None` without one (the command
    /// line's checks, torrent creation).
    part: Option<Mutex<PartState>>,
    /// Made by [`Storage::for_absent_root`]: the save folder was not there.
    absent_root: bool,
    /// Fault injection for tests ([`inject`]); unset otherwise.
    faults: OnceLock<Arc<dyn inject::IoFaults>>,
    /// Verified pieces may be written past the page cache (Linux `O_DIRECT`, see
    /// [`Storage::write_blocks`]): the session's setting.
    direct: AtomicBool,
    /// The file system refused a direct write: the page cache from then on.
    #[cfg(target_os = "linux")]
    direct_refused: AtomicBool,
    /// Bytes written past the page cache so far.
    direct_bytes: AtomicU64,
    /// Of those, bytes copied first (not in step with their file, see [`direct::gather`]).
    direct_copied: AtomicU64,
}

/// [`Storage::sync_all`] syncs whole file systems from this many files on (Linux).
#[cfg(target_os = "linux")]
const SYNC_FILE_SYSTEM_FROM: usize = 32;

/// Stripes of [`Storage`]'s per-file write locks.
const WRITE_TURNS: usize = 8;

/// The name of a torrent's part file in its save folder.
pub(crate) fn part_file_name(info_hash: &crate::engine::InfoHash) -> String {
    format!(".{}.parts", info_hash.to_hex())
}

/// The part file and which files it stands in for.
struct PartState {
    file: part::PartFile,
    /// File `i`'s bytes are read from and written to the part file: it is skipped and does
    /// not exist on disk.
    in_part: Vec<bool>,
}

impl Storage {
    /// Storage for `meta`'s files under the save folder `root`, which must exist.
    pub fn for_torrent(
        root: &Path,
        meta: &Metainfo,
        mode: StorageMode,
    ) -> Result<Storage, StorageError> {
        let mut storage = Storage::new(root, meta.piece_length, &meta.files, mode)?;
        let path = storage.root.join(part_file_name(&meta.info_hash));
        storage.part = Some(Mutex::new(PartState {
            file: part::PartFile::new(path, storage.layout.piece_count(), meta.piece_length),
            in_part: vec![false; meta.files.len()],
        }));
        Ok(storage)
    }

    /// Storage for `meta`'s files under a save folder that does not exist now (an unplugged
    /// drive): nothing is created or opened until it is back. `root` is kept as given (made
    /// absolute), since it cannot be resolved.
    pub fn for_absent_root(root: &Path, meta: &Metainfo) -> Storage {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_owned());
        let mut storage =
            Storage::with_root(root, meta.piece_length, &meta.files, StorageMode::ReadWrite);
        let path = storage.root.join(part_file_name(&meta.info_hash));
        storage.part = Some(Mutex::new(PartState {
            file: part::PartFile::new(path, storage.layout.piece_count(), meta.piece_length),
            in_part: vec![false; meta.files.len()],
        }));
        storage.absent_root = true;
        storage
    }

    /// Whether the save folder is there now (a blocking `metadata` call).
    pub fn root_present(&self) -> bool {
        std::fs::metadata(&self.root).is_ok_and(|m| m.is_dir())
    }

    /// Lets `faults` decide each read and write of the torrent's files from now on (tests:
    /// EIO, ENOSPC at byte N, short writes). Set once; a second call changes nothing.
    #[doc(hidden)]
    pub fn inject_faults(&self, faults: Arc<dyn inject::IoFaults>) {
        let _ = self.faults.set(faults);
    }

    /// Whether any file of the torrent (pad files aside) exists now (blocking `metadata` calls).
    pub fn any_file_present(&self) -> bool {
        let files = self.layout.files();
        (0..files.len()).any(|i| !files[i].pad && self.file_path(i).is_some_and(|p| p.exists()))
    }

    /// Storage for `files` (consecutive in the stream) cut into pieces of `piece_length`.
    pub fn new(
        root: &Path,
        piece_length: u64,
        files: &[FileEntry],
        mode: StorageMode,
    ) -> Result<Storage, StorageError> {
        let root = root
            .canonicalize()
            .map_err(|_| StorageError::SaveFolderMissing(root.to_owned()))?;
        if !root.is_dir() {
            return Err(StorageError::SaveFolderMissing(root));
        }
        Ok(Storage::with_root(root, piece_length, files, mode))
    }

    fn with_root(
        root: PathBuf,
        piece_length: u64,
        files: &[FileEntry],
        mode: StorageMode,
    ) -> Storage {
        Storage {
            layout: Layout::new(piece_length, files),
            relative: files.iter().map(FileEntry::relative_path).collect(),
            resolved: files.iter().map(|_| OnceLock::new()).collect(),
            root,
            mode,
            max_open: DEFAULT_MAX_OPEN_FILES,
            cache: Mutex::new(HandleCache::default()),
            dirty: Mutex::new(BTreeSet::new()),
            write_turns: Default::default(),
            part: None,
            absent_root: false,
            faults: OnceLock::new(),
            direct: AtomicBool::new(cfg!(target_os = "linux")),
            #[cfg(target_os = "linux")]
            direct_refused: AtomicBool::new(false),
            direct_bytes: AtomicU64::new(0),
            direct_copied: AtomicU64::new(0),
        }
    }

    /// Lets [`Storage::write_blocks`] bypass the page cache where it can (the default on
    /// Linux), or not.
    pub fn set_direct_writes(&self, on: bool) {
        self.direct
            .store(on && cfg!(target_os = "linux"), Ordering::Relaxed);
    }

    /// Bytes written past the page cache so far.
    pub fn direct_bytes(&self) -> u64 {
        self.direct_bytes.load(Ordering::Relaxed)
    }

    /// Of [`Storage::direct_bytes`], those that were copied into an aligned buffer first.
    pub fn direct_copied(&self) -> u64 {
        self.direct_copied.load(Ordering::Relaxed)
    }

    /// Whether it was made for a save folder that was not there ([`Storage::for_absent_root`]).
    pub fn opened_absent(&self) -> bool {
        self.absent_root
    }

    /// The piece geometry.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The canonical save folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where file `index` lives (not checked for symbolic links).
    pub fn file_path(&self, index: usize) -> Option<PathBuf> {
        self.relative.get(index).map(|r| self.root.join(r))
    }

    /// Reads `buf.len()` bytes of the stream from `offset`. Pad files read as zeros.
    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), StorageError> {
        let len = buf.len() as u64;
        if offset
            .checked_add(len)
            .is_none_or(|e| e > self.layout.total_length())
        {
            return Err(StorageError::OutOfRange);
        }
        let mut done = 0usize;
        for span in self.layout.spans(offset, len) {
            let at = offset + done as u64;
            let part = &mut buf[done..done + span.len as usize];
            done += span.len as usize;
            if self.layout.files()[span.file].pad {
                part.fill(0);
                continue;
            }
            if self.in_part(span.file) {
                self.part_io(at, span.len, |p, piece, within, range| {
                    p.read(piece, within, &mut part[range])
                })?;
                continue;
            }
            let file = self.handle(span.file, false)?;
            let read = match self.faults.get() {
                None => read_exact_at(&file, part, span.file_offset),
                Some(f) => inject::read_exact_at(
                    f.as_ref(),
                    &self.display_path(span.file),
                    &file,
                    part,
                    span.file_offset,
                ),
            };
            read.map_err(|e| {
                let path = self.display_path(span.file);
                if e.kind() == io::ErrorKind::UnexpectedEof {
                    StorageError::ShortFile(path)
                } else {
                    StorageError::io(&path, e)
                }
            })?;
        }
        Ok(())
    }

    /// Writes `data` into the stream at `offset`, creating folders and files as needed.
    /// Bytes that fall in pad files are dropped.
    pub fn write_at(&self, offset: u64, data: &[u8]) -> Result<(), StorageError> {
        let len = data.len() as u64;
        if offset
            .checked_add(len)
            .is_none_or(|e| e > self.layout.total_length())
        {
            return Err(StorageError::OutOfRange);
        }
        let mut done = 0usize;
        for span in self.layout.spans(offset, len) {
            let at = offset + done as u64;
            let part = &data[done..done + span.len as usize];
            done += span.len as usize;
            if self.layout.files()[span.file].pad {
                continue;
            }
            if self.in_part(span.file) {
                self.part_io(at, span.len, |p, piece, within, range| {
                    p.write(piece, within, &part[range])
                })?;
                continue;
            }
            let file = self.handle(span.file, true)?;
            // Nothing under the lock can be left half-done by a panic: the guard is unit.
            let _turn = self.write_turns[span.file % WRITE_TURNS]
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            let written = match self.faults.get() {
                None => write_all_at(&file, part, span.file_offset),
                Some(f) => inject::write_all_at(
                    f.as_ref(),
                    &self.display_path(span.file),
                    &file,
                    part,
                    span.file_offset,
                ),
            };
            written.map_err(|e| StorageError::io(&self.display_path(span.file), e))?;
            // Marked after the write: a sync that starts later is sure to cover it.
            self.lock_dirty().insert(span.file);
        }
        Ok(())
    }

    /// Writes the consecutive `blocks` of a verified piece into the stream at `offset`. On
    /// Linux the page-aligned middle of each file span goes past the page cache ([`direct`]):
    /// one `pwritev` per MiB straight from the blocks when they are page-aligned buffers of
    /// their own ([`blocks`]), else from an aligned copy, instead of the page cache's copy,
    /// accounting and write-back. Its ragged ends, pad files, the part file and file systems
    /// without direct I/O take the buffered path ([`Storage::write_at`]), and their write-back
    /// starts at once ([`Storage::write_behind`]). Either way the data reaches the disk for
    /// certain only at the next [`Storage::sync_all`].
    pub fn write_blocks<B: AsRef<[u8]>>(
        &self,
        offset: u64,
        blocks: &[B],
    ) -> Result<(), StorageError> {
        let len: u64 = blocks.iter().map(|b| b.as_ref().len() as u64).sum();
        if offset
            .checked_add(len)
            .is_none_or(|e| e > self.layout.total_length())
        {
            return Err(StorageError::OutOfRange);
        }
        let pieces = Gather { offset, blocks };
        #[cfg(target_os = "linux")]
        if self.faults.get().is_none()
            && self.direct.load(Ordering::Relaxed)
            && !self.direct_refused.load(Ordering::Relaxed)
        {
            let mut at = offset;
            for span in self.layout.spans(offset, len) {
                let end = at + span.len;
                self.write_span(&pieces, at, &span)?;
                at = end;
            }
            return Ok(());
        }
        self.write_gathered(&pieces, offset, offset + len)?;
        self.write_behind(offset, len);
        Ok(())
    }

    /// Writes stream bytes `from..to` of `pieces` through [`Storage::write_at`].
    fn write_gathered<B: AsRef<[u8]>>(
        &self,
        pieces: &Gather<'_, B>,
        from: u64,
        to: u64,
    ) -> Result<(), StorageError> {
        pieces.each(from, to, |at, bytes| self.write_at(at, bytes))
    }

    /// [`Storage::write_gathered`], then [`Storage::write_behind`] on what it wrote, unless
    /// that is only the ragged end of a file (under 64 KiB): a system call and a small
    /// write-back each would cost more (8 % of the CPU of a download of 2,000 files) than the
    /// next sync spends on them.
    #[cfg(target_os = "linux")]
    fn write_gathered_behind<B: AsRef<[u8]>>(
        &self,
        pieces: &Gather<'_, B>,
        from: u64,
        to: u64,
    ) -> Result<(), StorageError> {
        if from < to {
            self.write_gathered(pieces, from, to)?;
            if to - from >= direct::MIN_DIRECT {
                self.write_behind(from, to - from);
            }
        }
        Ok(())
    }

    /// Writes one file span (stream bytes from `at`), its aligned middle directly.
    #[cfg(target_os = "linux")]
    fn write_span<B: AsRef<[u8]>>(
        &self,
        pieces: &Gather<'_, B>,
        at: u64,
        span: &layout::FileSpan,
    ) -> Result<(), StorageError> {
        let end = at + span.len;
        let first = direct::align_up(span.file_offset);
        let last = direct::align_down(span.file_offset + span.len);
        if self.layout.files()[span.file].pad
            || self.in_part(span.file)
            || last < first + direct::MIN_DIRECT
        {
            return self.write_gathered_behind(pieces, at, end);
        }
        let Some(file) = self.direct_handle(span.file)? else {
            return self.write_gathered_behind(pieces, at, end);
        };
        // Stream offset of file offset `o` in this span.
        let stream = |o: u64| at + (o - span.file_offset);
        self.write_gathered_behind(pieces, at, stream(first))?;
        let mut scratch = direct::Scratch::take();
        let mut pos = first;
        while pos < last {
            let n = (last - pos).min(direct::CHUNK as u64);
            // Blocks received into buffers of their own, in step with their file ([`blocks`]),
            // go as they are; the rest is copied into an aligned buffer first.
            let mut shares = Vec::new();
            let _ = pieces.each(stream(pos), stream(pos + n), |_, bytes| {
                shares.push(bytes);
                Ok::<(), ()>(())
            });
            let (mut slices, copied) =
                direct::gather(&shares, pos, file.align, scratch.get(n as usize));
            let written = {
                let _turn = self.write_turns[span.file % WRITE_TURNS]
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                direct::write_all_at(&file.file, &mut slices, pos)
            };
            match written {
                Ok(()) => {
                    self.direct_bytes.fetch_add(n, Ordering::Relaxed);
                    self.direct_copied
                        .fetch_add(copied as u64, Ordering::Relaxed);
                    pos += n;
                }
                Err(e) if direct::is_refusal(&e) => {
                    // Misaligned for this file system after all: the page cache from now on.
                    self.direct_refused.store(true, Ordering::Relaxed);
                    break;
                }
                Err(e) => return Err(StorageError::io(&self.display_path(span.file), e)),
            }
        }
        // Marked after the write: a sync that starts later is sure to cover it.
        self.lock_dirty().insert(span.file);
        self.write_gathered_behind(pieces, stream(pos), end)
    }

    /// The direct-write handle of file `index` (opening it, and first the file itself, on a
    /// miss); `None` where the file system cannot write directly.
    #[cfg(target_os = "linux")]
    fn direct_handle(&self, index: usize) -> Result<Option<Arc<direct::DirectFile>>, StorageError> {
        self.handle(index, true)?;
        if let Some(f) = self.lock_cache().open.get(&index)
            && let Some(direct) = &f.direct
        {
            return Ok(direct.clone());
        }
        let path = self.resolve(index, false)?;
        let direct = direct::open(&path)
            .map_err(|e| StorageError::io(&path, e))?
            .map(Arc::new);
        if let Some(f) = self.lock_cache().open.get_mut(&index) {
            f.direct = Some(direct.clone());
        }
        Ok(direct)
    }

    /// Starts writing `len` bytes from `offset`, just written, out to the disk, without
    /// waiting for it. The kernel would otherwise keep them in memory until our own sync
    /// before a resume save — a whole download's worth at completion, which then waits for all
    /// of it to reach the disk (half a second per GiB here). Started behind the writes, the
    /// disk works alongside the network. Claims nothing: resume saves still sync first. Linux
    /// (`POSIX_FADV_DONTNEED` starts the write-back of a range's dirty pages and leaves them
    /// cached; clean pages of the range — none, just written — would be dropped); elsewhere
    /// nothing.
    pub fn write_behind(&self, offset: u64, len: u64) {
        #[cfg(target_os = "linux")]
        for span in self.layout.spans(offset, len) {
            if self.layout.files()[span.file].pad || self.in_part(span.file) {
                continue;
            }
            let cached = {
                let cache = self.lock_cache();
                cache.open.get(&span.file).map(|f| f.file.clone())
            };
            if let Some(file) = cached {
                // Only advice: a failure changes nothing.
                let _ = rustix::fs::fadvise(
                    &*file,
                    span.file_offset,
                    std::num::NonZeroU64::new(span.len),
                    rustix::fs::Advice::DontNeed,
                );
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = (offset, len);
    }

    /// The part file's path relative to the save folder, when the storage has one.
    pub fn part_file_name(&self) -> Option<PathBuf> {
        self.lock_part().and_then(|p| {
            p.file
                .path()
                .strip_prefix(&self.root)
                .ok()
                .map(Path::to_path_buf)
        })
    }

    fn lock_part(&self) -> Option<std::sync::MutexGuard<'_, PartState>> {
        self.part
            .as_ref()
            .map(|p| p.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// File `index`'s bytes live in the part file.
    fn in_part(&self, index: usize) -> bool {
        self.lock_part()
            .is_some_and(|p| p.in_part.get(index).copied().unwrap_or(false))
    }

    /// Runs `io` on the part file for each piece that the `len` bytes at stream offset `at`
    /// touch: with the piece, the offset inside it and the range of those bytes.
    fn part_io(
        &self,
        at: u64,
        len: u64,
        mut io: impl FnMut(&mut part::PartFile, u32, u64, std::ops::Range<usize>) -> io::Result<()>,
    ) -> Result<(), StorageError> {
        let Some(mut p) = self.lock_part() else {
            return Ok(());
        };
        let piece_length = self.layout.piece_length().max(1);
        let mut done = 0u64;
        while done < len {
            let pos = at + done;
            let piece = pos / piece_length;
            let within = pos % piece_length;
            let n = (piece_length - within).min(len - done);
            let piece = u32::try_from(piece).map_err(|_| StorageError::OutOfRange)?;
            let path = p.file.path().to_path_buf();
            io(
                &mut p.file,
                piece,
                within,
                done as usize..(done + n) as usize,
            )
            .map_err(|e| StorageError::io(&path, e))?;
            done += n;
        }
        Ok(())
    }

    /// Tells the storage which files are skipped. A skipped file that does not exist yet keeps
    /// its bytes (of pieces shared with wanted files) in the part file instead of being
    /// created; a file wanted again gets the bytes the part file holds for it, and is created
    /// only then. A skipped file that exists keeps being used (its data is not moved).
    pub fn set_skipped(&self, skipped: &[bool]) -> Result<(), StorageError> {
        if self.part.is_none() || self.mode == StorageMode::ReadOnly {
            return Ok(());
        }
        let files = self.layout.files().len();
        for index in 0..files {
            let skip = skipped.get(index).copied().unwrap_or(false);
            let f = &self.layout.files()[index];
            let now = self.in_part(index);
            let want_part = skip
                && !f.pad
                && f.length > 0
                && (now || !self.file_path(index).is_some_and(|p| p.exists()));
            if now && !want_part {
                self.take_from_part(index)?;
            }
            if let Some(mut p) = self.lock_part()
                && let Some(slot) = p.in_part.get_mut(index)
            {
                *slot = want_part;
            }
        }
        Ok(())
    }

    /// Copies the bytes the part file holds for file `index` into the file (creating it).
    fn take_from_part(&self, index: usize) -> Result<(), StorageError> {
        let f = self.layout.files()[index];
        let piece_length = self.layout.piece_length().max(1);
        let first = f.offset / piece_length;
        let last = (f.offset + f.length - 1) / piece_length;
        let file = self.handle(index, true)?;
        for piece in first..=last {
            let piece32 = u32::try_from(piece).map_err(|_| StorageError::OutOfRange)?;
            let start = (piece * piece_length).max(f.offset);
            let end = ((piece + 1) * piece_length).min(f.offset + f.length);
            let buf = {
                let Some(mut p) = self.lock_part() else {
                    return Ok(());
                };
                // Only pieces shared with a neighbour are held: a large file's inner pieces
                // are passed over without a buffer.
                if !p.file.holds(piece32) {
                    continue;
                }
                let mut buf = vec![0u8; (end - start) as usize];
                let path = p.file.path().to_path_buf();
                p.file
                    .read(piece32, start - piece * piece_length, &mut buf)
                    .map_err(|e| StorageError::io(&path, e))?;
                buf
            };
            write_all_at(&file, &buf, start - f.offset)
                .map_err(|e| StorageError::io(&self.display_path(index), e))?;
        }
        self.lock_dirty().insert(index);
        Ok(())
    }

    /// Clears from `have` the pieces some byte of which is kept nowhere: in no file that
    /// exists and not in the part file (resume data is only trusted for pieces that are kept).
    /// One look at each file; the pieces are only walked when a file is missing.
    pub fn drop_unbacked(&self, have: &mut crate::engine::Bitfield) {
        let files = self.layout.files();
        let in_part: Vec<bool> = (0..files.len()).map(|i| self.in_part(i)).collect();
        let exists: Vec<bool> = (0..files.len())
            .map(|i| files[i].pad || (!in_part[i] && self.file_path(i).is_some_and(|p| p.exists())))
            .collect();
        if exists.iter().zip(&in_part).all(|(e, p)| *e && !*p) {
            return;
        }
        let held: Vec<usize> = have.iter_set().collect();
        for index in held {
            let kept = self
                .layout
                .spans(
                    self.layout.piece_offset(index),
                    self.layout.piece_size(index),
                )
                .all(|span| {
                    exists[span.file]
                        || files[span.file].length == 0
                        || (in_part[span.file]
                            && u32::try_from(index).is_ok_and(|piece| {
                                self.lock_part().is_some_and(|mut p| p.file.holds(piece))
                            }))
                });
            if !kept {
                have.clear(index);
            }
        }
    }

    /// Reads the whole of piece `index` into `buf` (which must be exactly the piece's size).
    pub fn read_piece(&self, index: usize, buf: &mut [u8]) -> Result<(), StorageError> {
        if buf.len() as u64 != self.layout.piece_size(index) {
            return Err(StorageError::OutOfRange);
        }
        self.read_at(self.layout.piece_offset(index), buf)
    }

    /// Creates the zero-length files (no piece ever writes them), as a finished download must
    /// have every file of the torrent.
    pub fn create_empty_files(&self) -> Result<(), StorageError> {
        for (index, f) in self.layout.files().iter().enumerate() {
            if f.length == 0 && !f.pad {
                self.handle(index, true)?;
            }
        }
        Ok(())
    }

    /// Deletes the torrent's files (never anything else: each path is checked like a write) and
    /// then the folders they leave empty, up to but excluding the save folder.
    pub fn delete_files(&self) -> Result<(), StorageError> {
        self.close_all();
        let mut folders = std::collections::BTreeSet::new();
        for (index, f) in self.layout.files().iter().enumerate() {
            if f.pad {
                continue;
            }
            let path = match self.resolve(index, false) {
                Ok(p) => p,
                Err(StorageError::Missing(_)) => continue,
                Err(e) => return Err(e),
            };
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(StorageError::io(&path, e)),
            }
            let mut dir = path.parent();
            while let Some(d) = dir {
                if d == self.root || !d.starts_with(&self.root) {
                    break;
                }
                folders.insert(d.to_path_buf());
                dir = d.parent();
            }
        }
        if let Some(mut p) = self.lock_part() {
            let path = p.file.path().to_path_buf();
            p.file.delete().map_err(|e| StorageError::io(&path, e))?;
        }
        // Deepest first; a folder that still holds other files stays.
        for folder in folders.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
        Ok(())
    }

    /// Flushes every file written since the last call (data and metadata) to the disk, whether
    /// or not its handle is still open. A file that cannot be synced stays on the list for the
    /// next call. A file that vanished meanwhile is an error, never created again here.
    pub fn sync_all(&self) -> Result<(), StorageError> {
        if let Some(mut p) = self.lock_part() {
            let path = p.file.path().to_path_buf();
            p.file.sync().map_err(|e| StorageError::io(&path, e))?;
        }
        let dirty: Vec<usize> = std::mem::take(&mut *self.lock_dirty())
            .into_iter()
            .collect();
        #[cfg(target_os = "linux")]
        if dirty.len() >= SYNC_FILE_SYSTEM_FROM {
            let synced = self.sync_file_systems(&dirty);
            if synced.is_err() {
                self.lock_dirty().extend(&dirty);
            }
            return synced;
        }
        for (n, &index) in dirty.iter().enumerate() {
            if let Err(e) = self.sync_file(index) {
                self.lock_dirty().extend(&dirty[n..]);
                return Err(e);
            }
        }
        Ok(())
    }

    /// Puts every existing file on the list of [`Storage::sync_all`]: after a hash check, whose
    /// data may still be only in the page cache (written by a process that crashed).
    pub fn mark_existing_unsynced(&self) {
        let existing: Vec<usize> = (0..self.layout.files().len())
            .filter(|&i| !self.layout.files()[i].pad)
            .filter(|&i| self.file_path(i).is_some_and(|p| p.is_file()))
            .collect();
        self.lock_dirty().extend(existing);
    }

    /// Syncs the file systems that files `dirty` are on, each as a whole (`syncfs`): one
    /// write-back and one flush of the disk's cache instead of one per file. At the end of a
    /// download of 2,000 files, their `fsync`s one after the other took 0.6 s here. It also
    /// syncs what other programs wrote to those file systems, which is why only many files
    /// are synced this way. A file that vanished is an error, as in [`Storage::sync_file`];
    /// the kernel reports a failed write-back since Linux 5.8.
    #[cfg(target_os = "linux")]
    fn sync_file_systems(&self, dirty: &[usize]) -> Result<(), StorageError> {
        use std::os::unix::fs::MetadataExt;
        // A file on each file system (a folder of the torrent may be a mount point).
        let mut systems: HashMap<u64, PathBuf> = HashMap::new();
        for &index in dirty {
            let path = self.resolve(index, false)?;
            let meta = std::fs::metadata(&path).map_err(|e| StorageError::io(&path, e))?;
            systems.entry(meta.dev()).or_insert(path);
        }
        for path in systems.values() {
            let file = File::open(path).map_err(|e| StorageError::io(path, e))?;
            rustix::fs::syncfs(&file).map_err(|e| StorageError::io(path, e.into()))?;
        }
        Ok(())
    }

    fn sync_file(&self, index: usize) -> Result<(), StorageError> {
        let cached = {
            let cache = self.lock_cache();
            cache
                .open
                .get(&index)
                .filter(|f| f.writable)
                .map(|f| f.file.clone())
        };
        let file = match cached {
            Some(f) => f,
            None => {
                let path = self.resolve(index, false)?;
                // Write access (no create): Windows needs it to flush; a vanished file fails.
                Arc::new(
                    OpenOptions::new()
                        .write(true)
                        .open(&path)
                        .map_err(|e| StorageError::io(&path, e))?,
                )
            }
        };
        file.sync_all()
            .map_err(|e| StorageError::io(&self.display_path(index), e))
    }

    fn lock_dirty(&self) -> std::sync::MutexGuard<'_, BTreeSet<usize>> {
        // A set of indices cannot be left inconsistent by a panic.
        self.dirty.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes every cached handle (for example before the files are moved or deleted).
    pub fn close_all(&self) {
        if let Some(mut p) = self.lock_part() {
            p.file.close();
        }
        self.lock_cache().open.clear();
    }

    fn display_path(&self, index: usize) -> PathBuf {
        self.file_path(index).unwrap_or_default()
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HandleCache> {
        // A panic while holding the lock cannot leave the cache inconsistent (it only maps indices
        // to handles), so a poisoned lock is still usable.
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An open handle to file `index`, writable if asked; opens (and creates) it on a miss.
    fn handle(&self, index: usize, write: bool) -> Result<Arc<File>, StorageError> {
        {
            let mut cache = self.lock_cache();
            cache.tick += 1;
            let tick = cache.tick;
            if let Some(f) = cache.open.get_mut(&index)
                && (f.writable || !write)
            {
                f.last_used = tick;
                return Ok(f.file.clone());
            }
        }
        // Open outside the lock: other threads keep reading their files meanwhile.
        let file = Arc::new(self.open(index, write)?);
        let mut cache = self.lock_cache();
        cache.tick += 1;
        let tick = cache.tick;
        if (cache.open.len() >= self.max_open || handles::spent())
            && !cache.open.contains_key(&index)
            && let Some(oldest) = cache
                .open
                .iter()
                .min_by_key(|(_, f)| f.last_used)
                .map(|(&i, _)| i)
        {
            cache.open.remove(&oldest);
        }
        cache.open.insert(
            index,
            OpenFile {
                file: file.clone(),
                writable: write,
                last_used: tick,
                #[cfg(target_os = "linux")]
                direct: None,
                _counted: handles::Counted::new(),
            },
        );
        Ok(file)
    }

    fn open(&self, index: usize, write: bool) -> Result<File, StorageError> {
        if write && self.mode == StorageMode::ReadOnly {
            return Err(StorageError::Io {
                path: self.display_path(index),
                source: io::Error::new(io::ErrorKind::PermissionDenied, "storage is read-only"),
            });
        }
        let path = self.resolve(index, write)?;
        if !write {
            return File::open(&path).map_err(|e| StorageError::io(&path, e));
        }
        let length = self.layout.files()[index].length;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StorageError::io(&path, e))?;
        let meta = file.metadata().map_err(|e| StorageError::io(&path, e))?;
        if meta.is_dir() {
            return Err(StorageError::IsAFolder(path));
        }
        // Sparse allocation at the full size; never truncate a longer file.
        if meta.len() < length {
            file.set_len(length)
                .map_err(|e| StorageError::io(&path, e))?;
        }
        Ok(file)
    }

    /// The absolute path of file `index`, after checking that no symbolic link on the way leads
    /// out of the save folder. With `create`, missing folders are made.
    fn resolve(&self, index: usize, create: bool) -> Result<PathBuf, StorageError> {
        if let Some(p) = self.resolved[index].get() {
            return Ok(p.clone());
        }
        let rel = &self.relative[index];
        let mut path = self.root.clone();
        let components: Vec<_> = rel.components().collect();
        for (n, comp) in components.iter().enumerate() {
            let Component::Normal(name) = comp else {
                // The parser never lets these through; refuse rather than trust it.
                return Err(StorageError::EscapesSaveFolder(self.root.join(rel)));
            };
            path.push(name);
            let last = n + 1 == components.len();
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    let target = path
                        .canonicalize()
                        .map_err(|_| StorageError::EscapesSaveFolder(path.clone()))?;
                    if !target.starts_with(&self.root) {
                        return Err(StorageError::EscapesSaveFolder(path));
                    }
                    if !last && !target.is_dir() {
                        return Err(StorageError::NotAFolder(path));
                    }
                }
                Ok(meta) => {
                    if !last && !meta.is_dir() {
                        return Err(StorageError::NotAFolder(path));
                    }
                    if last && meta.is_dir() {
                        return Err(StorageError::IsAFolder(path));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    if !create {
                        return Err(StorageError::Missing(self.root.join(rel)));
                    }
                    if !last {
                        match std::fs::create_dir(&path) {
                            Ok(()) => {}
                            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                            Err(e) => return Err(StorageError::io(&path, e)),
                        }
                    }
                }
                Err(e) => return Err(StorageError::io(&path, e)),
            }
        }
        Ok(self.resolved[index].get_or_init(|| path).clone())
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(unix)]
fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(windows)]
fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_write(buf, offset) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                buf = &buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Bytes available to us in the filesystem holding `dir`, or the nearest folder above it that
/// exists (a save folder is made only when a torrent is added); `None` when unknown (no folder
/// of the path exists, or the system would not say). Unix: `statvfs` (through rustix);
/// Windows: `GetDiskFreeSpaceExW`'s bytes available to the caller, which honours quotas
/// (through fs4).
pub fn free_space(dir: &Path) -> Option<u64> {
    let existing = dir.ancestors().find(|d| d.is_dir())?;
    #[cfg(unix)]
    {
        let st = rustix::fs::statvfs(existing).ok()?;
        Some(st.f_bavail.saturating_mul(st.f_frsize))
    }
    #[cfg(windows)]
    {
        fs4::available_space(existing).ok()
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = existing;
        None
    }
}

#[cfg(test)]
pub(crate) mod tests;

/// Consecutive blocks holding the stream bytes from `offset`.
struct Gather<'a, B> {
    offset: u64,
    blocks: &'a [B],
}

impl<'a, B: AsRef<[u8]>> Gather<'a, B> {
    /// Calls `f(stream offset, bytes)` for each block's share of stream bytes `from..to`, in
    /// order, stopping at the first error.
    fn each<E>(
        &self,
        from: u64,
        to: u64,
        mut f: impl FnMut(u64, &'a [u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut start = self.offset;
        for block in self.blocks {
            let block = block.as_ref();
            let end = start + block.len() as u64;
            let (lo, hi) = (from.max(start), to.min(end));
            if lo < hi {
                f(lo, &block[(lo - start) as usize..(hi - start) as usize])?;
            }
            if end >= to {
                break;
            }
            start = end;
        }
        Ok(())
    }
}
