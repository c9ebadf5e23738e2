//! BEP 11 peer exchange (ut_pex): the message, and what we have told each peer so far.
//!
//! PEX lets connected peers tell each other about the rest of the swarm, which matters most for
//! magnet links and private-tracker-free swarms where trackers are slow or absent. A message lists
//! peers added and dropped since the previous one, in the compact form of trackers (6 bytes per
//! IPv4 peer, 18 per IPv6), with one flag byte per added peer.
//!
//! Incoming lists come from strangers and may be used to steer our connections, so
//! [`PexMsg::decode`] keeps at most [`MAX_PEX_DECODED`] entries per list and drops addresses
//! nobody can connect to; the caller still decides whom to dial. [`PexState`] keeps us within
//! BEP 11's limits when sending: one message per [`PEX_INTERVAL`], at most [`MAX_PEX_ADDED`]
//! added and [`MAX_PEX_DROPPED`] dropped peers per address family. It depends on nothing but the
//! bencode gate; the torrent task owns the peer list and the clock.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_bencode::value::Value;

use super::extension::{ExtError, ip_from_bytes, opt_bytes};
use crate::engine::bencode::{self, Limits, get};

/// BEP 11: no more than one PEX message a minute to each peer.
pub const PEX_INTERVAL: Duration = Duration::from_secs(60);
/// BEP 11: at most 50 added peers per message (we apply it per address family).
pub const MAX_PEX_ADDED: usize = 50;
/// At most 50 dropped peers per message, per address family.
pub const MAX_PEX_DROPPED: usize = 50;
/// Most entries read from one incoming list; the rest are ignored (libtorrent reads 200).
pub const MAX_PEX_DECODED: usize = 200;

/// BEP 11 `added.f` flag bits.
pub mod flags {
    /// The peer prefers encrypted connections.
    pub const ENCRYPTION: u8 = 0x01;
    /// The peer is a seed (or upload only).
    pub const SEED: u8 = 0x02;
    /// The peer supports uTP.
    pub const UTP: u8 = 0x04;
    /// The peer supports the ut_holepunch extension.
    pub const HOLEPUNCH: u8 = 0x08;
    /// The address was reached by an outgoing connection, so it is known to be connectable.
    pub const OUTGOING: u8 = 0x10;
}

/// A ut_pex message: peers added (with their flags) and dropped since the previous one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PexMsg {
    pub added: Vec<(SocketAddr, u8)>,
    pub dropped: Vec<SocketAddr>,
}

impl PexMsg {
    /// The bencoded payload with all six keys (`added`, `added.f`, `dropped`, `added6`,
    /// `added6.f`, `dropped6`), lists possibly empty. IPv4-mapped IPv6 addresses go in the IPv4
    /// lists. No cap is applied here; [`PexState`] applies them.
    pub fn encode(&self) -> Bytes {
        let (mut added, mut added_f, mut added6, mut added6_f) = (vec![], vec![], vec![], vec![]);
        for &(addr, f) in &self.added {
            if push_compact(&mut added, &mut added6, addr) {
                added_f.push(f);
            } else {
                added6_f.push(f);
            }
        }
        let (mut dropped, mut dropped6) = (vec![], vec![]);
        for &addr in &self.dropped {
            push_compact(&mut dropped, &mut dropped6, addr);
        }
        let d: HashMap<Vec<u8>, Value> = [
            ("added", added),
            ("added.f", added_f),
            ("dropped", dropped),
            ("added6", added6),
            ("added6.f", added6_f),
            ("dropped6", dropped6),
        ]
        .into_iter()
        .map(|(k, v)| (k.as_bytes().to_vec(), Value::Bytes(v)))
        .collect();
        Bytes::from(bencode::encode(&Value::Dict(d)))
    }

    /// Reads a ut_pex payload. Lists whose length is not a multiple of the entry size are
    /// refused; at most [`MAX_PEX_DECODED`] entries of each list are read; entries with port 0
    /// or an unspecified address are skipped; a flags string shorter than its list gives the
    /// remaining peers flags 0. Unknown keys are ignored.
    pub fn decode(payload: &[u8]) -> Result<PexMsg, ExtError> {
        let (value, _) = bencode::decode(payload, Limits::MESSAGE)?;
        let d = get::dict(&value).ok_or(ExtError::NotADictionary)?;
        let mut msg = PexMsg::default();
        for (list, flag_list, entry) in [("added", "added.f", 6), ("added6", "added6.f", 18)] {
            let addrs = compact_peers(opt_bytes(d, list)?, entry, list)?;
            let flags = opt_bytes(d, flag_list)?.unwrap_or_default();
            msg.added.extend(
                addrs
                    .into_iter()
                    .filter_map(|(i, a)| a.map(|a| (a, flags.get(i).copied().unwrap_or(0)))),
            );
        }
        for (list, entry) in [("dropped", 6), ("dropped6", 18)] {
            let addrs = compact_peers(opt_bytes(d, list)?, entry, list)?;
            msg.dropped.extend(addrs.into_iter().filter_map(|(_, a)| a));
        }
        Ok(msg)
    }
}

/// Appends `addr` in compact form to the IPv4 or IPv6 list; returns true for IPv4.
fn push_compact(v4: &mut Vec<u8>, v6: &mut Vec<u8>, addr: SocketAddr) -> bool {
    match normalize(addr) {
        SocketAddr::V4(a) => {
            v4.extend_from_slice(&a.ip().octets());
            v4.extend_from_slice(&a.port().to_be_bytes());
            true
        }
        SocketAddr::V6(a) => {
            v6.extend_from_slice(&a.ip().octets());
            v6.extend_from_slice(&a.port().to_be_bytes());
            false
        }
    }
}

/// Splits a compact list into at most [`MAX_PEX_DECODED`] entries, each with its position (for
/// the flags) and its address (`None` when no one could connect to it).
fn compact_peers(
    raw: Option<&[u8]>,
    entry: usize,
    field: &'static str,
) -> Result<Vec<(usize, Option<SocketAddr>)>, ExtError> {
    let raw = raw.unwrap_or_default();
    if !raw.len().is_multiple_of(entry) {
        return Err(ExtError::BadLength {
            field,
            len: raw.len(),
        });
    }
    Ok(raw
        .chunks_exact(entry)
        .take(MAX_PEX_DECODED)
        .enumerate()
        .map(|(i, chunk)| {
            let (ip, port) = chunk.split_at(entry - 2);
            let port = u16::from_be_bytes([port[0], port[1]]);
            let addr = ip_from_bytes(ip)
                .map(|ip| SocketAddr::new(ip, port))
                .filter(is_connectable);
            (i, addr)
        })
        .collect())
}

fn is_connectable(addr: &SocketAddr) -> bool {
    addr.port() != 0 && !addr.ip().is_unspecified()
}

/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) as the IPv4 addresses they are.
fn normalize(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => SocketAddr::new(IpAddr::V4(v4), addr.port()),
            None => addr,
        },
        IpAddr::V4(_) => addr,
    }
}

/// Per-peer PEX sender state: what we told this peer so far.
///
/// Invariant: `told` holds exactly the peers this peer has heard about as added and not since as
/// dropped, so the next message is the difference between it and the connected peers.
#[derive(Debug, Clone, Default)]
pub struct PexState {
    /// When the last message went out (`None`: never).
    last_sent: Option<Instant>,
    /// Peers we announced, with the flags we announced them with.
    told: BTreeMap<SocketAddr, u8>,
}

impl PexState {
    pub fn new() -> Self {
        Self::default()
    }

    /// Given the torrent's connected peers (the addresses they listen on, with their flags),
    /// the message to send to this peer now: `None` when the last one was less than
    /// [`PEX_INTERVAL`] ago or nothing changed. The first message lists the connected peers,
    /// later ones the difference; each holds at most [`MAX_PEX_ADDED`] added and
    /// [`MAX_PEX_DROPPED`] dropped peers per address family, the rest waiting for the next
    /// message. The receiving peer (`exclude`) is never listed.
    pub fn poll(
        &mut self,
        now: Instant,
        connected: &[(SocketAddr, u8)],
        exclude: SocketAddr,
    ) -> Option<PexMsg> {
        if let Some(last) = self.last_sent
            && now.saturating_duration_since(last) < PEX_INTERVAL
        {
            return None;
        }
        let exclude = normalize(exclude);
        let mut current: HashSet<SocketAddr> = HashSet::with_capacity(connected.len());
        let mut msg = PexMsg::default();
        let (mut added4, mut added6) = (0usize, 0usize);
        for &(addr, f) in connected {
            let addr = normalize(addr);
            if addr == exclude || !is_connectable(&addr) || !current.insert(addr) {
                continue;
            }
            if self.told.contains_key(&addr) {
                continue;
            }
            let count = if addr.is_ipv4() {
                &mut added4
            } else {
                &mut added6
            };
            if *count < MAX_PEX_ADDED {
                *count += 1;
                msg.added.push((addr, f));
            }
        }
        let (mut dropped4, mut dropped6) = (0usize, 0usize);
        for addr in self.told.keys() {
            if current.contains(addr) {
                continue;
            }
            let count = if addr.is_ipv4() {
                &mut dropped4
            } else {
                &mut dropped6
            };
            if *count < MAX_PEX_DROPPED {
                *count += 1;
                msg.dropped.push(*addr);
            }
        }
        if msg.added.is_empty() && msg.dropped.is_empty() {
            return None;
        }
        for addr in &msg.dropped {
            self.told.remove(addr);
        }
        self.told.extend(msg.added.iter().copied());
        self.last_sent = Some(now);
        Some(msg)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn v4(n: u16) -> SocketAddr {
        SocketAddr::from(([10, 0, (n >> 8) as u8, n as u8], 6881))
    }

    fn v6(n: u16) -> SocketAddr {
        SocketAddr::from(([0x2001, 0xdb8, 0, 0, 0, 0, 0, n], 6881))
    }

    #[test]
    fn reads_a_real_message() {
        // Two IPv4 peers (one outgoing+seed), one dropped, empty IPv6 lists as libtorrent sends.
        let mut payload = b"d5:added12:".to_vec();
        payload.extend_from_slice(&[192, 168, 1, 10, 0x1a, 0xe1, 10, 0, 0, 2, 0xc8, 0xd5]);
        payload.extend_from_slice(b"7:added.f2:\x12\x006:added60:8:added6.f0:7:dropped6:");
        payload.extend_from_slice(&[1, 2, 3, 4, 0, 80]);
        payload.extend_from_slice(b"8:dropped60:e");
        let msg = PexMsg::decode(&payload).unwrap();
        assert_eq!(
            msg.added,
            vec![
                ("192.168.1.10:6881".parse().unwrap(), 0x12),
                ("10.0.0.2:51413".parse().unwrap(), 0)
            ]
        );
        assert_eq!(msg.dropped, vec!["1.2.3.4:80".parse().unwrap()]);
    }

    #[test]
    fn round_trips_both_families() {
        let msg = PexMsg {
            added: vec![
                (v4(1), flags::SEED | flags::OUTGOING),
                (v4(2), 0),
                (v6(3), flags::UTP),
            ],
            dropped: vec![v6(4), v4(5)],
        };
        let back = PexMsg::decode(&msg.encode()).unwrap();
        // Decoding groups by family: IPv4 first.
        assert_eq!(back.added, msg.added);
        assert_eq!(back.dropped, vec![v4(5), v6(4)]);
        assert_eq!(
            PexMsg::decode(&PexMsg::default().encode()).unwrap(),
            PexMsg::default()
        );
        assert_eq!(
            &PexMsg::default().encode()[..],
            b"d5:added0:7:added.f0:6:added60:8:added6.f0:7:dropped0:8:dropped60:e"
        );
    }

    #[test]
    fn mapped_ipv6_addresses_travel_as_ipv4() {
        let mapped: SocketAddr = "[::ffff:10.1.2.3]:7000".parse().unwrap();
        let msg = PexMsg {
            added: vec![(mapped, 1)],
            dropped: vec![],
        };
        let back = PexMsg::decode(&msg.encode()).unwrap();
        assert_eq!(back.added, vec![("10.1.2.3:7000".parse().unwrap(), 1)]);
    }

    #[test]
    fn refuses_malformed_lists() {
        let bad = |key: &str, len: usize| {
            let mut p = format!("d{}:{key}{len}:", key.len()).into_bytes();
            p.extend(std::iter::repeat_n(1u8, len));
            p.push(b'e');
            PexMsg::decode(&p)
        };
        assert!(matches!(
            bad("added", 6 * 4 + 3),
            Err(ExtError::BadLength {
                field: "added",
                len: 27
            })
        ));
        assert!(matches!(
            bad("dropped", 5),
            Err(ExtError::BadLength {
                field: "dropped",
                ..
            })
        ));
        assert!(matches!(
            bad("added6", 18 + 6),
            Err(ExtError::BadLength {
                field: "added6",
                ..
            })
        ));
        assert!(matches!(
            bad("dropped6", 17),
            Err(ExtError::BadLength {
                field: "dropped6",
                ..
            })
        ));
        assert_eq!(PexMsg::decode(b"le"), Err(ExtError::NotADictionary));
        assert_eq!(
            PexMsg::decode(b"d5:addedi1ee"),
            Err(ExtError::WrongType("added"))
        );
        assert_eq!(
            PexMsg::decode(b"d7:added.fli1eee"),
            Err(ExtError::WrongType("added.f"))
        );
        assert!(matches!(
            PexMsg::decode(b"d5:added"),
            Err(ExtError::Bencode(_))
        ));
        // Unknown keys are fine.
        assert_eq!(PexMsg::decode(b"d3:fooi1ee").unwrap(), PexMsg::default());
    }

    #[test]
    fn huge_lists_are_capped() {
        let mut p = b"d5:added60000:".to_vec();
        for i in 0..10_000u32 {
            p.extend_from_slice(&(0x0a00_0000 + i + 1).to_be_bytes());
            p.extend_from_slice(&6881u16.to_be_bytes());
        }
        p.extend_from_slice(b"7:dropped60000:");
        p.extend(std::iter::repeat_n(7u8, 60_000));
        p.push(b'e');
        let msg = PexMsg::decode(&p).unwrap();
        assert_eq!(msg.added.len(), MAX_PEX_DECODED);
        assert_eq!(msg.dropped.len(), MAX_PEX_DECODED);
        assert_eq!(msg.added[0], ("10.0.0.1:6881".parse().unwrap(), 0));
    }

    #[test]
    fn short_flags_mean_zero_and_unusable_addresses_are_skipped() {
        let mut p = b"d5:added18:".to_vec();
        p.extend_from_slice(&[1, 1, 1, 1, 0, 1]);
        p.extend_from_slice(&[0, 0, 0, 0, 0, 2]); // unspecified address
        p.extend_from_slice(&[3, 3, 3, 3, 0, 0]); // port 0
        p.extend_from_slice(b"7:added.f1:\x02");
        p.extend_from_slice(b"6:added636:");
        p.extend_from_slice(&[0; 18]); // [::]:0
        p.extend_from_slice(&[
            0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0x1a, 0xe1,
        ]);
        p.extend_from_slice(b"8:added6.f3:\x01\x04\x08e");
        let msg = PexMsg::decode(&p).unwrap();
        assert_eq!(
            msg.added,
            vec![
                ("1.1.1.1:1".parse().unwrap(), flags::SEED),
                ("[2001:db8::9]:6881".parse().unwrap(), flags::UTP)
            ]
        );
    }

    #[test]
    fn first_message_lists_connected_peers_then_waits_the_interval() {
        let me = v4(100);
        let mut state = PexState::new();
        let t0 = Instant::now();
        let connected = vec![(v4(1), flags::SEED), (me, 0), (v6(2), 0), (v4(1), 0)];
        let first = state.poll(t0, &connected, me).unwrap();
        assert_eq!(first.added, vec![(v4(1), flags::SEED), (v6(2), 0)]);
        assert!(first.dropped.is_empty());

        let changed = vec![(v4(3), 0), (me, 0)];
        assert_eq!(state.poll(t0 + PEX_INTERVAL / 2, &changed, me), None);
        assert_eq!(
            state.poll(t0 + PEX_INTERVAL - Duration::from_millis(1), &changed, me),
            None
        );
        let diff = state.poll(t0 + PEX_INTERVAL, &changed, me).unwrap();
        assert_eq!(diff.added, vec![(v4(3), 0)]);
        assert_eq!(diff.dropped, vec![v4(1), v6(2)]);

        // Nothing changed: nothing to send, however long we wait.
        assert_eq!(state.poll(t0 + 10 * PEX_INTERVAL, &changed, me), None);
        // A change is sent at once when the interval has passed since the last message.
        let t3 = t0 + 10 * PEX_INTERVAL;
        let diff = state.poll(t3, &[(v4(3), 0), (v4(4), 0)], me).unwrap();
        assert_eq!(
            diff,
            PexMsg {
                added: vec![(v4(4), 0)],
                dropped: vec![]
            }
        );
    }

    #[test]
    fn nothing_connected_sends_nothing() {
        let mut state = PexState::new();
        let me = v4(1);
        assert_eq!(state.poll(Instant::now(), &[], me), None);
        assert_eq!(state.poll(Instant::now(), &[(me, 0)], me), None);
    }

    #[test]
    fn the_receiving_peer_is_never_listed() {
        let me = v4(1);
        let mapped_me: SocketAddr = "[::ffff:10.0.0.1]:6881".parse().unwrap();
        let mut state = PexState::new();
        let msg = state
            .poll(Instant::now(), &[(mapped_me, 0), (v4(2), 0)], me)
            .unwrap();
        assert_eq!(msg.added, vec![(v4(2), 0)]);
    }

    #[test]
    fn caps_hold_per_family_and_the_rest_follows_later() {
        let me = v4(999);
        let mut state = PexState::new();
        let t0 = Instant::now();
        let mut connected: Vec<(SocketAddr, u8)> = (1..=70).map(|n| (v4(n), 0)).collect();
        connected.extend((1..=60).map(|n| (v6(n), 0)));
        let first = state.poll(t0, &connected, me).unwrap();
        assert_eq!(first.added.iter().filter(|(a, _)| a.is_ipv4()).count(), 50);
        assert_eq!(first.added.iter().filter(|(a, _)| a.is_ipv6()).count(), 50);

        let t1 = t0 + PEX_INTERVAL;
        let second = state.poll(t1, &connected, me).unwrap();
        assert_eq!(second.added.len(), 20 + 10);
        assert!(
            second
                .added
                .iter()
                .all(|(a, _)| !first.added.iter().any(|(b, _)| a == b))
        );

        // Everyone leaves: 50 dropped per family now, the rest next time.
        let t2 = t1 + PEX_INTERVAL;
        let gone = state.poll(t2, &[], me).unwrap();
        assert_eq!(gone.dropped.iter().filter(|a| a.is_ipv4()).count(), 50);
        assert_eq!(gone.dropped.iter().filter(|a| a.is_ipv6()).count(), 50);
        assert!(gone.added.is_empty());
        let rest = state.poll(t2 + PEX_INTERVAL, &[], me).unwrap();
        assert_eq!(rest.dropped.len(), 20 + 10);
        assert_eq!(state.poll(t2 + 2 * PEX_INTERVAL, &[], me), None);
        // The encoded message stays small: 50 × 6 + 50 + 50 × 18 + 50 bytes of lists at most.
        assert!(first.encode().len() < 1400);
    }
}
