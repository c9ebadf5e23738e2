//! The user's knobs on a running torrent: file priorities, sequential order, first and last
//! pieces first, a forced recheck.

use super::{PiecePicker, Torrent};
use crate::engine::api::{FilePriority, TorrentState};
use crate::engine::storage::check::HashProgress;
use crate::engine::torrent::announcer::AnnouncerMsg;
use std::sync::Arc;

/// The picker's priority of a piece wanted at `p` (0 = not wanted).
fn level(p: FilePriority) -> u8 {
    match p {
        FilePriority::Skip => 0,
        FilePriority::Low => 1,
        FilePriority::Normal => 2,
        FilePriority::High => 3,
    }
}

impl Torrent {
    /// μTorrent's Pause: transfers stop at once (requests cancelled, every peer choked, their
    /// requests refused) while the connections and the announces go on, so that a resume
    /// takes up where it left without dialling anyone. [`Torrent::pause`] is the full stop.
    pub(super) fn suspend(&mut self) {
        if self.suspended
            || !matches!(
                self.state,
                TorrentState::Downloading | TorrentState::Seeding
            )
        {
            return;
        }
        self.suspended = true;
        self.hold_downloads();
        self.rechoke();
        self.save_resume();
        self.publish_stats();
    }

    /// Transfers go on again after [`Torrent::suspend`].
    pub(super) fn lift_suspend(&mut self) {
        self.suspended = false;
        self.rechoke();
        self.resume_downloads();
        self.publish_stats();
    }

    /// Replaces the torrent's trackers (already validated by the session): the running
    /// announcer swaps its list, or one starts when the torrent had none; an empty list stops
    /// it (with `stopped` announces). The magnet link in the details follows.
    pub(super) fn set_trackers(&mut self, tiers: Vec<Vec<String>>) {
        if tiers == self.meta.trackers {
            return;
        }
        Arc::make_mut(&mut self.meta).trackers = tiers.clone();
        let hosts = crate::engine::api::tracker_hosts(&tiers);
        self.stats_tx.send_modify(|s| s.tracker_hosts = hosts);
        self.shared
            .stats_changes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if tiers.is_empty() {
            if let Some(a) = self.announcer.take() {
                let _ = a.send(AnnouncerMsg::Stop(None));
            }
            self.tracker_error = None;
        } else if let Some(a) = &self.announcer {
            let _ = a.send(AnnouncerMsg::SetTrackers(tiers));
        } else if self.is_active() {
            self.start_transfers();
        }
        if self.announcer.is_none() {
            // Paused or queued: list the new trackers until an announcer reports on them.
            self.tracker_details = self.listed_trackers();
        }
        if self.watched {
            self.publish_details();
        }
    }

    /// Sets every file's priority (missing entries are Normal, extra ones ignored) and applies
    /// it at once: a skipped file's pieces are no longer requested, a wanted one's are.
    pub(super) fn set_file_priorities(&mut self, mut priorities: Vec<FilePriority>) {
        priorities.resize(self.meta.files.len(), FilePriority::Normal);
        if priorities == self.file_priorities {
            return;
        }
        self.file_priorities = priorities;
        self.apply_priorities();
        self.resume.note_totals();
        self.save_resume();
        self.update_left();
        let complete = self.picker.is_complete();
        match self.state {
            TorrentState::Seeding if !complete => {
                self.state = TorrentState::Downloading;
                self.finished_reported = false;
            }
            TorrentState::Downloading if complete && !self.finished_reported => {
                self.finished_reported = true;
                self.on_finished();
            }
            _ => {}
        }
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.update_interest(key);
            self.fill_requests(key);
        }
        self.publish_stats();
    }

    /// Tells the storage which files are skipped: they are not created, their bytes in shared
    /// pieces go to the part file.
    pub(super) fn sync_skipped(&self) {
        // A move is reading the old files: they stay as they are (the storage that replaces
        // them, or the old one if the move fails, is told then).
        if self
            .moving
            .as_ref()
            .is_some_and(super::moving::MoveJob::before_swap)
        {
            return;
        }
        let skipped: Vec<bool> = self
            .file_priorities
            .iter()
            .map(|p| *p == FilePriority::Skip)
            .collect();
        if let Err(e) = self.storage.set_skipped(&skipped) {
            super::log::info(&format!(
                "{}: cannot move data out of the part file: {e}",
                self.meta.info_hash
            ));
        }
    }

    /// Gives every piece the highest priority of the (non-pad) files it touches.
    pub(super) fn apply_priorities(&mut self) {
        let piece_length = self.meta.piece_length.max(1);
        let count = self.meta.piece_count();
        let mut levels = vec![0u8; count];
        for (file, priority) in self.meta.files.iter().zip(&self.file_priorities) {
            if file.pad || file.length == 0 {
                continue;
            }
            let first = (file.offset / piece_length) as usize;
            let last = ((file.offset + file.length - 1) / piece_length) as usize;
            for l in levels
                .iter_mut()
                .take(last.min(count.saturating_sub(1)) + 1)
                .skip(first)
            {
                *l = (*l).max(level(*priority));
            }
        }
        // A torrent of nothing but empty or pad files: every piece is wanted.
        if self.meta.files.iter().all(|f| f.pad || f.length == 0) {
            levels.fill(level(FilePriority::Normal));
        }
        self.picker.set_first_pieces(if self.first_last {
            self.first_last_pieces(&levels)
        } else {
            Vec::new()
        });
        self.sync_skipped();
        self.wanted_total = 0;
        for (piece, l) in levels.into_iter().enumerate() {
            self.picker.set_priority(piece, l);
            if l > 0 {
                self.wanted_total += self.meta.piece_size(piece);
            }
        }
    }

    /// Downloads pieces in order (streaming) or rarest first.
    pub(super) fn set_sequential(&mut self, on: bool) {
        if self.sequential == on {
            return;
        }
        self.sequential = on;
        self.picker.set_sequential(on);
        self.resume.note_totals();
        self.save_resume();
        self.publish_stats();
    }

    /// The first and last piece of every wanted (non-pad, non-empty) file, in file order;
    /// `levels` is each piece's priority.
    fn first_last_pieces(&self, levels: &[u8]) -> Vec<usize> {
        let piece_length = self.meta.piece_length.max(1);
        let mut pieces = Vec::new();
        for (file, priority) in self.meta.files.iter().zip(&self.file_priorities) {
            if file.pad || file.length == 0 || *priority == FilePriority::Skip {
                continue;
            }
            let first = (file.offset / piece_length) as usize;
            let last = ((file.offset + file.length - 1) / piece_length) as usize;
            for p in [first, last] {
                if levels.get(p).is_some_and(|&l| l > 0) {
                    pieces.push(p);
                }
            }
        }
        pieces
    }

    /// Starts the first and last piece of each wanted file before the others (previewing
    /// media), or not.
    pub(super) fn set_first_last(&mut self, on: bool) {
        if self.first_last == on {
            return;
        }
        self.first_last = on;
        self.apply_priorities();
        self.resume.note_totals();
        self.save_resume();
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.fill_requests(key);
        }
        self.publish_stats();
    }

    /// The torrent's trackers, as listed before any has been contacted.
    pub(super) fn listed_trackers(&self) -> Vec<crate::engine::api::TrackerDetails> {
        self.meta
            .trackers
            .iter()
            .enumerate()
            .flat_map(|(tier, urls)| {
                urls.iter()
                    .map(move |url| crate::engine::api::TrackerDetails {
                        url: url.clone(),
                        tier,
                        status: crate::engine::api::TrackerStatus::NotContacted,
                        warning: None,
                        peers: 0,
                        seeders: None,
                        leechers: None,
                        next_announce: None,
                    })
            })
            .collect()
    }

    /// Forgets which pieces are verified and hashes the data again; peers reconnect afterwards.
    pub(super) fn recheck(&mut self) {
        if matches!(self.state, TorrentState::Checking) {
            return;
        }
        let paused = self.state == TorrentState::Paused;
        // The user's way out of a storage fault: the check finds what the files hold.
        self.storage_wait = None;
        self.unchecked = false;
        self.files_missing = None;
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.drop_peer(key, "rechecking the data");
        }
        // Partial pieces are dropped; pieces already on their way to disk finish (they passed
        // their hash) and are accounted for when their write completes.
        for (_, buffer) in self.buffers.drain() {
            let bytes: u64 = buffer.blocks.iter().flatten().map(|b| b.len() as u64).sum();
            self.buffered_bytes = self.buffered_bytes.saturating_sub(bytes);
        }
        self.read_cache.clear();
        self.read_waiting.clear();
        let mut picker = PiecePicker::new(self.meta.piece_length, self.meta.total_length);
        picker.set_sequential(self.sequential);
        self.picker = picker;
        self.apply_priorities();
        self.hashed_before += self
            .check_progress
            .bytes
            .load(std::sync::atomic::Ordering::Relaxed);
        self.check_progress = Arc::new(HashProgress::default());
        self.finished_reported = false;
        self.stay_paused = paused;
        self.state = TorrentState::Checking;
        self.start_check(false, false, None);
        self.publish_stats();
    }
}
