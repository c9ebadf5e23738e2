//! Where each byte of a torrent lives: the map from the torrent's byte stream (pieces) to spans of
//! files on disk.
//!
//! Pure arithmetic, no I/O: a torrent is one long byte stream cut into pieces, and its files are
//! consecutive ranges of that stream. Blocks and pieces may straddle file boundaries; BEP 47 pad
//! files occupy the stream but are never stored.

use crate::engine::metainfo::FileEntry;

/// One file's place in the torrent's byte stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRange {
    /// First byte of the file in the stream.
    pub offset: u64,
    /// Length of the file.
    pub length: u64,
    /// Pad files read as zeros and are never written.
    pub pad: bool,
}

/// A run of bytes inside one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSpan {
    /// Index of the file in torrent order.
    pub file: usize,
    /// Offset inside that file.
    pub file_offset: u64,
    /// Number of bytes.
    pub len: u64,
}

/// The piece and file geometry of a torrent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    piece_length: u64,
    total_length: u64,
    files: Vec<FileRange>,
}

impl Layout {
    /// Builds the layout of `files` (which must be consecutive in the stream, as a validated
    /// [`crate::engine::Metainfo`] guarantees) cut into pieces of `piece_length` bytes.
    pub fn new(piece_length: u64, files: &[FileEntry]) -> Layout {
        let files: Vec<FileRange> = files
            .iter()
            .map(|f| FileRange {
                offset: f.offset,
                length: f.length,
                pad: f.pad,
            })
            .collect();
        let total_length = files.last().map_or(0, |f| f.offset + f.length);
        Layout {
            piece_length: piece_length.max(1),
            total_length,
            files,
        }
    }

    /// Bytes per piece.
    pub fn piece_length(&self) -> u64 {
        self.piece_length
    }

    /// Total bytes in the stream.
    pub fn total_length(&self) -> u64 {
        self.total_length
    }

    /// Number of pieces.
    pub fn piece_count(&self) -> usize {
        self.total_length.div_ceil(self.piece_length) as usize
    }

    /// The files in torrent order.
    pub fn files(&self) -> &[FileRange] {
        &self.files
    }

    /// Length of piece `index` (0 when out of range).
    pub fn piece_size(&self, index: usize) -> u64 {
        let start = (index as u64).saturating_mul(self.piece_length);
        if start >= self.total_length {
            return 0;
        }
        (self.total_length - start).min(self.piece_length)
    }

    /// Stream offset of the first byte of piece `index`.
    pub fn piece_offset(&self, index: usize) -> u64 {
        index as u64 * self.piece_length
    }

    /// The file spans covering `len` bytes from stream offset `start`, in order, skipping
    /// zero-length files. Stops at the end of the stream.
    pub fn spans(&self, start: u64, len: u64) -> SpanIter<'_> {
        let end = start.saturating_add(len).min(self.total_length);
        // First file whose range ends after `start`.
        let file = self.files.partition_point(|f| f.offset + f.length <= start);
        SpanIter {
            layout: self,
            pos: start,
            end,
            file,
        }
    }

    /// Indices of the files that hold bytes of piece `index`.
    pub fn files_of_piece(&self, index: usize) -> std::ops::Range<usize> {
        let start = self.piece_offset(index);
        let size = self.piece_size(index);
        let mut spans = self.spans(start, size);
        let first = spans.next().map(|s| s.file);
        let last = spans.last().map(|s| s.file).or(first);
        match (first, last) {
            (Some(a), Some(b)) => a..b + 1,
            _ => 0..0,
        }
    }
}

/// Iterator over the file spans of a byte range (see [`Layout::spans`]).
pub struct SpanIter<'a> {
    layout: &'a Layout,
    pos: u64,
    end: u64,
    file: usize,
}

impl Iterator for SpanIter<'_> {
    type Item = FileSpan;

    fn next(&mut self) -> Option<FileSpan> {
        while self.pos < self.end {
            let f = self.layout.files.get(self.file)?;
            let file_end = f.offset + f.length;
            if f.length == 0 || file_end <= self.pos {
                self.file += 1;
                continue;
            }
            let take = file_end.min(self.end) - self.pos;
            let span = FileSpan {
                file: self.file,
                file_offset: self.pos - f.offset,
                len: take,
            };
            self.pos += take;
            self.file += 1;
            return Some(span);
        }
        None
    }
}

/// Files `t/f0`, `t/f1`, … of these lengths, one after the other (for tests).
#[cfg(test)]
pub(crate) fn entries(lengths: &[u64]) -> Vec<FileEntry> {
    let mut offset = 0;
    lengths
        .iter()
        .enumerate()
        .map(|(i, &length)| {
            let f = FileEntry {
                path: vec!["t".into(), format!("f{i}")],
                length,
                offset,
                pad: false,
                executable: false,
                hidden: false,
            };
            offset += length;
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cross_file_boundaries_and_skip_empty_files() {
        let layout = Layout::new(16, &entries(&[10, 0, 20, 5]));
        assert_eq!(layout.piece_count(), 3);
        assert_eq!(layout.piece_size(2), 3);
        let spans: Vec<_> = layout.spans(8, 16).collect();
        assert_eq!(
            spans,
            vec![
                FileSpan {
                    file: 0,
                    file_offset: 8,
                    len: 2
                },
                FileSpan {
                    file: 2,
                    file_offset: 0,
                    len: 14
                },
            ]
        );
        let tail: Vec<_> = layout.spans(32, 100).collect();
        assert_eq!(
            tail,
            vec![FileSpan {
                file: 3,
                file_offset: 2,
                len: 3
            }]
        );
        assert_eq!(layout.files_of_piece(0), 0..3);
        assert_eq!(layout.files_of_piece(1), 2..4);
        assert_eq!(layout.files_of_piece(2), 3..4);
        assert_eq!(layout.files_of_piece(3), 0..0);
    }

    #[test]
    fn every_byte_maps_to_exactly_one_place() {
        let lengths = [1, 7, 0, 16, 3, 0, 0, 29, 1];
        let layout = Layout::new(8, &entries(&lengths));
        let total: u64 = lengths.iter().sum();
        for start in 0..total {
            for len in 0..=(total - start) {
                let covered: u64 = layout.spans(start, len).map(|s| s.len).sum();
                assert_eq!(covered, len, "start {start} len {len}");
            }
        }
    }
}
