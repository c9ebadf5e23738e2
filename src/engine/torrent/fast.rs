//! BEP 6 "allowed fast": the pieces a peer may request from us while we choke it.
//!
//! The set is the canonical one of BEP 6, so both ends can compute it and a peer cannot get a
//! bigger set by reconnecting: the SHA-1 chain of the peer's masked address and the info-hash,
//! cut into 4-byte big-endian numbers taken modulo the piece count.
//!
//! Addresses: BEP 6 defines the set for IPv4, masked to its /24 (one set per network, not per
//! address). We use exactly that for every IPv4 address, loopback included, and for IPv4 mapped
//! into IPv6. For IPv6 (which BEP 6 leaves open) we apply the same algorithm to the address's
//! /64 prefix, its first 8 bytes: a /64 is what one subscriber usually gets, as a /24 was.

use crate::engine::InfoHash;
use sha1::{Digest, Sha1};
use std::net::IpAddr;

/// Pieces in the allowed-fast set we give a peer (BEP 6 suggests 10).
pub const ALLOWED_FAST_COUNT: usize = 10;
/// Pieces we keep of a peer's allowed-fast messages to us; more are ignored.
pub const MAX_ALLOWED_FAST_IN: usize = 64;

/// How many pieces we allow fast for a torrent of `piece_count` pieces: [`ALLOWED_FAST_COUNT`],
/// but never more than half the torrent, so choking a peer of a small torrent still means
/// something.
pub fn set_size(piece_count: usize) -> usize {
    ALLOWED_FAST_COUNT.min(piece_count / 2)
}

/// The canonical allowed-fast set of `k` pieces for a peer at `ip` in a torrent of
/// `piece_count` pieces, in the order BEP 6 generates them (`k` is capped at the piece count).
pub fn allowed_fast_set(ip: IpAddr, info_hash: &InfoHash, piece_count: u32, k: usize) -> Vec<u32> {
    let k = k.min(piece_count as usize);
    let mut out = Vec::with_capacity(k);
    if k == 0 {
        return out;
    }
    let mut x: Vec<u8> = match ip {
        IpAddr::V4(v4) => masked_v4(v4.octets()),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => masked_v4(v4.octets()),
            None => v6.octets()[..8].to_vec(),
        },
    };
    x.extend_from_slice(&info_hash.0);
    while out.len() < k {
        let hash: [u8; 20] = Sha1::digest(&x).into();
        for chunk in hash.chunks_exact(4) {
            if out.len() >= k {
                break;
            }
            let y = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
            let index = y % piece_count;
            if !out.contains(&index) {
                out.push(index);
            }
        }
        x = hash.to_vec();
    }
    out
}

fn masked_v4(octets: [u8; 4]) -> Vec<u8> {
    vec![octets[0], octets[1], octets[2], 0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_example_of_bep_6() {
        let ip: IpAddr = "80.4.4.200".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let hash = InfoHash([0xaa; 20]);
        assert_eq!(
            allowed_fast_set(ip, &hash, 1313, 7),
            vec![1059, 431, 808, 1217, 287, 376, 1188]
        );
        assert_eq!(
            allowed_fast_set(ip, &hash, 1313, 9),
            vec![1059, 431, 808, 1217, 287, 376, 1188, 353, 508]
        );
        // The same /24 gets the same set; another network another one.
        let same: IpAddr = "80.4.4.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert_eq!(
            allowed_fast_set(same, &hash, 1313, 9),
            allowed_fast_set(ip, &hash, 1313, 9)
        );
        let other: IpAddr = "80.4.5.200".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert_ne!(
            allowed_fast_set(other, &hash, 1313, 9),
            allowed_fast_set(ip, &hash, 1313, 9)
        );
        // IPv4 mapped into IPv6 is IPv4.
        let mapped: IpAddr = "::ffff:80.4.4.200".parse().unwrap_or(ip);
        assert_eq!(
            allowed_fast_set(mapped, &hash, 1313, 7),
            allowed_fast_set(ip, &hash, 1313, 7)
        );
    }

    #[test]
    fn small_torrents_and_ipv6_terminate_with_distinct_pieces_in_range() {
        let hash = InfoHash([7; 20]);
        let v6: IpAddr = "2001:db8::1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        for (count, k) in [(1u32, 10usize), (3, 10), (20, 10), (5, 0)] {
            let set = allowed_fast_set(v6, &hash, count, k);
            assert_eq!(set.len(), k.min(count as usize));
            assert!(set.iter().all(|&p| p < count));
            let mut sorted = set.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), set.len());
        }
        assert_eq!(set_size(3), 1);
        assert_eq!(set_size(1), 0);
        assert_eq!(set_size(1313), ALLOWED_FAST_COUNT);
    }
}
