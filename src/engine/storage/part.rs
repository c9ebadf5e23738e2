//! The part file: where the bytes of skipped files go when a piece the user wants shares them.
//!
//! A piece that straddles a wanted and a skipped file must be downloaded whole to be verified.
//! Rather than create the skipped file for its few bytes, the storage keeps them in one hidden
//! file per torrent, `.<info-hash>.parts` in the save folder (libtorrent does the same). When
//! the file becomes wanted, its bytes are copied from there into the file itself.
//!
//! Layout: a header — magic, piece count, piece length, then for each piece a little-endian
//! `u32` slot number plus one (0: no slot) — padded to 4 KiB, then one piece-sized slot per
//! piece that has bytes here, in the order they were first written. A slot's bytes are written
//! before its header entry, so an entry never points at a slot that was never written; both are
//! synced with the torrent's files before resume data claims the piece. A part file whose header
//! does not match the torrent is ignored (its pieces are then simply not held).

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::PathBuf;

const MAGIC: &[u8; 8] = b"BRKPART1";
/// The slots start at a multiple of this.
const ALIGN: u64 = 4096;
/// The largest header accepted (one entry per piece: 4 MiB covers a million pieces).
const MAX_HEADER: u64 = 4 << 20;

/// One torrent's part file, opened on first use.
pub(super) struct PartFile {
    path: PathBuf,
    piece_count: u32,
    piece_length: u64,
    file: Option<File>,
    /// Piece index → slot.
    slots: HashMap<u32, u32>,
    /// Written since the last sync.
    pub dirty: bool,
}

impl PartFile {
    /// The part file at `path` of a torrent of `piece_count` pieces of `piece_length` (nothing
    /// is read or made yet).
    pub fn new(path: PathBuf, piece_count: usize, piece_length: u64) -> PartFile {
        PartFile {
            path,
            piece_count: u32::try_from(piece_count).unwrap_or(u32::MAX),
            piece_length,
            file: None,
            slots: HashMap::new(),
            dirty: false,
        }
    }

    /// Its path.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn header_len(&self) -> u64 {
        16 + 4 * u64::from(self.piece_count)
    }

    fn data_start(&self) -> u64 {
        self.header_len().div_ceil(ALIGN) * ALIGN
    }

    /// Opens the file (creating it with `create`), reading its slots. `false` when it does not
    /// exist and was not to be created.
    fn open(&mut self, create: bool) -> io::Result<bool> {
        if self.file.is_some() {
            return Ok(true);
        }
        if self.header_len() > MAX_HEADER {
            return Err(io::Error::other("too many pieces for a part file"));
        }
        let existing = match OpenOptions::new().read(true).write(true).open(&self.path) {
            Ok(f) => Some(f),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if let Some(f) = existing {
            if let Some(slots) = self.read_header(&f) {
                self.slots = slots;
                self.file = Some(f);
                return Ok(true);
            }
            if !create {
                return Ok(false);
            }
            // Not ours, or torn before its header was complete: start it again.
            f.set_len(0)?;
            self.init(&f)?;
            self.file = Some(f);
            return Ok(true);
        }
        if !create {
            return Ok(false);
        }
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&self.path)?;
        self.init(&f)?;
        self.file = Some(f);
        Ok(true)
    }

    fn init(&mut self, f: &File) -> io::Result<()> {
        let mut head = Vec::with_capacity(16);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&self.piece_count.to_le_bytes());
        head.extend_from_slice(&(self.piece_length.min(u64::from(u32::MAX)) as u32).to_le_bytes());
        super::write_all_at(f, &head, 0)?;
        f.set_len(self.data_start())?;
        self.slots.clear();
        self.dirty = true;
        Ok(())
    }

    /// The slots of a header that matches this torrent; `None` when it does not.
    fn read_header(&self, f: &File) -> Option<HashMap<u32, u32>> {
        let mut head = [0u8; 16];
        super::read_exact_at(f, &mut head, 0).ok()?;
        let count = u32::from_le_bytes(head[8..12].try_into().ok()?);
        let length = u32::from_le_bytes(head[12..16].try_into().ok()?);
        if &head[..8] != MAGIC
            || count != self.piece_count
            || u64::from(length) != self.piece_length.min(u64::from(u32::MAX))
        {
            return None;
        }
        let mut table = vec![0u8; 4 * self.piece_count as usize];
        super::read_exact_at(f, &mut table, 16).ok()?;
        let file_len = f.metadata().ok()?.len();
        let mut slots = HashMap::new();
        for (piece, entry) in table.chunks_exact(4).enumerate() {
            let value = u32::from_le_bytes(entry.try_into().ok()?);
            if value == 0 {
                continue;
            }
            let slot = value - 1;
            // A slot past the end of the file was never written: not held.
            if self.data_start() + u64::from(slot) * self.piece_length < file_len {
                slots.insert(piece as u32, slot);
            }
        }
        Some(slots)
    }

    /// Whether piece `piece` has bytes here.
    pub fn holds(&mut self, piece: u32) -> bool {
        matches!(self.open(false), Ok(true)) && self.slots.contains_key(&piece)
    }

    /// Reads `buf` from piece `piece` at `within` bytes into it; zeros when the piece has no
    /// slot (its hash then fails, as for a missing file).
    pub fn read(&mut self, piece: u32, within: u64, buf: &mut [u8]) -> io::Result<()> {
        if !self.open(false)? {
            buf.fill(0);
            return Ok(());
        }
        let Some(&slot) = self.slots.get(&piece) else {
            buf.fill(0);
            return Ok(());
        };
        let at = self.data_start() + u64::from(slot) * self.piece_length + within;
        match (&self.file, buf.len()) {
            (Some(f), _) => {
                let len = f.metadata()?.len();
                // The slot's tail may never have been written (the file ends short).
                let have = len.saturating_sub(at).min(buf.len() as u64) as usize;
                super::read_exact_at(f, &mut buf[..have], at)?;
                buf[have..].fill(0);
                Ok(())
            }
            (None, _) => {
                buf.fill(0);
                Ok(())
            }
        }
    }

    /// Writes `data` into piece `piece` at `within` bytes into it, giving the piece a slot.
    pub fn write(&mut self, piece: u32, within: u64, data: &[u8]) -> io::Result<()> {
        if piece >= self.piece_count || within + data.len() as u64 > self.piece_length {
            return Err(io::Error::other("write outside the part file's pieces"));
        }
        self.open(true)?;
        let (slot, new) = match self.slots.get(&piece) {
            Some(&s) => (s, false),
            None => (self.slots.values().max().map_or(0, |m| m + 1), true),
        };
        let start = self.data_start();
        let Some(f) = &self.file else {
            return Err(io::Error::other("part file not open"));
        };
        super::write_all_at(
            f,
            data,
            start + u64::from(slot) * self.piece_length + within,
        )?;
        if new {
            // The entry after the bytes: it never points at a slot never written.
            super::write_all_at(f, &(slot + 1).to_le_bytes(), 16 + 4 * u64::from(piece))?;
            self.slots.insert(piece, slot);
        }
        self.dirty = true;
        Ok(())
    }

    /// Flushes what was written to the disk.
    pub fn sync(&mut self) -> io::Result<()> {
        if self.dirty
            && let Some(f) = &self.file
        {
            f.sync_all()?;
        }
        self.dirty = false;
        Ok(())
    }

    /// Closes the handle (before the file is moved or deleted).
    pub fn close(&mut self) {
        self.file = None;
    }

    /// Deletes the file.
    pub fn delete(&mut self) -> io::Result<()> {
        self.close();
        self.slots.clear();
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn slots_survive_a_reopen_and_a_foreign_header_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".x.parts");
        let mut p = PartFile::new(path.clone(), 10, 1024);
        assert!(!p.holds(3));
        p.write(7, 100, &[7u8; 50]).unwrap();
        p.write(3, 0, &[3u8; 1024]).unwrap();
        p.sync().unwrap();
        let mut buf = [1u8; 60];
        p.read(7, 95, &mut buf).unwrap();
        assert_eq!(&buf[..5], &[0; 5]);
        assert_eq!(&buf[5..55], &[7; 50]);
        drop(p);

        let mut again = PartFile::new(path.clone(), 10, 1024);
        assert!(again.holds(7) && again.holds(3) && !again.holds(0));
        let mut whole = [0u8; 1024];
        again.read(3, 0, &mut whole).unwrap();
        assert!(whole.iter().all(|&b| b == 3));
        // A piece without a slot reads as zeros (its hash then fails).
        let mut none = [9u8; 16];
        again.read(1, 0, &mut none).unwrap();
        assert_eq!(none, [0; 16]);
        drop(again);

        // Another torrent's geometry: the file is not ours, nothing is held.
        let mut other = PartFile::new(path.clone(), 11, 1024);
        assert!(!other.holds(7));
        // Writing starts it again for this torrent.
        other.write(0, 0, &[1]).unwrap();
        assert!(other.holds(0) && !other.holds(7));
    }

    #[test]
    fn writes_outside_the_pieces_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = PartFile::new(dir.path().join(".y.parts"), 4, 512);
        assert!(p.write(4, 0, &[0]).is_err());
        assert!(p.write(0, 500, &[0; 13]).is_err());
        assert!(!dir.path().join(".y.parts").exists());
    }
}
