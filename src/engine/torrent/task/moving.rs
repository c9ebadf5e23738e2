//! Moving the torrent's data to another folder while it runs
//! ([`crate::engine::session::Command::MoveStorage`]).
//!
//! Seeding goes on during a move; downloading waits for its end. The steps, each waiting for
//! the one before:
//! 1. Downloads are held: the requests out are cancelled (to the peers and in the picker), no
//!    new ones go out, and blocks that still arrive are dropped (counted as wasted). Pieces on
//!    their way to disk and a resume save in flight are awaited; nothing else writes the files
//!    until the move ends. Peers, chokes, interest and the announcer are left alone, and
//!    requests from peers are served as before.
//! 2. On a blocking thread the files are synced and [`relocate::plan`] checks the destination.
//! 3. On a blocking thread [`relocate::place`] puts the files there, publishing its progress:
//!    - a copy (another filesystem) only reads the old files, so uploads go on from them,
//!      through the old storage and its open handles, for as long as it takes — minutes, for
//!      a big torrent;
//!    - a rename (one filesystem) takes the files from under the old storage, so serving
//!      pauses instead: new reads wait in their queue, the reads in flight end, the old handles
//!      close, the files are renamed (one quick rename each), and the queued reads then go to
//!      the new folder. Holding reads for that moment is simpler and safer than serving from
//!      files that are changing names. (A rename that meets another filesystem after all
//!      copies, still with serving paused.)
//! 4. The new storage replaces the old one at once, so every later read goes to the new
//!    folder. The session records the new save folder (on disk, atomically) and answers with
//!    [`super::TorrentMsg::MoveCommitted`].
//! 5. Once the session has recorded it and every read of the old storage begun before the
//!    swap has ended (a piece's next read only starts after its last one ended, so the pieces
//!    being read at the swap are the ones to wait for), the copied sources are deleted, the
//!    empty source folders removed, resume data is saved for the new folder and downloads go
//!    on.
//!
//! A refusal or a failure puts everything back, reports an [`Event::TorrentError`] and goes on
//! as before. Removing the torrent or stopping the session cancels the move
//! ([`relocate::MoveControl`]): [`Torrent::end_move`] waits for the step running on a blocking
//! thread, which undoes what it did, so no half-copied file stays in the destination and a
//! removal finds the data whole in the one folder the session deletes or keeps.

use super::{Torrent, TorrentMsg, log};
use crate::engine::api::{Event, TorrentState};
use crate::engine::metainfo::Metainfo;
use crate::engine::peer::wire::Message;
use crate::engine::storage::relocate::{self, MoveControl, MoveError, MoveMode, MovePlan};
use crate::engine::storage::{Storage, StorageMode};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// The session's answer channel: the new storage and its (canonical) folder once every file is
/// in place, or why not.
pub type MoveReply = Result<(Arc<Storage>, PathBuf), String>;

/// Longest wait, when the torrent stops, for a cancelled step of a move to end.
const END_TIMEOUT: Duration = Duration::from_secs(10);

enum Phase {
    /// Waiting for pieces on their way to disk and a resume save in flight.
    Waiting,
    /// Syncing the files and checking the destination (blocking).
    Planning,
    /// A rename is planned: serving is paused, the reads in flight are ending.
    Draining(MovePlan),
    /// The blocking job puts the files in place, in the planned mode.
    Placing(MoveMode),
    /// Every file is in place and the new storage serves.
    Committing(Box<Committing>),
}

/// A move whose files are all in place.
struct Committing {
    plan: MovePlan,
    mode: MoveMode,
    /// The storage replaced; its files go once nothing can read them any more.
    old: Arc<Storage>,
    /// Pieces whose read of the old storage was in flight at the swap and has not ended.
    old_reads: HashSet<u32>,
    /// The session has recorded the new folder.
    recorded: bool,
}

/// A move in progress.
pub(super) struct MoveJob {
    dest: PathBuf,
    control: Arc<MoveControl>,
    phase: Phase,
    reply: Option<oneshot::Sender<MoveReply>>,
    /// The torrent is being removed.
    removing: bool,
}

impl MoveJob {
    /// Share of the bytes moved, 0.0–1.0.
    pub(super) fn fraction(&self) -> f32 {
        let total = self.control.total.load(Ordering::Relaxed);
        let done = self.control.done.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (done as f64 / total as f64).clamp(0.0, 1.0) as f32
    }

    /// Reads wait: a rename is about to take, or is taking, the files.
    pub(super) fn holds_reads(&self) -> bool {
        matches!(
            self.phase,
            Phase::Draining(_) | Phase::Placing(MoveMode::Rename)
        )
    }

    /// The old storage is still the torrent's: its files are not to be changed.
    pub(super) fn before_swap(&self) -> bool {
        !matches!(self.phase, Phase::Committing(_))
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
        self.hold_downloads();
        self.moving = Some(MoveJob {
            dest,
            control: Arc::new(MoveControl::new(&self.shared.config.move_hooks)),
            phase: Phase::Waiting,
            reply: Some(reply),
            removing: false,
        });
        self.publish_stats();
        self.try_start_move();
    }

    /// Cancels every request out, at the peer and in the picker (none go out during a move).
    pub(super) fn hold_downloads(&mut self) {
        for (key, peer) in &mut self.peers {
            let out: Vec<_> = peer.outstanding.drain().map(|(req, _)| req).collect();
            for req in out {
                peer.send(Message::Cancel(req));
                self.picker.on_request_dropped(&req, *key);
            }
        }
    }

    /// Asks the peers for blocks again after a move.
    pub(super) fn resume_downloads(&mut self) {
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.update_interest(key);
        }
    }

    /// Plans the move once no piece write nor resume save is in flight.
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
        job.phase = Phase::Planning;
        let storage = self.storage.clone();
        let dest = job.dest.clone();
        let control = job.control.clone();
        let always_copy = self.shared.config.move_hooks.always_copy;
        let inbox = self.inbox_tx.clone();
        tokio::spawn(async move {
            let result = tokio::task::spawn_blocking(move || {
                storage.sync_all().map_err(|e| e.to_string())?;
                let mut plan = relocate::plan(&storage, &dest).map_err(|e| e.to_string())?;
                if always_copy {
                    plan.mode = MoveMode::Copy;
                }
                control.total.store(plan.total_bytes(), Ordering::Relaxed);
                Ok(plan)
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
            let _ = inbox.send(TorrentMsg::MovePlanned(Box::new(result)));
        });
    }

    /// The destination was checked: a copy starts at once, a rename once no read is in flight.
    pub(super) fn on_move_planned(&mut self, result: Result<MovePlan, String>) {
        let Some(job) = self.moving.as_mut() else {
            return;
        };
        if !matches!(job.phase, Phase::Planning) {
            return;
        }
        match result {
            Err(e) => self.abandon_move(e),
            Ok(plan) if plan.mode == MoveMode::Copy => {
                job.phase = Phase::Placing(MoveMode::Copy);
                let control = job.control.clone();
                self.spawn_place(plan, control);
            }
            Ok(plan) => {
                job.phase = Phase::Draining(plan);
                self.try_rename();
            }
        }
        self.publish_stats();
    }

    /// Starts a planned rename once the reads in flight have ended.
    fn try_rename(&mut self) {
        if !self.reading.is_empty() {
            return;
        }
        let Some(job) = self.moving.as_mut() else {
            return;
        };
        if !matches!(job.phase, Phase::Draining(_)) {
            return;
        }
        if let Phase::Draining(plan) =
            std::mem::replace(&mut job.phase, Phase::Placing(MoveMode::Rename))
        {
            let control = job.control.clone();
            self.spawn_place(plan, control);
        }
    }

    fn spawn_place(&self, plan: MovePlan, control: Arc<MoveControl>) {
        let storage = self.storage.clone();
        let meta = self.meta.clone();
        let inbox = self.inbox_tx.clone();
        tokio::spawn(async move {
            let result =
                tokio::task::spawn_blocking(move || place_files(&storage, &meta, plan, &control))
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
            let _ = inbox.send(TorrentMsg::MovePlaced(Box::new(result)));
        });
    }

    /// A read ended: a rename may start, a committed move may end.
    pub(super) fn on_move_read_done(&mut self, piece: u32) {
        if let Some(job) = self.moving.as_mut()
            && let Phase::Committing(c) = &mut job.phase
        {
            c.old_reads.remove(&piece);
        }
        self.try_rename();
        self.try_finish_move();
    }

    /// The blocking job ended: on success the new storage serves from now on.
    pub(super) fn on_move_placed(&mut self, result: Result<Placed, String>) {
        let Some(job) = self.moving.as_mut() else {
            return;
        };
        if !matches!(job.phase, Phase::Placing(_)) {
            return;
        }
        match result {
            Err(e) => self.abandon_move(e),
            Ok(placed) => {
                let old = std::mem::replace(&mut self.storage, placed.storage.clone());
                self.save_path = Arc::from(placed.plan.to.as_path());
                let answer = Ok((placed.storage, placed.plan.to.clone()));
                job.phase = Phase::Committing(Box::new(Committing {
                    plan: placed.plan,
                    mode: placed.mode,
                    old,
                    old_reads: self.reading.clone(),
                    recorded: false,
                }));
                let reply = job.reply.take();
                self.sync_skipped();
                self.serve_held_reads();
                // Without a session to record it, there is nobody to wait for.
                if reply.is_none_or(|r| r.send(answer).is_err()) {
                    self.on_move_committed();
                }
            }
        }
        self.publish_stats();
    }

    /// The session recorded the new folder.
    pub(super) fn on_move_committed(&mut self) {
        if let Some(job) = self.moving.as_mut()
            && let Phase::Committing(c) = &mut job.phase
        {
            c.recorded = true;
        }
        self.try_finish_move();
    }

    /// Once the new folder is recorded and no read of the old storage is in flight: the old
    /// copies go, resume data follows, and downloads go on.
    fn try_finish_move(&mut self) {
        let ready = self.moving.as_ref().is_some_and(|job| {
            matches!(&job.phase, Phase::Committing(c) if c.recorded && c.old_reads.is_empty())
        });
        if !ready {
            return;
        }
        let Some(MoveJob {
            phase: Phase::Committing(c),
            ..
        }) = self.moving.take()
        else {
            return;
        };
        let info_hash = self.meta.info_hash;
        tokio::task::spawn_blocking(move || {
            c.old.close_all();
            if let Err(e) = relocate::cleanup(&c.plan, c.mode) {
                log::info(&format!("{info_hash}: after moving its data: {e}"));
            }
        });
        self.resume.note_totals();
        self.save_resume();
        self.resume_downloads();
        self.publish_stats();
    }

    /// The move failed, was refused or cancelled midway (everything was put back): the torrent
    /// goes on from where it was.
    fn abandon_move(&mut self, why: String) {
        let Some(mut job) = self.moving.take() else {
            return;
        };
        if let Some(reply) = job.reply.take() {
            if job.control.is_cancelled() {
                let _ = reply.send(Err(why));
            } else {
                self.move_failed(&job.dest, why, reply);
            }
        }
        self.sync_skipped();
        self.serve_held_reads();
        self.resume_downloads();
        self.publish_stats();
    }

    /// The torrent is being removed, and the session deletes or keeps the data of `kept`: a
    /// move whose new storage that is has nothing left but deleting the old copies; any other
    /// is cancelled (see [`Torrent::end_move`]).
    pub(super) fn on_move_removing(&mut self, kept: Option<Arc<Storage>>) {
        let kept_is_new = kept.is_some_and(|s| Arc::ptr_eq(&s, &self.storage));
        let Some(job) = self.moving.as_mut() else {
            return;
        };
        job.removing = true;
        match &mut job.phase {
            Phase::Committing(c) if kept_is_new => c.recorded = true,
            _ => job.control.cancel(),
        }
    }

    /// The torrent stops (removed, or the session ends): a move in progress ends with the data
    /// whole in one folder. A step running on a blocking thread is cancelled and awaited (it
    /// undoes what it did). Files placed in a folder the session recorded lose their old
    /// copies; placed in one it did not record, they are put back when the torrent is being
    /// removed, and otherwise left for the next start (which uses the folder recorded and
    /// puts renamed files back, see [`relocate::recover`]).
    pub(super) async fn end_move(&mut self, inbox: &mut mpsc::UnboundedReceiver<TorrentMsg>) {
        let Some(job) = self.moving.as_ref() else {
            return;
        };
        match &job.phase {
            Phase::Waiting | Phase::Draining(_) => {
                // Nothing has moved yet.
                self.moving = None;
            }
            Phase::Planning | Phase::Placing(_) => {
                job.control.cancel();
                self.await_cancelled_step(inbox).await;
                self.moving = None;
            }
            Phase::Committing(c) if c.recorded => {
                if let Some(MoveJob {
                    phase: Phase::Committing(c),
                    ..
                }) = self.moving.take()
                {
                    let Committing {
                        plan, mode, old, ..
                    } = *c;
                    let cleaned = tokio::task::spawn_blocking(move || {
                        old.close_all();
                        relocate::cleanup(&plan, mode)
                    })
                    .await;
                    if let Ok(Err(e)) = cleaned {
                        log::info(&format!(
                            "{}: after moving its data: {e}",
                            self.meta.info_hash
                        ));
                    }
                }
            }
            Phase::Committing(_) if job.removing => {
                if let Some(MoveJob {
                    phase: Phase::Committing(c),
                    ..
                }) = self.moving.take()
                {
                    let Committing {
                        plan, mode, old, ..
                    } = *c;
                    self.save_path = Arc::from(plan.from.as_path());
                    let new = std::mem::replace(&mut self.storage, old);
                    let _ = tokio::task::spawn_blocking(move || {
                        new.close_all();
                        undo(&plan, mode);
                    })
                    .await;
                }
            }
            // Placed, not recorded, the session stopping: the job stays, so that no resume
            // data is saved for either folder.
            Phase::Committing(_) => {}
        }
    }

    /// Waits for the cancelled blocking step of a move; files it placed all the same (the
    /// cancel came after its last look) are put back.
    async fn await_cancelled_step(&mut self, inbox: &mut mpsc::UnboundedReceiver<TorrentMsg>) {
        let deadline = tokio::time::Instant::now() + END_TIMEOUT;
        loop {
            match tokio::time::timeout_at(deadline, inbox.recv()).await {
                Ok(Some(TorrentMsg::MovePlanned(_))) => return,
                Ok(Some(TorrentMsg::MovePlaced(result))) => {
                    let Ok(placed) = *result else {
                        return;
                    };
                    let Placed {
                        plan,
                        mode,
                        storage,
                    } = placed;
                    let _ = tokio::task::spawn_blocking(move || {
                        storage.close_all();
                        undo(&plan, mode);
                    })
                    .await;
                    return;
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => {
                    log::info(&format!(
                        "{}: its data is still being moved as it stops",
                        self.meta.info_hash
                    ));
                    return;
                }
            }
        }
    }

    fn move_failed(&mut self, dest: &Path, why: String, reply: oneshot::Sender<MoveReply>) {
        let message = format!("cannot move the data to `{}`: {why}", dest.display());
        let _ = self.shared.events.send(Event::TorrentError {
            info_hash: self.meta.info_hash,
            message: message.clone(),
        });
        let _ = reply.send(Err(message));
    }
}

/// The blocking part of placing: puts the files in the new folder and opens storage there. A
/// rename first closes the old handles (nothing reads through them now, and some systems
/// cannot rename an open file); a copy leaves them open for the uploads that go on.
fn place_files(
    old: &Storage,
    meta: &Metainfo,
    plan: MovePlan,
    control: &MoveControl,
) -> Result<Placed, String> {
    if plan.mode == MoveMode::Rename {
        old.close_all();
    }
    let mode = relocate::place(&plan, control).map_err(|e| e.to_string())?;
    let opened = Storage::for_torrent(&plan.to, meta, StorageMode::ReadWrite);
    match opened {
        Ok(new) if !control.is_cancelled() => Ok(Placed {
            plan,
            mode,
            storage: Arc::new(new),
        }),
        Ok(_) => {
            undo(&plan, mode);
            Err(MoveError::Cancelled.to_string())
        }
        Err(e) => {
            // Cannot happen short of the folder vanishing; put the files back.
            undo(&plan, mode);
            Err(e.to_string())
        }
    }
}

/// Puts placed files back (the move is cancelled, or the new storage could not be opened).
fn undo(plan: &MovePlan, mode: MoveMode) {
    let back = MovePlan {
        from: plan.to.clone(),
        to: plan.from.clone(),
        files: plan.files.clone(),
        mode,
    };
    match mode {
        MoveMode::Rename => {
            if relocate::place(&back, &MoveControl::default()).is_ok() {
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
