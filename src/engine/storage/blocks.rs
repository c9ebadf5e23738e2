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
//! On Linux the buffers are carved out of 2 MiB extents of one anonymous mapping ([`arena`]),
//! which the kernel is asked to back with huge pages: a direct write pins the pages of its
//! buffers for the disk, and pinning a huge page costs about what one 4 KiB page does. Here
//! that took 6 % off the CPU of a 1 GiB download (1.08 → 1.01 CPU-s, five alternating pairs)
//! and 12 % off one of 2,000 files (1.54 → 1.36 CPU-s per GiB, three pairs), for 1 MB more
//! peak memory. (Anonymous memory: files are still read and written with explicit positioned
//! calls, never mapped.) Once the arena is used up, buffers come from the heap.
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

/// The memory of one buffer: whole pages.
enum Pages {
    /// In one of the arena's extents ([`arena`]), for the life of the process.
    Arena(&'static mut [Page]),
    /// From the heap (the arena is used up, or there is none).
    Heap(Vec<Page>),
}

impl Pages {
    fn len(&self) -> usize {
        match self {
            Pages::Arena(p) => p.len(),
            Pages::Heap(p) => p.len(),
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Pages::Arena(p) => bytemuck::cast_slice(p),
            Pages::Heap(p) => bytemuck::cast_slice(p),
        }
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        match self {
            Pages::Arena(p) => bytemuck::cast_slice_mut(p),
            Pages::Heap(p) => bytemuck::cast_slice_mut(p),
        }
    }
}

impl Default for Pages {
    /// No memory: what a buffer leaves behind once its pages went back to the pool.
    fn default() -> Self {
        Pages::Heap(Vec::new())
    }
}

/// Free buffers of [`BLOCK`] bytes, for blocks at phase 0.
static FREE: Mutex<Vec<Pages>> = Mutex::new(Vec::new());

/// Free buffers of [`BLOCK`] bytes and a page, for blocks placed at a phase.
static FREE_SHIFTED: Mutex<Vec<Pages>> = Mutex::new(Vec::new());

/// Memory of the blocks alive now (their buffers: a page more for a block placed at a phase).
static HELD: AtomicUsize = AtomicUsize::new(0);

/// Woken when [`HELD`] falls back under the budget.
static ROOM: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// A block in a buffer of its own, `start` bytes into it; back to its pool when dropped.
struct Block {
    pages: Pages,
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
        &self.pages.bytes()[self.start..self.start + self.len]
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
/// budget) at `place` (see [`Placement`]); a block longer than 16 KiB (never requested) as it
/// is.
pub fn own_block(data: bytes::Bytes, place: Place) -> bytes::Bytes {
    if data.len() > BLOCK {
        return data;
    }
    let mut slot = Slot::new(place);
    slot.space()[..data.len()].copy_from_slice(&data);
    slot.into_block(data.len())
}

/// A pooled buffer that a block is about to be received into, at a phase: not yet counted
/// against the budget. It becomes the block ([`Slot::into_block`]), or goes back to its pool
/// when dropped.
pub struct Slot {
    pages: Pages,
    start: usize,
}

/// Where a block goes in its buffer ([`Placement::place`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    /// The block's phase: how many bytes into the buffer's first page it starts (under a page).
    pub phase: usize,
    /// A buffer with a page more than a block, as a block at a phase needs. The blocks of a
    /// torrent whose files do not all start on page boundaries all take such buffers, even
    /// those at phase 0: one size per torrent keeps its buffers in fewer of the arena's
    /// extents, which are resident as a whole once huge pages back them.
    pub wide: bool,
}

impl Slot {
    /// A buffer from the pool for a block at `place`.
    pub fn new(place: Place) -> Slot {
        let start = place.phase % PAGE;
        let (pool, count) = if start == 0 && !place.wide {
            (&FREE, BLOCK / PAGE)
        } else {
            (&FREE_SHIFTED, BLOCK / PAGE + 1)
        };
        let free = {
            let mut free = pool.lock().unwrap_or_else(|p| p.into_inner());
            if free.is_empty() {
                free.extend(arena::carve(count).into_iter().map(Pages::Arena));
            }
            free.pop()
        };
        let pages = free.unwrap_or_else(|| Pages::Heap(vec![Page([0; PAGE]); count]));
        Slot { pages, start }
    }

    /// Where the block goes: 16 KiB from the phase on.
    pub fn space(&mut self) -> &mut [u8] {
        &mut self.pages.bytes_mut()[self.start..self.start + BLOCK]
    }

    /// Moves the first `got` bytes of [`Slot::space`] to the phase of `place`, where the buffer
    /// is wide enough for it: a block received before its header told where it belongs (and
    /// guessed wrong) is put in step with its file while still in the CPU's cache, rather than
    /// copied on its way to the disk. Says whether it moved them.
    pub fn move_to(&mut self, place: Place, got: usize) -> bool {
        let to = place.phase % PAGE;
        if to == self.start || self.pages.len() * PAGE < to + BLOCK {
            return false;
        }
        let from = self.start;
        self.pages
            .bytes_mut()
            .copy_within(from..from + got.min(BLOCK), to);
        self.start = to;
        true
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
        if self.pages.len() > 0 {
            give_back(std::mem::take(&mut self.pages));
        }
    }
}

/// Puts a free buffer back into its pool: always one of the arena, one of the heap unless the
/// pool is full.
fn give_back(pages: Pages) {
    let pool = if pages.len() > BLOCK / PAGE {
        &FREE_SHIFTED
    } else {
        &FREE
    };
    let mut free = pool.lock().unwrap_or_else(|p| p.into_inner());
    if matches!(pages, Pages::Arena(_)) || free.len() < KEPT {
        free.push(pages);
    }
}

/// Where block buffers come from first: extents of `EXTENT` bytes, each carved into buffers
/// of one size when a pool runs dry. The extents are aligned to their size in one anonymous
/// mapping made on first use, which the kernel is asked (`MADV_HUGEPAGE`) to back with huge
/// pages; it does where transparent huge pages are on (`always` or `madvise`, the usual
/// defaults). An extent is touched, and so takes memory, only once its buffers are used; it
/// is never given back, as the pools never give back theirs.
///
/// Linux only: elsewhere nothing writes past the page cache, so there is nothing to gain.
mod arena {
    use super::Page;
    use std::sync::Mutex;

    /// An extent: a huge page on x86-64 and most 64-bit Arm kernels.
    #[cfg(target_os = "linux")]
    pub(super) const EXTENT: usize = 2 * 1024 * 1024;

    /// Extents in the arena: twice the budget's worth of buffers.
    #[cfg(target_os = "linux")]
    const EXTENTS: usize = 2 * super::BUDGET / EXTENT;

    /// Extents not carved into buffers yet; `None` until the first buffer is asked for.
    static UNCARVED: Mutex<Option<Vec<&'static mut [Page]>>> = Mutex::new(None);

    /// The buffers of a fresh extent, `count` pages each; none once the arena is used up (or
    /// could not be made).
    pub(super) fn carve(count: usize) -> Vec<&'static mut [Page]> {
        let mut uncarved = UNCARVED.lock().unwrap_or_else(|p| p.into_inner());
        let Some(extent) = uncarved.get_or_insert_with(extents).pop() else {
            return Vec::new();
        };
        extent.chunks_exact_mut(count.max(1)).collect()
    }

    #[cfg(target_os = "linux")]
    fn extents() -> Vec<&'static mut [Page]> {
        let want = EXTENT * EXTENTS;
        // An extent more than needed, so that an aligned run of them fits.
        let Ok(map) = memmap2::MmapOptions::new().len(want + EXTENT).map_anon() else {
            return Vec::new();
        };
        // The arena lives as long as the process: the buffers carved out of it borrow it for
        // ever, which is what lets them be handed out (and back) without unsafe code.
        let map: &'static mut memmap2::MmapMut = Box::leak(Box::new(map));
        let skip = map.as_ptr().align_offset(EXTENT).min(EXTENT);
        // Huge pages are a gain, not a need: without them the arena still works.
        let _ = map.advise_range(memmap2::Advice::HugePage, skip, want);
        let Some(bytes) = map.get_mut(skip..skip + want) else {
            return Vec::new();
        };
        match bytemuck::try_cast_slice_mut::<u8, Page>(bytes) {
            Ok(pages) => pages.chunks_exact_mut(EXTENT / super::PAGE).collect(),
            Err(_) => Vec::new(),
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn extents() -> Vec<&'static mut [Page]> {
        Vec::new()
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

    /// Where the block of `len` bytes at `begin` of piece `piece` goes: at the phase of the file
    /// holding its middle, which is the file most of its bytes go to.
    pub fn place(&self, piece: u32, begin: u32, len: usize) -> Place {
        let Some(starts) = &self.starts else {
            return Place::default();
        };
        let at = u64::from(piece)
            .saturating_mul(self.piece_length)
            .saturating_add(u64::from(begin));
        let middle = at.saturating_add(len as u64 / 2);
        let file = starts.partition_point(|&s| s <= middle).saturating_sub(1);
        let start = starts.get(file).copied().unwrap_or(0);
        // The file may start inside the block: the phase is then that of the file offset the
        // block's first byte would have (modulo a page, which divides 2^64).
        Place {
            phase: (at.wrapping_sub(start) % PAGE as u64) as usize,
            wide: true,
        }
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
            let b = own_block(
                bytes::Bytes::copy_from_slice(&data[..len]),
                Place::default(),
            );
            assert_eq!(&b[..], &data[..len]);
            assert_eq!(b.as_ptr() as usize % 4096, 0);
            let wide = Place {
                phase: 0,
                wide: true,
            };
            let b = own_block(bytes::Bytes::copy_from_slice(&data[..len]), wide);
            assert_eq!(&b[..], &data[..len]);
            assert_eq!(b.as_ptr() as usize % 4096, 0);
            for phase in [1, 511, 4095, 4096 + 100] {
                let place = Place {
                    phase: phase % PAGE,
                    wide: true,
                };
                let b = own_block(bytes::Bytes::copy_from_slice(&data[..len]), place);
                assert_eq!(&b[..], &data[..len]);
                assert_eq!(b.as_ptr() as usize % 4096, phase % 4096);
            }
        }
        let long = bytes::Bytes::from(vec![1; BLOCK + 1]);
        assert_eq!(
            own_block(long.clone(), Place::default()).as_ptr(),
            long.as_ptr()
        );
        // The arena's buffers always go back to their pool; the heap's up to a limit.
        for pool in [&FREE, &FREE_SHIFTED] {
            let free = pool.lock().unwrap();
            assert!(free.iter().filter(|p| matches!(p, Pages::Heap(_))).count() <= KEPT);
        }
    }

    /// Held by the tests that hold a budget's worth of blocks, and by the one that takes an
    /// extent of the arena: together they would use the arena up.
    static HOLDING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    #[tokio::test]
    async fn a_reader_waits_while_the_budget_is_spent_and_goes_on_when_blocks_are_written() {
        let _turn = HOLDING.lock().await;
        // Other tests of this binary may hold blocks too: only what this one adds is certain.
        let held: Vec<bytes::Bytes> = (0..(BUDGET / BLOCK + 1))
            .map(|_| own_block(bytes::Bytes::from(vec![7; BLOCK]), Place::default()))
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
        let _turn = HOLDING.lock().await;
        let held: Vec<bytes::Bytes> = (0..(BUDGET / BLOCK + 1))
            .map(|_| own_block(bytes::Bytes::from(vec![7; BLOCK]), Place::default()))
            .collect();
        let started = std::time::Instant::now();
        room(Duration::from_millis(100)).await;
        assert!(started.elapsed() >= Duration::from_millis(100));
        drop(held);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn buffers_are_carved_from_aligned_extents_the_kernel_may_back_with_huge_pages() {
        let _turn = HOLDING.blocking_lock();
        let buffers = arena::carve(5);
        assert_eq!(
            buffers.len(),
            arena::EXTENT / (5 * PAGE),
            "no extent to carve"
        );
        let first = buffers[0].as_ptr() as usize;
        assert_eq!(first % arena::EXTENT, 0, "an extent is not aligned");
        for (n, b) in buffers.iter().enumerate() {
            assert_eq!(b.len(), 5);
            assert_eq!(b.as_ptr() as usize, first + n * 5 * PAGE);
        }
        // The kernel's view: the arena is eligible for huge pages unless they are off, for the
        // system or for this process (`prctl(PR_SET_THP_DISABLE)`, as some containers do).
        let mode = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled");
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let process_off = status
            .lines()
            .any(|l| l.split_whitespace().eq(["THP_enabled:", "0"]));
        if let Ok(mode) = mode
            && !mode.contains("[never]")
            && !process_off
        {
            let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
            let mut inside = false;
            let mut eligible = None;
            for line in smaps.lines() {
                if let Some((range, _)) = line.split_once(' ')
                    && let Some((from, to)) = range.split_once('-')
                    && let (Ok(from), Ok(to)) = (
                        usize::from_str_radix(from, 16),
                        usize::from_str_radix(to, 16),
                    )
                {
                    inside = (from..to).contains(&first);
                } else if inside && let Some(v) = line.strip_prefix("THPeligible:") {
                    eligible = Some(v.trim().to_owned());
                }
            }
            assert_eq!(eligible.as_deref(), Some("1"), "THP mode {mode:?}");
        }
        // Into the pool, as the first buffers of a pool that ran dry would go.
        let mut free = FREE_SHIFTED.lock().unwrap();
        free.extend(buffers.into_iter().map(Pages::Arena));
    }

    #[test]
    fn a_block_is_placed_at_the_phase_of_the_file_holding_most_of_it() {
        use crate::engine::storage::layout::{Layout, entries};
        let layout_of = |lengths: &[u64]| Layout::new(32 * 1024, &entries(lengths));
        // Files of 5,000, 100 and 40,000 bytes; pieces of 32 KiB.
        let layout = layout_of(&[5000, 100, 40_000]);
        let p = Placement::new(&layout);
        // Every block of such a torrent takes a wide buffer.
        let wide = |phase| Place { phase, wide: true };
        // Block 0 (0..16384): mostly the third file, which starts at 5,100.
        // (The file offset of its first byte would be -5,100: 3,092 into a page.)
        assert_eq!(p.place(0, 0, BLOCK), wide(3092));
        // Block 1 (16384..32768), all in the third file: file offset 11,284.
        assert_eq!(p.place(0, 16384, BLOCK), wide((16384 - 5100) % 4096));
        // A short block wholly in the first file.
        assert_eq!(p.place(0, 0, 100), wide(0));
        // Piece 1, block 0: stream offset 32,768, file offset 27,668.
        assert_eq!(p.place(1, 0, BLOCK), wide((32768 - 5100) % 4096));
        // Aligned files (or one file): everything at 0.
        let aligned = Placement::new(&layout_of(&[8192, 40_000]));
        assert_eq!(aligned.place(0, 16384, BLOCK), Place::default());
        assert_eq!(
            Placement::default().place(7, 16384, BLOCK),
            Place::default()
        );
        // Out-of-range input from a peer cannot overflow or panic.
        let _ = p.place(u32::MAX, u32::MAX, BLOCK);
    }
}
