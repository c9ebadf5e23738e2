//! Moving a torrent's data to another save folder ("Set location…" in qBittorrent), crash-safe
//! and touching only the torrent's own files.
//!
//! The rule: at every moment each file of the torrent is complete in the old folder, in the
//! new one, or in both; nothing else in either folder is written, replaced or deleted.
//! - On one filesystem each file is renamed (atomic per file). A failure renames the files
//!   already moved back, in reverse order.
//! - Across filesystems each file is copied to `<name>.brooklet-part` in the destination,
//!   synced, checked to have the source's size, given the source's modification time (so
//!   resume data stays valid), and linked into place under its real name (a hard link never
//!   replaces an existing file; where links are unsupported, a checked rename). The sources
//!   are only deleted by [`cleanup`], which the caller runs once the new save folder is
//!   recorded: a crash before that leaves the old folder complete and recorded; after it, the
//!   new one. A failure deletes the copies made.
//! - The caller records the new save folder only after [`place`] succeeded, and writes its
//!   resume data after that; the old folder's resume data never claims the new one.
//!
//! A crash in the middle of same-filesystem renames can leave some files in each folder (each
//! one complete): the session records the destination before the first file moves, and the next
//! start renames the files found there back into the recorded folder ([`recover`]), which then
//! needs no hash check (a rename keeps the modification time).
//!
//! A running [`place`] can be cancelled through its [`MoveControl`] (between files, and after
//! every chunk a copy writes): it stops, undoes what it did, and returns
//! [`MoveError::Cancelled`].
//!
//! Blocking file I/O: call it on a blocking thread.

use super::Storage;
use crate::engine::session_state::sync_dir;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Suffix of a file being copied into the destination.
pub const PART_SUFFIX: &str = ".brooklet-part";
/// Copy buffer size (also how much is copied between two looks at a cancel).
const COPY_BUFFER: usize = 1 << 20;
/// How often a held copy ([`MoveHooks::hold`]) looks whether it may go on.
const HOLD_POLL: Duration = Duration::from_millis(10);

/// Why data cannot be moved (nothing was changed, or everything was put back).
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("`{0}` is not an existing folder")]
    NotAFolder(PathBuf),
    #[error("the data is already in `{0}`")]
    SameFolder(PathBuf),
    #[error("`{0}` is inside the torrent's own folder")]
    InsideTorrent(PathBuf),
    #[error("`{0}` already exists; it is never overwritten")]
    AlreadyExists(PathBuf),
    #[error("not enough free space in `{path}`: {needed} bytes needed, {available} available")]
    NoSpace {
        path: PathBuf,
        needed: u64,
        available: u64,
    },
    #[error("file `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the move was cancelled")]
    Cancelled,
    #[error("the copy `{path}` holds {copied} bytes, its source {expected}")]
    SizeMismatch {
        path: PathBuf,
        expected: u64,
        copied: u64,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> MoveError + '_ {
    move |source| MoveError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What a running [`place`] shares with whoever waits for it: the bytes to move and moved so
/// far, and a request to stop.
#[derive(Debug, Default)]
pub struct MoveControl {
    /// Bytes to move (set once the move is planned).
    pub total: AtomicU64,
    /// Bytes placed so far.
    pub done: AtomicU64,
    cancelled: AtomicBool,
    /// See [`MoveHooks::hold`].
    hold: Option<Arc<AtomicBool>>,
}

impl MoveControl {
    /// A control for one move, with the session's testing aids.
    pub fn new(hooks: &MoveHooks) -> MoveControl {
        MoveControl {
            hold: hooks.hold.clone(),
            ..MoveControl::default()
        }
    }

    /// Asks the move to stop and undo what it did.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
    }

    /// The move was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    /// Between two files: fails once cancelled.
    fn checkpoint(&self) -> Result<(), MoveError> {
        if self.is_cancelled() {
            return Err(MoveError::Cancelled);
        }
        Ok(())
    }

    /// After a chunk copied: waits while held, and fails once cancelled.
    fn chunk_copied(&self) -> Result<(), MoveError> {
        if let Some(hold) = &self.hold {
            while hold.load(Ordering::Acquire) && !self.is_cancelled() {
                std::thread::sleep(HOLD_POLL);
            }
        }
        self.checkpoint()
    }
}

/// Testing aids, off by default: without them a test cannot make a move copy within one
/// filesystem, nor catch a copy midway.
#[derive(Debug, Clone, Default)]
pub struct MoveHooks {
    /// Copy (as across filesystems) even within one filesystem.
    pub always_copy: bool,
    /// While it holds `true`, a copy waits after each chunk it writes (a cancel still stops it).
    pub hold: Option<Arc<AtomicBool>>,
}

/// How the files travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveMode {
    /// Same filesystem: `rename`.
    Rename,
    /// Another filesystem: copy, sync, link into place; sources deleted by [`cleanup`].
    Copy,
}

/// One file to move, relative to both save folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Path under the save folder.
    pub relative: PathBuf,
    /// Bytes on disk.
    pub length: u64,
}

/// What [`place`] will do: checked before anything is touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovePlan {
    /// The current (canonical) save folder.
    pub from: PathBuf,
    /// The new (canonical) save folder.
    pub to: PathBuf,
    /// The torrent's existing files, in torrent order.
    pub files: Vec<PlannedFile>,
    /// How.
    pub mode: MoveMode,
}

impl MovePlan {
    /// Bytes to move.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.length).sum()
    }

    /// The source folders the move may leave empty (under the save folder, never the save
    /// folder itself), deepest first.
    pub fn source_folders(&self) -> Vec<PathBuf> {
        let mut folders = std::collections::BTreeSet::new();
        for f in &self.files {
            let mut dir = f.relative.parent();
            while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
                folders.insert(self.from.join(d));
                dir = d.parent();
            }
        }
        folders.into_iter().rev().collect()
    }
}

/// Checks a move of `storage`'s files to `dest` and plans it; refuses when `dest` is not an
/// existing folder, is the current one or inside the torrent's folder, when any file of the
/// torrent (present or not yet downloaded) already exists there, or when a copy would not fit.
pub fn plan(storage: &Storage, dest: &Path) -> Result<MovePlan, MoveError> {
    let to = dest
        .canonicalize()
        .map_err(|_| MoveError::NotAFolder(dest.to_owned()))?;
    if !to.is_dir() {
        return Err(MoveError::NotAFolder(dest.to_owned()));
    }
    let from = storage.root().to_path_buf();
    if to == from {
        return Err(MoveError::SameFolder(to));
    }
    let mut files = Vec::new();
    for (index, entry) in storage.layout().files().iter().enumerate() {
        if entry.pad {
            continue;
        }
        let Some(relative) = storage.relative.get(index).cloned() else {
            continue;
        };
        if let Some(top) = relative.components().next()
            && relative.components().count() > 1
            && to.starts_with(from.join(top))
        {
            return Err(MoveError::InsideTorrent(dest.to_owned()));
        }
        let target = to.join(&relative);
        if std::fs::symlink_metadata(&target).is_ok()
            || std::fs::symlink_metadata(part_name(&target)).is_ok()
        {
            return Err(MoveError::AlreadyExists(target));
        }
        let Some(source) = storage.file_path(index) else {
            continue;
        };
        match std::fs::symlink_metadata(&source) {
            Ok(meta) if meta.is_file() => files.push(PlannedFile {
                relative,
                length: meta.len(),
            }),
            // Not downloaded yet (or not a plain file we own): nothing to move.
            _ => {}
        }
    }
    // The part file (bytes of skipped files) travels with the data.
    if let Some(name) = storage.part_file_name() {
        let source = from.join(&name);
        if let Ok(meta) = std::fs::symlink_metadata(&source)
            && meta.is_file()
        {
            let target = to.join(&name);
            if std::fs::symlink_metadata(&target).is_ok()
                || std::fs::symlink_metadata(part_name(&target)).is_ok()
            {
                return Err(MoveError::AlreadyExists(target));
            }
            files.push(PlannedFile {
                relative: name,
                length: meta.len(),
            });
        }
    }
    let mode = if same_filesystem(&from, &to).unwrap_or(true) {
        MoveMode::Rename
    } else {
        MoveMode::Copy
    };
    let plan = MovePlan {
        from,
        to,
        files,
        mode,
    };
    if plan.mode == MoveMode::Copy
        && let Some(available) = super::free_space(&plan.to)
        && available < plan.total_bytes()
    {
        return Err(MoveError::NoSpace {
            path: plan.to.clone(),
            needed: plan.total_bytes(),
            available,
        });
    }
    Ok(plan)
}

/// Puts every planned file in the destination (see the module's rule), adding the bytes done
/// to `control.done`. On failure or a cancel everything done is undone, then the error is
/// returned. Returns the mode actually used (a rename refused as crossing filesystems falls
/// back to copying before any file moved).
pub fn place(plan: &MovePlan, control: &MoveControl) -> Result<MoveMode, MoveError> {
    let progress = &control.done;
    let mut created = Vec::new();
    let mut done: Vec<&PlannedFile> = Vec::new();
    let mut mode = plan.mode;
    let mut result = Ok(());
    for file in &plan.files {
        let source = plan.from.join(&file.relative);
        let target = plan.to.join(&file.relative);
        if let Err(e) = control
            .checkpoint()
            .and_then(|()| make_parents(&plan.to, &file.relative, &mut created))
        {
            result = Err(e);
            break;
        }
        let step = match mode {
            MoveMode::Rename => match rename_new(&source, &target) {
                Err(MoveError::Io { source: e, .. })
                    if done.is_empty() && e.kind() == io::ErrorKind::CrossesDevices =>
                {
                    mode = MoveMode::Copy;
                    copy_into_place(&source, &target, control)
                }
                other => other.map(|()| {
                    progress.fetch_add(file.length, Ordering::Relaxed);
                }),
            },
            MoveMode::Copy => copy_into_place(&source, &target, control),
        };
        if let Err(e) = step {
            result = Err(e);
            break;
        }
        done.push(file);
    }
    if let Err(e) = result {
        roll_back(plan, mode, &done, &created);
        return Err(e);
    }
    for dir in created.iter().chain(std::iter::once(&plan.to)) {
        sync_dir(dir);
    }
    Ok(mode)
}

/// After the new save folder is recorded: deletes the sources of a copy, then the source
/// folders left empty (a folder holding anything else stays).
pub fn cleanup(plan: &MovePlan, mode: MoveMode) -> Result<(), MoveError> {
    let mut first_error = None;
    if mode == MoveMode::Copy {
        for file in &plan.files {
            let source = plan.from.join(&file.relative);
            if let Err(e) = std::fs::remove_file(&source)
                && e.kind() != io::ErrorKind::NotFound
            {
                first_error.get_or_insert(MoveError::Io {
                    path: source,
                    source: e,
                });
            }
        }
    }
    for folder in plan.source_folders() {
        let _ = std::fs::remove_dir(folder);
    }
    sync_dir(&plan.from);
    first_error.map_or(Ok(()), Err)
}

/// After a crash in the middle of a move that was not recorded (the session still names
/// `from`, and `to` as where the data was going): every file of the torrent missing in `from`
/// but present in `to` is renamed back. Only a same-filesystem move can leave files there
/// without their source (a copy deletes sources only after the new folder is recorded), so
/// a rename suffices; what cannot be put back is logged and left for the hash check.
pub fn recover(meta: &crate::engine::metainfo::Metainfo, from: &Path, to: &Path) {
    let mut created = Vec::new();
    let part = PathBuf::from(super::part_file_name(&meta.info_hash));
    let relatives = meta
        .files
        .iter()
        .filter(|f| !f.pad)
        .map(|f| f.relative_path())
        .chain(std::iter::once(part));
    for relative in relatives {
        let (source, target) = (from.join(&relative), to.join(&relative));
        let missing = matches!(
            std::fs::symlink_metadata(&source),
            Err(e) if e.kind() == io::ErrorKind::NotFound
        );
        let moved = std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file());
        if !missing || !moved {
            continue;
        }
        let back =
            make_parents(from, &relative, &mut created).and_then(|()| rename_new(&target, &source));
        let log = crate::engine::torrent::task::log::info;
        match back {
            Ok(()) => log(&format!(
                "an interrupted move: `{}` put back",
                source.display()
            )),
            Err(e) => log(&format!(
                "an interrupted move: cannot put `{}` back: {e}",
                source.display()
            )),
        }
    }
}

/// Undoes a failed [`place`]: renames back, or deletes the copies (only files this move
/// created), then the folders it created, if empty.
fn roll_back(plan: &MovePlan, mode: MoveMode, done: &[&PlannedFile], created: &[PathBuf]) {
    for file in done.iter().rev() {
        let source = plan.from.join(&file.relative);
        let target = plan.to.join(&file.relative);
        let undone = match mode {
            MoveMode::Rename => std::fs::rename(&target, &source),
            MoveMode::Copy => std::fs::remove_file(&target),
        };
        if let Err(e) = undone {
            crate::engine::torrent::task::log::info(&format!(
                "moving data back: `{}`: {e}",
                target.display()
            ));
        }
    }
    for dir in created.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
}

/// Creates the missing folders of `relative` under `root`, remembering each one made.
fn make_parents(root: &Path, relative: &Path, created: &mut Vec<PathBuf>) -> Result<(), MoveError> {
    let mut dir = root.to_path_buf();
    let Some(parent) = relative.parent() else {
        return Ok(());
    };
    for comp in parent.components() {
        dir.push(comp);
        match std::fs::create_dir(&dir) {
            Ok(()) => created.push(dir.clone()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(e) => {
                return Err(MoveError::Io {
                    path: dir,
                    source: e,
                });
            }
        }
    }
    Ok(())
}

/// Renames `source` to `target`, which must not exist.
fn rename_new(source: &Path, target: &Path) -> Result<(), MoveError> {
    if std::fs::symlink_metadata(target).is_ok() {
        return Err(MoveError::AlreadyExists(target.to_owned()));
    }
    std::fs::rename(source, target).map_err(io_err(source))
}

/// `target` with [`PART_SUFFIX`] appended to its name.
pub fn part_name(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(PART_SUFFIX);
    target.with_file_name(name)
}

/// Copies `source` to `<target>.brooklet-part`, syncs it, checks that it has the source's size,
/// gives it the source's modification time and links it into place as `target` (never
/// replacing a file).
fn copy_into_place(source: &Path, target: &Path, control: &MoveControl) -> Result<(), MoveError> {
    let part = part_name(target);
    let result = copy_part(source, &part, control).and_then(|()| link_new(&part, target));
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

fn copy_part(source: &Path, part: &Path, control: &MoveControl) -> Result<(), MoveError> {
    let mut input = std::fs::File::open(source).map_err(io_err(source))?;
    let source_meta = input.metadata().map_err(io_err(source))?;
    let modified = source_meta.modified().ok();
    let mut output = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(part)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => MoveError::AlreadyExists(part.to_owned()),
            _ => MoveError::Io {
                path: part.to_owned(),
                source: e,
            },
        })?;
    let mut buf = vec![0u8; COPY_BUFFER];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_err(source)(e)),
        };
        output.write_all(&buf[..n]).map_err(io_err(part))?;
        control.done.fetch_add(n as u64, Ordering::Relaxed);
        control.chunk_copied()?;
    }
    if let Some(modified) = modified {
        output
            .set_times(std::fs::FileTimes::new().set_modified(modified))
            .map_err(io_err(part))?;
    }
    output.sync_all().map_err(io_err(part))?;
    // The copy is only trusted at its source's exact size.
    let copied = output.metadata().map_err(io_err(part))?.len();
    if copied != source_meta.len() {
        return Err(MoveError::SizeMismatch {
            path: part.to_owned(),
            expected: source_meta.len(),
            copied,
        });
    }
    Ok(())
}

/// Gives `part` the name `target`, failing if `target` exists.
fn link_new(part: &Path, target: &Path) -> Result<(), MoveError> {
    match std::fs::hard_link(part, target) {
        Ok(()) => std::fs::remove_file(part).map_err(io_err(part)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Err(MoveError::AlreadyExists(target.to_owned()))
        }
        // No hard links here (FAT, some network shares): a checked rename.
        Err(_) => rename_new(part, target),
    }
}

/// Both paths are on one filesystem (`None`: unknown here).
fn same_filesystem(a: &Path, b: &Path) -> Option<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (a, b) = (std::fs::metadata(a).ok()?, std::fs::metadata(b).ok()?);
        Some(a.dev() == b.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        None
    }
}

#[cfg(test)]
mod tests;
