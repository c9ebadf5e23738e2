//! Human-readable numbers: sizes, rates and durations, shared by the CLI and the GUI.
//!
//! Pure functions, unit-tested. Sizes use binary units throughout (KiB, MiB, GiB), as μTorrent
//! and qBittorrent do, so a piece of 256 KiB never shows as "262 kB" in one place and "256 KiB"
//! in another.

const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/// `1536` → `1.5 KiB`; three significant digits above 1 KiB.
pub fn size(bytes: u64) -> String {
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let text = if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    };
    format!("{text} {}", UNITS[unit])
}

/// A transfer rate: `size(bytes_per_second)/s`.
pub fn rate(bytes_per_second: u64) -> String {
    format!("{}/s", size(bytes_per_second))
}

/// `3725` seconds → `1h 2m`; under a minute → `45s`; beyond 100 days → `∞`.
pub fn duration(seconds: u64) -> String {
    const DAY: u64 = 86_400;
    if seconds >= 100 * DAY {
        return "∞".to_owned();
    }
    let (d, h, m, s) = (
        seconds / DAY,
        seconds % DAY / 3600,
        seconds % 3600 / 60,
        seconds % 60,
    );
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m {s}s")
    } else {
        format!("{s}s")
    }
}

/// A time-to-finish estimate: `1h 2m`, `∞` when it will not finish, empty when unknown.
pub fn eta(eta: crate::engine::api::Eta) -> String {
    match eta {
        crate::engine::api::Eta::Finite(d) => duration(d.as_secs()),
        crate::engine::api::Eta::Infinite => "∞".to_owned(),
        crate::engine::api::Eta::Unknown => String::new(),
    }
}

/// Seconds since the Unix epoch as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn utc_date(epoch_seconds: i64) -> String {
    let days = epoch_seconds.div_euclid(86_400);
    let secs = epoch_seconds.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(1023), "1023 B");
        assert_eq!(size(1536), "1.50 KiB");
        assert_eq!(size(16 * 1024 * 1024), "16.0 MiB");
        assert_eq!(size(300 * 1024 * 1024), "300 MiB");
        assert_eq!(size(u64::MAX), "16.0 EiB");
        assert_eq!(rate(2048), "2.00 KiB/s");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(125), "2m 5s");
        assert_eq!(duration(3725), "1h 2m");
        assert_eq!(duration(90_000), "1d 1h");
        assert_eq!(duration(u64::MAX), "∞");
    }

    #[test]
    fn etas() {
        use crate::engine::api::Eta;
        use std::time::Duration;
        assert_eq!(eta(Eta::Finite(Duration::from_secs(125))), "2m 5s");
        assert_eq!(eta(Eta::Infinite), "∞");
        assert_eq!(eta(Eta::Unknown), "");
    }

    #[test]
    fn dates() {
        assert_eq!(utc_date(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_date(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc_date(951_782_400), "2000-02-29 00:00:00 UTC");
    }
}
