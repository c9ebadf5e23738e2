//! What the details panel shows about the torrent: files with their progress, peers, trackers
//! and the piece map. Built only while a front end watches this torrent.

use super::Torrent;
use crate::engine::api::{FileDetails, PeerDetails, TorrentDetails};
use std::path::PathBuf;
use std::sync::Arc;

impl Torrent {
    /// Publishes the details (when watched and changed).
    pub(super) fn publish_details(&self) {
        if !self.watched {
            return;
        }
        let details = Arc::new(self.details());
        self.details_tx.send_if_modified(|old| {
            if old.as_deref() == Some(&*details) {
                false
            } else {
                *old = Some(details);
                true
            }
        });
    }

    fn details(&self) -> TorrentDetails {
        let meta = &self.meta;
        let have = self.picker.have();
        let piece_count = meta.piece_count();
        let pieces: Vec<bool> = (0..piece_count).map(|p| have.get(p)).collect();
        let piece_length = meta.piece_length.max(1);
        let files = meta
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.pad)
            .map(|(i, f)| {
                let mut done = 0u64;
                if f.length > 0 {
                    let first = f.offset / piece_length;
                    let last = (f.offset + f.length - 1) / piece_length;
                    for p in first..=last {
                        if have.get(p as usize) {
                            let start = (p * piece_length).max(f.offset);
                            let end = ((p + 1) * piece_length).min(f.offset + f.length);
                            done += end.saturating_sub(start);
                        }
                    }
                }
                FileDetails {
                    path: f.path.iter().collect::<PathBuf>(),
                    length: f.length,
                    done,
                    priority: self.file_priorities.get(i).copied().unwrap_or_default(),
                }
            })
            .collect();
        let mut peers: Vec<PeerDetails> = self
            .peers
            .values()
            .map(|p| PeerDetails {
                addr: p.addr,
                client: if p.client.is_empty() {
                    p.id.client_name()
                } else {
                    p.client.clone()
                },
                source: p.source,
                incoming: p.source == crate::engine::api::PeerSource::Incoming,
                progress: match &p.has {
                    super::PeerHas::All => 1.0,
                    super::PeerHas::Some(b) => b.count() as f32 / piece_count.max(1) as f32,
                },
                download_rate: p.download.get(),
                upload_rate: p.upload.get(),
                downloaded: p.downloaded,
                uploaded: p.uploaded,
                am_interested: p.am_interested,
                am_choking: p.am_choking,
                peer_interested: p.peer_interested,
                peer_choking: p.peer_choking,
                snubbed: p.snubbed,
                requests: p.outstanding.len(),
            })
            .collect();
        peers.sort_by_key(|p| p.addr);
        let mut downloading: Vec<u32> =
            self.picker.pieces_in_progress().map(|p| p as u32).collect();
        downloading.sort_unstable();
        TorrentDetails {
            info_hash: meta.info_hash,
            save_path: self.save_path.to_path_buf(),
            comment: meta.comment.clone(),
            created_by: meta.created_by.clone(),
            creation_date: meta.creation_date,
            private: meta.private,
            piece_length: meta.piece_length,
            total_length: meta.total_length,
            pieces,
            downloading,
            files,
            peers,
            trackers: self.tracker_details.clone(),
            tracker_tiers: meta.trackers.clone(),
            magnet: meta.to_magnet().to_uri(),
        }
    }
}
