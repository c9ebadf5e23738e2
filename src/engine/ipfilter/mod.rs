//! IP filter lists: which addresses we never connect to nor accept.
//!
//! Two list formats are read, detected per line so a merged list may mix them:
//! - eMule `ipfilter.dat`: `001.009.096.105 - 001.009.096.105 , 000 , Some name`. The second
//!   field is an access level: 127 or less blocks the range, more allows it (such lines are
//!   valid but add nothing).
//! - PeerGuardian `.p2p`: `Some name:1.2.3.4-1.2.3.255` (the name may itself contain `:`).
//!
//! Either may hold IPv4 or IPv6 ranges; addresses may be zero-padded (`001.009.096.105`).
//! Lines starting with `#` or `//` are comments. A line that parses as neither format is
//! skipped and counted ([`IpFilter::bad_lines`], [`IpFilter::first_bad_line`]): a list with
//! some junk still protects, and the user is told about it.
//!
//! The ranges are kept sorted and merged (overlapping and adjacent ranges become one), so a
//! lookup is one binary search. An IPv6 range inside `::ffff:0:0/96` (IPv4-mapped) is stored
//! as an IPv4 range, and an IPv4-mapped address is looked up as the IPv4 address it maps.
//!
//! Files come from anywhere: [`IpFilter::load`] refuses one larger than [`MAX_FILE_BYTES`]
//! before reading it. This module does no I/O but that one read, and knows nothing of sessions
//! or connections ([`access`] applies a filter and the ban list to them).

pub mod access;
#[cfg(test)]
mod tests;

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

/// The largest list file read (64 MiB: the biggest public lists are a few MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Highest eMule access level that still blocks.
const EMULE_BLOCK_LEVEL: u32 = 127;

/// Why a list could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IpFilterError {
    #[error("cannot read the IP filter {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("the IP filter {path} is too large ({size} bytes; at most {max} bytes are read)")]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error(
        "the IP filter {path} holds no usable range ({bad_lines} unreadable lines{})",
        first_bad_line.map_or_else(String::new, |n| format!(", the first is line {n}"))
    )]
    NoRanges {
        path: PathBuf,
        bad_lines: usize,
        first_bad_line: Option<usize>,
    },
}

/// A parsed list: blocked IPv4 and IPv6 ranges, sorted, merged and inclusive.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct IpFilter {
    v4: Vec<(u32, u32)>,
    v6: Vec<(u128, u128)>,
    bad_lines: usize,
    first_bad_line: Option<usize>,
}

impl std::fmt::Debug for IpFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "IpFilter({} IPv4 ranges, {} IPv6 ranges)",
            self.v4.len(),
            self.v6.len()
        )
    }
}

/// One line's meaning.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// Empty or a comment.
    Nothing,
    /// A range the list allows (eMule level above 127): valid, not blocked.
    Allowed,
    /// A blocked range.
    Block(Range),
}

#[derive(Debug, PartialEq, Eq)]
enum Range {
    V4(u32, u32),
    V6(u128, u128),
}

impl IpFilter {
    /// Reads and parses a list file (blocking). Refuses a file above [`MAX_FILE_BYTES`], and
    /// one without any usable range.
    pub fn load(path: &Path) -> Result<IpFilter, IpFilterError> {
        let read_err = |e: std::io::Error| IpFilterError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let too_large = |size| IpFilterError::TooLarge {
            path: path.to_path_buf(),
            size,
            max: MAX_FILE_BYTES,
        };
        let file = std::fs::File::open(path).map_err(read_err)?;
        let size = file.metadata().map_err(read_err)?.len();
        if size > MAX_FILE_BYTES {
            return Err(too_large(size));
        }
        // The file may grow between the check and the read: read one byte past the bound.
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        let filter = IpFilter::parse(&String::from_utf8_lossy(&bytes));
        if filter.is_empty() {
            return Err(IpFilterError::NoRanges {
                path: path.to_path_buf(),
                bad_lines: filter.bad_lines,
                first_bad_line: filter.first_bad_line,
            });
        }
        Ok(filter)
    }

    /// Parses a list's text; unreadable lines are skipped and counted.
    pub fn parse(text: &str) -> IpFilter {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        let mut bad_lines = 0;
        let mut first_bad_line = None;
        for (n, line) in text.lines().enumerate() {
            match parse_line(line) {
                Some(Line::Block(Range::V4(a, b))) => v4.push((a, b)),
                Some(Line::Block(Range::V6(a, b))) => v6.push((a, b)),
                Some(Line::Nothing | Line::Allowed) => {}
                None => {
                    bad_lines += 1;
                    first_bad_line.get_or_insert(n + 1);
                }
            }
        }
        IpFilter {
            v4: merge(v4),
            v6: merge(v6),
            bad_lines,
            first_bad_line,
        }
    }

    /// Whether `ip` lies in a blocked range. IPv4-mapped IPv6 addresses are checked as IPv4.
    pub fn is_blocked(&self, ip: IpAddr) -> bool {
        match ip.to_canonical() {
            IpAddr::V4(v4) => contains(&self.v4, u32::from(v4)),
            IpAddr::V6(v6) => contains(&self.v6, u128::from(v6)),
        }
    }

    /// Blocked ranges after merging (IPv4 and IPv6).
    pub fn ranges(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    /// No range is blocked.
    pub fn is_empty(&self) -> bool {
        self.ranges() == 0
    }

    /// Lines that were neither a range, a comment nor empty.
    pub fn bad_lines(&self) -> usize {
        self.bad_lines
    }

    /// The first such line's number (from 1).
    pub fn first_bad_line(&self) -> Option<usize> {
        self.first_bad_line
    }
}

/// Start addresses of a sorted, merged, inclusive range list can be searched for `x`.
fn contains<T: Ord + Copy>(ranges: &[(T, T)], x: T) -> bool {
    let after = ranges.partition_point(|&(start, _)| start <= x);
    after > 0 && ranges.get(after - 1).is_some_and(|&(_, end)| x <= end)
}

/// An address as a number whose successor can be asked for.
trait Successor: Ord + Copy {
    fn successor(self) -> Option<Self>;
}
impl Successor for u32 {
    fn successor(self) -> Option<Self> {
        self.checked_add(1)
    }
}
impl Successor for u128 {
    fn successor(self) -> Option<Self> {
        self.checked_add(1)
    }
}

/// Sorts inclusive ranges and joins the overlapping and adjacent ones.
fn merge<T: Successor>(mut ranges: Vec<(T, T)>) -> Vec<(T, T)> {
    ranges.sort_unstable();
    let mut out: Vec<(T, T)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match out.last_mut() {
            // `start` is at most one past the last end (or the last reaches the top).
            Some(last) if last.1.successor().is_none_or(|next| start <= next) => {
                last.1 = last.1.max(end);
            }
            _ => out.push((start, end)),
        }
    }
    out.shrink_to_fit();
    out
}

/// One line of either format; `None` when it is neither.
fn parse_line(line: &str) -> Option<Line> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
        return Some(Line::Nothing);
    }
    emule_line(line)
        .or_else(|| p2p_line(line))
        .or_else(|| range(line).map(Line::Block))
}

/// `first - last , level , name` (the name, and the level, may be missing).
fn emule_line(line: &str) -> Option<Line> {
    let mut fields = line.splitn(3, ',');
    let range = range(fields.next()?)?;
    let Some(level) = fields.next() else {
        return Some(Line::Block(range));
    };
    let level: u32 = level.trim().parse().ok()?;
    Some(if level <= EMULE_BLOCK_LEVEL {
        Line::Block(range)
    } else {
        Line::Allowed
    })
}

/// `name:first-last`: the range is what follows the name's last `:` for IPv4; for IPv6 (whose
/// addresses contain `:` themselves) the first split that leaves a valid range.
fn p2p_line(line: &str) -> Option<Line> {
    let (_, v4) = line.rsplit_once(':')?;
    if let Some(r @ Range::V4(..)) = range(v4) {
        return Some(Line::Block(r));
    }
    line.match_indices(':')
        .find_map(|(i, _)| match range(line.get(i + 1..)?) {
            Some(r @ Range::V6(..)) => Some(r),
            _ => None,
        })
        .map(Line::Block)
}

/// `first-last` (spaces around the dash allowed), both of one family, first ≤ last.
fn range(text: &str) -> Option<Range> {
    let (first, last) = text.split_once('-')?;
    match (address(first)?, address(last)?) {
        (IpAddr::V4(a), IpAddr::V4(b)) => v4_range(a, b),
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            // Both inside ::ffff:0:0/96: an IPv4 range written as IPv6.
            if let (Some(a4), Some(b4)) = (a.to_ipv4_mapped(), b.to_ipv4_mapped()) {
                return v4_range(a4, b4);
            }
            let (a, b) = (u128::from(a), u128::from(b));
            (a <= b).then_some(Range::V6(a, b))
        }
        _ => None,
    }
}

fn v4_range(a: Ipv4Addr, b: Ipv4Addr) -> Option<Range> {
    let (a, b) = (u32::from(a), u32::from(b));
    (a <= b).then_some(Range::V4(a, b))
}

/// An IPv4 address (octets may be zero-padded, as eMule writes them) or an IPv6 address.
fn address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    if text.contains(':') {
        return text.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts
        .next()
        .is_none()
        .then_some(IpAddr::V4(Ipv4Addr::from(octets)))
}
