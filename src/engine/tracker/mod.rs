//! Tracker clients: asking a tracker for peers (announce) and for swarm counts (scrape).
//!
//! A torrent finds its first peers through its trackers, so this layer turns an info-hash, our
//! peer id and our byte counts into a list of socket addresses. It owns the request and response
//! types shared by every tracker protocol, the parsing of tracker URLs and the percent-encoding of
//! their binary parameters, dispatch by scheme (`http://` and `https://` to [`http`], BEP 3; `udp://` to
//! [`udp`], BEP 15), the parsing of peer lists (BEP 23 compact, BEP 7 IPv6, dictionaries), and
//! the loopback guard that refuses a non-loopback tracker before any packet leaves. [`tiers`]
//! orders a torrent's trackers (BEP 12) and keeps their status for the GUI.
//!
//! Every byte a tracker sends is hostile input: sizes, counts and times are capped, and bencoded
//! bodies go through [`crate::engine::bencode::decode`] with [`Limits::MESSAGE`]. This module
//! depends only on the engine's identity types ([`InfoHash`], [`PeerId`]) and the bencode gate;
//! it must not depend on the peer wire protocol, storage, sessions or any front end.
//!
//! [`Limits::MESSAGE`]: crate::engine::bencode::Limits::MESSAGE

pub mod http;
pub mod list;
pub mod tiers;
mod tls;
pub mod udp;

pub use list::{TrackerListError, validate_trackers};
pub use tiers::{TrackerStatus, TrackerTiers, announce_all, announce_tiers, announce_tiers_with};

use crate::engine::{InfoHash, PeerId};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Duration;

/// Most peers accepted from one response; the rest are dropped (a tracker may be hostile).
pub const MAX_PEERS: usize = 2000;
/// Announce interval used when the tracker names none (or a nonsensical one).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(1800);
/// Longest announce interval honoured: a tracker cannot silence us for more than 6 hours.
pub const MAX_INTERVAL: Duration = Duration::from_secs(6 * 3600);

/// Why we announce (BEP 3 `event`; BEP 15 numbers them 0–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnounceEvent {
    /// A regular announce at the tracker's interval.
    None,
    /// The first announce of a download.
    Started,
    /// The download has just finished (sent once, not when starting as a seed).
    Completed,
    /// We are leaving the swarm.
    Stopped,
}

impl AnnounceEvent {
    /// The value of the HTTP `event` parameter; `None` for a regular announce (BEP 3).
    pub fn as_query_value(self) -> Option<&'static str> {
        match self {
            AnnounceEvent::None => None,
            AnnounceEvent::Started => Some("started"),
            AnnounceEvent::Completed => Some("completed"),
            AnnounceEvent::Stopped => Some("stopped"),
        }
    }

    /// The BEP 15 number: none 0, completed 1, started 2, stopped 3.
    pub fn udp_code(self) -> u32 {
        match self {
            AnnounceEvent::None => 0,
            AnnounceEvent::Completed => 1,
            AnnounceEvent::Started => 2,
            AnnounceEvent::Stopped => 3,
        }
    }
}

/// What we tell a tracker in an announce.
#[derive(Debug, Clone)]
pub struct AnnounceRequest {
    /// The torrent.
    pub info_hash: InfoHash,
    /// Our peer id.
    pub peer_id: PeerId,
    /// The port we accept peer connections on.
    pub port: u16,
    /// Bytes uploaded since the `started` event.
    pub uploaded: u64,
    /// Bytes downloaded (and verified) since the `started` event.
    pub downloaded: u64,
    /// Bytes still missing.
    pub left: u64,
    /// Why we announce.
    pub event: AnnounceEvent,
    /// How many peers we want; `None` lets the tracker choose.
    pub num_want: Option<u32>,
    /// A random number fixed per session, so a tracker recognises us when our address changes.
    pub key: u32,
}

/// What a tracker answered to an announce.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnounceResponse {
    /// When to announce again: the tracker's value (at least 1 s) capped at 6 h, 30 min if absent.
    pub interval: Duration,
    /// The tracker's `min interval`, capped like `interval`.
    pub min_interval: Option<Duration>,
    /// Peers, deduplicated, without port 0 or unusable addresses, at most [`MAX_PEERS`].
    pub peers: Vec<SocketAddr>,
    /// Peers with the whole torrent (`complete`), when the tracker says.
    pub seeders: Option<u32>,
    /// Peers still downloading (`incomplete`), when the tracker says.
    pub leechers: Option<u32>,
    /// The tracker's `warning message`, shown to the user.
    pub warning: Option<String>,
    /// The tracker's `tracker id`, sent back on the next HTTP announce (BEP 3).
    pub tracker_id: Option<String>,
}

/// Swarm counts from a scrape (BEP 48 over HTTP, BEP 15 over UDP).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScrapeStats {
    /// Seeders.
    pub complete: u32,
    /// Leechers.
    pub incomplete: u32,
    /// Completed downloads the tracker has seen.
    pub downloaded: u32,
}

/// Why an announce or a scrape failed. Messages are complete sentences for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackerError {
    /// The tracker answered with a `failure reason` (BEP 3) or an error action (BEP 15).
    #[error("tracker says: {0}")]
    Failure(String),
    /// A scheme or feature we do not implement (https, wss, scrape without BEP 48 path …).
    #[error("{0}")]
    Unsupported(String),
    /// The tracker URL cannot be used.
    #[error("bad tracker URL: {0}")]
    BadUrl(String),
    /// Loopback-only mode refused a tracker that resolves to another address.
    #[error(
        "tracker {0}: refusing to contact a non-loopback address because BROOKLET_LOOPBACK_ONLY is set"
    )]
    NotLoopback(String),
    /// Name resolution, connecting, sending or receiving failed.
    #[error("tracker {url}: {message}")]
    Io {
        /// The tracker URL.
        url: String,
        /// What went wrong, e.g. `connection refused`.
        message: String,
    },
    /// No complete answer in time (HTTP timeout, or every BEP 15 retransmission unanswered).
    #[error("tracker {0}: no answer in time")]
    Timeout(String),
    /// The answer broke the protocol.
    #[error("tracker {url}: bad response: {reason}")]
    BadResponse {
        /// The tracker URL.
        url: String,
        /// What was wrong with it.
        reason: String,
    },
    /// An HTTP tracker answered with a status other than 200 and no `failure reason`.
    #[error("tracker {url}: HTTP status {status} {reason}")]
    HttpStatus {
        /// The tracker URL.
        url: String,
        /// The status code.
        status: u16,
        /// The reason phrase as sent (may be empty).
        reason: String,
    },
    /// [`announce_tiers`] was given no tracker at all.
    #[error("the torrent has no tracker")]
    NoTrackers,
}

impl TrackerError {
    /// A [`TrackerError::BadResponse`] for `url`.
    pub(crate) fn bad(url: &str, reason: impl Into<String>) -> TrackerError {
        TrackerError::BadResponse {
            url: url.to_owned(),
            reason: reason.into(),
        }
    }

    /// A [`TrackerError::Io`] for `url` from an I/O error.
    pub(crate) fn io(url: &str, err: &std::io::Error) -> TrackerError {
        TrackerError::Io {
            url: url.to_owned(),
            message: io_message(err),
        }
    }
}

/// A short lower-case description of an I/O error, without the OS error number.
pub(crate) fn io_message(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match err.kind() {
        K::ConnectionRefused => "connection refused".to_owned(),
        K::ConnectionReset => "connection reset".to_owned(),
        K::ConnectionAborted => "connection aborted".to_owned(),
        K::NotConnected => "not connected".to_owned(),
        K::AddrNotAvailable => "address not available".to_owned(),
        K::NetworkUnreachable => "network unreachable".to_owned(),
        K::HostUnreachable => "host unreachable".to_owned(),
        K::TimedOut => "timed out".to_owned(),
        K::UnexpectedEof => "connection closed early".to_owned(),
        K::BrokenPipe => "connection closed by the tracker".to_owned(),
        _ => err.to_string(),
    }
}

/// Timeouts and retries, so tests can make them short.
#[derive(Debug, Clone)]
pub struct TrackerConfig {
    /// Whole HTTP exchange, name resolution and redirects included (default 30 s); also bounds
    /// the name resolution of UDP trackers.
    pub http_timeout: Duration,
    /// UDP retransmissions after the first send. BEP 15 goes up to 8 (15·2^n s, over two
    /// hours in all); we default to 3 (about 4 minutes): a user waits less, and the next
    /// announce retries anyway.
    pub udp_retries: u32,
    /// BEP 15's 15 s: the wait after the n-th send is `udp_base_timeout · 2^n`.
    pub udp_base_timeout: Duration,
    /// Refuse trackers that do not resolve to loopback addresses only (default from
    /// [`crate::engine::loopback_only`]).
    pub loopback_only: bool,
    /// A PEM file of certificate authorities trusted for `https://` trackers besides the
    /// built-in roots (default: `BROOKLET_EXTRA_CA`, else none).
    pub extra_ca: Option<std::path::PathBuf>,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            http_timeout: Duration::from_secs(30),
            udp_retries: 3,
            udp_base_timeout: Duration::from_secs(15),
            loopback_only: crate::engine::loopback_only(),
            extra_ca: std::env::var_os("BROOKLET_EXTRA_CA")
                .filter(|v| !v.is_empty())
                .map(std::path::PathBuf::from),
        }
    }
}

/// Most remembered `tracker id`s; past that the memory is cleared (it is only a courtesy).
const MAX_TRACKER_IDS: usize = 4096;

/// Announces and scrapes over HTTP and UDP. One client serves a whole session: it is `Send +
/// Sync`, so share it in an `Arc` across torrent tasks. It remembers BEP 15 connection ids per
/// tracker address (valid for one minute) and BEP 3 `tracker id`s per tracker and torrent.
#[derive(Debug)]
pub struct TrackerClient {
    config: TrackerConfig,
    udp_connections: udp::ConnectionCache,
    tracker_ids: Mutex<HashMap<(String, InfoHash), String>>,
}

impl TrackerClient {
    /// A client with the given timeouts and loopback policy.
    pub fn new(config: TrackerConfig) -> Self {
        TrackerClient {
            config,
            udp_connections: udp::ConnectionCache::default(),
            tracker_ids: Mutex::new(HashMap::new()),
        }
    }

    /// The configuration this client was made with.
    pub fn config(&self) -> &TrackerConfig {
        &self.config
    }

    /// Announces `req` to the tracker at `url` (`http://` or `udp://`).
    pub async fn announce(
        &self,
        url: &str,
        req: &AnnounceRequest,
    ) -> Result<AnnounceResponse, TrackerError> {
        let parsed = TrackerUrl::parse(url)?;
        match parsed.scheme {
            Scheme::Udp => {
                udp::announce(&self.config, &self.udp_connections, url, &parsed, req).await
            }
            Scheme::Http | Scheme::Https => {
                let key = (url.to_owned(), req.info_hash);
                let tracker_id = lock(&self.tracker_ids).get(&key).cloned();
                let result =
                    http::announce(&self.config, url, &parsed, req, tracker_id.as_deref()).await;
                if let Ok(resp) = &result {
                    let mut ids = lock(&self.tracker_ids);
                    match (&resp.tracker_id, req.event) {
                        (_, AnnounceEvent::Stopped) => {
                            ids.remove(&key);
                        }
                        (Some(id), _) => {
                            if ids.len() >= MAX_TRACKER_IDS {
                                ids.clear();
                            }
                            ids.insert(key, id.clone());
                        }
                        (None, _) => {}
                    }
                }
                result
            }
        }
    }

    /// Asks the tracker at `url` for the swarm counts of one torrent. HTTP trackers are scraped
    /// at the URL derived by BEP 48 ([`http::scrape_url`]); UDP trackers by BEP 15.
    pub async fn scrape(
        &self,
        url: &str,
        info_hash: InfoHash,
    ) -> Result<ScrapeStats, TrackerError> {
        let parsed = TrackerUrl::parse(url)?;
        match parsed.scheme {
            Scheme::Udp => {
                udp::scrape(&self.config, &self.udp_connections, url, &parsed, info_hash).await
            }
            Scheme::Http | Scheme::Https => http::scrape(&self.config, url, info_hash).await,
        }
    }
}

/// Locks a mutex, recovering from poisoning (the data are caches: any state is fine).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The protocols a tracker URL may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// BEP 3 over plain HTTP/1.1.
    Http,
    /// BEP 3 over TLS (not supported yet).
    Https,
    /// BEP 15.
    Udp,
}

/// A parsed tracker URL: `http://host[:port]/path?query` or `udp://host:port[/...]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerUrl {
    /// The protocol.
    pub scheme: Scheme,
    /// Host name or IP address, lower case, IPv6 without brackets.
    pub host: String,
    /// Port (80 for http and 443 for https when absent; required for udp).
    pub port: u16,
    /// Path and query, starting with `/`, fragment removed, spaces, control and non-ASCII bytes
    /// percent-encoded (so the request line can never be split). Unused for UDP (BEP 41 is not
    /// implemented).
    pub path_and_query: String,
}

impl TrackerUrl {
    /// Parses a tracker URL. Unknown schemes are [`TrackerError::Unsupported`]; malformed ones
    /// (no host, bad port, user info, non-ASCII host) are [`TrackerError::BadUrl`].
    pub fn parse(url: &str) -> Result<TrackerUrl, TrackerError> {
        let bad = |why: &str| TrackerError::BadUrl(format!("`{url}`: {why}"));
        let text = url.trim();
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| bad("no scheme (expected http:// or udp://)"))?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            "udp" => Scheme::Udp,
            other => {
                return Err(TrackerError::Unsupported(format!(
                    "{other}:// trackers are not supported"
                )));
            }
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if authority.contains('@') {
            return Err(bad(
                "user names and passwords in tracker URLs are not supported",
            ));
        }
        let (host, port_text) = if let Some(after_bracket) = authority.strip_prefix('[') {
            let (host, after) = after_bracket
                .split_once(']')
                .ok_or_else(|| bad("unclosed `[` in the host"))?;
            if host.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(bad("the bracketed host is not an IPv6 address"));
            }
            let port = match after {
                "" => None,
                p => Some(
                    p.strip_prefix(':')
                        .ok_or_else(|| bad("unexpected text after the IPv6 address"))?,
                ),
            };
            (host, port)
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        if !authority.starts_with('[')
            && !host
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.' || c == b'_')
        {
            return Err(bad("the host has characters a host name cannot have"));
        }
        let port = match port_text {
            None | Some("") => match scheme {
                Scheme::Http => 80,
                Scheme::Https => 443,
                Scheme::Udp => return Err(bad("a udp:// tracker URL needs a port")),
            },
            Some(p) => {
                if !p.bytes().all(|c| c.is_ascii_digit()) {
                    return Err(bad("the port is not a number"));
                }
                match p.parse::<u16>() {
                    Ok(0) | Err(_) => return Err(bad("the port is not in 1–65535")),
                    Ok(port) => port,
                }
            }
        };
        let tail = tail.split('#').next().unwrap_or("");
        let mut path_and_query = String::with_capacity(tail.len() + 1);
        if !tail.starts_with('/') {
            path_and_query.push('/');
        }
        path_and_query.push_str(&sanitize_path(tail));
        Ok(TrackerUrl {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            path_and_query,
        })
    }

    /// The HTTP `Host` header value: the host (IPv6 in brackets), with `:port` unless default.
    pub fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let default = match self.scheme {
            Scheme::Http => 80,
            Scheme::Https => 443,
            Scheme::Udp => 0,
        };
        if self.port == default {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }

    /// Path and query with `params` appended: after `&` when a query exists, else after `?`.
    pub fn with_params(&self, params: &str) -> String {
        let base = &self.path_and_query;
        if params.is_empty() {
            return base.clone();
        }
        let sep = match base.find('?') {
            None => "?",
            Some(i) if i + 1 == base.len() || base.ends_with('&') => "",
            Some(_) => "&",
        };
        format!("{base}{sep}{params}")
    }
}

impl fmt::Display for TrackerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Udp => "udp",
        };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(f, "{scheme}://{host}:{}{}", self.port, self.path_and_query)
    }
}

/// Percent-encodes the bytes of a URL path or query that may not appear raw in a request line:
/// spaces, control characters, `"<>\^`{|}` and everything outside ASCII. `%` and reserved
/// characters are kept, so an already encoded URL stays as it is.
fn sanitize_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b <= b' ' || b >= 0x7f || b"\"<>\\^`{|}".contains(&b) {
            push_percent(&mut out, b);
        } else {
            out.push(char::from(b));
        }
    }
    out
}

fn push_percent(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 15)]));
}

/// Percent-encodes binary data for a query value (RFC 3986: unreserved `A–Z a–z 0–9 - . _ ~`
/// stay, every other byte becomes `%XX`), as BEP 3 wants for `info_hash` and `peer_id`.
pub fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            push_percent(&mut out, b);
        }
    }
    out
}

/// True for loopback addresses, IPv4-mapped IPv6 ones (`::ffff:127.0.0.1`) included.
pub fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// Resolves `host` (an IP literal is used as it is) and, in loopback-only mode, refuses unless
/// every address is a loopback one. Callers connect only to the addresses returned, so nothing
/// is ever sent to an address that was not checked. Resolution is bounded by `limit`.
pub(crate) async fn resolve(
    url: &str,
    host: &str,
    port: u16,
    loopback_only: bool,
    limit: Duration,
) -> Result<Vec<SocketAddr>, TrackerError> {
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        // In loopback-only mode no DNS query may leave the machine either: only `localhost`
        // names are accepted, and they are answered here without asking a resolver.
        Err(_) if loopback_only => {
            let name = host.trim_end_matches('.').to_ascii_lowercase();
            if name != "localhost" && !name.ends_with(".localhost") {
                return Err(TrackerError::NotLoopback(url.to_owned()));
            }
            vec![
                SocketAddr::new(IpAddr::from([127, 0, 0, 1]), port),
                SocketAddr::new(IpAddr::from(std::net::Ipv6Addr::LOCALHOST), port),
            ]
        }
        Err(_) => {
            let lookup = tokio::net::lookup_host((host, port));
            match tokio::time::timeout(limit, lookup).await {
                Err(_) => return Err(TrackerError::Timeout(url.to_owned())),
                Ok(Err(e)) => {
                    return Err(TrackerError::Io {
                        url: url.to_owned(),
                        message: format!("cannot resolve {host}: {}", io_message(&e)),
                    });
                }
                Ok(Ok(found)) => found.take(64).collect(),
            }
        }
    };
    if addrs.is_empty() {
        return Err(TrackerError::Io {
            url: url.to_owned(),
            message: format!("{host} resolves to no address"),
        });
    }
    if loopback_only && !addrs.iter().all(|a| is_loopback(a.ip())) {
        return Err(TrackerError::NotLoopback(url.to_owned()));
    }
    Ok(addrs)
}

/// The announce interval to use for a tracker's value in seconds: at least 1 s is taken as
/// given (tests use short ones), capped at [`MAX_INTERVAL`]; absent or below 1 s gives
/// [`DEFAULT_INTERVAL`].
pub fn clamp_interval(secs: Option<i64>) -> Duration {
    match secs {
        Some(s) if s >= 1 => Duration::from_secs(s.unsigned_abs()).min(MAX_INTERVAL),
        _ => DEFAULT_INTERVAL,
    }
}

/// Collects peers from a response: drops port 0, unspecified, multicast and broadcast
/// addresses and duplicates, turns IPv4-mapped IPv6 into IPv4, and stops at [`MAX_PEERS`].
#[derive(Debug, Default)]
pub(crate) struct PeerList {
    peers: Vec<SocketAddr>,
    seen: HashSet<SocketAddr>,
}

impl PeerList {
    /// Adds one peer if it is usable and there is room.
    pub(crate) fn push(&mut self, ip: IpAddr, port: u16) {
        let ip = ip.to_canonical();
        let unusable = port == 0
            || ip.is_unspecified()
            || ip.is_multicast()
            || matches!(ip, IpAddr::V4(v4) if v4.is_broadcast());
        if unusable || self.peers.len() >= MAX_PEERS {
            return;
        }
        let addr = SocketAddr::new(ip, port);
        if self.seen.insert(addr) {
            self.peers.push(addr);
        }
    }

    /// Adds a compact peer list: 6-byte IPv4 entries (BEP 23) or 18-byte IPv6 ones (BEP 7),
    /// each address then port in network order. A length that is not a multiple of the entry
    /// size is an error (the list is corrupt, so none of it is trusted).
    pub(crate) fn add_compact(&mut self, bytes: &[u8], ipv6: bool) -> Result<(), String> {
        let entry = if ipv6 { 18 } else { 6 };
        if !bytes.len().is_multiple_of(entry) {
            return Err(format!(
                "compact {} peer list of {} bytes is not a multiple of {entry}",
                if ipv6 { "IPv6" } else { "IPv4" },
                bytes.len()
            ));
        }
        for chunk in bytes.chunks_exact(entry) {
            let (addr, port) = chunk.split_at(entry - 2);
            let ip = if ipv6 {
                let mut a = [0u8; 16];
                a.copy_from_slice(addr);
                IpAddr::from(a)
            } else {
                let mut a = [0u8; 4];
                a.copy_from_slice(addr);
                IpAddr::from(a)
            };
            self.push(ip, u16::from_be_bytes([port[0], port[1]]));
        }
        Ok(())
    }

    /// The peers collected.
    pub(crate) fn into_vec(self) -> Vec<SocketAddr> {
        self.peers
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_and_sync_and_its_futures_are_send() {
        fn send_sync<T: Send + Sync>() {}
        fn send<T: Send>(_: &T) {}
        send_sync::<TrackerClient>();
        let client = TrackerClient::new(TrackerConfig::default());
        let req = AnnounceRequest {
            info_hash: InfoHash([1; 20]),
            peer_id: PeerId([2; 20]),
            port: 1,
            uploaded: 0,
            downloaded: 0,
            left: 0,
            event: AnnounceEvent::None,
            num_want: None,
            key: 0,
        };
        // Never polled: only the type is checked.
        send(&client.announce("udp://127.0.0.1:1", &req));
        send(&client.scrape("http://127.0.0.1:1/announce", InfoHash([1; 20])));
    }

    #[test]
    fn parses_http_urls() {
        let u = TrackerUrl::parse("http://Tracker.Example.org:6969/announce?passkey=ab").unwrap();
        assert_eq!(u.scheme, Scheme::Http);
        assert_eq!(u.host, "tracker.example.org");
        assert_eq!(u.port, 6969);
        assert_eq!(u.path_and_query, "/announce?passkey=ab");
        assert_eq!(u.host_header(), "tracker.example.org:6969");

        let u = TrackerUrl::parse("HTTP://example.org").unwrap();
        assert_eq!((u.port, u.path_and_query.as_str()), (80, "/"));
        assert_eq!(u.host_header(), "example.org");

        let u = TrackerUrl::parse("http://example.org?x=1#frag").unwrap();
        assert_eq!(u.path_and_query, "/?x=1");

        let u = TrackerUrl::parse("http://[::1]:8080/a b\r\nX: y").unwrap();
        assert_eq!(u.host, "::1");
        assert_eq!(u.host_header(), "[::1]:8080");
        assert_eq!(u.path_and_query, "/a%20b%0D%0AX:%20y");

        let u = TrackerUrl::parse("http://example.org/ann/é").unwrap();
        assert_eq!(u.path_and_query, "/ann/%C3%A9");

        assert_eq!(
            TrackerUrl::parse("https://example.org/announce")
                .unwrap()
                .port,
            443
        );
    }

    #[test]
    fn parses_udp_urls() {
        let u = TrackerUrl::parse("udp://tracker.example:1337/announce").unwrap();
        assert_eq!(u.scheme, Scheme::Udp);
        assert_eq!((u.host.as_str(), u.port), ("tracker.example", 1337));
        let u = TrackerUrl::parse("udp://[2001:db8::1]:80").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("2001:db8::1", 80));
        assert!(matches!(
            TrackerUrl::parse("udp://tracker.example/announce"),
            Err(TrackerError::BadUrl(_))
        ));
    }

    #[test]
    fn rejects_bad_urls() {
        for bad in [
            "tracker.example/announce",
            "http://",
            "http:///announce",
            "http://host:0/",
            "http://host:70000/",
            "http://host:8x/",
            "http://user:pw@host/announce",
            "http://[::1/announce",
            "http://[not-v6]:80/",
            "http://[::1]x/",
            "http://ho st/",
            "http://hôst/",
        ] {
            assert!(
                matches!(TrackerUrl::parse(bad), Err(TrackerError::BadUrl(_))),
                "{bad}: {:?}",
                TrackerUrl::parse(bad)
            );
        }
        assert!(matches!(
            TrackerUrl::parse("wss://tracker.example"),
            Err(TrackerError::Unsupported(_))
        ));
    }

    #[test]
    fn appends_params_to_an_existing_query() {
        let with = |url: &str| TrackerUrl::parse(url).unwrap().with_params("a=1");
        assert_eq!(with("http://h/announce"), "/announce?a=1");
        assert_eq!(with("http://h/announce?pk=x"), "/announce?pk=x&a=1");
        assert_eq!(with("http://h/announce?"), "/announce?a=1");
        assert_eq!(with("http://h/announce?pk=x&"), "/announce?pk=x&a=1");
    }

    #[test]
    fn percent_encodes_per_rfc_3986() {
        assert_eq!(percent_encode(b"aZ09-._~"), "aZ09-._~");
        assert_eq!(percent_encode(b" /?&=%+"), "%20%2F%3F%26%3D%25%2B");
        assert_eq!(percent_encode(&[0x00, 0xff, 0x12]), "%00%FF%12");
        let hash = InfoHash::from_hex("0123456789abcdef0123456789abcdef01234567").unwrap();
        assert_eq!(
            percent_encode(&hash.0),
            "%01%23Eg%89%AB%CD%EF%01%23Eg%89%AB%CD%EF%01%23Eg"
        );
    }

    #[test]
    fn intervals_are_clamped() {
        assert_eq!(clamp_interval(None), DEFAULT_INTERVAL);
        assert_eq!(clamp_interval(Some(0)), DEFAULT_INTERVAL);
        assert_eq!(clamp_interval(Some(-5)), DEFAULT_INTERVAL);
        assert_eq!(clamp_interval(Some(1)), Duration::from_secs(1));
        assert_eq!(clamp_interval(Some(900)), Duration::from_secs(900));
        assert_eq!(clamp_interval(Some(i64::MAX)), MAX_INTERVAL);
    }

    #[test]
    fn compact_peer_lists() {
        let mut list = PeerList::default();
        list.add_compact(&[127, 0, 0, 1, 0x1a, 0xe1, 10, 0, 0, 2, 0, 80], false)
            .unwrap();
        let mut v6 = [0u8; 18];
        v6[15] = 1;
        v6[16..].copy_from_slice(&6881u16.to_be_bytes());
        list.add_compact(&v6, true).unwrap();
        assert_eq!(
            list.into_vec(),
            vec![
                "127.0.0.1:6881".parse().unwrap(),
                "10.0.0.2:80".parse().unwrap(),
                "[::1]:6881".parse().unwrap(),
            ]
        );
        let mut list = PeerList::default();
        assert!(list.add_compact(&[1, 2, 3, 4, 5], false).is_err());
        assert!(list.add_compact(&[0; 12], true).is_err());
        assert!(list.into_vec().is_empty());
    }

    #[test]
    fn peer_list_drops_junk_and_caps() {
        let mut list = PeerList::default();
        list.push("1.2.3.4".parse().unwrap(), 0);
        list.push("0.0.0.0".parse().unwrap(), 1);
        list.push("224.0.0.1".parse().unwrap(), 1);
        list.push("255.255.255.255".parse().unwrap(), 1);
        list.push("::".parse().unwrap(), 1);
        list.push("::ffff:1.2.3.4".parse().unwrap(), 5);
        list.push("1.2.3.4".parse().unwrap(), 5);
        assert_eq!(list.into_vec(), vec!["1.2.3.4:5".parse().unwrap()]);

        let mut list = PeerList::default();
        let mut bytes = Vec::new();
        for i in 0..(MAX_PEERS as u32 + 50) {
            bytes.extend_from_slice(&(0x0a00_0000 + i).to_be_bytes());
            bytes.extend_from_slice(&1u16.to_be_bytes());
        }
        list.add_compact(&bytes, false).unwrap();
        assert_eq!(list.into_vec().len(), MAX_PEERS);
    }

    #[tokio::test]
    async fn loopback_guard() {
        let limit = Duration::from_secs(5);
        let err = resolve("u", "192.0.2.1", 80, true, limit)
            .await
            .unwrap_err();
        assert_eq!(err, TrackerError::NotLoopback("u".into()));
        assert!(err.to_string().contains("BROOKLET_LOOPBACK_ONLY"));
        assert!(resolve("u", "2001:db8::1", 80, true, limit).await.is_err());
        assert!(resolve("u", "127.0.0.2", 80, true, limit).await.is_ok());
        assert!(resolve("u", "::1", 80, true, limit).await.is_ok());
        assert!(
            resolve("u", "::ffff:127.0.0.1", 80, true, limit)
                .await
                .is_ok()
        );
        let local = resolve("u", "localhost", 80, true, limit).await.unwrap();
        assert!(local.iter().all(|a| a.ip().is_loopback()));
        // Without the guard an address is returned untouched (and nothing is sent here).
        assert_eq!(
            resolve("u", "192.0.2.1", 80, false, limit).await.unwrap(),
            vec!["192.0.2.1:80".parse().unwrap()]
        );
    }

    #[test]
    fn error_messages() {
        let e = TrackerError::Failure("torrent not registered".into());
        assert_eq!(e.to_string(), "tracker says: torrent not registered");
        let e = TrackerError::io(
            "http://h/",
            &std::io::Error::from(std::io::ErrorKind::ConnectionRefused),
        );
        assert_eq!(e.to_string(), "tracker http://h/: connection refused");
        assert_eq!(
            TrackerError::NotLoopback("http://h/".into()).to_string(),
            "tracker http://h/: refusing to contact a non-loopback address because \
             BROOKLET_LOOPBACK_ONLY is set"
        );
    }
}
