//! The session's part of moving a torrent's data ([`super::Command::MoveStorage`]): it records
//! where the data is going (so a restart after a crash can put renamed files back), passes the
//! request to the torrent, and once every file is in the new folder it records that folder in
//! the saved session (written atomically, and awaited) before telling the torrent to delete the
//! old copies and go on. A crash before that record leaves the old folder recorded and whole;
//! after it, the new one (see [`crate::engine::storage::relocate`]).

use super::Session;
use crate::engine::api::Event;
use crate::engine::info_hash::InfoHash;
use crate::engine::torrent::task::{MoveReply, TorrentMsg};
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::oneshot;

/// A torrent's answer to a move.
pub(super) type Moved = (InfoHash, MoveReply);

/// Longest wait for the session file to be written before the torrent goes on anyway.
const RECORD_TIMEOUT: Duration = Duration::from_secs(10);

impl Session {
    pub(super) fn move_storage(&mut self, info_hash: InfoHash, dest: PathBuf) {
        let Some(tx) = self.torrent(&info_hash).map(|t| t.tx.clone()) else {
            return;
        };
        // A magnet link without its metadata has no data yet: only the folder changes.
        if let Some(pending) = self.magnets.get_mut(&info_hash) {
            if !dest.is_dir() {
                let _ = self.shared.events.send(Event::TorrentError {
                    info_hash,
                    message: format!(
                        "cannot move the data to `{}`: not an existing folder",
                        dest.display()
                    ),
                });
                return;
            }
            pending.save_path = dest.clone();
            let (reply, _) = oneshot::channel();
            let _ = tx.send(TorrentMsg::MoveStorage(dest.clone(), reply));
            self.record_save_path(&info_hash, dest);
            self.persist_state();
            return;
        }
        // Where the data is going is on disk before a file moves, so a restart after a crash
        // can put back what was already renamed.
        self.set_moving_to(&info_hash, Some(dest.clone()));
        let written = self.write_state();
        let (reply, answer) = oneshot::channel();
        let moved = self.moved_tx.clone();
        tokio::spawn(async move {
            if let Some(wait) = written {
                let _ = tokio::time::timeout(RECORD_TIMEOUT, wait).await;
            }
            if tx.send(TorrentMsg::MoveStorage(dest, reply)).is_err() {
                return;
            }
            if let Ok(result) = answer.await {
                let _ = moved.send((info_hash, result));
            }
        });
    }

    /// A torrent's files are all in the new folder: record it, then let the torrent go on.
    pub(super) fn on_moved(&mut self, (info_hash, result): Moved) {
        let Ok((storage, folder)) = result else {
            // Refused or rolled back (the torrent reported why): the data is where it was.
            self.set_moving_to(&info_hash, None);
            self.persist_state();
            return;
        };
        let Some(pos) = self.torrents.iter().position(|(h, _)| *h == info_hash) else {
            return;
        };
        let tx = self.torrents[pos].1.tx.clone();
        self.torrents[pos].1.storage = Some(storage);
        // One atomic write: the new folder, and no move in progress.
        self.record_save_path(&info_hash, folder);
        self.set_moving_to(&info_hash, None);
        let written = self.write_state();
        tokio::spawn(async move {
            if let Some(wait) = written {
                let _ = tokio::time::timeout(RECORD_TIMEOUT, wait).await;
            }
            let _ = tx.send(TorrentMsg::MoveCommitted);
        });
    }

    /// Saves the session state; the receiver answers once it is on disk (`None`: no state
    /// is kept).
    fn write_state(&self) -> Option<oneshot::Receiver<()>> {
        let persist = self.persist.as_ref()?;
        let (done, wait) = oneshot::channel();
        persist.send((self.saved.clone(), Some(done))).ok()?;
        Some(wait)
    }

    fn set_moving_to(&mut self, info_hash: &InfoHash, to: Option<PathBuf>) {
        let hex = info_hash.to_hex();
        if let Some(t) = self.saved.torrents.iter_mut().find(|t| t.info_hash == hex) {
            t.moving_to = to;
        }
    }

    fn record_save_path(&mut self, info_hash: &InfoHash, folder: PathBuf) {
        let hex = info_hash.to_hex();
        if let Some(t) = self.saved.torrents.iter_mut().find(|t| t.info_hash == hex) {
            t.save_path = folder;
        }
    }
}
