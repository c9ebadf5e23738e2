//! Storage faults a torrent waits out instead of stopping for good.
//!
//! - **Disk full**: a write refused for lack of room (no space, a quota, a file over the size
//!   the system allows). The torrent shows the error, drops its peers (nothing is requested, so
//!   nothing spins) and tries again by itself after a growing pause ([`full_backoff`]): the
//!   pieces whose write failed are simply wanted again; every verified piece stays.
//! - **Storage unavailable**: the save folder is gone (an unplugged drive), at start or while
//!   running. Nothing is created in its place; the folder is looked at every
//!   [`FOLDER_POLL`] on a blocking thread, and when it is back the torrent goes on. A torrent
//!   whose folder was missing at start has not checked its data yet: it then starts from its
//!   resume data (file sizes and times matching), so no full hash check is needed. A restored
//!   torrent whose folder is there but holds none of its files (a drive's mount point left
//!   behind, empty) waits the same way, until a file of it is back.
//!
//! - **Files missing**: a file of a piece we have is gone or short (found by the resume check
//!   at start or by a read to upload), or a piece read to upload no longer matches its hash.
//!   Nothing of it is sent; the torrent stops with "files missing: <file>" and its progress
//!   shown as it was, and saves no resume data. This one is not retried: a recheck (which a
//!   resume starts) finds what the files still hold.
//!
//! A user pause stops the waiting; a resume tries again at once.

use super::{Torrent, TorrentMsg};
use crate::engine::api::TorrentState;
use crate::engine::storage::{Storage, StorageError};
use std::time::{Duration, Instant};

/// How often a missing save folder is looked for.
pub(super) const FOLDER_POLL: Duration = Duration::from_secs(5);
/// The first pause after a disk-full failure; it doubles with each failure in a row.
const FULL_FIRST_RETRY: Duration = Duration::from_secs(10);
/// The longest pause between two disk-full retries.
const FULL_MAX_RETRY: Duration = Duration::from_secs(300);

/// The pause before retry number `failures` (from 1) after the disk was full.
pub(super) fn full_backoff(failures: u32) -> Duration {
    let doubled = FULL_FIRST_RETRY.saturating_mul(1 << failures.saturating_sub(1).min(8));
    doubled.min(FULL_MAX_RETRY)
}

/// Why a piece could not be written, as far as the torrent's reaction goes.
#[derive(Debug)]
pub enum WriteFault {
    /// No room: wait and try again.
    DiskFull(String),
    /// The save folder is gone: wait for it.
    Unavailable(String),
    /// Anything else: the torrent stops with the error.
    Other(String),
}

impl WriteFault {
    /// Sorts a failed write (blocking: it looks at the save folder).
    pub(super) fn classify(e: &StorageError, storage: &Storage) -> WriteFault {
        if e.is_disk_full() {
            // The retry is `TorrentStats::retry_in`'s to say (a command line exits here).
            WriteFault::DiskFull(format!("disk full: {e}"))
        } else if !storage.root_present() {
            WriteFault::Unavailable(unavailable_message(storage))
        } else {
            WriteFault::Other(e.to_string())
        }
    }
}

/// Why a piece could not be read to upload it.
#[derive(Debug)]
pub enum ReadFault {
    /// A file of the piece is gone, short, or no longer holds the verified data: the torrent
    /// stops with its progress kept until the user rechecks. The message and the file.
    FilesMissing(String, std::path::PathBuf),
    /// The save folder is gone: wait for it.
    Unavailable(String),
    /// Anything else: the torrent stops with the error.
    Other(String),
}

impl ReadFault {
    /// Sorts a failed read of piece `piece` (blocking: it looks at the save folder).
    pub(super) fn classify(e: &StorageError, storage: &Storage, piece: u32) -> ReadFault {
        match e {
            _ if !storage.root_present() => ReadFault::Unavailable(unavailable_message(storage)),
            StorageError::Missing(path) | StorageError::ShortFile(path) => {
                ReadFault::FilesMissing(format!("files missing: {}", path.display()), path.clone())
            }
            _ => ReadFault::Other(format!("cannot read piece {piece} to upload it: {e}")),
        }
    }

    /// Piece `piece`, read, does not match its hash: a file of it changed under us.
    pub(super) fn changed(storage: &Storage, piece: u32) -> ReadFault {
        let layout = storage.layout();
        let file = layout
            .files_of_piece(piece as usize)
            .find(|&i| !layout.files()[i].pad)
            .and_then(|i| storage.file_path(i));
        let name = file
            .as_ref()
            .map_or_else(|| format!("piece {piece}"), |f| f.display().to_string());
        ReadFault::FilesMissing(
            format!("files missing: {name} no longer holds the verified data"),
            file.unwrap_or_default(),
        )
    }
}

/// What the user sees while the save folder is missing.
pub(super) fn unavailable_message(storage: &Storage) -> String {
    format!(
        "storage unavailable: {} not found",
        storage.root().display()
    )
}

/// What the user sees while the save folder holds none of the torrent's files.
pub(super) fn no_files_message(storage: &Storage) -> String {
    format!(
        "storage unavailable: none of the files are in {} (a drive not mounted?)",
        storage.root().display()
    )
}

/// What is being waited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WaitKind {
    DiskFull,
    Unavailable,
}

/// A storage fault being waited out.
pub(super) struct StorageWait {
    kind: WaitKind,
    /// When to try (or look) again.
    next: Instant,
    /// A look at the save folder is running.
    probing: bool,
    /// The folder is not enough: some file of the torrent must be in it again (a drive's
    /// mount point stays behind, empty, when the drive is unplugged).
    files: bool,
}

impl Torrent {
    /// Stops transferring because of a storage fault of `kind`, and schedules the next try.
    /// Further failures of the same kind meanwhile (writes already in flight) change nothing.
    pub(super) fn wait_for_storage(&mut self, kind: WaitKind, message: String) {
        if self.storage_wait.as_ref().is_some_and(|w| w.kind == kind) {
            return;
        }
        if self.state == TorrentState::Paused {
            return;
        }
        let pause = match kind {
            WaitKind::DiskFull => {
                self.full_failures += 1;
                full_backoff(self.full_failures)
            }
            WaitKind::Unavailable => FOLDER_POLL,
        };
        self.save_resume();
        self.storage_wait = Some(StorageWait {
            kind,
            next: Instant::now() + pause,
            probing: false,
            files: false,
        });
        // Dropping the peers ends every request; the picker wants their pieces again. Only the
        // first of a run of disk-full failures is reported (no notice on every retry).
        let first = kind == WaitKind::Unavailable || self.full_failures == 1;
        self.stop_with_error(message, first);
    }

    /// How long until the next try, while a storage fault is waited out.
    pub(super) fn retry_in(&self) -> Option<Duration> {
        self.storage_wait.as_ref().map(|w| {
            let left = w.next.saturating_duration_since(Instant::now());
            Duration::from_secs(left.as_secs() + u64::from(left.subsec_nanos() > 0))
        })
    }

    /// Stops waiting (a pause); whether the data was not checked yet is kept.
    pub(super) fn stop_waiting(&mut self) {
        self.storage_wait = None;
    }

    /// The tick's part: tries again, or looks at the save folder, when it is time.
    pub(super) fn storage_tick(&mut self) {
        let Some(w) = &mut self.storage_wait else {
            return;
        };
        if w.probing || Instant::now() < w.next {
            return;
        }
        match w.kind {
            WaitKind::DiskFull if !self.unchecked => self.retry_storage(),
            _ => {
                w.probing = true;
                let files = w.files;
                let storage = self.storage.clone();
                let inbox = self.inbox_tx.clone();
                tokio::spawn(async move {
                    let present = tokio::task::spawn_blocking(move || {
                        storage.root_present() && (!files || storage.any_file_present())
                    })
                    .await
                    .unwrap_or(false);
                    let _ = inbox.send(TorrentMsg::FolderProbed(present));
                });
            }
        }
    }

    /// The save folder was looked at.
    pub(super) fn on_folder_probed(&mut self, present: bool) {
        let Some(w) = &mut self.storage_wait else {
            return; // paused meanwhile
        };
        w.probing = false;
        if present {
            self.retry_storage();
        } else {
            w.next = Instant::now() + FOLDER_POLL;
            self.publish_stats();
        }
    }

    /// Tries again now: a torrent whose data was not checked yet starts from its resume data
    /// (or a hash check when it does not match the files); a running one transfers again.
    pub(super) fn retry_storage(&mut self) {
        self.storage_wait = None;
        if self.unchecked {
            self.unchecked = false;
            self.state = TorrentState::Checking;
            self.publish_stats();
            let store = self.resume_store();
            let storage = self.storage.clone();
            let inbox = self.inbox_tx.clone();
            let info_hash = self.meta.info_hash;
            tokio::spawn(async move {
                let resume = tokio::task::spawn_blocking(move || {
                    store.and_then(|s| s.load_for(&storage, &info_hash).ok())
                })
                .await
                .ok()
                .flatten();
                let _ = inbox.send(TorrentMsg::FolderBack(resume.map(Box::new)));
            });
            return;
        }
        self.state = self.ready_state();
        if self.is_active() {
            self.start_running();
        }
        self.publish_stats();
    }

    /// A resume of a torrent whose save folder (or every file of it) was missing at start:
    /// looks for it at once.
    pub(super) fn look_for_folder_now(&mut self) {
        let files = self.storage.root_present();
        self.state = TorrentState::Error(if files {
            no_files_message(&self.storage)
        } else {
            unavailable_message(&self.storage)
        });
        self.storage_wait = Some(StorageWait {
            kind: WaitKind::Unavailable,
            next: Instant::now(),
            probing: false,
            files,
        });
        self.publish_stats();
        self.storage_tick();
    }

    /// A restored torrent whose save folder is there but holds none of its files, although
    /// its resume data claims pieces: most likely a drive's empty mount point. Like a missing
    /// folder, nothing is created or checked; the folder is looked at until a file of the
    /// torrent is back, then the torrent starts from its resume data. (A recheck, which the
    /// user can ask for, starts over in the folder as it is.)
    pub(super) fn start_without_files(&mut self, paused: bool) {
        self.unchecked = true;
        self.files_missing = None;
        self.resume.checking();
        if paused {
            self.state = TorrentState::Paused;
            self.publish_stats();
            return;
        }
        let message = no_files_message(&self.storage);
        self.wait_for_storage(WaitKind::Unavailable, message);
        if let Some(w) = &mut self.storage_wait {
            w.files = true;
        }
    }

    /// A torrent whose save folder was missing at start: waits for it, checking nothing.
    pub(super) fn start_unavailable(&mut self, paused: bool) {
        self.unchecked = true;
        self.resume.checking();
        if paused {
            self.state = TorrentState::Paused;
            self.publish_stats();
            return;
        }
        let message = unavailable_message(&self.storage);
        self.wait_for_storage(WaitKind::Unavailable, message);
    }
}
