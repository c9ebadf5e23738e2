//! Writes that bypass the page cache (Linux `O_DIRECT`), for verified pieces.
//!
//! A buffered write copies each byte into the page cache, where the kernel then allocates,
//! accounts and later writes back the pages: on this project's machines half a CPU-second per
//! GiB downloaded, about a third of the whole download's CPU. A direct write hands the blocks'
//! own page-aligned buffers ([`super::blocks`]) to the disk instead, or an aligned copy where
//! a file does not start on a page boundary of the torrent's stream. Downloaded data
//! then does not crowd the page cache out of the memory other programs use; a seeder reads it
//! back from the disk, as it would after a while anyway.
//!
//! Direct I/O wants the file offset, the length and the memory address aligned (to the
//! device's logical block, asked through `statx(STATX_DIOALIGN)` where the kernel can tell):
//! only the aligned middle of a file span goes this way, its ragged ends take the buffered
//! path, so the two never share a page. A file system that refuses `O_DIRECT` (tmpfs before
//! Linux 6.6, some FUSE file systems) or a write it rejects as misaligned turns it off for the
//! storage; everything then goes through the page cache as before.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Mutex;

/// Alignment used for offsets, lengths and buffers: a page, which covers every logical block
/// size up to 4 KiB. A file system asking for more is not written directly.
pub(super) const ALIGN: u64 = 4096;

/// Bytes per direct write at most: one piece of the common 1 MiB size. Smaller writes cost
/// more per byte in the block layer (256 KiB writes took 2.6× the system time of 1 MiB ones
/// here); larger ones only hold more memory.
pub(super) const CHUNK: usize = 1 << 20;

/// A span's aligned middle shorter than this is written buffered: not worth a second handle.
pub(super) const MIN_DIRECT: u64 = 64 * 1024;

/// Scratch buffers kept for reuse, at most (one per concurrent disk job by default).
const KEPT_SCRATCH: usize = 4;

static SCRATCH: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// Opens `path` (which exists) for direct writes; `None` when its file system cannot do them
/// or wants more alignment than [`ALIGN`].
pub(super) fn open(path: &Path) -> io::Result<Option<File>> {
    let file = match OpenOptions::new()
        .write(true)
        .custom_flags(rustix::fs::OFlags::DIRECT.bits() as i32)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::INVAL.raw_os_error()) => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    if let Ok(st) = rustix::fs::statx(
        &file,
        "",
        rustix::fs::AtFlags::EMPTY_PATH,
        rustix::fs::StatxFlags::DIOALIGN,
    ) && st.stx_mask & rustix::fs::StatxFlags::DIOALIGN.bits() != 0
    {
        let (offset, memory) = (
            u64::from(st.stx_dio_offset_align),
            u64::from(st.stx_dio_mem_align),
        );
        // 0: the file system does not support direct I/O on this file.
        if offset == 0 || offset > ALIGN || memory == 0 || memory > ALIGN {
            return Ok(None);
        }
    }
    Ok(Some(file))
}

/// Whether an error from a direct write means "not this way" (misaligned for this file
/// system, or direct I/O refused) rather than a failure of the disk.
pub(super) fn is_refusal(e: &io::Error) -> bool {
    e.raw_os_error() == Some(rustix::io::Errno::INVAL.raw_os_error())
}

/// A buffer of [`CHUNK`] bytes at an [`ALIGN`]ed address, from a small process-wide pool.
pub(super) struct Scratch {
    buf: Vec<u8>,
    start: usize,
}

impl Scratch {
    pub(super) fn take() -> Scratch {
        let buf = SCRATCH
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .unwrap_or_else(|| vec![0; CHUNK + ALIGN as usize]);
        // Only the address decides; `align_offset` on a `u8` pointer always answers.
        let start = buf.as_ptr().align_offset(ALIGN as usize);
        Scratch { buf, start }
    }

    /// The first `len` (at most [`CHUNK`]) bytes, aligned.
    pub(super) fn get(&mut self, len: usize) -> &mut [u8] {
        &mut self.buf[self.start..self.start + len.min(CHUNK)]
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let mut kept = SCRATCH.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() < KEPT_SCRATCH {
            kept.push(std::mem::take(&mut self.buf));
        }
    }
}

/// Whether `bytes` can go into a direct write as they are.
pub(super) fn is_aligned(bytes: &[u8]) -> bool {
    (bytes.as_ptr() as usize).is_multiple_of(ALIGN as usize)
        && (bytes.len() as u64).is_multiple_of(ALIGN)
}

/// Writes all of `slices` at `offset` of `file` (opened for direct writes).
pub(super) fn write_all_at(
    file: &File,
    mut slices: &mut [std::io::IoSlice<'_>],
    mut offset: u64,
) -> io::Result<()> {
    // At most IOV_MAX (1024) slices per call.
    while !slices.is_empty() {
        let n = slices.len().min(1024);
        match rustix::io::pwritev(file, &slices[..n], offset) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => {
                offset += written as u64;
                std::io::IoSlice::advance_slices(&mut slices, written);
            }
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Rounds `v` up to a multiple of [`ALIGN`].
pub(super) fn align_up(v: u64) -> u64 {
    v.div_ceil(ALIGN) * ALIGN
}

/// Rounds `v` down to a multiple of [`ALIGN`].
pub(super) fn align_down(v: u64) -> u64 {
    v / ALIGN * ALIGN
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn scratch_is_aligned_and_whole() {
        for _ in 0..(KEPT_SCRATCH + 2) {
            let mut s = Scratch::take();
            let b = s.get(CHUNK);
            assert_eq!(b.len(), CHUNK);
            assert_eq!(b.as_ptr() as usize % ALIGN as usize, 0);
        }
        assert!(SCRATCH.lock().unwrap().len() <= KEPT_SCRATCH);
    }

    #[test]
    fn rounding() {
        assert_eq!(align_up(0), 0);
        assert_eq!(align_up(1), 4096);
        assert_eq!(align_up(4096), 4096);
        assert_eq!(align_down(4095), 0);
        assert_eq!(align_down(8193), 8192);
    }
}
