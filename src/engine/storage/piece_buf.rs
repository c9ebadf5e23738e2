//! Buffers for whole pieces read from the disk to be uploaded, reused.
//!
//! A seeder reads every piece a peer asks for into a buffer of its own, which lives on in the
//! torrent's read cache and in the block messages sliced from it until they are sent. A fresh
//! zeroed buffer per piece cost a seeder 10 % of its CPU here (1 MiB pieces): `memset`, then a
//! page fault for every 4 KiB of it, then the pages' return when it was freed. Buffers dropped
//! go back to a small process-wide pool instead (at most [`KEPT`] of them, [`KEPT_BYTES`] in
//! all); a read overwrites a reused buffer completely, and one that fails is never handed on.

use bytes::Bytes;
use std::sync::Mutex;

/// Free buffers kept, at most.
const KEPT: usize = 8;
/// Bytes of free buffers kept, at most.
const KEPT_BYTES: usize = 8 * 1024 * 1024;

/// Free buffers.
struct Pool(Mutex<Vec<Vec<u8>>>);

static POOL: Pool = Pool(Mutex::new(Vec::new()));

/// A buffer of a piece's length, from the pool when one of a fitting size is there.
pub struct PieceBuf {
    buf: Vec<u8>,
    len: usize,
    pool: &'static Pool,
}

impl PieceBuf {
    /// A buffer of `len` bytes (their content is whatever a previous piece left).
    pub fn take(len: usize) -> PieceBuf {
        PieceBuf::take_from(&POOL, len)
    }

    fn take_from(pool: &'static Pool, len: usize) -> PieceBuf {
        let reused = {
            let mut free = pool.0.lock().unwrap_or_else(|p| p.into_inner());
            free.iter()
                .position(|b| b.len() >= len && b.len() / 2 <= len)
                .map(|i| free.swap_remove(i))
        };
        PieceBuf {
            buf: reused.unwrap_or_else(|| vec![0; len]),
            len,
            pool,
        }
    }

    /// The buffer, to read into.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.buf[..self.len]
    }

    /// Shared bytes; the buffer goes back to the pool when the last of them is dropped.
    pub fn into_bytes(self) -> Bytes {
        Bytes::from_owner(self)
    }
}

impl AsRef<[u8]> for PieceBuf {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for PieceBuf {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.buf);
        if buf.is_empty() || buf.len() > KEPT_BYTES {
            return;
        }
        let mut free = self.pool.0.lock().unwrap_or_else(|p| p.into_inner());
        let kept: usize = free.iter().map(Vec::len).sum();
        if free.len() < KEPT && kept + buf.len() <= KEPT_BYTES {
            free.push(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_come_back_and_fit_their_pieces() {
        // A pool of its own: other tests' buffers cannot answer.
        let pool: &'static Pool = Box::leak(Box::new(Pool(Mutex::new(Vec::new()))));
        let len = 123_457;
        let mut a = PieceBuf::take_from(pool, len);
        a.as_mut_slice().fill(7);
        let bytes = a.into_bytes();
        let block = bytes.slice(1000..2000);
        drop(bytes);
        assert_eq!(&block[..], &[7u8; 1000][..], "alive while a slice is");
        let at = block.as_ptr() as usize - 1000;
        drop(block);
        // The same memory serves the next piece of that size, or a slightly shorter one.
        let b = PieceBuf::take_from(pool, len - 11);
        assert_eq!(b.as_ref().len(), len - 11);
        assert_eq!(b.as_ref().as_ptr() as usize, at);
        // A piece less than half its size gets a buffer of its own.
        drop(b);
        let c = PieceBuf::take_from(pool, len / 3);
        assert_ne!(c.as_ref().as_ptr() as usize, at);
        assert!(c.as_ref().len() == len / 3);
    }
}
