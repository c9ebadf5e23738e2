//! The session's part of moving a torrent's data ([`super::Command::MoveStorage`]): it passes the
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
        let (reply, answer) = oneshot::channel();
        if tx.send(TorrentMsg::MoveStorage(dest, reply)).is_err() {
            return;
        }
        let moved = self.moved_tx.clone();
        tokio::spawn(async move {
            if let Ok(result) = answer.await {
                let _ = moved.send((info_hash, result));
            }
        });
    }

    /// A torrent's files are all in the new folder: record it, then let the torrent go on.
    pub(super) fn on_moved(&mut self, (info_hash, result): Moved) {
        let Ok((storage, folder)) = result else {
            return; // refused or rolled back; the torrent reported why
        };
        let Some(pos) = self.torrents.iter().position(|(h, _)| *h == info_hash) else {
            return;
        };
        let tx = self.torrents[pos].1.tx.clone();
        self.torrents[pos].1.storage = Some(storage);
        self.record_save_path(&info_hash, folder);
        let written = self.persist.as_ref().and_then(|persist| {
            let (done, wait) = oneshot::channel();
            persist.send((self.saved.clone(), Some(done))).ok()?;
            Some(wait)
        });
        tokio::spawn(async move {
            if let Some(wait) = written {
                let _ = tokio::time::timeout(RECORD_TIMEOUT, wait).await;
            }
            let _ = tx.send(TorrentMsg::MoveCommitted);
        });
    }

    fn record_save_path(&mut self, info_hash: &InfoHash, folder: PathBuf) {
        let hex = info_hash.to_hex();
        if let Some(t) = self.saved.torrents.iter_mut().find(|t| t.info_hash == hex) {
            t.save_path = folder;
        }
    }
}
