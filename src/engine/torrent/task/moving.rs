//! Moving the torrent's data to another folder while it runs
//! ([`crate::engine::session::Command::MoveStorage`]).
//!
//! The steps, each waiting for the one before: transfers stop (peers dropped, the announcer
//! stopped; the state is kept and returned to afterwards); pieces on their way to disk and a
//! resume save in flight are awaited; the files are synced and their handles closed; then, on
//! a blocking thread, [`relocate::plan`] checks the destination and [`relocate::place`] puts
//! the files there, publishing its progress. The session records the new save folder (on disk,
//! atomically) and answers with [`super::TorrentMsg::MoveCommitted`]; only then are the copied
//! sources deleted, the empty source folders removed, resume data saved for the new folder and
//! transfers started again. A refusal or a failure puts everything back, reports an
//! [`Event::TorrentError`] and resumes as before.

use super::{Torrent, TorrentMsg, log};
use crate::engine::api::{Event, TorrentState};
use crate::engine::storage::relocate::{self, MoveMode, MovePlan};
use crate::engine::storage::{Storage, StorageMode};
use crate::engine::torrent::announcer::AnnouncerMsg;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::oneshot;

/// The session's answer channel: the new storage and its (canonical) folder once every file is
/// in place, or why not.
pub type MoveReply = Result<(Arc<Storage>, PathBuf), String>;

/// Bytes moved and to move.
#[derive(Default)]
struct MoveProgress {
    done: AtomicU64,
    total: AtomicU64,
}

enum Phase {
    /// Waiting for writes and a resume save in flight.
    Waiting,
    /// The blocking job runs.
    Placing,
    /// Every file is in place; waiting for the session to record the new folder.
    Committing(MovePlan, MoveMode),
}

/// A move in progress.
pub(super) struct MoveJob {
    dest: PathBuf,
    progress: Arc<MoveProgress>,
    phase: Phase,
    reply: Option<oneshot::Sender<MoveReply>>,
}

impl MoveJob {
    /// Share of the bytes moved, 0.0–1.0.
    pub(super) fn fraction(&self) -> f32 {
        let total = self.progress.total.load(Ordering::Relaxed);
        let done = self.progress.done.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (done as f64 / total as f64).clamp(0.0, 1.0) as f32
    }
}

/// What the blocking job hands back when every file is in place.
pub struct Placed {
    plan: MovePlan,
    mode: MoveMode,
    storage: Arc<Storage>,
}

/// `a` and `b` name the same folder (both resolved when they exist; compared as written when
/// not) — blocking.
pub(super) fn same_folder(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

impl Torrent {
    /// Starts moving the data to `dest` (see the module's steps).
    pub(super) fn start_move(&mut self, dest: PathBuf, reply: oneshot::Sender<MoveReply>) {
        let busy = if self.moving.is_some() {
            Some("its data is already being moved")
        } else if self.state == TorrentState::Checking {
            Some("it is being checked")
        } else {
            None
        };
        if let Some(why) = busy {
            self.move_failed(&dest, why.to_owned(), reply);
            return;
        }
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.drop_peer(key, "moving its data");
        }
        if let Some(a) = self.announcer.take() {
            let _ = a.send(AnnouncerMsg::Stop(None));
        }
        self.moving = Some(MoveJob {
            dest,
            progress: Arc::new(MoveProgress::default()),
            phase: Phase::Waiting,
            reply: Some(reply),
        });
        self.publish_stats();
        self.try_start_move();
    }

    /// Starts the blocking job once no piece write nor resume save is in flight.
    pub(super) fn try_start_move(&mut self) {
        if self.writes_in_flight > 0 || self.resume.is_saving() {
            return;
        }
        let Some(job) = self.moving.as_mut() else {
            return;
        };
        if !matches!(job.phase, Phase::Waiting) {
            return;
        }
        job.phase = Phase::Placing;
        let storage = self.storage.clone();
        let meta = self.meta.clone();
        let dest = job.dest.clone();
        let progress = job.progress.clone();
        let inbox = self.inbox_tx.clone();
        tokio::spawn(async move {
            let result = tokio::task::spawn_blocking(move || {
                storage.sync_all().map_err(|e| e.to_string())?;
                storage.close_all();
                let plan = relocate::plan(&storage, &dest).map_err(|e| e.to_string())?;
                progress.total.store(plan.total_bytes(), Ordering::Relaxed);
                let mode = relocate::place(&plan, &progress.done).map_err(|e| e.to_string())?;
                match Storage::for_torrent(&plan.to, &meta, StorageMode::ReadWrite) {
                    Ok(new) => Ok(Placed {
                        plan,
                        mode,
                        storage: Arc::new(new),
                    }),
                    Err(e) => {
                        // Cannot happen short of the folder vanishing; put the files back.
                        undo(&plan, mode);
                        Err(e.to_string())
                    }
                }
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
            let _ = inbox.send(TorrentMsg::MovePlaced(result));
        });
    }

    /// The blocking job ended.
    pub(super) fn on_move_placed(&mut self, result: Result<Placed, String>) {
        let Some(mut job) = self.moving.take() else {
            return;
        };
        let reply = job.reply.take();
        match result {
            Err(e) => {
                if let Some(reply) = reply {
                    self.move_failed(&job.dest, e, reply);
                }
                self.after_move();
            }
            Ok(placed) => {
                self.storage = placed.storage.clone();
                self.sync_skipped();
                self.save_path = Arc::from(placed.plan.to.as_path());
                let answer = Ok((placed.storage.clone(), placed.plan.to.clone()));
                job.phase = Phase::Committing(placed.plan, placed.mode);
                self.moving = Some(job);
                // Without a session to record it, there is nobody to wait for.
                if reply.is_none_or(|r| r.send(answer).is_err()) {
                    self.on_move_committed();
                }
            }
        }
        self.publish_stats();
    }

    /// The session recorded the new folder: the old copies go, resume data follows, and the
    /// torrent runs again.
    pub(super) fn on_move_committed(&mut self) {
        let Some(job) = self.moving.take() else {
            return;
        };
        if let Phase::Committing(plan, mode) = job.phase {
            let info_hash = self.meta.info_hash;
            tokio::task::spawn_blocking(move || {
                if let Err(e) = relocate::cleanup(&plan, mode) {
                    log::info(&format!("{info_hash}: after moving its data: {e}"));
                }
            });
        }
        self.resume.note_totals();
        self.save_resume();
        self.after_move();
        self.publish_stats();
    }

    fn after_move(&mut self) {
        if self.is_active() {
            self.start_running();
        }
    }

    fn move_failed(
        &mut self,
        dest: &std::path::Path,
        why: String,
        reply: oneshot::Sender<MoveReply>,
    ) {
        let message = format!("cannot move the data to `{}`: {why}", dest.display());
        let _ = self.shared.events.send(Event::TorrentError {
            info_hash: self.meta.info_hash,
            message: message.clone(),
        });
        let _ = reply.send(Err(message));
    }
}

/// Puts placed files back (the new storage could not be opened).
fn undo(plan: &MovePlan, mode: MoveMode) {
    let back = MovePlan {
        from: plan.to.clone(),
        to: plan.from.clone(),
        files: plan.files.clone(),
        mode,
    };
    match mode {
        MoveMode::Rename => {
            if relocate::place(&back, &AtomicU64::new(0)).is_ok() {
                let _ = relocate::cleanup(&back, mode);
            }
        }
        MoveMode::Copy => {
            for f in &plan.files {
                let _ = std::fs::remove_file(plan.to.join(&f.relative));
            }
            let _ = relocate::cleanup(&back, MoveMode::Rename);
        }
    }
}
