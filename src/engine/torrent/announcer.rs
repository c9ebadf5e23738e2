//! A torrent's conversation with its trackers: one task per torrent that announces `started`,
//! then again at the interval the tracker asks for, `completed` when the download finishes and
//! `stopped` when the torrent stops, and hands every peer it learns to the torrent task.
//!
//! It reads the transfer totals from shared atomics, so the torrent task never waits on it.
//! Failures back off (30 s doubling to 30 min) and are reported to the torrent for its status.
//!
//! By default it announces through the tiers as BEP 12 says (the first tracker that answers, a
//! later tier only when a whole tier failed); with the session's `announce_to_all_tiers` it
//! announces to every tracker of every tier at once. The list can be replaced while it runs
//! ([`AnnouncerMsg::SetTrackers`]): kept trackers keep their status, new ones hear `started` at
//! once, removed ones get a best-effort `stopped`.

use super::task::TorrentMsg;
use crate::engine::api::{PeerSource, TrackerDetails, TrackerStatus};
use crate::engine::info_hash::InfoHash;
use crate::engine::session::Shared;
use crate::engine::tracker::{
    AnnounceEvent, AnnounceRequest, TrackerTiers, announce_all, announce_tiers_with,
};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

/// Transfer totals the announcer reports.
#[derive(Debug, Default)]
pub struct AnnounceCounters {
    /// Payload bytes uploaded.
    pub uploaded: AtomicU64,
    /// Payload bytes downloaded.
    pub downloaded: AtomicU64,
    /// Bytes still wanted.
    pub left: AtomicU64,
}

/// What the torrent tells its announcer.
#[derive(Debug)]
pub enum AnnouncerMsg {
    /// The download finished: announce `completed`.
    Completed,
    /// Announce now.
    Reannounce,
    /// Announce `stopped` (briefly) and end; answer on the sender when done.
    Stop(Option<oneshot::Sender<()>>),
    /// Use these tiers from now on (already validated): announce to the new trackers now, tell
    /// the removed ones `stopped`.
    SetTrackers(Vec<Vec<String>>),
}

/// Time allowed for the final `stopped` announce.
const STOP_TIMEOUT: Duration = Duration::from_secs(3);
/// First retry delay after a failed announce.
const FIRST_RETRY: Duration = Duration::from_secs(15);
/// Longest retry delay.
const MAX_RETRY: Duration = Duration::from_secs(1800);

/// Starts the announcer of a torrent.
pub fn spawn(
    info_hash: InfoHash,
    trackers: Vec<Vec<String>>,
    shared: Arc<Shared>,
    counters: Arc<AnnounceCounters>,
    torrent: mpsc::UnboundedSender<TorrentMsg>,
) -> mpsc::UnboundedSender<AnnouncerMsg> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut tiers = TrackerTiers::new(trackers);
    tokio::spawn(async move {
        let key: u32 = rand::random();
        let request = |event, url: &str, started: &HashSet<String>| AnnounceRequest {
            info_hash,
            peer_id: shared.peer_id,
            port: shared.listen_port,
            uploaded: counters.uploaded.load(Ordering::Relaxed),
            downloaded: counters.downloaded.load(Ordering::Relaxed),
            left: counters.left.load(Ordering::Relaxed),
            // A tracker that has not heard `started` from us hears it first.
            event: match event {
                AnnounceEvent::None if !started.contains(url) => AnnounceEvent::Started,
                e => e,
            },
            num_want: Some(if counters.left.load(Ordering::Relaxed) == 0 {
                0
            } else {
                200
            }),
            key,
        };
        // Trackers that answered a `started` (they get `stopped` when we leave).
        let mut started: HashSet<String> = HashSet::new();
        let mut event = AnnounceEvent::None;
        let mut retry = FIRST_RETRY;
        loop {
            let all = shared.announce_to_all_tiers.load(Ordering::Relaxed);
            let _ = torrent.send(TorrentMsg::Trackers(details(&tiers, true, all)));
            let make = |url: &str| request(event, url, &started);
            let result = if all {
                announce_all(&shared.trackers, &mut tiers, make).await
            } else {
                announce_tiers_with(&shared.trackers, &mut tiers, make).await
            };
            mark_started(&tiers, &mut started);
            let _ = torrent.send(TorrentMsg::Trackers(details(&tiers, false, all)));
            let wait = match result {
                Ok(resp) => {
                    retry = FIRST_RETRY;
                    event = AnnounceEvent::None;
                    let _ = torrent.send(TorrentMsg::TrackerResult(Ok(resp.peers.len())));
                    if !resp.peers.is_empty() {
                        let _ = torrent.send(TorrentMsg::AddPeers(resp.peers, PeerSource::Tracker));
                    }
                    resp.interval
                }
                Err(e) => {
                    let _ = torrent.send(TorrentMsg::TrackerResult(Err(e.to_string())));
                    let wait = retry;
                    retry = (retry * 2).min(MAX_RETRY);
                    wait
                }
            };
            // Wait for the next announce; an edit that adds no tracker keeps the schedule.
            let due = tokio::time::Instant::now() + wait;
            loop {
                tokio::select! {
                    _ = tokio::time::sleep_until(due) => break,
                    msg = rx.recv() => match msg {
                        Some(AnnouncerMsg::Completed) => {
                            event = AnnounceEvent::Completed;
                            break;
                        }
                        Some(AnnouncerMsg::Reannounce) => break,
                        Some(AnnouncerMsg::SetTrackers(list)) => {
                            let before: HashSet<String> =
                                tiers.statuses().map(|s| s.url.clone()).collect();
                            let removed = tiers.replace(list);
                            let gone: Vec<String> =
                                removed.into_iter().filter(|u| started.remove(u)).collect();
                            if !gone.is_empty() {
                                let req = request(AnnounceEvent::Stopped, "", &started);
                                let shared = shared.clone();
                                tokio::spawn(async move { stop_all(&shared, &gone, &req).await });
                            }
                            let shown = details(&tiers, false, false);
                            let _ = torrent.send(TorrentMsg::Trackers(shown));
                            if tiers.statuses().any(|s| !before.contains(&s.url)) {
                                retry = FIRST_RETRY;
                                break;
                            }
                        }
                        Some(AnnouncerMsg::Stop(done)) => {
                            let urls: Vec<String> = started.iter().cloned().collect();
                            let req = request(AnnounceEvent::Stopped, "", &started);
                            stop_all(&shared, &urls, &req).await;
                            if let Some(done) = done {
                                let _ = done.send(());
                            }
                            return;
                        }
                        None => return,
                    },
                }
            }
        }
    });
    tx
}

/// Remembers the trackers that answered the announce just made (they have heard `started`).
fn mark_started(tiers: &TrackerTiers, started: &mut HashSet<String>) {
    for s in tiers.statuses() {
        if s.last_error.is_none() && s.last_announce.is_some() && !started.contains(&s.url) {
            started.insert(s.url.clone());
        }
    }
}

/// Announces `stopped` to `urls` at once, waiting at most [`STOP_TIMEOUT`] (best effort).
async fn stop_all(shared: &Shared, urls: &[String], req: &AnnounceRequest) {
    let mut tiers = TrackerTiers::in_given_order(vec![urls.to_vec()]);
    let stopping = announce_all(&shared.trackers, &mut tiers, |_| req.clone());
    let _ = tokio::time::timeout(STOP_TIMEOUT, stopping).await;
}

/// The trackers as the details panel shows them; `updating` marks the ones asked in the
/// announce that is starting (the first tracker, or every one with `all`).
fn details(tiers: &TrackerTiers, updating: bool, all: bool) -> Vec<TrackerDetails> {
    let now = Instant::now();
    let mut list: Vec<TrackerDetails> = tiers
        .order()
        .filter_map(|(tier, index, _)| {
            let s = tiers.status(tier, index)?;
            let status = if updating && (all || (tier == 0 && index == 0)) {
                TrackerStatus::Updating
            } else if let Some(e) = &s.last_error {
                TrackerStatus::Error(e.clone())
            } else if s.last_announce.is_some() {
                TrackerStatus::Working
            } else {
                TrackerStatus::NotContacted
            };
            Some(TrackerDetails {
                url: s.url.clone(),
                tier,
                status,
                warning: s.warning.clone(),
                peers: s.peers.unwrap_or(0) as usize,
                seeders: s.seeders,
                leechers: s.leechers,
                next_announce: s.next_announce.map(|t| t.saturating_duration_since(now)),
            })
        })
        .collect();
    list.sort_by_key(|t| t.tier);
    list
}
