//! The create dialog's tracker list: one URL a line, a blank line between BEP 12 tiers.

use crate::fl;

/// Longest tracker URL accepted.
const MAX_TRACKER_URL: usize = 2048;
/// Most tracker URLs accepted in one torrent.
const MAX_TRACKERS: usize = 200;

/// Tracker tiers from the editor's text: one URL a line, a blank line ends a tier. A line that
/// is not an `http://`, `https://` or `udp://` URL is refused, naming its line.
pub fn parse_trackers(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut tiers: Vec<Vec<String>> = vec![Vec::new()];
    let mut count = 0usize;
    for (n, line) in text.lines().enumerate() {
        let url = line.trim();
        if url.is_empty() {
            if tiers.last().is_some_and(|t| !t.is_empty()) {
                tiers.push(Vec::new());
            }
            continue;
        }
        let scheme_ok = ["http://", "https://", "udp://"].iter().any(|s| {
            url.get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
                && url.len() > s.len()
        });
        if !scheme_ok || url.len() > MAX_TRACKER_URL || url.chars().any(char::is_whitespace) {
            let shown: String = url.chars().take(80).collect();
            let line = n + 1;
            return Err(fl!("create-bad-tracker", line = line, url = shown));
        }
        count += 1;
        if count > MAX_TRACKERS {
            return Err(fl!("create-too-many-trackers", max = MAX_TRACKERS));
        }
        if let Some(tier) = tiers.last_mut()
            && !tier.iter().any(|u| u == url)
        {
            tier.push(url.to_owned());
        }
    }
    tiers.retain(|t| !t.is_empty());
    Ok(tiers)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn trackers_split_into_tiers_at_blank_lines() {
        let t = parse_trackers(
            "udp://a.example:1337/announce\n http://b.example/announce \n\n\n\
             https://c.example/announce\nudp://a.example:1337/announce\n",
        )
        .unwrap();
        assert_eq!(
            t,
            vec![
                vec![
                    "udp://a.example:1337/announce".to_string(),
                    "http://b.example/announce".into()
                ],
                vec![
                    "https://c.example/announce".to_string(),
                    "udp://a.example:1337/announce".into()
                ],
            ]
        );
        assert_eq!(parse_trackers("\n\n").unwrap(), Vec::<Vec<String>>::new());
    }

    #[test]
    fn a_line_that_is_no_tracker_url_is_refused_by_line_number() {
        let e = parse_trackers("udp://ok.example:1/announce\nftp://nope.example/").unwrap_err();
        assert!(e.contains('2') && e.contains("ftp://nope.example/"), "{e}");
        assert!(parse_trackers("http://").is_err());
        assert!(parse_trackers("http://a b").is_err());
    }
}
