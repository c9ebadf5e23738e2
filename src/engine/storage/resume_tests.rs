#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::engine::metainfo::FileEntry;
use crate::engine::storage::StorageMode;

fn entry(path: &str, length: u64, offset: u64) -> FileEntry {
    FileEntry {
        path: path.split('/').map(str::to_owned).collect(),
        length,
        offset,
        pad: false,
        executable: false,
        hidden: false,
    }
}

/// Two files of 32 bytes, pieces of 16 bytes: pieces 0–1 in `t/a`, 2–3 in `t/b`.
fn storage(dir: &Path) -> Storage {
    Storage::new(
        dir,
        16,
        &[entry("t/a", 32, 0), entry("t/b", 32, 32)],
        StorageMode::ReadWrite,
    )
    .unwrap()
}

const HASH: InfoHash = InfoHash([7; 20]);

/// Writes pieces 0, 1 and 2 and takes resume data claiming them.
fn taken(s: &Storage) -> ResumeData {
    s.write_at(0, &[1; 48]).unwrap();
    let mut have = Bitfield::new(4);
    for p in 0..3 {
        have.set(p);
    }
    let mut data = ResumeData::new(HASH, have);
    data.uploaded = 5;
    data.completed_at = Some(9);
    data.first_last_pieces_first = true;
    data.seed_goals.idle_time =
        crate::engine::api::Limit::Value(std::time::Duration::from_secs(90));
    data.seed_goals.ratio = crate::engine::api::Limit::Unlimited;
    data.seal(s, true).unwrap();
    data
}

fn set_mtime(path: &Path, secs_from_now: i64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    let now = std::time::SystemTime::now();
    let t = if secs_from_now >= 0 {
        now + std::time::Duration::from_secs(secs_from_now as u64)
    } else {
        now - std::time::Duration::from_secs((-secs_from_now) as u64)
    };
    f.set_modified(t).unwrap();
}

#[test]
fn round_trips_and_matches_unchanged_files() {
    let dir = tempfile::tempdir().unwrap();
    let s = storage(dir.path());
    let data = taken(&s);
    assert!(
        s.lock_dirty().is_empty(),
        "the seal synced every written file"
    );
    let store = ResumeStore::new(dir.path().join("resume"));
    store.save(&data).unwrap();
    let back = store.load_for(&s, &HASH).unwrap();
    assert_eq!(back, data);
    assert_eq!(back.have.count(), 3);
}

#[test]
fn bad_files_are_errors_and_the_backup_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let s = storage(dir.path());
    let store = ResumeStore::new(dir.path().join("resume"));
    assert!(matches!(store.load(&HASH, 4), Err(ResumeError::Missing)));
    let data = taken(&s);
    store.save(&data).unwrap();
    store.save(&data).unwrap(); // the first version becomes the .bak
    let good = std::fs::read(store.path(&HASH)).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    let other = InfoHash([8; 20]);
    let bad: Vec<Vec<u8>> = vec![
        good[..good.len() / 2].to_vec(),
        (0..200u8).map(|i| i.wrapping_mul(97)).collect(),
        text.replace("\"uploaded\": 5", "\"uploaded\": \"five\"").into_bytes(),
        text.replace("\"piece_count\": 4", "\"piece_count\": 5").into_bytes(),
        text.replace(&HASH.to_hex(), &other.to_hex()).into_bytes(),
        text.replace("\"pieces\": \"e0\"", "\"pieces\": \"e0e0\"").into_bytes(),
        text.replace("\"pieces\": \"e0\"", "\"pieces\": \"zz\"").into_bytes(),
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_vec(),
    ];
    for (n, bytes) in bad.iter().enumerate() {
        assert!(
            ResumeData::decode(bytes, &HASH, 4).is_err(),
            "variant {n} decoded"
        );
        std::fs::write(store.path(&HASH), bytes).unwrap();
        assert_eq!(store.load(&HASH, 4).unwrap(), data, "variant {n}: the .bak");
    }
    assert!(matches!(
        ResumeData::decode(&good, &other, 4),
        Err(ResumeError::WrongTorrent)
    ));
    assert!(matches!(
        ResumeData::decode(&good, &HASH, 3),
        Err(ResumeError::WrongPieceCount { .. })
    ));
    store.remove(&HASH);
    assert!(matches!(store.load(&HASH, 4), Err(ResumeError::Missing)));
}

#[test]
fn changed_files_are_refused_and_a_growing_file_is_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let s = storage(dir.path());
    let data = taken(&s);
    let a = dir.path().join("t/a");
    let b = dir.path().join("t/b");
    // `t/b` was still downloading (piece 3 missing): a newer mtime is our own later write.
    set_mtime(&b, 60);
    data.check_files(&s).unwrap();
    // ... but an older one means the file was replaced.
    set_mtime(&b, -3600);
    assert!(matches!(
        data.check_files(&s),
        Err(ResumeError::FileChanged(_))
    ));
    let data = taken(&s);
    // `t/a` was complete: any other mtime is a change.
    set_mtime(&a, 60);
    assert!(data.check_files(&s).is_err());
    let data = taken(&s);
    std::fs::File::options()
        .write(true)
        .open(&a)
        .unwrap()
        .set_len(40)
        .unwrap();
    assert!(data.check_files(&s).is_err(), "size changed");
    let data = taken(&s);
    std::fs::remove_file(&b).unwrap();
    assert!(data.check_files(&s).is_err(), "file missing");
    // Another save folder.
    let other = tempfile::tempdir().unwrap();
    let data = taken(&s);
    assert!(matches!(
        data.check_files(&storage(other.path())),
        Err(ResumeError::OtherSaveFolder(_))
    ));
}

#[test]
fn a_file_without_claimed_pieces_is_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let s = storage(dir.path());
    s.write_at(0, &[1; 16]).unwrap();
    let mut have = Bitfield::new(4);
    have.set(0);
    let mut data = ResumeData::new(HASH, have);
    data.seal(&s, true).unwrap();
    // `t/b` did not exist; it does now (a later write): nothing of it was claimed.
    s.write_at(48, &[2; 16]).unwrap();
    data.check_files(&s).unwrap();
}

#[test]
fn a_failed_sync_keeps_the_files_for_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let s = storage(dir.path());
    s.write_at(0, &[1; 64]).unwrap();
    s.close_all();
    std::fs::remove_file(dir.path().join("t/a")).unwrap();
    assert!(
        s.sync_all().is_err(),
        "a vanished file is not created again"
    );
    assert!(!dir.path().join("t/a").exists());
    assert_eq!(s.lock_dirty().len(), 2);
}

#[test]
fn the_sync_reaches_files_whose_handle_left_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<FileEntry> = (0..20)
        .map(|i| entry(&format!("t/f{i}"), 8, i * 8))
        .collect();
    let mut s = Storage::new(dir.path(), 16, &many, StorageMode::ReadWrite).unwrap();
    s.max_open = 3;
    s.write_at(0, &[5; 160]).unwrap();
    assert!(s.lock_cache().open.len() <= 3);
    assert_eq!(
        s.lock_dirty().len(),
        20,
        "every written file awaits its sync"
    );
    s.sync_all().unwrap();
    assert!(s.lock_dirty().is_empty());
    s.mark_existing_unsynced();
    assert_eq!(s.lock_dirty().len(), 20);
}

/// Many files at once are synced a file system at a time (Linux); the list of files to sync
/// is emptied only when that worked, and a file that vanished is still an error.
#[test]
fn many_files_are_synced_at_once_and_a_vanished_one_is_still_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<FileEntry> = (0..100)
        .map(|i| entry(&format!("t/d{}/f{i}", i / 30), 8, i * 8))
        .collect();
    let s = Storage::new(dir.path(), 16, &many, StorageMode::ReadWrite).unwrap();
    s.write_at(0, &[5; 800]).unwrap();
    assert_eq!(s.lock_dirty().len(), 100);
    s.sync_all().unwrap();
    assert!(s.lock_dirty().is_empty());
    s.write_at(0, &[6; 800]).unwrap();
    s.close_all();
    std::fs::remove_file(dir.path().join("t/d1/f40")).unwrap();
    assert!(s.sync_all().is_err(), "a vanished file is an error");
    assert!(
        !dir.path().join("t/d1/f40").exists(),
        "and not created again"
    );
    assert_eq!(s.lock_dirty().len(), 100, "every file awaits the next sync");
    for i in (0..100).filter(|&i| i != 40) {
        let got = std::fs::read(dir.path().join(format!("t/d{}/f{i}", i / 30))).unwrap();
        assert_eq!(got, [6; 8]);
    }
}
