//! A fixed-length set of piece indices in the wire format of BEP 3: bit 0 is the high bit of the
//! first byte, spare bits at the end are zero.
//!
//! Owned by whoever tracks pieces (hash check, picker, resume data); it knows nothing of peers.

/// A set of pieces `0..len`, stored MSB-first like the `bitfield` message.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Bitfield {
    bytes: Vec<u8>,
    len: usize,
    count: usize,
}

impl Bitfield {
    /// An empty set able to hold pieces `0..len`.
    pub fn new(len: usize) -> Self {
        Bitfield {
            bytes: vec![0; len.div_ceil(8)],
            len,
            count: 0,
        }
    }

    /// A full set of `len` pieces.
    pub fn full(len: usize) -> Self {
        let mut b = Bitfield::new(len);
        for i in 0..len {
            b.set(i);
        }
        b
    }

    /// Reads a wire-format bitfield; `None` if its length is wrong or a spare bit is set.
    pub fn from_bytes(bytes: &[u8], len: usize) -> Option<Self> {
        if bytes.len() != len.div_ceil(8) {
            return None;
        }
        let spare = bytes.len() * 8 - len;
        if spare > 0 {
            let last = *bytes.last()?;
            if last & ((1u8 << spare) - 1) != 0 {
                return None;
            }
        }
        let count = bytes.iter().map(|b| b.count_ones() as usize).sum();
        Some(Bitfield {
            bytes: bytes.to_vec(),
            len,
            count,
        })
    }

    /// Number of pieces the set can hold.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the set holds no pieces at all (`len() == 0`).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many pieces are in the set.
    pub fn count(&self) -> usize {
        self.count
    }

    /// True when every piece is in the set.
    pub fn is_complete(&self) -> bool {
        self.count == self.len
    }

    /// Whether piece `i` is in the set (false when out of range).
    pub fn get(&self, i: usize) -> bool {
        i < self.len && self.bytes[i / 8] & (0x80 >> (i % 8)) != 0
    }

    /// Adds piece `i`; out-of-range indices are ignored.
    pub fn set(&mut self, i: usize) {
        if i < self.len && !self.get(i) {
            self.bytes[i / 8] |= 0x80 >> (i % 8);
            self.count += 1;
        }
    }

    /// Removes piece `i`; out-of-range indices are ignored.
    pub fn clear(&mut self, i: usize) {
        if self.get(i) {
            self.bytes[i / 8] &= !(0x80 >> (i % 8));
            self.count -= 1;
        }
    }

    /// The wire-format bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Indices of the pieces in the set, ascending.
    pub fn iter_set(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len).filter(|&i| self.get(i))
    }
}

impl std::fmt::Debug for Bitfield {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bitfield({}/{})", self.count, self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_clear_count() {
        let mut b = Bitfield::new(10);
        b.set(0);
        b.set(9);
        b.set(9);
        b.set(10);
        assert_eq!(b.count(), 2);
        assert_eq!(b.as_bytes(), &[0x80, 0x40]);
        b.clear(0);
        assert!(!b.get(0) && b.get(9));
        assert_eq!(b.count(), 1);
    }

    #[test]
    fn from_bytes_checks_length_and_spare_bits() {
        assert!(Bitfield::from_bytes(&[0xff, 0xc0], 10).is_some());
        assert!(Bitfield::from_bytes(&[0xff, 0xe0], 10).is_none());
        assert!(Bitfield::from_bytes(&[0xff], 10).is_none());
        assert_eq!(Bitfield::full(10).as_bytes(), &[0xff, 0xc0]);
    }
}
