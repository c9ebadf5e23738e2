//! Writes that bypass the page cache (Linux `O_DIRECT`), for verified pieces.
//!
//! A buffered write copies each byte into the page cache, where the kernel then allocates,
//! accounts and later writes back the pages: on this project's machines half a CPU-second per
//! GiB downloaded, about a third of the whole download's CPU. A direct write hands the blocks'
//! own buffers ([`super::blocks`]) to the disk instead: they are aligned, and placed in step
//! with their file even where it does not start on a page boundary of the torrent's stream, so
//! only the sector two blocks share is copied ([`gather`]). Downloaded data
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

/// A file opened for direct writes.
#[derive(Debug)]
pub(super) struct DirectFile {
    pub(super) file: File,
    /// The alignment its file system wants of file offsets, lengths and memory (a power of
    /// two, at most [`ALIGN`]): a sector, often 512 bytes.
    pub(super) align: usize,
}

/// Opens `path` (which exists) for direct writes; `None` when its file system cannot do them
/// or wants more alignment than [`ALIGN`].
pub(super) fn open(path: &Path) -> io::Result<Option<DirectFile>> {
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
    // Where the kernel cannot tell, a page: enough for every logical block size up to 4 KiB.
    let mut align = ALIGN as usize;
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
        // Lengths must be whole logical blocks (the offset alignment) and addresses aligned
        // to the memory alignment: the larger of the two serves both.
        align = offset.max(memory).next_power_of_two() as usize;
    }
    Ok(Some(DirectFile { file, align }))
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

/// The memory of a direct write of file bytes `pos..pos + n`, from `shares`: the blocks' bytes
/// of that range, in order (`n` bytes in all; `pos` and `pos + n` multiples of `align`, a power
/// of two). A share whose address is in step with its file offset (modulo `align`: blocks
/// placed at their file's phase, see [`super::blocks::Placement`]) goes as it is, but for the
/// sectors it shares with its neighbours; everything else is copied into `scratch` (at least
/// `n` bytes, aligned to `align`), in whole sectors. Every slice returned starts at an aligned
/// address and is a whole number of sectors long, as a direct write wants. The second value is
/// the bytes copied.
pub(super) fn gather<'a>(
    shares: &[&'a [u8]],
    pos: u64,
    align: usize,
    scratch: &'a mut [u8],
) -> (Vec<io::IoSlice<'a>>, usize) {
    let a = align as u64;
    let mut out = Vec::with_capacity(shares.len() * 2 + 1);
    // The scratch not handed out yet, and how much of it the sectors being put together fill.
    let mut rest: &'a mut [u8] = scratch;
    let mut fill = 0;
    let mut copied = 0;
    let mut append = |rest: &mut &'a mut [u8], fill: &mut usize, bytes: &[u8]| {
        rest[*fill..*fill + bytes.len()].copy_from_slice(bytes);
        *fill += bytes.len();
        copied += bytes.len();
    };
    // Hands out the sectors put together so far (they end on a sector boundary).
    let close = |rest: &mut &'a mut [u8], fill: &mut usize, out: &mut Vec<io::IoSlice<'a>>| {
        if *fill > 0 {
            let (done, after) = std::mem::take(rest).split_at_mut(*fill);
            out.push(io::IoSlice::new(done));
            *rest = after;
            *fill = 0;
        }
    };
    let mut at = pos;
    for &bytes in shares {
        let len = bytes.len() as u64;
        let (first, last) = (at.next_multiple_of(a), (at + len) / a * a);
        let in_step = (bytes.as_ptr() as u64) % a == at % a;
        if in_step && first < last {
            let (head, rest_of) = bytes.split_at((first - at) as usize);
            let (middle, tail) = rest_of.split_at((last - first) as usize);
            append(&mut rest, &mut fill, head);
            close(&mut rest, &mut fill, &mut out);
            out.push(io::IoSlice::new(middle));
            append(&mut rest, &mut fill, tail);
        } else {
            append(&mut rest, &mut fill, bytes);
        }
        at += len;
    }
    close(&mut rest, &mut fill, &mut out);
    (out, copied)
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

    /// Slices at every phase, in step or not, split at every kind of boundary: the slices
    /// returned are aligned, hold exactly the bytes in order, and in-step shares go as they are.
    #[test]
    fn gather_keeps_the_bytes_and_copies_only_what_is_out_of_step() {
        let data: Vec<u8> = (0..CHUNK).map(|i| (i * 131 % 253) as u8).collect();
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        };
        for align in [512_usize, 4096] {
            for round in 0..200 {
                // A file range pos..pos + n, and the file offset of each share.
                let pos = next(64) * align as u64;
                let n = (1 + next((CHUNK / align) as u64)) as usize * align;
                // Shares of random lengths; each in its own buffer, in step or not.
                let mut buffers = Vec::new();
                let mut at = 0;
                while at < n {
                    let len = (1 + next(20_000) as usize).min(n - at);
                    let mut buf = vec![0u8; len + 2 * ALIGN as usize];
                    let file_offset = pos as usize + at;
                    let shift = if round % 3 == 0 || next(4) == 0 {
                        next(ALIGN) as usize // out of step, mostly
                    } else {
                        file_offset % align
                    };
                    let start = buf.as_ptr().align_offset(ALIGN as usize) + shift;
                    buf[start..start + len].copy_from_slice(&data[at..at + len]);
                    buffers.push((buf, start, len));
                    at += len;
                }
                let shares: Vec<&[u8]> = buffers
                    .iter()
                    .map(|(b, start, len)| &b[*start..*start + *len])
                    .collect();
                let sources: Vec<(usize, usize)> = shares
                    .iter()
                    .map(|s| (s.as_ptr() as usize, s.len()))
                    .collect();
                let mut scratch = Scratch::take();
                let (slices, copied) = gather(&shares, pos, align, scratch.get(n));
                let mut joined = Vec::new();
                for s in &slices {
                    assert_eq!(s.as_ptr() as usize % align, 0);
                    assert_eq!(s.len() % align, 0);
                    joined.extend_from_slice(s);
                }
                assert_eq!(joined, &data[..n]);
                let direct: usize = slices
                    .iter()
                    .filter(|s| {
                        let p = s.as_ptr() as usize;
                        sources.iter().any(|&(a, l)| p >= a && p < a + l)
                    })
                    .map(|s| s.len())
                    .sum();
                assert_eq!(direct + copied, n);
                // Every in-step share's whole sectors went as they are.
                let mut at = pos as usize;
                let mut expected = 0;
                for &(addr, len) in &sources {
                    if addr % align == at % align {
                        let (first, last) =
                            (at.next_multiple_of(align), (at + len) / align * align);
                        expected += last.saturating_sub(first);
                    }
                    at += len;
                }
                assert_eq!(direct, expected, "align {align} round {round}");
            }
        }
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
