#![allow(clippy::unwrap_used)]

use super::*;
use std::net::{Ipv4Addr, SocketAddrV4};

fn addr(port: u16) -> SocketAddr {
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
}

/// An id sharing exactly `cpl` leading bits with the all-zero id, then `tail`.
fn id_in_bucket(cpl: usize, tail: u8) -> NodeId {
    let mut id = [0u8; 20];
    id[cpl / 8] |= 0x80 >> (cpl % 8);
    id[19] |= tail;
    if cpl / 8 == 19 {
        id[19] = (0x80 >> (cpl % 8)) | (tail & (0xFF >> (cpl % 8 + 1)));
    }
    id
}

#[test]
fn xor_distance_orders_by_leading_bits() {
    let target = [0u8; 20];
    let mut near = [0u8; 20];
    near[19] = 0xFF;
    let mut far = [0u8; 20];
    far[0] = 0x01;
    assert_eq!(cmp_distance(&target, &near, &far), Ordering::Less);
    assert_eq!(cmp_distance(&target, &far, &far), Ordering::Equal);
    assert_eq!(distance(&near, &far)[0], 0x01);
    assert_eq!(common_prefix_len(&target, &far), 7);
    assert_eq!(common_prefix_len(&target, &near), 152);
    assert_eq!(common_prefix_len(&target, &target), 160);
}

#[test]
fn closest_returns_nodes_by_distance_to_the_target() {
    let now = Instant::now();
    let mut t = RoutingTable::new([0; 20], now);
    for (i, cpl) in [3usize, 40, 1, 100, 7].into_iter().enumerate() {
        assert_eq!(
            t.heard_response(id_in_bucket(cpl, 0), addr(i as u16 + 1), now),
            Insert::Added
        );
    }
    let order: Vec<u16> = t
        .closest(&[0; 20], 10, now)
        .into_iter()
        .map(|(_, a)| a.port())
        .collect();
    assert_eq!(order, vec![4, 2, 5, 1, 3]);
    assert_eq!(t.closest(&[0; 20], 2, now).len(), 2);
}

#[test]
fn own_id_and_hijacked_ids_are_rejected() {
    let now = Instant::now();
    let mut t = RoutingTable::new([5; 20], now);
    assert_eq!(t.heard_response([5; 20], addr(1), now), Insert::Rejected);
    assert_eq!(t.heard_response([6; 20], addr(2), now), Insert::Added);
    assert_eq!(t.heard_response([6; 20], addr(3), now), Insert::Rejected);
    assert_eq!(t.heard_response([6; 20], addr(2), now), Insert::Updated);
    assert_eq!(t.len(), 1);
}

#[test]
fn full_bucket_caches_newcomers_and_asks_to_ping_questionable_nodes() {
    let t0 = Instant::now();
    let mut t = RoutingTable::new([0; 20], t0);
    for i in 0..K as u8 {
        assert_eq!(
            t.heard_response(id_in_bucket(0, i), addr(u16::from(i) + 1), t0),
            Insert::Added
        );
    }
    // All good: the newcomer waits, nothing to ping.
    assert_eq!(
        t.heard_response(id_in_bucket(0, 100), addr(100), t0),
        Insert::Cached { ping: vec![] }
    );
    assert_eq!(t.len(), K);
    assert_eq!(t.replacement_count(), 1);
    // 16 minutes later every node is questionable.
    let later = t0 + GOOD_FOR + Duration::from_secs(60);
    let Insert::Cached { ping } = t.heard_response(id_in_bucket(0, 101), addr(101), later) else {
        panic!("expected cached")
    };
    assert_eq!(ping.len(), K);
    // A questionable node that fails its ping is replaced by the freshest replacement.
    t.failed(addr(1), later);
    let ports: Vec<u16> = t
        .closest(&[0; 20], 100, later)
        .iter()
        .map(|(_, a)| a.port())
        .collect();
    assert!(!ports.contains(&1));
    assert!(ports.contains(&101));
    assert_eq!(t.len(), K);
    assert_eq!(t.replacement_count(), 1);
}

#[test]
fn bad_nodes_are_evicted_for_newcomers_and_hidden_from_lookups() {
    let now = Instant::now();
    let mut t = RoutingTable::new([0; 20], now);
    for i in 0..K as u8 {
        t.heard_response(id_in_bucket(0, i), addr(u16::from(i) + 1), now);
    }
    // A good node survives one failure…
    t.failed(addr(3), now);
    assert_eq!(t.closest(&[0; 20], 100, now).len(), K);
    // …but not two in a row.
    t.failed(addr(3), now);
    assert_eq!(t.closest(&[0; 20], 100, now).len(), K - 1);
    assert_eq!(t.good_count(now), K - 1);
    assert_eq!(
        t.heard_response(id_in_bucket(0, 50), addr(50), now),
        Insert::Replaced
    );
    let ports: Vec<u16> = t
        .closest(&[0; 20], 100, now)
        .iter()
        .map(|(_, a)| a.port())
        .collect();
    assert!(!ports.contains(&3) && ports.contains(&50));
    // An answer resets the failure count.
    t.failed(addr(4), now);
    t.heard_response(id_in_bucket(0, 3), addr(4), now);
    t.failed(addr(4), now);
    assert_eq!(t.good_count(now), K);
}

#[test]
fn queries_keep_answering_nodes_good() {
    let t0 = Instant::now();
    let mut t = RoutingTable::new([0; 20], t0);
    let id = id_in_bucket(9, 1);
    t.heard_response(id, addr(1), t0);
    let later = t0 + GOOD_FOR + Duration::from_secs(1);
    assert_eq!(t.good_count(later), 0);
    assert!(t.heard_query(&id, addr(1), later));
    assert_eq!(t.good_count(later), 1);
    assert!(!t.heard_query(&[9; 20], addr(2), later));
}

#[test]
fn stale_buckets_are_reported_once_and_random_ids_land_in_them() {
    let t0 = Instant::now();
    let mut t = RoutingTable::new([0xAB; 20], t0);
    assert!(
        t.take_stale_buckets(t0 + GOOD_FOR, 160).is_empty(),
        "empty table"
    );
    let mut id = [0xAB; 20];
    id[1] ^= 0x10; // shares 11 bits
    t.heard_response(id, addr(1), t0);
    let stale = t.take_stale_buckets(t0 + GOOD_FOR, 160);
    assert_eq!(stale, (0..=11).collect::<Vec<_>>());
    assert!(t.take_stale_buckets(t0 + GOOD_FOR, 160).is_empty());
    assert_eq!(t.take_stale_buckets(t0 + GOOD_FOR * 2, 3), vec![0, 1, 2]);
    for index in [0, 5, 11, 80, 159] {
        for _ in 0..20 {
            let r = t.random_id_in_bucket(index);
            assert_eq!(t.bucket_index(&r), Some(index));
        }
    }
}

#[test]
fn a_node_changing_its_id_replaces_its_old_entry() {
    let now = Instant::now();
    let mut t = RoutingTable::new([0; 20], now);
    t.heard_response([1; 20], addr(7), now);
    t.heard_response([2; 20], addr(7), now);
    assert_eq!(t.closest(&[0; 20], 10, now), vec![([2; 20], addr(7))]);
}
