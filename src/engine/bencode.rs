//! The gate every bencoded input passes before it is decoded (BEP 3).
//!
//! serde_bencode 0.2 recurses without a limit (a few kilobytes of nested lists overflow the stack
//! and abort the process) and silently accepts non-canonical input. So every bencoded input, from
//! a file or from the network, is first walked by [`scan`]: a non-recursive scanner that enforces a
//! size, nesting and token limit, rejects malformed and ambiguous encodings, and records the exact
//! byte spans of the top-level dictionary's values, so the info-hash can be taken over the `info`
//! bytes as they stand. Only then is the input handed to serde_bencode ([`decode`]), whose
//! recursion is now bounded by the nesting limit.
//!
//! Keys out of order are tolerated (real torrents have them, and the info-hash must still be
//! right); duplicate keys, leading zeros, `-0` and trailing bytes are not. This module depends on
//! nothing else in the engine.

use serde_bencode::value::Value;
use std::ops::Range;

/// How much a bencoded input may ask of us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes.
    pub max_size: usize,
    /// Deepest nesting of lists and dictionaries (libtorrent also uses 100).
    pub max_depth: usize,
    /// Most values (integers, strings, lists, dictionaries) in one input.
    pub max_tokens: usize,
}

impl Limits {
    /// For `.torrent` files: 10 MiB, depth 100, two million tokens (libtorrent's defaults).
    pub const TORRENT: Limits = Limits {
        max_size: 10 * 1024 * 1024,
        max_depth: 100,
        max_tokens: 2_000_000,
    };
    /// For small network messages (tracker responses, DHT packets, extension messages).
    pub const MESSAGE: Limits = Limits {
        max_size: 1024 * 1024,
        max_depth: 32,
        max_tokens: 100_000,
    };
}

/// Why a bencoded input was refused. Offsets count bytes from the start of the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BencodeError {
    #[error("the input is {size} bytes, more than the {max} allowed")]
    TooLarge { size: usize, max: usize },
    #[error("the input is empty")]
    Empty,
    #[error("byte {at}: nested more than {max} levels deep")]
    TooDeep { at: usize, max: usize },
    #[error("byte {at}: more than {max} values")]
    TooManyTokens { at: usize, max: usize },
    #[error("the input ends in the middle of a value")]
    UnexpectedEnd,
    #[error("byte {at}: unexpected byte 0x{byte:02x}")]
    UnexpectedByte { at: usize, byte: u8 },
    #[error("byte {at}: malformed integer")]
    BadInteger { at: usize },
    #[error("byte {at}: number with a leading zero or a negative zero")]
    NonCanonicalNumber { at: usize },
    #[error("byte {at}: integer does not fit in 64 bits")]
    IntegerOverflow { at: usize },
    #[error("byte {at}: string of {len} bytes runs past the end of the input")]
    StringPastEnd { at: usize, len: u64 },
    #[error("byte {at}: dictionary key is not a string")]
    KeyNotString { at: usize },
    #[error("byte {at}: dictionary key `{key}` appears twice")]
    DuplicateKey { at: usize, key: String },
    #[error("byte {at}: dictionary key without a value")]
    KeyWithoutValue { at: usize },
    #[error("byte {at}: extra bytes after the end of the value")]
    TrailingBytes { at: usize },
    #[error("the top-level value is not a dictionary")]
    NotADictionary,
    #[error("decoding failed after a clean scan: {0}")]
    Decode(String),
}

/// What [`scan`] learned about a valid input.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Top-level dictionary entries as (key span, value span), in input order. Empty when the
    /// top-level value is not a dictionary.
    pub top_level: Vec<(Range<usize>, Range<usize>)>,
    /// Number of values in the input.
    pub tokens: usize,
}

impl Scan {
    /// Byte span of the value stored under `key` in the top-level dictionary.
    pub fn value_span(&self, input: &[u8], key: &[u8]) -> Option<Range<usize>> {
        self.top_level
            .iter()
            .find(|(k, _)| input.get(k.clone()) == Some(key))
            .map(|(_, v)| v.clone())
    }
}

enum Frame {
    List,
    Dict {
        /// Index into the shared key stack where this dictionary's keys begin.
        keys_from: usize,
        /// True when the next item is a key.
        want_key: bool,
        /// Whether the keys so far were strictly ascending.
        sorted: bool,
    },
}

/// Checks that `input` is exactly one well-formed bencoded value within `limits`, without
/// recursion, and records the spans of the top-level dictionary's entries.
pub fn scan(input: &[u8], limits: Limits) -> Result<Scan, BencodeError> {
    if input.len() > limits.max_size {
        return Err(BencodeError::TooLarge {
            size: input.len(),
            max: limits.max_size,
        });
    }
    if input.is_empty() {
        return Err(BencodeError::Empty);
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut keys: Vec<Range<usize>> = Vec::new();
    let mut scan = Scan::default();
    // Start of the value now being read at depth 1 of a top-level dictionary, and its key.
    let mut top_key: Option<Range<usize>> = None;
    let mut pos = 0usize;

    loop {
        let at = pos;
        let byte = *input.get(pos).ok_or(BencodeError::UnexpectedEnd)?;

        // `e` closes the innermost container.
        if byte == b'e' {
            match stack.pop() {
                Some(Frame::List) => {}
                Some(Frame::Dict {
                    keys_from,
                    want_key,
                    sorted,
                }) => {
                    if !want_key {
                        return Err(BencodeError::KeyWithoutValue { at });
                    }
                    if !sorted {
                        check_duplicates(input, &keys[keys_from..])?;
                    }
                    keys.truncate(keys_from);
                }
                None => return Err(BencodeError::UnexpectedByte { at, byte }),
            }
            pos += 1;
            if finish_value(&mut stack, &mut scan, &mut top_key, pos, input.len())? {
                return Ok(scan);
            }
            continue;
        }

        scan.tokens += 1;
        if scan.tokens > limits.max_tokens {
            return Err(BencodeError::TooManyTokens {
                at,
                max: limits.max_tokens,
            });
        }

        // Is this item a dictionary key?
        let is_key = matches!(stack.last(), Some(Frame::Dict { want_key: true, .. }));
        if is_key && !byte.is_ascii_digit() {
            return Err(BencodeError::KeyNotString { at });
        }
        match byte {
            b'i' => {
                pos = read_integer(input, pos)?;
            }
            b'0'..=b'9' => {
                let (start, end) = read_string(input, pos)?;
                pos = end;
                if is_key {
                    if let Some(Frame::Dict {
                        keys_from, sorted, ..
                    }) = stack.last_mut()
                        && *sorted
                        && keys.len() > *keys_from
                        && let Some(prev) = keys.last()
                    {
                        match input[prev.clone()].cmp(&input[start..end]) {
                            std::cmp::Ordering::Less => {}
                            std::cmp::Ordering::Equal => {
                                return Err(BencodeError::DuplicateKey {
                                    at,
                                    key: String::from_utf8_lossy(&input[start..end]).into_owned(),
                                });
                            }
                            std::cmp::Ordering::Greater => *sorted = false,
                        }
                    }
                    keys.push(start..end);
                    if stack.len() == 1 {
                        top_key = Some(start..end);
                    }
                    if let Some(Frame::Dict { want_key, .. }) = stack.last_mut() {
                        *want_key = false;
                    }
                    continue;
                }
            }
            b'l' | b'd' => {
                if stack.len() >= limits.max_depth {
                    return Err(BencodeError::TooDeep {
                        at,
                        max: limits.max_depth,
                    });
                }
                if stack.len() == 1 {
                    // Remember where a top-level value that is a container starts.
                    scan_start_marker(&mut scan, &top_key, at);
                }
                stack.push(if byte == b'l' {
                    Frame::List
                } else {
                    Frame::Dict {
                        keys_from: keys.len(),
                        want_key: true,
                        sorted: true,
                    }
                });
                pos += 1;
                continue;
            }
            _ => return Err(BencodeError::UnexpectedByte { at, byte }),
        }
        // A scalar value (integer or non-key string) ended at `pos`.
        if stack.len() == 1 {
            scan_start_marker(&mut scan, &top_key, at);
        }
        if finish_value(&mut stack, &mut scan, &mut top_key, pos, input.len())? {
            return Ok(scan);
        }
    }
}

/// Records that a value of the top-level dictionary starts at `at` (its end is filled in later).
fn scan_start_marker(scan: &mut Scan, top_key: &Option<Range<usize>>, at: usize) {
    if let Some(k) = top_key {
        scan.top_level.push((k.clone(), at..at));
    }
}

/// Bookkeeping after a complete value ending at `end`. Returns true when it was the outermost
/// value (and checks nothing follows it).
fn finish_value(
    stack: &mut [Frame],
    scan: &mut Scan,
    top_key: &mut Option<Range<usize>>,
    end: usize,
    input_len: usize,
) -> Result<bool, BencodeError> {
    match stack.last_mut() {
        None => {
            if end != input_len {
                return Err(BencodeError::TrailingBytes { at: end });
            }
            Ok(true)
        }
        Some(frame) => {
            if let Frame::Dict { want_key, .. } = frame {
                *want_key = true;
            }
            if stack.len() == 1
                && top_key.take().is_some()
                && let Some((_, span)) = scan.top_level.last_mut()
            {
                span.end = end;
            }
            Ok(false)
        }
    }
}

fn check_duplicates(input: &[u8], keys: &[Range<usize>]) -> Result<(), BencodeError> {
    let mut sorted: Vec<&Range<usize>> = keys.iter().collect();
    sorted.sort_by(|a, b| input[(*a).clone()].cmp(&input[(*b).clone()]));
    for pair in sorted.windows(2) {
        if input[pair[0].clone()] == input[pair[1].clone()] {
            return Err(BencodeError::DuplicateKey {
                at: pair[1].start,
                key: String::from_utf8_lossy(&input[pair[1].clone()]).into_owned(),
            });
        }
    }
    Ok(())
}

/// Reads `i<digits>e` starting at `pos` (which holds `i`); returns the position after `e`.
fn read_integer(input: &[u8], pos: usize) -> Result<usize, BencodeError> {
    let mut p = pos + 1;
    let negative = input.get(p) == Some(&b'-');
    if negative {
        p += 1;
    }
    let digits_start = p;
    let mut value: i64 = 0;
    while let Some(&c) = input.get(p) {
        if !c.is_ascii_digit() {
            break;
        }
        let d = i64::from(c - b'0');
        value = value
            .checked_mul(10)
            .and_then(|v| {
                if negative {
                    v.checked_sub(d)
                } else {
                    v.checked_add(d)
                }
            })
            .ok_or(BencodeError::IntegerOverflow { at: pos })?;
        p += 1;
    }
    match input.get(p) {
        None => return Err(BencodeError::UnexpectedEnd),
        Some(b'e') => {}
        Some(_) => return Err(BencodeError::BadInteger { at: pos }),
    }
    let digits = &input[digits_start..p];
    if digits.is_empty() {
        return Err(BencodeError::BadInteger { at: pos });
    }
    if (digits.len() > 1 && digits[0] == b'0') || (negative && digits == b"0") {
        return Err(BencodeError::NonCanonicalNumber { at: pos });
    }
    Ok(p + 1)
}

/// Reads `<len>:<bytes>` starting at `pos`; returns the span of the bytes.
fn read_string(input: &[u8], pos: usize) -> Result<(usize, usize), BencodeError> {
    let mut p = pos;
    let mut len: u64 = 0;
    while let Some(&c) = input.get(p) {
        if !c.is_ascii_digit() {
            break;
        }
        len = len
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(c - b'0')))
            .ok_or(BencodeError::IntegerOverflow { at: pos })?;
        p += 1;
    }
    match input.get(p) {
        None => return Err(BencodeError::UnexpectedEnd),
        Some(b':') => {}
        Some(&byte) => return Err(BencodeError::UnexpectedByte { at: p, byte }),
    }
    if p - pos > 1 && input[pos] == b'0' {
        return Err(BencodeError::NonCanonicalNumber { at: pos });
    }
    let start = p + 1;
    let remaining = (input.len() - start) as u64;
    if len > remaining {
        return Err(BencodeError::StringPastEnd { at: pos, len });
    }
    Ok((start, start + len as usize))
}

/// Scans `input` and, if it passes, decodes it with serde_bencode into a [`Value`].
pub fn decode(input: &[u8], limits: Limits) -> Result<(Value, Scan), BencodeError> {
    let scan = scan(input, limits)?;
    let value: Value =
        serde_bencode::from_bytes(input).map_err(|e| BencodeError::Decode(e.to_string()))?;
    Ok((value, scan))
}

/// Scans and decodes exactly one value at the start of `input`, which may be followed by other
/// bytes (BEP 9: a ut_metadata `data` message is a dictionary followed by raw metadata). Returns
/// the value and how many bytes it took. The same strictness as [`decode`] applies to the value;
/// `limits.max_size` bounds the value, not what follows it.
///
/// It reuses [`scan`] unchanged: the scanner validates from the start and reports
/// [`BencodeError::TrailingBytes`] exactly where the first complete value ends, so that offset is
/// the prefix length. Only the first `max_size` bytes are ever looked at.
pub fn decode_prefix(input: &[u8], limits: Limits) -> Result<(Value, usize), BencodeError> {
    let window = &input[..input.len().min(limits.max_size)];
    let truncated = window.len() < input.len();
    let end = match scan(window, limits) {
        Ok(_) => window.len(),
        Err(BencodeError::TrailingBytes { at }) => at,
        // The value did not end within `max_size` bytes.
        Err(
            BencodeError::UnexpectedEnd | BencodeError::StringPastEnd { .. } | BencodeError::Empty,
        ) if truncated => {
            return Err(BencodeError::TooLarge {
                size: input.len(),
                max: limits.max_size,
            });
        }
        Err(e) => return Err(e),
    };
    let value: Value = serde_bencode::from_bytes(&input[..end])
        .map_err(|e| BencodeError::Decode(e.to_string()))?;
    Ok((value, end))
}

/// Encodes a value canonically: dictionary keys sorted by their raw bytes.
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(value, &mut out);
    out
}

fn encode_into(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Int(i) => {
            out.push(b'i');
            out.extend_from_slice(i.to_string().as_bytes());
            out.push(b'e');
        }
        Value::Bytes(b) => encode_bytes(b, out),
        Value::List(items) => {
            out.push(b'l');
            for item in items {
                encode_into(item, out);
            }
            out.push(b'e');
        }
        Value::Dict(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push(b'd');
            for (k, v) in entries {
                encode_bytes(k, out);
                encode_into(v, out);
            }
            out.push(b'e');
        }
    }
}

fn encode_bytes(b: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(b.len().to_string().as_bytes());
    out.push(b':');
    out.extend_from_slice(b);
}

/// Typed look-ups into a decoded dictionary, tolerant of wrongly typed optional fields.
pub mod get {
    use serde_bencode::value::Value;
    use std::collections::HashMap;

    /// The dictionary inside `v`, if it is one.
    pub fn dict(v: &Value) -> Option<&HashMap<Vec<u8>, Value>> {
        match v {
            Value::Dict(d) => Some(d),
            _ => None,
        }
    }
    /// `d[key]` as an integer.
    pub fn int(d: &HashMap<Vec<u8>, Value>, key: &str) -> Option<i64> {
        match d.get(key.as_bytes()) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }
    /// `d[key]` as a byte string.
    pub fn bytes<'a>(d: &'a HashMap<Vec<u8>, Value>, key: &str) -> Option<&'a [u8]> {
        match d.get(key.as_bytes()) {
            Some(Value::Bytes(b)) => Some(b),
            _ => None,
        }
    }
    /// `d[key]` as a UTF-8 string (lossy: invalid sequences become U+FFFD).
    pub fn string(d: &HashMap<Vec<u8>, Value>, key: &str) -> Option<String> {
        bytes(d, key).map(|b| String::from_utf8_lossy(b).into_owned())
    }
    /// `d[key]` as a list.
    pub fn list<'a>(d: &'a HashMap<Vec<u8>, Value>, key: &str) -> Option<&'a [Value]> {
        match d.get(key.as_bytes()) {
            Some(Value::List(l)) => Some(l),
            _ => None,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ok(input: &[u8]) -> Scan {
        scan(input, Limits::TORRENT).unwrap()
    }
    fn err(input: &[u8]) -> BencodeError {
        scan(input, Limits::TORRENT).unwrap_err()
    }

    #[test]
    fn accepts_canonical_values() {
        for input in [
            &b"i0e"[..],
            b"i-42e",
            b"0:",
            b"4:spam",
            b"le",
            b"de",
            b"l4:spami42ee",
            b"d3:bar4:spam3:fooi42ee",
            b"d1:ad1:bl1:ceee",
        ] {
            ok(input);
        }
    }

    #[test]
    fn rejects_non_canonical_integers() {
        assert!(matches!(
            err(b"i03e"),
            BencodeError::NonCanonicalNumber { .. }
        ));
        assert!(matches!(
            err(b"i-0e"),
            BencodeError::NonCanonicalNumber { .. }
        ));
        assert!(matches!(err(b"ie"), BencodeError::BadInteger { .. }));
        assert!(matches!(err(b"i-e"), BencodeError::BadInteger { .. }));
        assert!(matches!(err(b"i1x2e"), BencodeError::BadInteger { .. }));
        assert!(matches!(
            err(b"03:abc"),
            BencodeError::NonCanonicalNumber { .. }
        ));
        assert!(matches!(
            err(b"i9223372036854775808e"),
            BencodeError::IntegerOverflow { .. }
        ));
        ok(b"i-9223372036854775808e");
    }

    #[test]
    fn rejects_structural_errors() {
        assert_eq!(err(b""), BencodeError::Empty);
        assert_eq!(err(b"i1"), BencodeError::UnexpectedEnd);
        assert_eq!(err(b"l"), BencodeError::UnexpectedEnd);
        assert!(matches!(err(b"5:abc"), BencodeError::StringPastEnd { .. }));
        assert!(matches!(
            err(b"99999999999999999999999:a"),
            BencodeError::IntegerOverflow { .. }
        ));
        assert!(matches!(
            err(b"i1ei2e"),
            BencodeError::TrailingBytes { at: 3 }
        ));
        assert!(matches!(err(b"e"), BencodeError::UnexpectedByte { .. }));
        assert!(matches!(err(b"x"), BencodeError::UnexpectedByte { .. }));
        assert!(matches!(
            err(b"di1ei2ee"),
            BencodeError::KeyNotString { .. }
        ));
        assert!(matches!(
            err(b"d1:ae"),
            BencodeError::KeyWithoutValue { .. }
        ));
    }

    #[test]
    fn duplicate_keys_rejected_sorted_or_not() {
        assert!(matches!(
            err(b"d1:ai1e1:ai2ee"),
            BencodeError::DuplicateKey { .. }
        ));
        assert!(matches!(
            err(b"d1:bi1e1:ai1e1:bi2ee"),
            BencodeError::DuplicateKey { .. }
        ));
        // Out of order but distinct keys are tolerated.
        ok(b"d1:bi1e1:ai1e1:ci2ee");
    }

    #[test]
    fn nesting_limit_holds_without_recursion() {
        let deep = "l".repeat(100_000) + &"e".repeat(100_000);
        assert!(matches!(
            err(deep.as_bytes()),
            BencodeError::TooDeep { max: 100, .. }
        ));
        let fine = "l".repeat(100) + &"e".repeat(100);
        ok(fine.as_bytes());
        let too_deep = "l".repeat(101) + &"e".repeat(101);
        assert!(matches!(
            err(too_deep.as_bytes()),
            BencodeError::TooDeep { .. }
        ));
        // serde_bencode is never reached with the deep input.
        assert!(decode(deep.as_bytes(), Limits::TORRENT).is_err());
    }

    #[test]
    fn size_and_token_limits() {
        let limits = Limits {
            max_size: 10,
            max_depth: 5,
            max_tokens: 3,
        };
        assert!(matches!(
            scan(b"12345678901", limits),
            Err(BencodeError::TooLarge { .. })
        ));
        assert!(matches!(
            scan(
                b"li1ei2ei3ee",
                Limits {
                    max_size: 100,
                    ..limits
                }
            ),
            Err(BencodeError::TooManyTokens { .. })
        ));
    }

    #[test]
    fn records_top_level_spans() {
        let input = b"d8:announce3:url4:infod4:name1:ae3:zzzli1eee";
        let s = ok(input);
        let info = s.value_span(input, b"info").unwrap();
        assert_eq!(&input[info], b"d4:name1:ae");
        let ann = s.value_span(input, b"announce").unwrap();
        assert_eq!(&input[ann], b"3:url");
        let z = s.value_span(input, b"zzz").unwrap();
        assert_eq!(&input[z], b"li1ee");
        assert!(s.value_span(input, b"missing").is_none());
    }

    #[test]
    fn encode_sorts_keys() {
        let input = b"d1:bi1e1:ai2ee";
        let (v, _) = decode(input, Limits::TORRENT).unwrap();
        assert_eq!(encode(&v), b"d1:ai2e1:bi1ee");
    }

    #[test]
    fn decode_prefix_stops_after_the_first_value() {
        let input = b"d8:msg_typei1e5:piecei0ee\x00\xffraw bytes e i1e";
        let (v, used) = decode_prefix(input, Limits::MESSAGE).unwrap();
        assert_eq!(used, 25);
        assert_eq!(get::int(get::dict(&v).unwrap(), "piece"), Some(0));
        // Nothing after the value is fine too.
        let (v, used) = decode_prefix(b"i42e", Limits::MESSAGE).unwrap();
        assert_eq!((v, used), (Value::Int(42), 4));
        let (_, used) = decode_prefix(b"4:spamxyz", Limits::MESSAGE).unwrap();
        assert_eq!(used, 6);
    }

    #[test]
    fn decode_prefix_is_as_strict_as_decode() {
        let p = |input: &[u8]| decode_prefix(input, Limits::MESSAGE).unwrap_err();
        assert_eq!(p(b""), BencodeError::Empty);
        assert_eq!(p(b"d1:ai1e"), BencodeError::UnexpectedEnd);
        assert!(matches!(
            p(b"i03eXX"),
            BencodeError::NonCanonicalNumber { .. }
        ));
        assert!(matches!(
            p(b"d1:ai1e1:ai2eeXX"),
            BencodeError::DuplicateKey { .. }
        ));
        assert!(matches!(
            p(b"di1ei2eeXX"),
            BencodeError::KeyNotString { .. }
        ));
        assert!(matches!(p(b"e"), BencodeError::UnexpectedByte { .. }));
        assert!(matches!(p(b"9:abc"), BencodeError::StringPastEnd { .. }));
        let deep = "l".repeat(1000) + &"e".repeat(1000) + "tail";
        assert!(matches!(p(deep.as_bytes()), BencodeError::TooDeep { .. }));
    }

    #[test]
    fn decode_prefix_limits_the_value_not_the_tail() {
        let limits = Limits {
            max_size: 16,
            max_depth: 4,
            max_tokens: 10,
        };
        // A small value followed by a long tail passes.
        let mut input = b"d1:ai1ee".to_vec();
        input.extend(std::iter::repeat_n(b'x', 1000));
        assert_eq!(decode_prefix(&input, limits).unwrap().1, 8);
        // A value longer than max_size does not, whatever the tail.
        let long = b"20:aaaaaaaaaaaaaaaaaaaatail";
        assert!(matches!(
            decode_prefix(long, limits),
            Err(BencodeError::TooLarge { max: 16, .. })
        ));
        let open_dict = b"d1:a1:b1:c1:d1:e1:f";
        assert!(matches!(
            decode_prefix(open_dict, limits),
            Err(BencodeError::TooLarge { .. })
        ));
        // Exactly max_size bytes is allowed.
        let exact = b"13:aaaaaaaaaaaaa";
        assert_eq!(decode_prefix(exact, limits).unwrap().1, 16);
    }

    #[test]
    fn random_inputs_never_panic() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let alphabet = b"ilde0123456789:-x";
        for _ in 0..20_000 {
            let len = (x % 24) as usize;
            let mut buf = Vec::with_capacity(len);
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                buf.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            if let Ok(s) = scan(&buf, Limits::TORRENT) {
                // Whatever passes the scanner must decode.
                assert!(serde_bencode::from_bytes::<Value>(&buf).is_ok(), "{buf:?}");
                for (k, v) in &s.top_level {
                    assert!(k.end <= buf.len() && v.end <= buf.len());
                }
            }
        }
    }
}
