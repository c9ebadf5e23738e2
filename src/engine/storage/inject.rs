//! A seam for storage fault injection (tests). A [`IoFaults`] set on a [`Storage`] decides the
//! fate of each positioned read and write of a torrent file before it reaches the disk: pass,
//! a short write (the system wrote fewer bytes than asked; the rest follows in another call),
//! or an error after some bytes (EIO, ENOSPC at byte N). Without one, nothing changes and
//! nothing is looked at beyond one `OnceLock` read.
//!
//! [`Storage`]: super::Storage

use std::fmt;
use std::io;
use std::path::Path;

/// What happens to one positioned read or write.
#[derive(Debug)]
pub enum Fate {
    /// It goes through whole.
    Pass,
    /// Only this many bytes (at least one) are written by this call; the rest is asked again.
    /// Reads treat it as [`Fate::Pass`].
    Short(usize),
    /// This many bytes go through, then the call fails with the error.
    Fail {
        /// Bytes written (or read) before the error.
        after: usize,
        /// What the system says.
        error: io::Error,
    },
}

/// Decides the fate of reads and writes of torrent files (not the part file).
pub trait IoFaults: Send + Sync + fmt::Debug {
    /// A write of `len` bytes at `offset` of the file `path`.
    fn on_write(&self, path: &Path, offset: u64, len: usize) -> Fate;
    /// A read of `len` bytes at `offset` of the file `path`.
    fn on_read(&self, path: &Path, offset: u64, len: usize) -> Fate;
}

/// Writes `buf` at `offset` as [`super::write_all_at`] does, each call's fate decided by
/// `faults` first.
pub(super) fn write_all_at(
    faults: &dyn IoFaults,
    path: &Path,
    file: &std::fs::File,
    mut buf: &[u8],
    mut offset: u64,
) -> io::Result<()> {
    while !buf.is_empty() {
        match faults.on_write(path, offset, buf.len()) {
            Fate::Pass => return super::write_all_at(file, buf, offset),
            Fate::Short(n) => {
                let n = n.clamp(1, buf.len());
                super::write_all_at(file, &buf[..n], offset)?;
                buf = &buf[n..];
                offset += n as u64;
            }
            Fate::Fail { after, error } => {
                let n = after.min(buf.len());
                super::write_all_at(file, &buf[..n], offset)?;
                return Err(error);
            }
        }
    }
    Ok(())
}

/// Reads into `buf` from `offset` as [`super::read_exact_at`] does, unless `faults` fails it.
pub(super) fn read_exact_at(
    faults: &dyn IoFaults,
    path: &Path,
    file: &std::fs::File,
    buf: &mut [u8],
    offset: u64,
) -> io::Result<()> {
    match faults.on_read(path, offset, buf.len()) {
        Fate::Pass | Fate::Short(_) => super::read_exact_at(file, buf, offset),
        Fate::Fail { after, error } => {
            let n = after.min(buf.len());
            super::read_exact_at(file, &mut buf[..n], offset)?;
            Err(error)
        }
    }
}
