//! UDP trackers (BEP 15): connect, announce, scrape and error packets, with retransmission.
//!
//! UDP trackers are the cheapest for both sides and the most common in public torrents. This
//! module owns the packet formats, the exchange loop (random transaction ids checked on every
//! reply, replies from any other address ignored, retransmission after `base · 2^n`), and the
//! cache of connection ids per tracker address (BEP 15: a connection id may be used for one
//! minute). It relies on the parent module for URLs, the loopback guard and peer lists, and
//! must not depend on anything above the engine's identity types. BEP 41 (URL data in UDP
//! announces) is not implemented: the path of a `udp://` URL is ignored.

use super::{
    AnnounceRequest, AnnounceResponse, PeerList, ScrapeStats, TrackerConfig, TrackerError,
    TrackerUrl, clamp_interval, lock, resolve,
};
use crate::engine::InfoHash;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::net::UdpSocket;

/// The magic constant that opens a connect request (BEP 15).
pub const PROTOCOL_ID: u64 = 0x0417_2710_1980;
/// Action numbers (BEP 15).
pub const ACTION_CONNECT: u32 = 0;
/// Announce action.
pub const ACTION_ANNOUNCE: u32 = 1;
/// Scrape action.
pub const ACTION_SCRAPE: u32 = 2;
/// Error action: the rest of the packet is a message.
pub const ACTION_ERROR: u32 = 3;
/// How long a connection id may be used (BEP 15: "until one minute after it has received it").
pub const CONNECTION_ID_TTL: Duration = Duration::from_secs(60);
/// BEP 15 stops doubling the wait at n = 8.
const MAX_BACKOFF_EXPONENT: u32 = 8;
/// Remembered tracker addresses before expired entries are swept.
const MAX_CACHED_CONNECTIONS: usize = 1024;
/// Largest datagram we read (the UDP maximum).
const MAX_DATAGRAM: usize = 65_536;

/// Connection ids per tracker address, each with the time it was received.
#[derive(Debug, Default)]
pub(crate) struct ConnectionCache {
    ids: Mutex<HashMap<SocketAddr, (u64, Instant)>>,
}

impl ConnectionCache {
    /// A connection id for `addr` received less than [`CONNECTION_ID_TTL`] ago.
    fn get(&self, addr: SocketAddr) -> Option<(u64, Instant)> {
        lock(&self.ids)
            .get(&addr)
            .copied()
            .filter(|(_, at)| at.elapsed() < CONNECTION_ID_TTL)
    }

    fn put(&self, addr: SocketAddr, id: u64, at: Instant) {
        let mut ids = lock(&self.ids);
        if ids.len() >= MAX_CACHED_CONNECTIONS {
            ids.retain(|_, (_, t)| t.elapsed() < CONNECTION_ID_TTL);
            if ids.len() >= MAX_CACHED_CONNECTIONS {
                ids.clear();
            }
        }
        ids.insert(addr, (id, at));
    }

    fn forget(&self, addr: SocketAddr) {
        lock(&self.ids).remove(&addr);
    }
}

/// A connect request: protocol id, action 0, transaction id (16 bytes).
pub fn connect_request(transaction_id: u32) -> Vec<u8> {
    let mut p = Vec::with_capacity(16);
    p.extend_from_slice(&PROTOCOL_ID.to_be_bytes());
    p.extend_from_slice(&ACTION_CONNECT.to_be_bytes());
    p.extend_from_slice(&transaction_id.to_be_bytes());
    p
}

/// An announce request (98 bytes): connection id, action 1, transaction id, info-hash, peer id,
/// downloaded, left, uploaded, event, IP 0 (the sender's), key, num_want (-1 = default), port.
pub fn announce_request(connection_id: u64, transaction_id: u32, req: &AnnounceRequest) -> Vec<u8> {
    let mut p = Vec::with_capacity(98);
    p.extend_from_slice(&connection_id.to_be_bytes());
    p.extend_from_slice(&ACTION_ANNOUNCE.to_be_bytes());
    p.extend_from_slice(&transaction_id.to_be_bytes());
    p.extend_from_slice(&req.info_hash.0);
    p.extend_from_slice(&req.peer_id.0);
    p.extend_from_slice(&req.downloaded.to_be_bytes());
    p.extend_from_slice(&req.left.to_be_bytes());
    p.extend_from_slice(&req.uploaded.to_be_bytes());
    p.extend_from_slice(&req.event.udp_code().to_be_bytes());
    p.extend_from_slice(&0u32.to_be_bytes());
    p.extend_from_slice(&req.key.to_be_bytes());
    let num_want = req
        .num_want
        .map_or(-1, |n| i32::try_from(n).unwrap_or(i32::MAX));
    p.extend_from_slice(&num_want.to_be_bytes());
    p.extend_from_slice(&req.port.to_be_bytes());
    p
}

/// A scrape request for one torrent (36 bytes).
pub fn scrape_request(connection_id: u64, transaction_id: u32, info_hash: InfoHash) -> Vec<u8> {
    let mut p = Vec::with_capacity(36);
    p.extend_from_slice(&connection_id.to_be_bytes());
    p.extend_from_slice(&ACTION_SCRAPE.to_be_bytes());
    p.extend_from_slice(&transaction_id.to_be_bytes());
    p.extend_from_slice(&info_hash.0);
    p
}

/// The shortest valid reply for an action (BEP 15): connect 16, announce 20, scrape 8 + 12 for
/// our one torrent, error 8.
fn min_reply_len(action: u32) -> usize {
    match action {
        ACTION_CONNECT => 16,
        ACTION_ANNOUNCE | ACTION_SCRAPE => 20,
        _ => 8,
    }
}

fn be_u32(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    if let Some(s) = b.get(at..at + 4) {
        a.copy_from_slice(s);
    }
    u32::from_be_bytes(a)
}

fn be_u64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    if let Some(s) = b.get(at..at + 8) {
        a.copy_from_slice(s);
    }
    u64::from_be_bytes(a)
}

/// Judges a datagram from the tracker while we wait for `action` with `transaction_id`:
/// `Ok(None)` to ignore it (another transaction), `Ok(Some(packet))` when it is the awaited reply
/// (length checked), `Err` for an error action ([`TrackerError::Failure`]) or a packet that
/// breaks the protocol ([`TrackerError::BadResponse`]).
pub fn check_reply<'a>(
    url: &str,
    packet: &'a [u8],
    action: u32,
    transaction_id: u32,
) -> Result<Option<&'a [u8]>, TrackerError> {
    if packet.len() < 8 {
        return Err(TrackerError::bad(
            url,
            format!(
                "UDP packet of {} bytes, shorter than any reply",
                packet.len()
            ),
        ));
    }
    if be_u32(packet, 4) != transaction_id {
        return Ok(None);
    }
    let got = be_u32(packet, 0);
    if got == ACTION_ERROR {
        let text = String::from_utf8_lossy(&packet[8..]);
        let text: String = text
            .trim_end_matches('\0')
            .trim()
            .chars()
            .take(1024)
            .collect();
        return Err(TrackerError::Failure(if text.is_empty() {
            "unspecified error".to_owned()
        } else {
            text
        }));
    }
    if got != action {
        return Err(TrackerError::bad(
            url,
            format!("UDP reply with action {got}, expected {action}"),
        ));
    }
    if packet.len() < min_reply_len(action) {
        return Err(TrackerError::bad(
            url,
            format!(
                "UDP reply of {} bytes, shorter than the {} of action {action}",
                packet.len(),
                min_reply_len(action)
            ),
        ));
    }
    Ok(Some(packet))
}

/// Decodes a checked announce reply: interval, leechers, seeders, then 6-byte (IPv4 tracker) or
/// 18-byte (IPv6 tracker) peers — BEP 15 lets the tracker's address family decide.
pub fn parse_announce_reply(
    url: &str,
    packet: &[u8],
    ipv6: bool,
) -> Result<AnnounceResponse, TrackerError> {
    if packet.len() < 20 {
        return Err(TrackerError::bad(
            url,
            "UDP announce reply shorter than 20 bytes",
        ));
    }
    let mut peers = PeerList::default();
    peers
        .add_compact(&packet[20..], ipv6)
        .map_err(|e| TrackerError::bad(url, e))?;
    Ok(AnnounceResponse {
        interval: clamp_interval(Some(i64::from(be_u32(packet, 8)))),
        min_interval: None,
        peers: peers.into_vec(),
        leechers: Some(be_u32(packet, 12)),
        seeders: Some(be_u32(packet, 16)),
        warning: None,
        tracker_id: None,
    })
}

/// Decodes a checked scrape reply for one torrent: seeders, completed, leechers.
pub fn parse_scrape_reply(url: &str, packet: &[u8]) -> Result<ScrapeStats, TrackerError> {
    if packet.len() < 20 {
        return Err(TrackerError::bad(
            url,
            "UDP scrape reply shorter than 20 bytes",
        ));
    }
    Ok(ScrapeStats {
        complete: be_u32(packet, 8),
        downloaded: be_u32(packet, 12),
        incomplete: be_u32(packet, 16),
    })
}

/// Announces over UDP (BEP 15).
pub(crate) async fn announce(
    config: &TrackerConfig,
    cache: &ConnectionCache,
    url: &str,
    parsed: &TrackerUrl,
    req: &AnnounceRequest,
) -> Result<AnnounceResponse, TrackerError> {
    let (socket, addr) = open(config, url, parsed).await?;
    let packet = exchange(
        config,
        cache,
        url,
        &socket,
        addr,
        ACTION_ANNOUNCE,
        |conn, tx| announce_request(conn, tx, req),
    )
    .await?;
    parse_announce_reply(url, &packet, addr.is_ipv6())
}

/// Scrapes one torrent over UDP (BEP 15).
pub(crate) async fn scrape(
    config: &TrackerConfig,
    cache: &ConnectionCache,
    url: &str,
    parsed: &TrackerUrl,
    info_hash: InfoHash,
) -> Result<ScrapeStats, TrackerError> {
    let (socket, addr) = open(config, url, parsed).await?;
    let packet = exchange(
        config,
        cache,
        url,
        &socket,
        addr,
        ACTION_SCRAPE,
        |conn, tx| scrape_request(conn, tx, info_hash),
    )
    .await?;
    parse_scrape_reply(url, &packet)
}

/// Resolves the tracker (loopback guard first) and opens a socket connected to its first
/// address, so the system reports an unreachable port as "connection refused".
async fn open(
    config: &TrackerConfig,
    url: &str,
    parsed: &TrackerUrl,
) -> Result<(UdpSocket, SocketAddr), TrackerError> {
    let addrs = resolve(
        url,
        &parsed.host,
        parsed.port,
        config.loopback_only,
        config.http_timeout,
    )
    .await?;
    let addr = *addrs.first().ok_or_else(|| TrackerError::Io {
        url: url.to_owned(),
        message: "no address".to_owned(),
    })?;
    let local: SocketAddr = if addr.is_ipv6() {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    } else {
        (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(local)
        .await
        .map_err(|e| TrackerError::io(url, &e))?;
    socket
        .connect(addr)
        .await
        .map_err(|e| TrackerError::io(url, &e))?;
    Ok((socket, addr))
}

/// The wait after the `n`-th send: `base · 2^n`, n capped at 8 (BEP 15).
pub fn backoff(base: Duration, n: u32) -> Duration {
    base.saturating_mul(1u32 << n.min(MAX_BACKOFF_EXPONENT))
}

/// Obtains a connection id (cached or by a connect exchange), then sends the request built by
/// `build(connection_id, transaction_id)` until a reply for `action` arrives. Every unanswered
/// send counts against `config.udp_retries`, the connect exchange included; a connection id that
/// ages past one minute during retransmissions is renewed first.
async fn exchange(
    config: &TrackerConfig,
    cache: &ConnectionCache,
    url: &str,
    socket: &UdpSocket,
    addr: SocketAddr,
    action: u32,
    build: impl Fn(u64, u32) -> Vec<u8>,
) -> Result<Vec<u8>, TrackerError> {
    let result = exchange_inner(config, cache, url, socket, addr, action, build).await;
    if result.is_err() {
        // A refused or unanswered request may mean the tracker forgot us: connect afresh.
        cache.forget(addr);
    }
    result
}

async fn exchange_inner(
    config: &TrackerConfig,
    cache: &ConnectionCache,
    url: &str,
    socket: &UdpSocket,
    addr: SocketAddr,
    action: u32,
    build: impl Fn(u64, u32) -> Vec<u8>,
) -> Result<Vec<u8>, TrackerError> {
    let mut sends = 0u32;
    let mut connection = cache.get(addr);
    // The request in flight: (connection id it was built with or None for connect, tx, bytes).
    let mut in_flight: Option<(Option<u64>, u32, Vec<u8>)> = None;
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        if connection.is_some_and(|(_, at)| at.elapsed() >= CONNECTION_ID_TTL) {
            connection = None;
        }
        let conn_id = connection.map(|(id, _)| id);
        let reuse = matches!(&in_flight, Some((c, _, _)) if *c == conn_id);
        if !reuse {
            let tx: u32 = rand::random();
            let packet = match conn_id {
                Some(id) => build(id, tx),
                None => connect_request(tx),
            };
            in_flight = Some((conn_id, tx, packet));
        }
        let Some((_, tx, packet)) = &in_flight else {
            continue;
        };
        let tx = *tx;
        if sends > config.udp_retries {
            return Err(TrackerError::Timeout(url.to_owned()));
        }
        let wait = backoff(config.udp_base_timeout, sends);
        sends += 1;
        socket
            .send(packet)
            .await
            .map_err(|e| TrackerError::io(url, &e))?;
        let expected = if conn_id.is_some() {
            action
        } else {
            ACTION_CONNECT
        };
        let Some(reply) = receive(url, socket, addr, expected, tx, wait, &mut buf).await? else {
            continue;
        };
        if conn_id.is_none() {
            let id = be_u64(&reply, 8);
            let now = Instant::now();
            cache.put(addr, id, now);
            connection = Some((id, now));
            // A fresh request: the connect reply does not use up a retry.
            sends = sends.saturating_sub(1);
            continue;
        }
        return Ok(reply);
    }
}

/// Waits up to `wait` for the reply with `tx` from `addr`; `None` when none came in time.
async fn receive(
    url: &str,
    socket: &UdpSocket,
    addr: SocketAddr,
    action: u32,
    tx: u32,
    wait: Duration,
    buf: &mut [u8],
) -> Result<Option<Vec<u8>>, TrackerError> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let (n, from) = match tokio::time::timeout_at(deadline, socket.recv_from(buf)).await {
            Err(_) => return Ok(None),
            Ok(Err(e)) => return Err(TrackerError::io(url, &e)),
            Ok(Ok(got)) => got,
        };
        if from != addr {
            continue;
        }
        if let Some(packet) = check_reply(url, &buf[..n], action, tx)? {
            return Ok(Some(packet.to_vec()));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::engine::PeerId;
    use crate::engine::tracker::AnnounceEvent;

    const URL: &str = "udp://t.example:1337";

    fn reply(action: u32, tx: u32, rest: &[u8]) -> Vec<u8> {
        let mut p = action.to_be_bytes().to_vec();
        p.extend_from_slice(&tx.to_be_bytes());
        p.extend_from_slice(rest);
        p
    }

    #[test]
    fn request_layouts() {
        let c = connect_request(0x0102_0304);
        assert_eq!(
            c,
            [
                0, 0, 4, 0x17, 0x27, 0x10, 0x19, 0x80, 0, 0, 0, 0, 1, 2, 3, 4
            ]
        );
        let req = AnnounceRequest {
            info_hash: InfoHash([0xaa; 20]),
            peer_id: PeerId([0xbb; 20]),
            port: 6881,
            uploaded: 3,
            downloaded: 1,
            left: 2,
            event: AnnounceEvent::Started,
            num_want: None,
            key: 0xdead_beef,
        };
        let a = announce_request(7, 9, &req);
        assert_eq!(a.len(), 98);
        assert_eq!(be_u64(&a, 0), 7);
        assert_eq!(be_u32(&a, 8), ACTION_ANNOUNCE);
        assert_eq!(be_u32(&a, 12), 9);
        assert_eq!(&a[16..36], &[0xaa; 20]);
        assert_eq!(&a[36..56], &[0xbb; 20]);
        assert_eq!((be_u64(&a, 56), be_u64(&a, 64), be_u64(&a, 72)), (1, 2, 3));
        assert_eq!(be_u32(&a, 80), 2);
        assert_eq!(be_u32(&a, 84), 0);
        assert_eq!(be_u32(&a, 88), 0xdead_beef);
        assert_eq!(be_u32(&a, 92), u32::MAX);
        assert_eq!(&a[96..], &6881u16.to_be_bytes());
        let mut req = req;
        req.num_want = Some(u32::MAX);
        assert_eq!(be_u32(&announce_request(7, 9, &req), 92), i32::MAX as u32);
        let s = scrape_request(7, 9, InfoHash([0xcc; 20]));
        assert_eq!(s.len(), 36);
        assert_eq!(be_u32(&s, 8), ACTION_SCRAPE);
    }

    #[test]
    fn malformed_replies() {
        // Too short to hold even an action and a transaction id.
        assert!(matches!(
            check_reply(URL, &[0, 0, 0], ACTION_CONNECT, 1),
            Err(TrackerError::BadResponse { .. })
        ));
        // Another transaction: ignored.
        assert_eq!(
            check_reply(URL, &reply(ACTION_CONNECT, 2, &[0; 8]), ACTION_CONNECT, 1).unwrap(),
            None
        );
        // Right transaction, but cut short.
        assert!(matches!(
            check_reply(URL, &reply(ACTION_CONNECT, 1, &[0; 7]), ACTION_CONNECT, 1),
            Err(TrackerError::BadResponse { .. })
        ));
        assert!(matches!(
            check_reply(
                URL,
                &reply(ACTION_ANNOUNCE, 1, &[0; 11]),
                ACTION_ANNOUNCE,
                1
            ),
            Err(TrackerError::BadResponse { .. })
        ));
        assert!(matches!(
            check_reply(URL, &reply(ACTION_SCRAPE, 1, &[0; 4]), ACTION_SCRAPE, 1),
            Err(TrackerError::BadResponse { .. })
        ));
        // Wrong action.
        assert!(matches!(
            check_reply(URL, &reply(ACTION_SCRAPE, 1, &[0; 12]), ACTION_ANNOUNCE, 1),
            Err(TrackerError::BadResponse { .. })
        ));
        // Error action, with and without text.
        assert_eq!(
            check_reply(
                URL,
                &reply(ACTION_ERROR, 1, b"go away\0"),
                ACTION_ANNOUNCE,
                1
            ),
            Err(TrackerError::Failure("go away".into()))
        );
        assert_eq!(
            check_reply(URL, &reply(ACTION_ERROR, 1, b""), ACTION_ANNOUNCE, 1),
            Err(TrackerError::Failure("unspecified error".into()))
        );
        // Good ones.
        let ok = reply(ACTION_CONNECT, 1, &42u64.to_be_bytes());
        assert_eq!(
            check_reply(URL, &ok, ACTION_CONNECT, 1).unwrap(),
            Some(ok.as_slice())
        );
    }

    #[test]
    fn announce_replies() {
        let mut rest = Vec::new();
        rest.extend_from_slice(&120u32.to_be_bytes());
        rest.extend_from_slice(&4u32.to_be_bytes());
        rest.extend_from_slice(&5u32.to_be_bytes());
        rest.extend_from_slice(&[127, 0, 0, 1, 0x1a, 0xe1]);
        let r = parse_announce_reply(URL, &reply(1, 0, &rest), false).unwrap();
        assert_eq!(r.interval, Duration::from_secs(120));
        assert_eq!((r.leechers, r.seeders), (Some(4), Some(5)));
        assert_eq!(r.peers, vec!["127.0.0.1:6881".parse().unwrap()]);
        // Six bytes are not one IPv6 peer.
        assert!(parse_announce_reply(URL, &reply(1, 0, &rest), true).is_err());
        rest.push(0);
        assert!(parse_announce_reply(URL, &reply(1, 0, &rest), false).is_err());
        // Interval 0 falls back to the default.
        let r = parse_announce_reply(URL, &reply(1, 0, &[0; 12]), true).unwrap();
        assert_eq!(r.interval, crate::engine::tracker::DEFAULT_INTERVAL);
        assert!(r.peers.is_empty());
        assert!(parse_announce_reply(URL, &[0; 19], false).is_err());
    }

    #[test]
    fn scrape_replies() {
        let mut rest = Vec::new();
        for n in [3u32, 9, 4] {
            rest.extend_from_slice(&n.to_be_bytes());
        }
        assert_eq!(
            parse_scrape_reply(URL, &reply(2, 0, &rest)).unwrap(),
            ScrapeStats {
                complete: 3,
                downloaded: 9,
                incomplete: 4
            }
        );
        assert!(parse_scrape_reply(URL, &reply(2, 0, &rest[..8])).is_err());
    }

    #[test]
    fn backoff_doubles_up_to_bep15_limit() {
        let base = Duration::from_secs(15);
        assert_eq!(backoff(base, 0), Duration::from_secs(15));
        assert_eq!(backoff(base, 3), Duration::from_secs(120));
        assert_eq!(backoff(base, 8), Duration::from_secs(3840));
        assert_eq!(backoff(base, 30), Duration::from_secs(3840));
    }

    #[test]
    fn connection_cache_expires() {
        let cache = ConnectionCache::default();
        let addr: SocketAddr = "127.0.0.1:1".parse().unwrap();
        cache.put(addr, 5, Instant::now());
        assert_eq!(cache.get(addr).map(|(id, _)| id), Some(5));
        if let Some(old) = Instant::now().checked_sub(CONNECTION_ID_TTL) {
            cache.put(addr, 6, old);
            assert_eq!(cache.get(addr), None);
        }
        cache.put(addr, 7, Instant::now());
        cache.forget(addr);
        assert_eq!(cache.get(addr), None);
    }
}
