#![allow(clippy::unwrap_used)]

use super::access::PeerAccess;
use super::*;
use std::sync::Arc;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn emule_lines_block_at_level_127_and_below() {
    let f = IpFilter::parse(
        "001.009.096.105 - 001.009.096.110 , 000 , Some name\n\
         002.000.000.000 - 002.000.000.255 , 127 , edge of blocking\n\
         003.000.000.000 - 003.000.000.255 , 128 , allowed\n\
         004.000.000.000 - 004.000.000.255 , 200\n",
    );
    assert!(f.is_blocked(ip("1.9.96.105")));
    assert!(f.is_blocked(ip("1.9.96.110")));
    assert!(!f.is_blocked(ip("1.9.96.104")));
    assert!(!f.is_blocked(ip("1.9.96.111")));
    assert!(f.is_blocked(ip("2.0.0.128")));
    assert!(!f.is_blocked(ip("3.0.0.1")));
    assert!(!f.is_blocked(ip("4.0.0.1")));
    assert_eq!(f.ranges(), 2);
    assert_eq!(f.bad_lines(), 0);
}

#[test]
fn p2p_lines_with_colons_commas_and_dashes_in_the_name() {
    let f = IpFilter::parse(
        "Some name:1.2.3.4-1.2.3.255\n\
         Evil, Inc: the bad one:5.6.7.8-5.6.7.8\n\
         Some-thing:9.9.9.0 - 9.9.9.9\n",
    );
    assert!(f.is_blocked(ip("1.2.3.4")));
    assert!(f.is_blocked(ip("1.2.3.255")));
    assert!(!f.is_blocked(ip("1.2.3.3")));
    assert!(f.is_blocked(ip("5.6.7.8")));
    assert!(!f.is_blocked(ip("5.6.7.9")));
    assert!(f.is_blocked(ip("9.9.9.5")));
    assert_eq!(f.bad_lines(), 0);
}

#[test]
fn formats_mix_and_comments_are_skipped() {
    let f = IpFilter::parse(
        "# a comment\n// another\n\n   \n\
         10.0.0.0 - 10.0.0.255 , 0 , lan\n\
         Name:11.0.0.0-11.0.0.255\r\n",
    );
    assert_eq!(f.ranges(), 2);
    assert_eq!(f.bad_lines(), 0);
    assert!(f.is_blocked(ip("11.0.0.7")));
}

#[test]
fn overlapping_and_adjacent_ranges_merge() {
    let f = IpFilter::parse(
        "a:1.0.0.0-1.0.0.100\n\
         b:1.0.0.50-1.0.0.200\n\
         c:1.0.0.201-1.0.1.0\n\
         d:1.0.0.10-1.0.0.20\n\
         e:1.0.1.2-1.0.1.3\n",
    );
    // 1.0.0.0–1.0.1.0 (a, b, c adjacent, d inside) and 1.0.1.2–1.0.1.3 (a gap at .1.1).
    assert_eq!(f.ranges(), 2);
    assert!(f.is_blocked(ip("1.0.0.201")));
    assert!(f.is_blocked(ip("1.0.1.0")));
    assert!(!f.is_blocked(ip("1.0.1.1")));
    assert!(f.is_blocked(ip("1.0.1.2")));
}

#[test]
fn edge_addresses_of_the_whole_space() {
    let f = IpFilter::parse("all:0.0.0.0-255.255.255.255\nx:0.0.0.0-0.0.0.0\n");
    assert_eq!(f.ranges(), 1);
    assert!(f.is_blocked(ip("0.0.0.0")));
    assert!(f.is_blocked(ip("255.255.255.255")));
    let top = IpFilter::parse("a:255.255.255.255-255.255.255.255\nb:0.0.0.0-0.0.0.0\n");
    assert_eq!(top.ranges(), 2);
    assert!(top.is_blocked(ip("255.255.255.255")));
    assert!(!top.is_blocked(ip("255.255.255.254")));
    assert!(!top.is_blocked(ip("0.0.0.1")));
    assert!(!IpFilter::default().is_blocked(ip("1.2.3.4")));
    let v6 = IpFilter::parse("all:::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\n");
    assert!(v6.is_blocked(ip("::")));
    assert!(v6.is_blocked(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
    assert!(!v6.is_blocked(ip("1.2.3.4")));
}

#[test]
fn malformed_lines_are_counted_with_the_first_line_number() {
    let f = IpFilter::parse(
        "# fine\n\
         1.2.3.4 - 1.2.3.5 , 0 , ok\n\
         not a range at all\n\
         1.2.3.300 - 1.2.3.400 , 0 , bad octets\n\
         5.5.5.5 - 5.5.5.1 , 0 , reversed\n\
         1.2.3.4 - ::1 , 0 , mixed families\n\
         1.2.3.4 - 1.2.3.5 , level , not a number\n\
         1.2.3 - 1.2.3.5 , 0 , three octets\n\
         1.2.3.4.5 - 1.2.3.5 , 0 , five octets\n\
         0001.2.3.4 - 1.2.3.5 , 0 , four digits\n\
         name:\n\
         :-\n\
         6.6.6.6 - 6.6.6.7 , 0 , ok too\n",
    );
    assert_eq!(f.bad_lines(), 10);
    assert_eq!(f.first_bad_line(), Some(3));
    assert_eq!(f.ranges(), 2);
    assert!(f.is_blocked(ip("6.6.6.7")));
    assert!(!f.is_blocked(ip("5.5.5.3")));
}

#[test]
fn ipv6_ranges_in_both_formats() {
    let f = IpFilter::parse(
        "2001:0db8:0000:0000:0000:0000:0000:0000 - 2001:0db8:0000:0000:0000:0000:0000:00ff , 000 , doc\n\
         Some:name:2001:db9::1-2001:db9::10\n",
    );
    assert_eq!(f.bad_lines(), 0);
    assert_eq!(f.ranges(), 2);
    assert!(f.is_blocked(ip("2001:db8::ff")));
    assert!(!f.is_blocked(ip("2001:db8::100")));
    assert!(f.is_blocked(ip("2001:db9::1")));
    assert!(f.is_blocked(ip("2001:db9::10")));
    assert!(!f.is_blocked(ip("2001:db9::11")));
    assert!(!f.is_blocked(ip("2001:db9::")));
}

#[test]
fn ipv4_mapped_addresses_are_checked_against_ipv4_ranges() {
    let f = IpFilter::parse(
        "a:10.0.0.0-10.0.0.255\n\
         ::ffff:20.0.0.0 - ::ffff:20.0.0.9 , 0 , written as IPv6\n",
    );
    assert!(f.is_blocked(ip("::ffff:10.0.0.5")));
    assert!(!f.is_blocked(ip("::ffff:10.0.1.5")));
    assert!(f.is_blocked(ip("20.0.0.9")));
    assert!(!f.is_blocked(ip("20.0.0.10")));
}

#[test]
fn loading_refuses_large_files_and_files_without_ranges() {
    let dir = std::env::temp_dir().join(format!("brooklet-ipfilter-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.dat");
    std::fs::write(&junk, "# only\nnonsense\nmore nonsense\n").unwrap();
    match IpFilter::load(&junk) {
        Err(IpFilterError::NoRanges {
            bad_lines,
            first_bad_line,
            ..
        }) => {
            assert_eq!((bad_lines, first_bad_line), (2, Some(2)));
        }
        other => panic!("{other:?}"),
    }
    let big = dir.join("big.dat");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
    assert!(matches!(
        IpFilter::load(&big),
        Err(IpFilterError::TooLarge { .. })
    ));
    assert!(matches!(
        IpFilter::load(&dir.join("missing.dat")),
        Err(IpFilterError::Read { .. })
    ));
    let good = dir.join("good.p2p");
    std::fs::write(&good, "x:1.2.3.4-1.2.3.4\ny\n").unwrap();
    let f = IpFilter::load(&good).unwrap();
    assert_eq!((f.ranges(), f.bad_lines()), (1, 1));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A 200,000-line list in both formats loads fast (measured: see the README) and answers
/// lookups like a linear scan of its lines.
#[test]
fn a_200k_line_list_loads_quickly_and_lookups_match_a_scan() {
    let mut text = String::with_capacity(200_000 * 50);
    let mut lines = Vec::with_capacity(200_000);
    for i in 0..200_000u32 {
        // Spread over the space, some overlapping; a tenth wide.
        let start = i.wrapping_mul(2_654_435_761);
        let len = if i % 10 == 0 { 70_000 } else { i % 300 };
        let end = start.saturating_add(len);
        let (a, b) = (Ipv4Addr::from(start), Ipv4Addr::from(end));
        if i % 2 == 0 {
            let [a0, a1, a2, a3] = a.octets();
            let [b0, b1, b2, b3] = b.octets();
            text.push_str(&format!(
                "{a0:03}.{a1:03}.{a2:03}.{a3:03} - {b0:03}.{b1:03}.{b2:03}.{b3:03} , 000 , Range {i}\n"
            ));
        } else {
            text.push_str(&format!("Range {i}:{a}-{b}\n"));
        }
        lines.push((start, end));
    }
    let started = std::time::Instant::now();
    let f = IpFilter::parse(&text);
    let took = started.elapsed();
    eprintln!("200k-line list parsed in {took:?}: {} ranges", f.ranges());
    assert_eq!(f.bad_lines(), 0);
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
    let started = std::time::Instant::now();
    for probe in 0..2_000u32 {
        let x = probe.wrapping_mul(2_147_483_647).wrapping_add(probe);
        let scan = lines.iter().any(|&(a, b)| a <= x && x <= b);
        assert_eq!(f.is_blocked(IpAddr::V4(Ipv4Addr::from(x))), scan, "{x}");
        let (edge, _) = lines[probe as usize * 97];
        assert!(f.is_blocked(IpAddr::V4(Ipv4Addr::from(edge))));
    }
    eprintln!("2,000 lookups in {:?}", started.elapsed());
}

#[test]
fn access_counts_refusals_and_follows_bans_and_filter_changes() {
    let access = PeerAccess::new(None, &[ip("9.9.9.9")]);
    assert!(!access.admit(ip("9.9.9.9")));
    assert!(!access.admit(ip("::ffff:9.9.9.9")));
    assert!(access.admit(ip("8.8.8.8")));
    assert_eq!(access.refused(), 2);
    access.unban(ip("::ffff:9.9.9.9"));
    assert!(access.allows(ip("9.9.9.9")));
    access.set_filter(Some(Arc::new(IpFilter::parse("x:8.8.8.0-8.8.8.255"))));
    assert!(!access.allows(ip("8.8.8.8")));
    assert_eq!(access.refused(), 2, "allows() does not count");
    access.set_filter(None);
    assert!(access.allows(ip("8.8.8.8")));
    assert!(access.ban(ip("1.1.1.1")));
    assert!(!access.allows(ip("1.1.1.1")));
}
