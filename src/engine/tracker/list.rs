//! A tracker list a person typed (the "Edit trackers" dialog, a `SetTrackers` command): checked
//! and cleaned before it reaches a torrent.
//!
//! The list is hostile input like any other: only `http://`, `https://` and `udp://` announce
//! URLs with a host, each at most [`MAX_URL_LEN`] bytes and at most [`MAX_TRACKERS`] in all.
//! Repeated URLs (in any tier) and empty tiers are dropped rather than refused, as BEP 12 tiers
//! from a `.torrent` are; anything else wrong refuses the whole list with a reason a person can
//! act on. This module depends on nothing but the standard library.

use std::collections::HashSet;

/// Longest announce URL accepted, in bytes.
pub const MAX_URL_LEN: usize = 2048;
/// Most trackers a torrent may have, all tiers together.
pub const MAX_TRACKERS: usize = 200;

/// Why a tracker list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackerListError {
    /// A URL with a scheme we cannot announce to, or no scheme at all.
    #[error("tracker `{0}`: only http://, https:// and udp:// trackers are supported")]
    Scheme(String),
    /// A URL without a host (`http:///announce`), or with spaces or control characters.
    #[error("tracker `{0}`: not a valid announce URL")]
    Malformed(String),
    /// A URL longer than [`MAX_URL_LEN`] (shown shortened).
    #[error("tracker `{0}…`: longer than 2048 bytes")]
    TooLong(String),
    /// More than [`MAX_TRACKERS`] trackers.
    #[error("{0} trackers: at most 200 are allowed")]
    TooMany(usize),
}

/// Checks and cleans tiers of announce URLs: blanks trimmed, repeats and empty tiers dropped.
pub fn validate_trackers(tiers: Vec<Vec<String>>) -> Result<Vec<Vec<String>>, TrackerListError> {
    let total: usize = tiers.iter().map(Vec::len).sum();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for tier in tiers {
        let mut kept = Vec::new();
        for url in tier {
            let url = url.trim();
            if url.is_empty() {
                continue;
            }
            check_url(url)?;
            if seen.insert(url.to_owned()) {
                if seen.len() > MAX_TRACKERS {
                    return Err(TrackerListError::TooMany(total));
                }
                kept.push(url.to_owned());
            }
        }
        if !kept.is_empty() {
            out.push(kept);
        }
    }
    Ok(out)
}

/// Checks one trimmed announce URL.
pub fn check_url(url: &str) -> Result<(), TrackerListError> {
    if url.len() > MAX_URL_LEN {
        let mut end = 60;
        while !url.is_char_boundary(end) {
            end -= 1;
        }
        return Err(TrackerListError::TooLong(url[..end].to_owned()));
    }
    let lower = url.to_ascii_lowercase();
    let rest = ["http://", "https://", "udp://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
        .ok_or_else(|| TrackerListError::Scheme(url.to_owned()))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let bad_char = url.chars().any(|c| c.is_whitespace() || c.is_control());
    if host.is_empty() || host.starts_with(':') || bad_char {
        return Err(TrackerListError::Malformed(url.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn s(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|t| t.iter().map(|u| (*u).to_owned()).collect())
            .collect()
    }

    #[test]
    fn keeps_good_urls_and_drops_repeats_and_empty_tiers() {
        let got = validate_trackers(s(&[
            &[" http://a/announce ", "udp://b:6969"],
            &[],
            &["", "HTTPS://c/ann?x=1", "http://a/announce"],
            &["udp://b:6969"],
        ]))
        .unwrap();
        assert_eq!(
            got,
            s(&[
                &["http://a/announce", "udp://b:6969"],
                &["HTTPS://c/ann?x=1"]
            ])
        );
        assert_eq!(
            validate_trackers(Vec::new()).unwrap(),
            Vec::<Vec<String>>::new()
        );
    }

    #[test]
    fn refuses_other_schemes_and_malformed_urls() {
        for bad in [
            "ftp://a/x",
            "a.example/announce",
            "wss://t/ann",
            "magnet:?xt=1",
        ] {
            assert_eq!(
                validate_trackers(s(&[&[bad]])),
                Err(TrackerListError::Scheme(bad.into())),
                "{bad}"
            );
        }
        for bad in [
            "http://",
            "http:///announce",
            "udp://:80",
            "http://a b/x",
            "http://u@/x",
        ] {
            assert_eq!(
                validate_trackers(s(&[&[bad]])),
                Err(TrackerListError::Malformed(bad.into())),
                "{bad}"
            );
        }
        let err = validate_trackers(s(&[&["http://ok/a", "gopher://x"]])).unwrap_err();
        assert!(err.to_string().contains("gopher://x"), "{err}");
    }

    #[test]
    fn refuses_long_urls_and_long_lists() {
        let long = format!("http://t/{}", "é".repeat(MAX_URL_LEN));
        let err = validate_trackers(vec![vec![long]]).unwrap_err();
        assert!(matches!(err, TrackerListError::TooLong(_)), "{err}");
        let edge = format!("http://t/{}", "a".repeat(MAX_URL_LEN - 9));
        assert!(validate_trackers(vec![vec![edge]]).is_ok());

        let many: Vec<String> = (0..=MAX_TRACKERS)
            .map(|i| format!("udp://t{i}:1"))
            .collect();
        assert_eq!(
            validate_trackers(vec![many.clone()]),
            Err(TrackerListError::TooMany(MAX_TRACKERS + 1))
        );
        // Repeats do not count against the cap.
        let mut ok = many[..MAX_TRACKERS].to_vec();
        ok.extend(many[..50].iter().cloned());
        assert_eq!(validate_trackers(vec![ok]).unwrap()[0].len(), MAX_TRACKERS);
    }
}
