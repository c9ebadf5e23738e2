//! Tracker tiers (BEP 12): which tracker of a torrent to ask, in which order, and how each fared.
//!
//! A torrent with an `announce-list` names tiers of trackers. BEP 12 says: shuffle each tier
//! once, try the trackers of the first tier in order, move on to the next tier only when every
//! tracker of a tier failed, and move a tracker that answered to the front of its tier. This
//! module owns that order ([`TrackerTiers`]), the per-tracker status the GUI shows
//! ([`TrackerStatus`]) and a driver that announces through the tiers ([`announce_tiers`]). It
//! talks to trackers only through [`TrackerClient`] and must not depend on the session, the peer
//! layer or any front end; scheduling (when to call the driver again) belongs to the caller.

use super::{AnnounceRequest, AnnounceResponse, ScrapeStats, TrackerClient, TrackerError};
use rand::seq::SliceRandom;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// First retry delay after a failure; it doubles with each further failure.
const FIRST_RETRY: Duration = Duration::from_secs(60);
/// Longest retry delay after failures.
const MAX_RETRY: Duration = Duration::from_secs(3600);

/// What the GUI shows for one tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerStatus {
    /// The announce URL as the torrent gives it.
    pub url: String,
    /// The error of the last attempt, `None` after a success.
    pub last_error: Option<String>,
    /// The tracker's last `warning message`.
    pub warning: Option<String>,
    /// When we last announced (successfully or not).
    pub last_announce: Option<Instant>,
    /// When the next announce is due: the tracker's interval after a success, a growing retry
    /// delay (1 min doubling up to 1 h) after a failure.
    pub next_announce: Option<Instant>,
    /// Earliest time the tracker accepts another announce (its `min interval`).
    pub min_next_announce: Option<Instant>,
    /// Seeders, from the last announce or scrape that said.
    pub seeders: Option<u32>,
    /// Leechers, from the last announce or scrape that said.
    pub leechers: Option<u32>,
    /// Completed downloads, from the last scrape.
    pub downloaded: Option<u32>,
    /// Peers the last successful announce returned.
    pub peers: Option<u32>,
    /// Failures since the last success.
    pub consecutive_failures: u32,
}

impl TrackerStatus {
    /// A tracker never contacted.
    pub fn new(url: impl Into<String>) -> Self {
        TrackerStatus {
            url: url.into(),
            last_error: None,
            warning: None,
            last_announce: None,
            next_announce: None,
            min_next_announce: None,
            seeders: None,
            leechers: None,
            downloaded: None,
            peers: None,
            consecutive_failures: 0,
        }
    }

    /// Records an answered announce at `now`.
    pub fn record_success(&mut self, now: Instant, resp: &AnnounceResponse) {
        self.last_error = None;
        self.warning = resp.warning.clone();
        self.last_announce = Some(now);
        self.next_announce = now.checked_add(resp.interval);
        self.min_next_announce = resp.min_interval.and_then(|m| now.checked_add(m));
        if resp.seeders.is_some() {
            self.seeders = resp.seeders;
        }
        if resp.leechers.is_some() {
            self.leechers = resp.leechers;
        }
        self.peers = Some(u32::try_from(resp.peers.len()).unwrap_or(u32::MAX));
        self.consecutive_failures = 0;
    }

    /// Records a failed announce at `now` and schedules a retry.
    pub fn record_failure(&mut self, now: Instant, err: &TrackerError) {
        self.last_error = Some(err.to_string());
        self.last_announce = Some(now);
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        self.next_announce = now.checked_add(self.retry_delay());
        self.min_next_announce = None;
    }

    /// Records a successful scrape.
    pub fn record_scrape(&mut self, stats: &ScrapeStats) {
        self.seeders = Some(stats.complete);
        self.leechers = Some(stats.incomplete);
        self.downloaded = Some(stats.downloaded);
    }

    /// The wait before retrying after the current run of failures: 1 min, 2 min, 4 min … 1 h.
    pub fn retry_delay(&self) -> Duration {
        let doublings = self.consecutive_failures.saturating_sub(1).min(16);
        FIRST_RETRY.saturating_mul(1 << doublings).min(MAX_RETRY)
    }
}

/// A torrent's trackers in BEP 12 order, each with its status.
#[derive(Debug, Clone, Default)]
pub struct TrackerTiers {
    tiers: Vec<Vec<TrackerStatus>>,
}

impl TrackerTiers {
    /// The tiers of a torrent (e.g. `Metainfo::trackers`), each tier shuffled once (BEP 12).
    /// Blank URLs, repeated URLs and empty tiers are dropped.
    pub fn new(tiers: Vec<Vec<String>>) -> Self {
        let mut this = Self::in_given_order(tiers);
        let mut rng = rand::rng();
        for tier in &mut this.tiers {
            tier.shuffle(&mut rng);
        }
        this
    }

    /// Like [`TrackerTiers::new`] without the shuffle: for tests, and for a user who ordered the
    /// trackers by hand.
    pub fn in_given_order(tiers: Vec<Vec<String>>) -> Self {
        let mut seen = HashSet::new();
        let tiers = tiers
            .into_iter()
            .map(|tier| {
                tier.into_iter()
                    .map(|url| url.trim().to_owned())
                    .filter(|url| !url.is_empty() && seen.insert(url.clone()))
                    .map(TrackerStatus::new)
                    .collect::<Vec<_>>()
            })
            .filter(|tier| !tier.is_empty())
            .collect();
        TrackerTiers { tiers }
    }

    /// Replaces the trackers by `tiers` (in the given order: the user ordered them), keeping the
    /// status of every tracker still listed. Returns the URLs no longer listed.
    pub fn replace(&mut self, tiers: Vec<Vec<String>>) -> Vec<String> {
        let mut old: std::collections::HashMap<String, TrackerStatus> =
            std::mem::take(&mut self.tiers)
                .into_iter()
                .flatten()
                .map(|s| (s.url.clone(), s))
                .collect();
        let mut new = Self::in_given_order(tiers);
        for status in new.tiers.iter_mut().flatten() {
            if let Some(kept) = old.remove(&status.url) {
                *status = kept;
            }
        }
        self.tiers = new.tiers;
        let mut removed: Vec<String> = old.into_keys().collect();
        removed.sort();
        removed
    }

    /// Every tracker as `(tier, index in tier, url)`, in the order to try them.
    pub fn order(&self) -> impl Iterator<Item = (usize, usize, &str)> + '_ {
        self.tiers.iter().enumerate().flat_map(|(t, tier)| {
            tier.iter()
                .enumerate()
                .map(move |(i, s)| (t, i, s.url.as_str()))
        })
    }

    /// Moves the tracker at `(tier, index)` to the front of its tier, the others keeping their
    /// order (BEP 12: a tracker that answered is tried first next time). Out of range: nothing.
    pub fn promote(&mut self, tier: usize, index: usize) {
        if let Some(t) = self.tiers.get_mut(tier)
            && index < t.len()
        {
            t[..=index].rotate_right(1);
        }
    }

    /// The status of the tracker at `(tier, index)`.
    pub fn status(&self, tier: usize, index: usize) -> Option<&TrackerStatus> {
        self.tiers.get(tier)?.get(index)
    }

    /// The status of the tracker at `(tier, index)`, to record an outcome.
    pub fn status_mut(&mut self, tier: usize, index: usize) -> Option<&mut TrackerStatus> {
        self.tiers.get_mut(tier)?.get_mut(index)
    }

    /// Every tracker's status, in order (for the GUI's tracker list).
    pub fn statuses(&self) -> impl Iterator<Item = &TrackerStatus> + '_ {
        self.tiers.iter().flatten()
    }

    /// The status of the tracker with this URL.
    pub fn status_of(&self, url: &str) -> Option<&TrackerStatus> {
        self.statuses().find(|s| s.url == url)
    }

    /// Number of tiers.
    pub fn tier_count(&self) -> usize {
        self.tiers.len()
    }

    /// Number of trackers in all tiers.
    pub fn len(&self) -> usize {
        self.tiers.iter().map(Vec::len).sum()
    }

    /// True when there is no tracker at all.
    pub fn is_empty(&self) -> bool {
        self.tiers.is_empty()
    }
}

/// Announces through the tiers (BEP 12): the trackers of each tier in order, the next tier only
/// when a whole tier failed, stopping at the first tracker that answers (which is promoted to
/// the front of its tier). Every tracker tried gets its status recorded. Returns the first
/// answer, or the last error when every tracker failed ([`TrackerError::NoTrackers`] when there
/// is none).
pub async fn announce_tiers(
    client: &TrackerClient,
    tiers: &mut TrackerTiers,
    req: &AnnounceRequest,
) -> Result<AnnounceResponse, TrackerError> {
    announce_tiers_with(client, tiers, |_| req.clone()).await
}

/// [`announce_tiers`] with a request made per tracker (`make` gets its URL): a tracker that has
/// not heard `started` from us yet gets it even when the others get a regular announce.
pub async fn announce_tiers_with(
    client: &TrackerClient,
    tiers: &mut TrackerTiers,
    make: impl Fn(&str) -> AnnounceRequest,
) -> Result<AnnounceResponse, TrackerError> {
    let order: Vec<(usize, usize, String)> = tiers
        .order()
        .map(|(t, i, url)| (t, i, url.to_owned()))
        .collect();
    let mut last_error = TrackerError::NoTrackers;
    for (tier, index, url) in order {
        let result = client.announce(&url, &make(&url)).await;
        let now = Instant::now();
        match result {
            Ok(resp) => {
                if let Some(status) = tiers.status_mut(tier, index) {
                    status.record_success(now, &resp);
                }
                tiers.promote(tier, index);
                return Ok(resp);
            }
            Err(err) => {
                if let Some(status) = tiers.status_mut(tier, index) {
                    status.record_failure(now, &err);
                }
                last_error = err;
            }
        }
    }
    Err(last_error)
}

/// Announces to every tracker of every tier at once (qBittorrent's "always announce to all
/// trackers in a tier" together with "always announce to all tiers"; not BEP 12). Every
/// tracker's status is recorded. The answer merges the successful ones: their peers (repeats
/// dropped, at most [`super::MAX_PEERS`]), the shortest interval, the largest swarm counts.
/// Fails with the last error only when every tracker failed.
pub async fn announce_all(
    client: &TrackerClient,
    tiers: &mut TrackerTiers,
    make: impl Fn(&str) -> AnnounceRequest,
) -> Result<AnnounceResponse, TrackerError> {
    let order: Vec<(usize, usize, String, AnnounceRequest)> = tiers
        .order()
        .map(|(t, i, url)| (t, i, url.to_owned(), make(url)))
        .collect();
    let results = join_all(
        order
            .iter()
            .map(|(_, _, url, req)| client.announce(url, req))
            .collect(),
    )
    .await;
    let now = Instant::now();
    let mut merged: Option<AnnounceResponse> = None;
    let mut seen = HashSet::new();
    let mut last_error = TrackerError::NoTrackers;
    for ((tier, index, _, _), result) in order.iter().zip(results) {
        match result {
            Ok(resp) => {
                if let Some(status) = tiers.status_mut(*tier, *index) {
                    status.record_success(now, &resp);
                }
                let m = merged.get_or_insert_with(|| AnnounceResponse {
                    interval: resp.interval,
                    ..AnnounceResponse::default()
                });
                m.interval = m.interval.min(resp.interval);
                m.min_interval = match (m.min_interval, resp.min_interval) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                m.seeders = m.seeders.max(resp.seeders);
                m.leechers = m.leechers.max(resp.leechers);
                if m.warning.is_none() {
                    m.warning = resp.warning;
                }
                for peer in resp.peers {
                    if m.peers.len() < super::MAX_PEERS && seen.insert(peer) {
                        m.peers.push(peer);
                    }
                }
            }
            Err(err) => {
                if let Some(status) = tiers.status_mut(*tier, *index) {
                    status.record_failure(now, &err);
                }
                last_error = err;
            }
        }
    }
    merged.ok_or(last_error)
}

/// Runs the futures concurrently and returns their outputs in order (a small `join_all`; the
/// list is at most a torrent's trackers).
async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut futures: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(v) => *output = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn urls(tiers: &TrackerTiers) -> Vec<(usize, usize, String)> {
        tiers
            .order()
            .map(|(t, i, u)| (t, i, u.to_owned()))
            .collect()
    }

    fn s(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|t| t.iter().map(|u| (*u).to_owned()).collect())
            .collect()
    }

    #[test]
    fn cleans_up_the_list() {
        let t = TrackerTiers::in_given_order(s(&[&["a", " ", "b"], &[], &["a", "c "]]));
        assert_eq!(
            urls(&t),
            vec![(0, 0, "a".into()), (0, 1, "b".into()), (1, 0, "c".into())]
        );
        assert_eq!((t.tier_count(), t.len(), t.is_empty()), (2, 3, false));
        assert!(TrackerTiers::new(Vec::new()).is_empty());
    }

    #[test]
    fn shuffles_within_tiers_only() {
        let tier0: Vec<String> = (0..8).map(|i| format!("a{i}")).collect();
        let tier1: Vec<String> = (0..8).map(|i| format!("b{i}")).collect();
        let mut orders = HashSet::new();
        for _ in 0..20 {
            let t = TrackerTiers::new(vec![tier0.clone(), tier1.clone()]);
            let got = urls(&t);
            assert_eq!(got.len(), 16);
            // Tier membership is kept; each tier is a permutation of its own trackers.
            let mut first: Vec<String> = got[..8].iter().map(|x| x.2.clone()).collect();
            assert!(got[..8].iter().all(|x| x.0 == 0) && got[8..].iter().all(|x| x.0 == 1));
            orders.insert(first.clone());
            first.sort();
            assert_eq!(first, tier0);
        }
        // 20 shuffles of 8 items all alike: probability (1/40320)^19.
        assert!(orders.len() > 1);
    }

    #[test]
    fn promote_moves_to_front_keeping_the_rest() {
        let mut t = TrackerTiers::in_given_order(s(&[&["a", "b", "c", "d"], &["e"]]));
        t.status_mut(0, 2).unwrap().peers = Some(7);
        t.promote(0, 2);
        let names: Vec<String> = urls(&t).into_iter().map(|x| x.2).collect();
        assert_eq!(names, ["c", "a", "b", "d", "e"]);
        // The status travels with its tracker.
        assert_eq!(t.status(0, 0).unwrap().peers, Some(7));
        t.promote(0, 0);
        t.promote(5, 0);
        t.promote(1, 9);
        let names: Vec<String> = urls(&t).into_iter().map(|x| x.2).collect();
        assert_eq!(names, ["c", "a", "b", "d", "e"]);
    }

    #[test]
    fn replace_keeps_the_status_of_kept_trackers() {
        let mut t = TrackerTiers::in_given_order(s(&[&["a", "b"], &["c"]]));
        t.status_mut(0, 1).unwrap().peers = Some(4);
        let removed = t.replace(s(&[&["d"], &["b", "a"]]));
        assert_eq!(removed, ["c"]);
        let names: Vec<String> = urls(&t).into_iter().map(|x| x.2).collect();
        assert_eq!(names, ["d", "b", "a"]);
        assert_eq!(t.status_of("b").unwrap().peers, Some(4));
        assert_eq!(t.status_of("d").unwrap().peers, None);
        assert_eq!(t.replace(Vec::new()).len(), 3);
        assert!(t.is_empty());
    }

    #[test]
    fn status_records() {
        let now = Instant::now();
        let mut st = TrackerStatus::new("http://t/announce");
        let err = TrackerError::Timeout("http://t/announce".into());
        st.record_failure(now, &err);
        st.record_failure(now, &err);
        assert_eq!(st.consecutive_failures, 2);
        assert_eq!(st.retry_delay(), Duration::from_secs(120));
        assert_eq!(st.next_announce, Some(now + Duration::from_secs(120)));
        assert_eq!(st.last_error.as_deref(), Some(err.to_string().as_str()));
        for _ in 0..100 {
            st.record_failure(now, &err);
        }
        assert_eq!(st.retry_delay(), MAX_RETRY);

        let resp = AnnounceResponse {
            interval: Duration::from_secs(900),
            min_interval: Some(Duration::from_secs(60)),
            peers: vec!["127.0.0.1:1".parse().unwrap()],
            seeders: Some(3),
            leechers: None,
            warning: Some("w".into()),
            tracker_id: None,
        };
        st.leechers = Some(9);
        st.record_success(now, &resp);
        assert_eq!(st.last_error, None);
        assert_eq!(st.consecutive_failures, 0);
        assert_eq!(st.next_announce, Some(now + Duration::from_secs(900)));
        assert_eq!(st.min_next_announce, Some(now + Duration::from_secs(60)));
        assert_eq!(
            (st.seeders, st.leechers, st.peers),
            (Some(3), Some(9), Some(1))
        );
        assert_eq!(st.warning.as_deref(), Some("w"));

        st.record_scrape(&ScrapeStats {
            complete: 1,
            incomplete: 2,
            downloaded: 3,
        });
        assert_eq!(
            (st.seeders, st.leechers, st.downloaded),
            (Some(1), Some(2), Some(3))
        );
    }
}
