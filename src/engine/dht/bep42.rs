//! BEP 42, the DHT security extension: a node id must be derived from the node's IP address.
//!
//! The first 21 bits of a valid id equal the first 21 bits of
//! `crc32c((ip & 0x030f3fff) | (r << 29))`, where `r` is the id's last byte (its low 3 bits).
//! Nodes on local addresses (loopback, private, link-local) are exempt. We check the rule for
//! nodes before they enter the routing table, so one host cannot plant many ids next to a
//! target. Our own id is random in this version (BEP 42 ids need our external IP, which we only
//! learn later from the `ip` field of responses).

use super::NodeId;
use std::net::{IpAddr, Ipv4Addr};

/// CRC-32C (Castagnoli), bit by bit: 4 bytes per call, no table needed.
pub fn crc32c(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn prefix(ip: Ipv4Addr, r: u8) -> u32 {
    let masked = (u32::from(ip) & 0x030f_3fff) | (u32::from(r & 7) << 29);
    crc32c(&masked.to_be_bytes())
}

/// Addresses BEP 42 exempts: they are not reachable from the Internet at large.
pub fn is_exempt(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified()
        }
        IpAddr::V6(v6) => v6.is_loopback() || v6.is_unspecified(),
    }
}

/// Whether `id` is a valid id for a node at `ip`. IPv6 is not checked (we speak IPv4 only).
pub fn id_matches_ip(id: &NodeId, ip: IpAddr) -> bool {
    let v4 = match ip {
        IpAddr::V4(v4) => v4,
        IpAddr::V6(_) => return true,
    };
    if is_exempt(ip) {
        return true;
    }
    let p = prefix(v4, id[19]).to_be_bytes();
    id[0] == p[0] && id[1] == p[1] && (id[2] & 0xF8) == (p[2] & 0xF8)
}

/// A valid id for `ip` (random apart from the prefix and the last byte).
pub fn id_for_ip(ip: Ipv4Addr) -> NodeId {
    let mut id: NodeId = rand::random();
    let r = id[19] & 7;
    let p = prefix(ip, r).to_be_bytes();
    id[0] = p[0];
    id[1] = p[1];
    id[2] = (p[2] & 0xF8) | (id[2] & 0x07);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_from(prefix_hex: [u8; 3], last: u8) -> NodeId {
        let mut id = [0x55u8; 20];
        id[..3].copy_from_slice(&prefix_hex);
        id[19] = last;
        id
    }

    #[test]
    fn crc32c_check_value() {
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
    }

    #[test]
    fn bep42_examples_are_valid() {
        // The examples table of BEP 42: IP, first three id bytes, last byte.
        for (ip, p, last) in [
            ([124, 31, 75, 21], [0x5f, 0xbf, 0xbf], 0x01),
            ([21, 75, 31, 124], [0x5a, 0x3c, 0xe9], 0x56),
            ([65, 23, 51, 170], [0xa5, 0xd4, 0x32], 0x16),
            ([84, 124, 73, 14], [0x1b, 0x03, 0x21], 0x41),
            ([43, 213, 53, 83], [0xe5, 0x6f, 0x6c], 0x5a),
        ] {
            let ip = IpAddr::V4(Ipv4Addr::from(ip));
            assert!(id_matches_ip(&id_from(p, last), ip), "{ip}");
            assert!(
                !id_matches_ip(&id_from([p[0] ^ 1, p[1], p[2]], last), ip),
                "{ip}"
            );
        }
    }

    #[test]
    fn generated_ids_pass_and_local_addresses_are_exempt() {
        let ip = Ipv4Addr::new(93, 184, 216, 34);
        for _ in 0..50 {
            assert!(id_matches_ip(&id_for_ip(ip), IpAddr::V4(ip)));
        }
        assert!(!id_matches_ip(&[0; 20], IpAddr::V4(ip)));
        for local in [
            [127, 0, 0, 1],
            [10, 1, 2, 3],
            [192, 168, 1, 1],
            [169, 254, 0, 1],
        ] {
            assert!(id_matches_ip(&[0; 20], IpAddr::V4(Ipv4Addr::from(local))));
        }
    }
}
