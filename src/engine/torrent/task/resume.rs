//! When a torrent saves its resume data ([`crate::engine::storage::resume`]): batched, never
//! one write per piece. It saves when something changed and the interval
//! ([`crate::engine::session::Config::resume_interval`]) has passed, at once after a hash check,
//! on pause and on completion, and a last time on shutdown (awaited). A removed torrent stops
//! saving before the session deletes its file.
//!
//! One save runs at a time, on a blocking thread: it syncs the data files written since the
//! last save (only when pieces were added), stamps the files and writes the file atomically.
//! The bitfield it lists is taken on the torrent task *before* the sync starts, and a piece
//! joins the bitfield only after its write returned, so every listed piece is on disk.

use super::{Torrent, log};
use crate::engine::api::TorrentState;
use crate::engine::storage::resume::{ResumeData, ResumeStore};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// Longest wait for the save in flight on shutdown, and then for the last one (together under
/// the session's 5 s per torrent).
const FLUSH_TIMEOUT: Duration = Duration::from_millis(2_000);
const LAST_SAVE_TIMEOUT: Duration = Duration::from_millis(2_500);

/// The torrent's resume-data bookkeeping.
pub(super) struct ResumeWriter {
    /// Where to save; `None`: not saving (no store, or the torrent is being removed).
    store: Option<ResumeStore>,
    /// The pieces are known (no hash check running): saving is allowed.
    ready: bool,
    /// Something to record changed since the last save was taken.
    changed: bool,
    /// Pieces were verified since the last save was taken: the next one syncs the files.
    unsynced: bool,
    /// The pieces were found by hashing: the next save syncs every existing file.
    sync_everything: bool,
    /// The save in flight.
    saving: Option<JoinHandle<()>>,
    /// Save again as soon as the one in flight is done.
    again: bool,
    /// When the last save was started.
    last: Instant,
}

impl ResumeWriter {
    pub(super) fn new(store: Option<ResumeStore>) -> ResumeWriter {
        ResumeWriter {
            store,
            ready: false,
            changed: false,
            unsynced: false,
            sync_everything: false,
            saving: None,
            again: false,
            last: Instant::now(),
        }
    }

    /// A piece was verified and written.
    pub(super) fn note_piece(&mut self) {
        self.changed = true;
        self.unsynced = true;
    }

    /// A total (uploaded bytes) changed.
    pub(super) fn note_totals(&mut self) {
        self.changed = true;
    }

    /// A save is in flight.
    pub(super) fn is_saving(&self) -> bool {
        self.saving.is_some()
    }

    /// A save is due or running.
    pub(super) fn pending(&self) -> bool {
        (self.changed && self.store.is_some()) || self.saving.is_some()
    }

    /// A hash check starts: the pieces are unknown until it ends.
    pub(super) fn checking(&mut self) {
        self.ready = false;
    }
}

impl Torrent {
    /// Where its resume data is kept, if anywhere.
    pub(super) fn resume_store(&self) -> Option<ResumeStore> {
        self.resume.store.clone()
    }

    /// The pieces are known: from resume data (`hashed` false: nothing to record), or from a
    /// hash check or trusted files (`hashed`: recorded at once, after syncing every file, since
    /// the data read may still have been only in the page cache of a process that crashed).
    pub(super) fn resume_ready(&mut self, hashed: bool) {
        self.resume.ready = true;
        if hashed {
            self.resume.sync_everything = true;
            self.resume.note_piece();
            self.save_resume();
        }
    }

    /// Saves on the interval when something changed.
    pub(super) fn resume_tick(&mut self) {
        let r = &self.resume;
        if r.changed && r.saving.is_none() && r.last.elapsed() >= self.shared.config.resume_interval
        {
            self.save_resume();
        }
    }

    /// Starts a save now (or right after the one in flight) if something changed.
    pub(super) fn save_resume(&mut self) {
        if self.resume.saving.is_some() {
            self.resume.again = true;
            return;
        }
        let Some(job) = self.resume_job() else {
            return;
        };
        let inbox = self.inbox_tx.clone();
        self.resume.saving = Some(tokio::spawn(async move {
            let result = tokio::task::spawn_blocking(job)
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
            let _ = inbox.send(super::TorrentMsg::ResumeSaved(result));
        }));
    }

    /// A background save ended.
    pub(super) fn on_resume_saved(&mut self, result: Result<(), String>) {
        self.resume.saving = None;
        if let Err(e) = result {
            log::info(&format!(
                "{}: cannot save the resume data: {e}",
                self.meta.info_hash
            ));
            self.resume.changed = true;
            // Files that were not synced stay on the storage's list for the next try.
            self.resume.unsynced = true;
        }
        if std::mem::take(&mut self.resume.again) {
            self.save_resume();
        }
    }

    /// Stops saving for good (the torrent is being removed).
    pub(super) fn forget_resume(&mut self) {
        self.resume.store = None;
        self.resume.again = false;
    }

    /// Waits for the save in flight, then saves what changed since (shutdown).
    pub(super) async fn flush_resume(&mut self) {
        if let Some(saving) = self.resume.saving.take()
            && tokio::time::timeout(FLUSH_TIMEOUT, saving).await.is_err()
        {
            // Still writing (a slow disk): a second writer of the same file would only race it.
            return;
        }
        self.resume.again = false;
        let Some(job) = self.resume_job() else {
            return;
        };
        let saved = tokio::time::timeout(LAST_SAVE_TIMEOUT, tokio::task::spawn_blocking(job)).await;
        if let Ok(Ok(Err(e))) = saved {
            log::info(&format!(
                "{}: cannot save the resume data: {e}",
                self.meta.info_hash
            ));
        }
    }

    /// The blocking work of one save, with the pieces verified so far, if there is anything
    /// to save; marks everything as saved.
    fn resume_job(&mut self) -> Option<impl FnOnce() -> Result<(), String> + Send + 'static> {
        let r = &self.resume;
        let store = r.store.clone()?;
        // While data moves, the files are neither here nor there: saved once they are placed.
        if !r.ready
            || !r.changed
            || matches!(self.state, TorrentState::Checking)
            || self.moving.is_some()
        {
            return None;
        }
        let sync = r.unsynced;
        let everything = r.sync_everything;
        let mut data = ResumeData::new(self.meta.info_hash, self.picker.have().clone());
        data.uploaded = self.uploaded;
        data.downloaded = self.downloaded;
        data.completed_at = self.completed_at;
        data.first_last_pieces_first = self.first_last;
        data.sequential = self.sequential;
        data.seed_goals = self.goals.own;
        data.file_priorities = self.file_priorities.clone();
        self.resume.changed = false;
        self.resume.unsynced = false;
        self.resume.sync_everything = false;
        self.resume.last = Instant::now();
        let storage = self.storage.clone();
        Some(move || {
            if everything {
                storage.mark_existing_unsynced();
            }
            data.seal(&storage, sync).map_err(|e| e.to_string())?;
            store.save(&data).map_err(|e| e.to_string())
        })
    }
}
