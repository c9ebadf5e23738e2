//! Memory for received blocks: page-aligned buffers from a pool, and a process-wide budget.
//!
//! Each block a peer sends lands in a 16 KiB buffer of its own ([`Slot`]): while blocks flow it
//! is read straight into it from the socket (`peer::recv`), otherwise copied out of the
//! connection's read buffer while that is still in the CPU cache. The read buffer is then read
//! into again at once, so a block waiting for the disk holds exactly its own 16 KiB. The buffers are
//! page-aligned, which is what a write past the page cache ([`super::direct`]) needs: a piece's
//! blocks go to the disk as they are, in one `pwritev`.
//!
//! Where a file does not start on a page boundary of the torrent's stream (most files of a
//! torrent of many files), a block is placed in its buffer at its file's phase instead
//! ([`Placement`]): the data starts as far into the first page as its file offset is into a
//! page, so memory and file are in step and the block still goes to the disk as it is, only
//! the sector it shares with its neighbour copied.
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

/// A page: the alignment of block buffers, and the unit of a block's phase.
const PAGE: usize = 4096;

/// Memory of received blocks (their buffers) the process holds before connections stop reading.
pub const BUDGET: usize = 8 * 1024 * 1024;

/// How long a connection waits for room before it reads anyway.
pub const MAX_WAIT: Duration = Duration::from_millis(250);

/// Free buffers kept for reuse, at most (all the budget): reused memory costs no page fault.
const KEPT: usize = BUDGET / BLOCK;

/// One page, the unit of alignment, as a type whose vectors the allocator aligns.
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C, align(4096))]
struct Page([u8; 4096]);

/// Free buffers of [`BLOCK`] bytes, for blocks at phase 0.
static FREE: Mutex<Vec<Vec<Page>>> = Mutex::new(Vec::new());

/// Free buffers of [`BLOCK`] bytes and a page, for blocks placed at a phase.
static FREE_SHIFTED: Mutex<Vec<Vec<Page>>> = Mutex::new(Vec::new());

/// Memory of the blocks alive now (their buffers: a page more for a block placed at a phase).
static HELD: AtomicUsize = AtomicUsize::new(0);

/// Woken when [`HELD`] falls back under the budget.
static ROOM: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// A block in a buffer of its own, `start` bytes into it; back to its pool when dropped.
struct Block {
    pages: Vec<Page>,
    start: usize,
    len: usize,
}

impl Block {
    /// Memory it holds, counted against the budget.
    fn size(&self) -> usize {
        self.pages.len() * PAGE
    }
}

impl AsRef<[u8]> for Block {
    fn as_ref(&self) -> &[u8] {
        &bytemuck::cast_slice(&self.pages)[self.start..self.start + self.len]
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        let size = self.size();
        let before = HELD.fetch_sub(size, Ordering::Relaxed);
        if before > BUDGET && before - size <= BUDGET {
            ROOM.notify_waiters();
        }
        give_back(std::mem::take(&mut self.pages));
    }
}

/// `data`, a received block, copied into a page-aligned buffer of its own (counted against the
/// budget) at `phase` bytes into its first page (taken modulo a page; see [`Placement`]); a
/// block longer than 16 KiB (never requested) as it is.
pub fn own_block(data: bytes::Bytes, phase: usize) -> bytes::Bytes {
    if data.len() > BLOCK {
        return data;
    }
    let mut slot = Slot::new(phase);
    slot.space()[..data.len()].copy_from_slice(&data);
    slot.into_block(data.len())
}

/// A pooled buffer that a block is about to be received into, at a phase: not yet counted
/// against the budget. It becomes the block ([`Slot::into_block`]), or goes back to its pool
/// when dropped.
pub struct Slot {
    pages: Vec<Page>,
    start: usize,
}

impl Slot {
    /// A buffer from the pool for a block at `phase` (taken modulo a page).
    pub fn new(phase: usize) -> Slot {
        let start = phase % PAGE;
        let (pool, count) = if start == 0 {
            (&FREE, BLOCK / PAGE)
        } else {
            (&FREE_SHIFTED, BLOCK / PAGE + 1)
        };
        let pages = pool
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .unwrap_or_else(|| vec![Page([0; PAGE]); count]);
        Slot { pages, start }
    }

    /// Where the block goes: 16 KiB from the phase on.
    pub fn space(&mut self) -> &mut [u8] {
        &mut bytemuck::cast_slice_mut(&mut self.pages)[self.start..self.start + BLOCK]
    }

    /// The first `len` bytes of [`Slot::space`] (at most 16 KiB) as a block, counted against
    /// the budget until it is dropped.
    pub fn into_block(mut self, len: usize) -> bytes::Bytes {
        let pages = std::mem::take(&mut self.pages);
        HELD.fetch_add(pages.len() * PAGE, Ordering::Relaxed);
        bytes::Bytes::from_owner(Block {
            pages,
            start: self.start,
            len: len.min(BLOCK),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if !self.pages.is_empty() {
            give_back(std::mem::take(&mut self.pages));
        }
    }
}

/// Puts a free buffer back into its pool (unless the pool is full).
fn give_back(pages: Vec<Page>) {
    let pool = if pages.len() > BLOCK / PAGE {
        &FREE_SHIFTED
    } else {
        &FREE
    };
    let mut free = pool.lock().unwrap_or_else(|p| p.into_inner());
    if free.len() < KEPT {
        free.push(pages);
    }
}

/// Where in its buffer each block of a torrent goes: at the phase, within a page, of its file
/// offset, so that a file that does not start on a page boundary of the stream still gets
/// blocks whose memory is in step with the file ([`super::direct`] writes them as they are).
/// A torrent whose files all start on page boundaries (a single file, files aligned by pad
/// files) places every block at 0.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    piece_length: u64,
    /// Where each file starts in the stream, in order; `None` when every file starts on a page
    /// boundary.
    starts: Option<std::sync::Arc<[u64]>>,
}

impl Placement {
    /// The placement for the files of `layout`. Only Linux writes past the page cache, so
    /// elsewhere every block is at 0.
    pub fn new(layout: &super::layout::Layout) -> Self {
        let files = layout.files();
        let shifted = files.iter().any(|f| !f.offset.is_multiple_of(PAGE as u64));
        Placement {
            piece_length: layout.piece_length(),
            starts: (cfg!(target_os = "linux") && shifted)
                .then(|| files.iter().map(|f| f.offset).collect()),
        }
    }

    /// The phase of the block of `len` bytes at `begin` of piece `piece`: that of the file
    /// holding its middle, which is the file most of its bytes go to.
    pub fn phase(&self, piece: u32, begin: u32, len: usize) -> usize {
        let Some(starts) = &self.starts else {
            return 0;
        };
        let at = u64::from(piece)
            .saturating_mul(self.piece_length)
            .saturating_add(u64::from(begin));
        let middle = at.saturating_add(len as u64 / 2);
        let file = starts.partition_point(|&s| s <= middle).saturating_sub(1);
        let start = starts.get(file).copied().unwrap_or(0);
        // The file may start inside the block: the phase is then that of the file offset the
        // block's first byte would have (modulo a page, which divides 2^64).
        (at.wrapping_sub(start) % PAGE as u64) as usize
    }
}

/// Memory of the received blocks held now (their buffers), in the whole process.
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
            let b = own_block(bytes::Bytes::copy_from_slice(&data[..len]), 0);
            assert_eq!(&b[..], &data[..len]);
            assert_eq!(b.as_ptr() as usize % 4096, 0);
            for phase in [1, 511, 4095, 4096 + 100] {
                let b = own_block(bytes::Bytes::copy_from_slice(&data[..len]), phase);
                assert_eq!(&b[..], &data[..len]);
                assert_eq!(b.as_ptr() as usize % 4096, phase % 4096);
            }
        }
        let long = bytes::Bytes::from(vec![1; BLOCK + 1]);
        assert_eq!(own_block(long.clone(), 0).as_ptr(), long.as_ptr());
        assert!(FREE.lock().unwrap().len() <= KEPT);
        assert!(FREE_SHIFTED.lock().unwrap().len() <= KEPT);
    }

    #[tokio::test]
    async fn a_reader_waits_while_the_budget_is_spent_and_goes_on_when_blocks_are_written() {
        // Other tests of this binary may hold blocks too: only what this one adds is certain.
        let held: Vec<bytes::Bytes> = (0..(BUDGET / BLOCK + 1))
            .map(|_| own_block(bytes::Bytes::from(vec![7; BLOCK]), 0))
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
            .map(|_| own_block(bytes::Bytes::from(vec![7; BLOCK]), 0))
            .collect();
        let started = std::time::Instant::now();
        room(Duration::from_millis(100)).await;
        assert!(started.elapsed() >= Duration::from_millis(100));
        drop(held);
    }

    #[test]
    fn a_block_is_placed_at_the_phase_of_the_file_holding_most_of_it() {
        use crate::engine::storage::layout::{Layout, entries};
        let layout_of = |lengths: &[u64]| Layout::new(32 * 1024, &entries(lengths));
        // Files of 5,000, 100 and 40,000 bytes; pieces of 32 KiB.
        let layout = layout_of(&[5000, 100, 40_000]);
        let p = Placement::new(&layout);
        // Block 0 (0..16384): mostly the third file, which starts at 5,100.
        // (The file offset of its first byte would be -5,100: 3,092 into a page.)
        assert_eq!(p.phase(0, 0, BLOCK), 3092);
        // Block 1 (16384..32768), all in the third file: file offset 11,284.
        assert_eq!(p.phase(0, 16384, BLOCK), (16384 - 5100) % 4096);
        // A short block wholly in the first file.
        assert_eq!(p.phase(0, 0, 100), 0);
        // Piece 1, block 0: stream offset 32,768, file offset 27,668.
        assert_eq!(p.phase(1, 0, BLOCK), (32768 - 5100) % 4096);
        // Aligned files (or one file): everything at 0.
        let aligned = Placement::new(&layout_of(&[8192, 40_000]));
        assert_eq!(aligned.phase(0, 16384, BLOCK), 0);
        assert_eq!(Placement::default().phase(7, 16384, BLOCK), 0);
        // Out-of-range input from a peer cannot overflow or panic.
        let _ = p.phase(u32::MAX, u32::MAX, BLOCK);
    }
}
