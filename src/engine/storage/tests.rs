#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::check::{HashProgress, verify};
use super::*;
use sha1::{Digest, Sha1};

fn entry(path: &str, length: u64, offset: u64, pad: bool) -> FileEntry {
    FileEntry {
        path: path.split('/').map(str::to_owned).collect(),
        length,
        offset,
        pad,
        executable: false,
        hidden: false,
    }
}

/// t/a (10 bytes), a 6-byte pad file, t/sub/b (20 bytes), t/c (0 bytes), t/d (5 bytes).
fn files() -> Vec<FileEntry> {
    vec![
        entry("t/a", 10, 0, false),
        entry("t/.pad/6", 6, 10, true),
        entry("t/sub/b", 20, 16, false),
        entry("t/c", 0, 36, false),
        entry("t/d", 5, 36, false),
    ]
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + 1) as u8).collect()
}

/// The stream for `files()` with zeros in the pad file.
fn stream() -> Vec<u8> {
    let mut s = data(41);
    s[10..16].fill(0);
    s
}

fn metainfo_for(files: Vec<FileEntry>, piece_length: u64, stream: &[u8]) -> Metainfo {
    Metainfo {
        info_hash: crate::engine::InfoHash::default(),
        info_bytes: Vec::new(),
        name: "t".into(),
        piece_length,
        piece_hashes: stream
            .chunks(piece_length as usize)
            .map(|c| Sha1::digest(c).into())
            .collect(),
        total_length: stream.len() as u64,
        files,
        multi_file: true,
        private: false,
        trackers: Vec::new(),
        web_seeds: Vec::new(),
        comment: None,
        created_by: None,
        creation_date: None,
        hybrid: false,
    }
}

#[test]
fn blocks_round_trip_across_files_and_pad_files_stay_virtual() {
    let dir = tempfile::tempdir().unwrap();
    let s = Storage::new(dir.path(), 16, &files(), StorageMode::ReadWrite).unwrap();
    let want = stream();
    // Write in odd-sized blocks that straddle every boundary.
    for chunk_start in (0..want.len()).step_by(7) {
        let end = (chunk_start + 7).min(want.len());
        s.write_at(chunk_start as u64, &want[chunk_start..end])
            .unwrap();
    }
    let mut got = vec![0xAA; want.len()];
    s.read_at(0, &mut got).unwrap();
    assert_eq!(got, want);
    assert_eq!(std::fs::read(dir.path().join("t/a")).unwrap(), &want[..10]);
    assert_eq!(
        std::fs::read(dir.path().join("t/sub/b")).unwrap(),
        &want[16..36]
    );
    assert_eq!(std::fs::read(dir.path().join("t/d")).unwrap(), &want[36..]);
    assert!(
        !dir.path().join("t/.pad").exists(),
        "pad files are never created"
    );
    // Zero-length files get no span, hence no write; they are not created by block writes.
    assert!(!dir.path().join("t/c").exists());
    let mut piece = vec![0; 16];
    s.read_piece(1, &mut piece).unwrap();
    assert_eq!(piece, &want[16..32]);
    assert!(matches!(
        s.read_piece(1, &mut [0; 3]),
        Err(StorageError::OutOfRange)
    ));
    assert!(matches!(
        s.write_at(40, &[1, 2]),
        Err(StorageError::OutOfRange)
    ));
    assert!(matches!(
        s.read_at(u64::MAX, &mut [0; 2]),
        Err(StorageError::OutOfRange)
    ));
}

#[test]
fn files_are_created_at_full_size_and_never_truncated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("t")).unwrap();
    std::fs::write(dir.path().join("t/a"), vec![9u8; 15]).unwrap();
    let s = Storage::new(dir.path(), 16, &files(), StorageMode::ReadWrite).unwrap();
    s.write_at(20, &[1]).unwrap();
    assert_eq!(
        std::fs::metadata(dir.path().join("t/sub/b")).unwrap().len(),
        20
    );
    s.write_at(0, &[1]).unwrap();
    assert_eq!(std::fs::metadata(dir.path().join("t/a")).unwrap().len(), 15);
}

#[test]
fn missing_and_short_files_are_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let s = Storage::new(dir.path(), 16, &files(), StorageMode::ReadOnly).unwrap();
    match s.read_at(0, &mut [0; 4]) {
        Err(StorageError::Missing(p)) => assert!(p.ends_with("t/a")),
        other => panic!("{other:?}"),
    }
    std::fs::create_dir_all(dir.path().join("t")).unwrap();
    std::fs::write(dir.path().join("t/a"), [1, 2, 3]).unwrap();
    match s.read_at(0, &mut [0; 4]) {
        Err(StorageError::ShortFile(p)) => assert!(p.ends_with("t/a")),
        other => panic!("{other:?}"),
    }
    assert!(
        s.write_at(0, &[1]).is_err(),
        "read-only storage refuses writes"
    );
    assert!(
        !dir.path().join("t/sub").exists(),
        "read-only storage creates nothing"
    );
}

#[test]
fn save_folder_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("unplugged");
    assert!(matches!(
        Storage::new(&missing, 16, &files(), StorageMode::ReadWrite),
        Err(StorageError::SaveFolderMissing(_))
    ));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_save_folder_are_not_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The torrent's folder itself is a link pointing elsewhere.
    std::os::unix::fs::symlink(outside.path(), dir.path().join("t")).unwrap();
    let s = Storage::new(dir.path(), 16, &files(), StorageMode::ReadWrite).unwrap();
    assert!(matches!(
        s.write_at(0, &[1, 2, 3]),
        Err(StorageError::EscapesSaveFolder(_))
    ));
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);

    // A file that is a link to a file outside.
    let dir2 = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir2.path().join("t")).unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, b"precious").unwrap();
    std::os::unix::fs::symlink(&victim, dir2.path().join("t/a")).unwrap();
    let s = Storage::new(dir2.path(), 16, &files(), StorageMode::ReadWrite).unwrap();
    assert!(matches!(
        s.write_at(0, &[1, 2, 3]),
        Err(StorageError::EscapesSaveFolder(_))
    ));
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_save_folder_are_allowed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("real")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("t")).unwrap();
    let s = Storage::new(dir.path(), 16, &files(), StorageMode::ReadWrite).unwrap();
    s.write_at(0, &[1, 2, 3]).unwrap();
    assert_eq!(
        &std::fs::read(dir.path().join("real/a")).unwrap()[..3],
        &[1, 2, 3]
    );
}

#[test]
fn a_file_in_the_way_of_a_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("t")).unwrap();
    std::fs::write(dir.path().join("t/sub"), b"x").unwrap();
    let s = Storage::new(dir.path(), 16, &files(), StorageMode::ReadWrite).unwrap();
    assert!(matches!(
        s.write_at(16, &[1]),
        Err(StorageError::NotAFolder(_))
    ));
}

#[test]
fn handle_cache_stays_bounded_and_correct() {
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<FileEntry> = (0..50)
        .map(|i| entry(&format!("t/f{i}"), 3, i * 3, false))
        .collect();
    let mut s = Storage::new(dir.path(), 16, &many, StorageMode::ReadWrite).unwrap();
    s.max_open = 4;
    let want = data(150);
    s.write_at(0, &want).unwrap();
    assert!(s.lock_cache().open.len() <= 4);
    let mut got = vec![0; 150];
    s.read_at(0, &mut got).unwrap();
    assert_eq!(got, want);
    assert!(s.lock_cache().open.len() <= 4);
    s.sync_all().unwrap();
    s.close_all();
    assert!(s.lock_cache().open.is_empty());
}

#[test]
fn verify_finds_exactly_the_good_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let want = stream();
    let meta = metainfo_for(files(), 16, &want);
    let s = Storage::for_torrent(dir.path(), &meta, StorageMode::ReadWrite).unwrap();
    // Nothing on disk yet: every piece unreadable, none verified, no hard errors.
    let r = verify(&s, &meta, 2, &HashProgress::default()).unwrap();
    assert_eq!(r.have.count(), 0);
    assert_eq!(r.unreadable, 3);
    assert!(r.errors.is_empty());

    s.write_at(0, &want).unwrap();
    let progress = HashProgress::default();
    let r = verify(&s, &meta, 3, &progress).unwrap();
    assert!(r.have.is_complete());
    assert_eq!(
        progress.bytes.load(std::sync::atomic::Ordering::Relaxed),
        41
    );

    // Damage a byte of piece 1 (inside t/sub/b).
    s.write_at(20, &[want[20] ^ 0xff]).unwrap();
    let r = verify(&s, &meta, 1, &HashProgress::default()).unwrap();
    assert_eq!(r.have.iter_set().collect::<Vec<_>>(), vec![0, 2]);
    assert_eq!(r.unreadable, 0);

    // Delete t/d: only the last piece becomes unreadable.
    s.close_all();
    std::fs::remove_file(dir.path().join("t/d")).unwrap();
    let s = Storage::for_torrent(dir.path(), &meta, StorageMode::ReadOnly).unwrap();
    let r = verify(&s, &meta, 2, &HashProgress::default()).unwrap();
    assert_eq!(r.have.iter_set().collect::<Vec<_>>(), vec![0]);
    assert_eq!(r.unreadable, 1);
}

#[test]
fn pieces_hashed_together_are_judged_each_on_its_own() {
    // 11 pieces of 96 KiB (hashed four at a time where the CPU has the SHA extensions, in
    // chunks shorter than a piece), the last one short, over three files.
    let piece = 96 * 1024u64;
    let sizes = [3 * piece + 5000, 4 * piece - 5000, 3 * piece + 1234];
    let mut files = Vec::new();
    let mut at = 0;
    for (i, &len) in sizes.iter().enumerate() {
        files.push(entry(&format!("t/f{i}"), len, at, false));
        at += len;
    }
    let want = noise(at as usize, 11);
    let meta = metainfo_for(files, piece, &want);
    let dir = tempfile::tempdir().unwrap();
    let s = Storage::for_torrent(dir.path(), &meta, StorageMode::ReadWrite).unwrap();
    s.write_at(0, &want).unwrap();
    let r = verify(&s, &meta, 2, &HashProgress::default()).unwrap();
    assert!(r.have.is_complete());

    // One byte wrong in piece 5, in the middle of a group: only that piece fails.
    let bad = 5 * piece + 777;
    s.write_at(bad, &[want[bad as usize] ^ 1]).unwrap();
    let r = verify(&s, &meta, 1, &HashProgress::default()).unwrap();
    assert_eq!(r.have.count(), 10);
    assert!(!r.have.get(5));

    // Without the first file, its pieces (0..=3, piece 3 shared with f1) cannot be read; the
    // pieces hashed along with them still verify, the damaged one still fails.
    s.close_all();
    std::fs::remove_file(dir.path().join("t/f0")).unwrap();
    let s = Storage::for_torrent(dir.path(), &meta, StorageMode::ReadOnly).unwrap();
    let progress = HashProgress::default();
    let r = verify(&s, &meta, 2, &progress).unwrap();
    assert_eq!(r.unreadable, 4);
    assert_eq!(
        r.have.iter_set().collect::<Vec<_>>(),
        vec![4, 6, 7, 8, 9, 10]
    );
    assert_eq!(
        progress.bytes.load(std::sync::atomic::Ordering::Relaxed),
        at
    );
}

#[test]
fn verify_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let want = stream();
    let meta = metainfo_for(files(), 16, &want);
    let s = Storage::for_torrent(dir.path(), &meta, StorageMode::ReadOnly).unwrap();
    let progress = HashProgress::default();
    progress
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(verify(&s, &meta, 2, &progress).is_err());
}

#[test]
fn delete_files_removes_the_torrent_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let s = Storage::new(dir.path(), 16, &files(), StorageMode::ReadWrite).unwrap();
    s.write_at(0, &stream()).unwrap();
    s.create_empty_files().unwrap();
    std::fs::write(dir.path().join("t/sub/mine.txt"), b"user file").unwrap();
    std::fs::write(dir.path().join("other.txt"), b"keep").unwrap();
    s.delete_files().unwrap();
    assert!(!dir.path().join("t/a").exists());
    assert!(!dir.path().join("t/sub/b").exists());
    assert!(!dir.path().join("t/c").exists());
    assert!(
        dir.path().join("t/sub/mine.txt").exists(),
        "a file not in the torrent stays"
    );
    assert!(dir.path().join("other.txt").exists());
    std::fs::remove_file(dir.path().join("t/sub/mine.txt")).unwrap();
    s.delete_files().unwrap();
    assert!(!dir.path().join("t").exists(), "emptied folders go too");
    assert!(dir.path().exists());
}

#[test]
fn free_space_is_asked_of_the_nearest_existing_folder() {
    let dir = tempfile::tempdir().unwrap();
    let here = super::free_space(dir.path()).expect("a tmp dir has a filesystem");
    let below = super::free_space(&dir.path().join("not/yet/made")).unwrap();
    // Same filesystem; the figures may differ by what others wrote meanwhile.
    assert!(here > 0 && below > 0);
}

/// Whether files under `dir` can be written past the page cache (`O_DIRECT`).
#[cfg(target_os = "linux")]
fn direct_io_under(dir: &Path) -> bool {
    let probe = dir.join("probe");
    std::fs::write(&probe, [0; 4096]).unwrap();
    let can = super::direct::open(&probe).unwrap().is_some();
    std::fs::remove_file(probe).unwrap();
    if !can {
        eprintln!(
            "note: {} cannot do direct I/O; only the page-cache path is tested",
            dir.display()
        );
    }
    can
}

/// Pseudo-random bytes (so that a misplaced block cannot go unnoticed).
pub(crate) fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// How [`blocks_of`] cuts a piece.
#[derive(Clone, Copy)]
enum Cut<'a> {
    /// Buffers of their own, as a peer's blocks arrive (`blocks::own_block`), each at the phase
    /// of its file, as the read loop places them: this piece's index.
    Placed(&'a blocks::Placement, u32),
    /// Buffers of their own, at the start of a page.
    AtZero,
    /// Slices at an odd address of one buffer.
    Odd,
}

/// Cuts `piece` into 16 KiB blocks.
fn blocks_of(piece: &[u8], cut: Cut<'_>) -> Vec<bytes::Bytes> {
    let own = |place: &dyn Fn(u32, usize) -> blocks::Place| {
        piece
            .chunks(16 * 1024)
            .enumerate()
            .map(|(n, c)| {
                let begin = (n * 16 * 1024) as u32;
                blocks::own_block(bytes::Bytes::copy_from_slice(c), place(begin, c.len()))
            })
            .collect()
    };
    match cut {
        Cut::Placed(placement, index) => {
            return own(&|begin, len| placement.place(index, begin, len));
        }
        Cut::AtZero => return own(&|_, _| blocks::Place::default()),
        Cut::Odd => {}
    }
    let mut shifted = vec![0u8; piece.len() + 1];
    shifted[1..].copy_from_slice(piece);
    let all = bytes::Bytes::from(shifted).slice(1..);
    (0..piece.len())
        .step_by(16 * 1024)
        .map(|at| all.slice(at..(at + 16 * 1024).min(piece.len())))
        .collect()
}

#[test]
fn pieces_written_past_the_page_cache_read_back_whole_across_unaligned_files() {
    let dir = tempfile::tempdir().unwrap();
    // Files starting and ending anywhere in a page, a pad file, a file longer than a chunk.
    let lengths = [300_001u64, 700_000, 3_071, 1_048_593, 4_096];
    let mut files = Vec::new();
    let mut offset = 0;
    for (n, &len) in lengths.iter().enumerate() {
        let pad = n == 2;
        let name = if pad {
            "t/.pad/3071".to_owned()
        } else {
            format!("t/f{n}")
        };
        files.push(entry(&name, len, offset, pad));
        offset += len;
    }
    let mut want = noise(offset as usize, 7);
    want[1_000_001..1_003_072].fill(0);
    let piece_length = 256 * 1024;
    let s = Storage::new(dir.path(), piece_length, &files, StorageMode::ReadWrite).unwrap();
    let placement = blocks::Placement::new(s.layout());
    for (index, piece) in want.chunks(piece_length as usize).enumerate() {
        let cut = match index % 3 {
            0 => Cut::Placed(&placement, index as u32),
            1 => Cut::AtZero,
            _ => Cut::Odd,
        };
        let blocks = blocks_of(piece, cut);
        s.write_blocks(index as u64 * piece_length, &blocks)
            .unwrap();
    }
    s.sync_all().unwrap();
    let mut got = vec![0xAA; want.len()];
    s.read_at(0, &mut got).unwrap();
    assert!(got == want, "the stream read back differs");
    for (n, f) in files.iter().enumerate().filter(|(_, f)| !f.pad) {
        let on_disk = std::fs::read(dir.path().join(format!("t/f{n}"))).unwrap();
        let range = f.offset as usize..(f.offset + f.length) as usize;
        assert!(on_disk == want[range], "file t/f{n} differs");
    }
    assert!(!dir.path().join("t/.pad").exists());
    #[cfg(target_os = "linux")]
    if direct_io_under(dir.path()) {
        assert!(
            s.direct_bytes() > 1_000_000,
            "{} bytes went direct",
            s.direct_bytes()
        );
        assert!(s.direct_bytes() < want.len() as u64);
    }
}

#[test]
fn a_single_file_goes_past_the_page_cache_but_for_its_ragged_end_and_only_when_allowed() {
    for direct in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let len = 4 * 1024 * 1024 + 100;
        let files = vec![entry("f", len, 0, false)];
        let want = noise(len as usize, 11);
        let piece_length = 1024 * 1024;
        let s = Storage::new(dir.path(), piece_length, &files, StorageMode::ReadWrite).unwrap();
        s.set_direct_writes(direct);
        // Out of order, as pieces complete.
        for index in [3usize, 0, 4, 2, 1] {
            let start = index * piece_length as usize;
            let piece = &want[start..(start + piece_length as usize).min(want.len())];
            s.write_blocks(start as u64, &blocks_of(piece, Cut::AtZero))
                .unwrap();
        }
        s.sync_all().unwrap();
        assert!(std::fs::read(dir.path().join("f")).unwrap() == want);
        #[cfg(target_os = "linux")]
        if direct && direct_io_under(dir.path()) {
            assert_eq!(s.direct_bytes(), 4 * 1024 * 1024);
            continue;
        }
        assert_eq!(s.direct_bytes(), 0);
    }
}

/// Files that do not start on a page boundary of the stream: blocks placed at their file's
/// phase go to the disk as they are, but for the sector each shares with its neighbour; blocks
/// at the start of a page are copied whole.
#[cfg(target_os = "linux")]
#[test]
fn blocks_placed_in_step_with_unaligned_files_are_written_without_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    if !direct_io_under(dir.path()) {
        return;
    }
    let lengths = [1_000_003u64, 2_500_001, 777_777, 1_234_567];
    let mut files = Vec::new();
    let mut offset = 0;
    for (n, &len) in lengths.iter().enumerate() {
        files.push(entry(&format!("t/f{n}"), len, offset, false));
        offset += len;
    }
    let want = noise(offset as usize, 13);
    let piece_length = 1024 * 1024;
    for placed in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::new(dir.path(), piece_length, &files, StorageMode::ReadWrite).unwrap();
        let placement = blocks::Placement::new(s.layout());
        let mut count = 0;
        for (index, piece) in want.chunks(piece_length as usize).enumerate() {
            let cut = if placed {
                Cut::Placed(&placement, index as u32)
            } else {
                Cut::AtZero
            };
            let blocks = blocks_of(piece, cut);
            count += blocks.len() as u64;
            s.write_blocks(index as u64 * piece_length, &blocks)
                .unwrap();
        }
        s.sync_all().unwrap();
        for (n, f) in files.iter().enumerate() {
            let on_disk = std::fs::read(dir.path().join(format!("t/f{n}"))).unwrap();
            let range = f.offset as usize..(f.offset + f.length) as usize;
            assert!(on_disk == want[range], "file t/f{n} differs");
        }
        let (direct, copied) = (s.direct_bytes(), s.direct_copied());
        // All but the pages cut by a piece or file boundary (these take the page cache).
        let cuts = (lengths.len() + want.len().div_ceil(piece_length as usize)) as u64;
        assert!(
            direct >= offset - cuts * 2 * 4096,
            "{direct} of {offset} went direct"
        );
        if placed {
            // At most a sector (a page at most) per block boundary.
            assert!(copied <= count * 4096, "{copied} bytes copied");
        } else {
            assert!(copied > direct / 2, "{copied} of {direct} copied");
        }
    }
}

#[test]
fn write_blocks_refuses_a_range_past_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let s = Storage::new(dir.path(), 16, &files(), StorageMode::ReadWrite).unwrap();
    let blocks = [bytes::Bytes::from(vec![1u8; 8])];
    assert!(matches!(
        s.write_blocks(36, &blocks),
        Err(StorageError::OutOfRange)
    ));
    assert!(matches!(
        s.write_blocks(u64::MAX - 2, &blocks),
        Err(StorageError::OutOfRange)
    ));
}
