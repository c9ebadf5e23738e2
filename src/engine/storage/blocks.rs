//! Memory for received blocks: page-aligned buffers from a pool, and a process-wide budget.
//!
//! Each block a peer sends is copied out of the connection's read buffer, while that is still
//! in the CPU cache, into a 16 KiB buffer of its own. The read buffer is then read into again
//! at once, so a block waiting for the disk holds exactly its own 16 KiB. The buffers are
//! page-aligned, which is what a write past the page cache ([`super::direct`]) needs: a piece's
//! blocks go to the disk as they are, in one `pwritev`.
//!
//! The blocks held at any moment are counted against [`BUDGET`]. A connection about to read
//! while the budget is spent waits (up to [`MAX_WAIT`]) for blocks to reach the disk: the data
//! stays in the kernel's socket buffer and TCP slows the sender, as libtorrent does with its
//! disk queue limit. So a disk slower than the network costs time, not memory. The wait is
//! bounded because blocks of unfinished pieces hold budget too: a torrent whose pieces could
//! only complete with more blocks must not wait for ever.

use std::pin::pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The size of a block buffer: the block size peers send (and that we request).
const BLOCK: usize = 16 * 1024;

/// Bytes of received blocks the process holds before connections stop reading.
pub const BUDGET: usize = 8 * 1024 * 1024;

/// How long a connection waits for room before it reads anyway.
pub const MAX_WAIT: Duration = Duration::from_millis(250);

/// Free buffers kept for reuse, at most (all the budget): reused memory costs no page fault.
const KEPT: usize = BUDGET / BLOCK;

/// One page, the unit of alignment, as a type whose vectors the allocator aligns.
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C, align(4096))]
struct Page([u8; 4096]);

static FREE: Mutex<Vec<Vec<Page>>> = Mutex::new(Vec::new());

/// Bytes of blocks alive now.
static HELD: AtomicUsize = AtomicUsize::new(0);

/// Woken when [`HELD`] falls back under the budget.
static ROOM: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// A block in a buffer of its own; back to the pool when dropped.
struct Block {
    pages: Vec<Page>,
    len: usize,
}

impl AsRef<[u8]> for Block {
    fn as_ref(&self) -> &[u8] {
        &bytemuck::cast_slice(&self.pages)[..self.len]
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        let before = HELD.fetch_sub(self.len, Ordering::Relaxed);
        if before > BUDGET && before - self.len <= BUDGET {
            ROOM.notify_waiters();
        }
        let mut free = FREE.lock().unwrap_or_else(|p| p.into_inner());
        if free.len() < KEPT {
            free.push(std::mem::take(&mut self.pages));
        }
    }
}

/// `data`, a received block, copied into a page-aligned buffer of its own (counted against the
/// budget); a block longer than 16 KiB (never requested) as it is.
pub fn own_block(data: bytes::Bytes) -> bytes::Bytes {
    if data.len() > BLOCK {
        return data;
    }
    let mut pages = FREE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .pop()
        .unwrap_or_else(|| vec![Page([0; 4096]); BLOCK / 4096]);
    bytemuck::cast_slice_mut(&mut pages)[..data.len()].copy_from_slice(&data);
    HELD.fetch_add(data.len(), Ordering::Relaxed);
    bytes::Bytes::from_owner(Block {
        pages,
        len: data.len(),
    })
}

/// Bytes of received blocks held now, in the whole process.
pub fn held() -> usize {
    HELD.load(Ordering::Relaxed)
}

/// Waits until the blocks held fit the budget again, or `max` has passed.
pub async fn room(max: Duration) {
    if HELD.load(Ordering::Relaxed) <= BUDGET {
        return;
    }
    let _ = tokio::time::timeout(max, async {
        loop {
            let mut woken = pin!(ROOM.notified());
            woken.as_mut().enable();
            if HELD.load(Ordering::Relaxed) <= BUDGET {
                return;
            }
            woken.await;
        }
    })
    .await;
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_page_aligned_copies() {
        let data: Vec<u8> = (0..BLOCK).map(|i| (i * 31 % 251) as u8).collect();
        for len in [BLOCK, 1, 5000] {
            let b = own_block(bytes::Bytes::copy_from_slice(&data[..len]));
            assert_eq!(&b[..], &data[..len]);
            assert_eq!(b.as_ptr() as usize % 4096, 0);
        }
        let long = bytes::Bytes::from(vec![1; BLOCK + 1]);
        assert_eq!(own_block(long.clone()).as_ptr(), long.as_ptr());
        assert!(FREE.lock().unwrap().len() <= KEPT);
    }

    #[tokio::test]
    async fn a_reader_waits_while_the_budget_is_spent_and_goes_on_when_blocks_are_written() {
        // Other tests of this binary may hold blocks too: only what this one adds is certain.
        let held: Vec<bytes::Bytes> = (0..(BUDGET / BLOCK + 1))
            .map(|_| own_block(bytes::Bytes::from(vec![7; BLOCK])))
            .collect();
        assert!(super::held() > BUDGET);
        let waiting = tokio::spawn(room(Duration::from_secs(30)));
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "read while over the budget");
        drop(held);
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("still waiting once the blocks were gone")
            .unwrap();
    }

    #[tokio::test]
    async fn the_wait_is_bounded() {
        let held: Vec<bytes::Bytes> = (0..(BUDGET / BLOCK + 1))
            .map(|_| own_block(bytes::Bytes::from(vec![7; BLOCK])))
            .collect();
        let started = std::time::Instant::now();
        room(Duration::from_millis(100)).await;
        assert!(started.elapsed() >= Duration::from_millis(100));
        drop(held);
    }
}
