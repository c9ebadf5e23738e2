#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::engine::metainfo::FileEntry;
use crate::engine::storage::{Storage, StorageMode};

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

/// t/a (10 bytes), a pad file, t/sub/b (20 bytes), t/c (not on disk).
fn storage_in(root: &Path) -> Storage {
    let files = vec![
        entry("t/a", 10, 0, false),
        entry("t/.pad/6", 6, 10, true),
        entry("t/sub/b", 20, 16, false),
        entry("t/c", 5, 36, false),
    ];
    std::fs::create_dir_all(root.join("t/sub")).unwrap();
    std::fs::write(root.join("t/a"), [1u8; 10]).unwrap();
    std::fs::write(root.join("t/sub/b"), [2u8; 20]).unwrap();
    // Not the torrent's: must never move.
    std::fs::write(root.join("t/other.txt"), b"mine").unwrap();
    Storage::new(root, 16, &files, StorageMode::ReadWrite).unwrap()
}

#[test]
fn plan_lists_the_existing_files_in_torrent_order_without_pads() {
    let (src, dst) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let storage = storage_in(src.path());
    let plan = plan(&storage, dst.path()).unwrap();
    let names: Vec<_> = plan.files.iter().map(|f| f.relative.clone()).collect();
    assert_eq!(names, vec![PathBuf::from("t/a"), PathBuf::from("t/sub/b")]);
    assert_eq!(plan.total_bytes(), 30);
    assert_eq!(plan.mode, MoveMode::Rename);
    assert_eq!(
        plan.source_folders(),
        vec![
            src.path().canonicalize().unwrap().join("t/sub"),
            src.path().canonicalize().unwrap().join("t")
        ]
    );
}

#[test]
fn plan_refuses_a_missing_folder_the_same_folder_and_its_own_folder() {
    let src = tempfile::tempdir().unwrap();
    let storage = storage_in(src.path());
    assert!(matches!(
        plan(&storage, &src.path().join("nope")),
        Err(MoveError::NotAFolder(_))
    ));
    assert!(matches!(
        plan(&storage, src.path()),
        Err(MoveError::SameFolder(_))
    ));
    assert!(matches!(
        plan(&storage, &src.path().join("t/sub")),
        Err(MoveError::InsideTorrent(_))
    ));
}

#[test]
fn plan_refuses_when_any_file_of_the_torrent_exists_at_the_destination() {
    let (src, dst) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let storage = storage_in(src.path());
    // Even a file not downloaded yet: it would be written into later.
    std::fs::create_dir_all(dst.path().join("t")).unwrap();
    std::fs::write(dst.path().join("t/c"), b"theirs").unwrap();
    assert!(matches!(
        plan(&storage, dst.path()),
        Err(MoveError::AlreadyExists(p)) if p.ends_with("t/c")
    ));
}

#[test]
fn rename_moves_only_the_torrent_files_and_cleanup_keeps_non_empty_folders() {
    let (src, dst) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let storage = storage_in(src.path());
    let plan = plan(&storage, dst.path()).unwrap();
    let progress = MoveControl::default();
    let mode = place(&plan, &progress).unwrap();
    assert_eq!(progress.done.load(Ordering::Relaxed), 30);
    assert_eq!(std::fs::read(dst.path().join("t/a")).unwrap(), [1u8; 10]);
    assert_eq!(
        std::fs::read(dst.path().join("t/sub/b")).unwrap(),
        [2u8; 20]
    );
    cleanup(&plan, mode).unwrap();
    assert!(!src.path().join("t/sub").exists());
    // The user's own file stays, and so does its folder.
    assert_eq!(
        std::fs::read(src.path().join("t/other.txt")).unwrap(),
        b"mine"
    );
    assert!(!dst.path().join("t/other.txt").exists());
}

#[test]
fn copy_keeps_the_sources_until_cleanup_and_keeps_mtimes() {
    let (src, dst) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let storage = storage_in(src.path());
    let mut plan = plan(&storage, dst.path()).unwrap();
    plan.mode = MoveMode::Copy;
    let progress = MoveControl::default();
    let mode = place(&plan, &progress).unwrap();
    assert_eq!(mode, MoveMode::Copy);
    assert_eq!(progress.done.load(Ordering::Relaxed), 30);
    assert!(
        src.path().join("t/a").exists(),
        "sources stay until cleanup"
    );
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    assert_eq!(
        mtime(&src.path().join("t/a")),
        mtime(&dst.path().join("t/a"))
    );
    assert!(!part_name(&dst.path().join("t/a")).exists());
    cleanup(&plan, mode).unwrap();
    assert!(!src.path().join("t/a").exists());
    assert!(!src.path().join("t/sub").exists());
    assert_eq!(
        std::fs::read(dst.path().join("t/sub/b")).unwrap(),
        [2u8; 20]
    );
}

#[test]
fn a_failure_midway_rolls_back_renames_in_reverse() {
    let (src, dst) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let storage = storage_in(src.path());
    let plan = plan(&storage, dst.path()).unwrap();
    // Something appears at the second file's place after planning: refused, first moved back.
    std::fs::create_dir_all(dst.path().join("t/sub")).unwrap();
    std::fs::write(dst.path().join("t/sub/b"), b"theirs").unwrap();
    let err = place(&plan, &MoveControl::default()).unwrap_err();
    assert!(matches!(err, MoveError::AlreadyExists(_)), "{err}");
    assert_eq!(std::fs::read(src.path().join("t/a")).unwrap(), [1u8; 10]);
    assert_eq!(
        std::fs::read(src.path().join("t/sub/b")).unwrap(),
        [2u8; 20]
    );
    assert!(!dst.path().join("t/a").exists());
    assert_eq!(
        std::fs::read(dst.path().join("t/sub/b")).unwrap(),
        b"theirs"
    );
}

#[test]
fn a_failed_copy_deletes_only_its_own_copies() {
    let (src, dst) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let storage = storage_in(src.path());
    let mut plan = plan(&storage, dst.path()).unwrap();
    plan.mode = MoveMode::Copy;
    std::fs::create_dir_all(dst.path().join("t/sub")).unwrap();
    std::fs::write(dst.path().join("t/sub/b"), b"theirs").unwrap();
    assert!(place(&plan, &MoveControl::default()).is_err());
    assert!(!dst.path().join("t/a").exists());
    assert!(!part_name(&dst.path().join("t/sub/b")).exists());
    assert_eq!(
        std::fs::read(dst.path().join("t/sub/b")).unwrap(),
        b"theirs"
    );
    assert_eq!(std::fs::read(src.path().join("t/a")).unwrap(), [1u8; 10]);
    assert_eq!(
        std::fs::read(src.path().join("t/sub/b")).unwrap(),
        [2u8; 20]
    );
}

#[test]
fn a_copy_cancelled_midway_removes_its_copies_and_folders_and_keeps_the_sources() {
    let (src, dst) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let storage = storage_in(src.path());
    let mut plan = plan(&storage, dst.path()).unwrap();
    plan.mode = MoveMode::Copy;
    let hold = Arc::new(AtomicBool::new(true));
    let control = Arc::new(MoveControl::new(&MoveHooks {
        always_copy: true,
        hold: Some(hold.clone()),
    }));
    let job = {
        let (plan, control) = (plan.clone(), control.clone());
        std::thread::spawn(move || place(&plan, &control))
    };
    // Held after the first chunk of the first file: its copy is there, not yet in place.
    let part = part_name(&dst.path().join("t/a"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !part.exists() {
        assert!(std::time::Instant::now() < deadline, "the copy never began");
        std::thread::sleep(Duration::from_millis(5));
    }
    control.cancel();
    let err = job.join().unwrap().unwrap_err();
    assert!(matches!(err, MoveError::Cancelled), "{err}");
    assert!(!part.exists());
    assert!(!dst.path().join("t").exists(), "the folders it made go too");
    assert_eq!(std::fs::read(src.path().join("t/a")).unwrap(), [1u8; 10]);
    assert_eq!(
        std::fs::read(src.path().join("t/sub/b")).unwrap(),
        [2u8; 20]
    );
}

#[test]
fn a_move_cancelled_before_it_starts_touches_nothing() {
    let (src, dst) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let storage = storage_in(src.path());
    let plan = plan(&storage, dst.path()).unwrap();
    let control = MoveControl::default();
    control.cancel();
    assert!(matches!(place(&plan, &control), Err(MoveError::Cancelled)));
    assert_eq!(std::fs::read_dir(dst.path()).unwrap().count(), 0);
    assert_eq!(std::fs::read(src.path().join("t/a")).unwrap(), [1u8; 10]);
}
