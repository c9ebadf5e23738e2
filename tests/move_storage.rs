//! Moving a torrent's data to another folder while it runs: the files arrive byte-identical
//! and leave the old folder, the torrent seeds (or downloads) on from the new one, a restart
//! needs no hash check, and a destination holding a file of the same name is refused with
//! nothing touched. One test moves across filesystems (to /dev/shm when it is a tmpfs).
//!
//! The copy tests use the session's move hooks: every move copies (as across filesystems),
//! and a copy can be held midway, so what happens during a copy is seen every time: uploads
//! go on, and removing the torrent cancels the move and leaves no copy behind.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::api::{AddTorrent, Event, TorrentSource, TorrentState, TorrentStats};
use brooklet::engine::limits::RateLimits;
use brooklet::engine::session::{self, Command, Config, EngineHandle, EventReceiver};
use brooklet::engine::storage::relocate::MoveHooks;
use common::engine::{TIMEOUT, add, addr, assert_same_tree, make_torrent, wait_finished};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("one.bin", common::random_bytes(11, 100_000)),
        ("two.bin", common::random_bytes(12, 70_000)),
        ("sub/three.bin", common::random_bytes(13, 50_001)),
    ]
}

fn config(state: Option<&Path>) -> Config {
    Config {
        dht: false,
        state_dir: state.map(Path::to_path_buf),
        ..common::engine::config()
    }
}

fn of(s: &[TorrentStats], hash: InfoHash) -> Option<&TorrentStats> {
    s.iter().find(|t| t.info_hash == hash)
}

/// Waits for a snapshot where `hash` satisfies `ok`; a torrent error fails the test.
async fn wait_stats(
    events: &mut EventReceiver,
    hash: InfoHash,
    what: &str,
    ok: impl Fn(&TorrentStats) -> bool,
) -> TorrentStats {
    let s = common::engine::wait_snapshot(events, what, |s| of(&s.torrents, hash).is_some_and(&ok))
        .await;
    of(&s.torrents, hash).cloned().expect("just seen")
}

/// Waits until `hash` has its data in `folder` and runs again.
async fn wait_moved(events: &mut EventReceiver, hash: InfoHash, folder: &Path) -> TorrentStats {
    let folder = folder.canonicalize().unwrap();
    wait_stats(events, hash, "the move to end", |t| {
        t.moving.is_none() && *t.save_path == *folder
    })
    .await
}

/// Waits for the torrent error of `hash`; returns its message.
async fn wait_error(events: &mut EventReceiver, hash: InfoHash) -> String {
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("no error reported")
            .expect("engine stopped");
        if let Event::TorrentError { info_hash, message } = ev
            && info_hash == hash
        {
            return message;
        }
    }
}

/// The torrent's latest statistics (asks for a snapshot by watching it).
async fn current(
    engine: &EngineHandle,
    events: &mut EventReceiver,
    hash: InfoHash,
) -> TorrentStats {
    engine.send(Command::Watch(Some(hash))).unwrap();
    let s = common::engine::wait_snapshot(events, "the details", |s| {
        s.details.as_ref().is_some_and(|d| d.info_hash == hash)
    })
    .await;
    of(&s.torrents, hash).cloned().expect("in the session")
}

/// Waits until the old folder of a moved torrent is gone (the sources go after the new folder
/// is recorded, in the background).
async fn wait_gone(path: &Path) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while path.exists() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} is still there",
            path.display()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn seeding(
    state: Option<&Path>,
    torrent: &[u8],
    dir: &Path,
) -> (EngineHandle, EventReceiver, InfoHash) {
    let (engine, mut events) = session::spawn(config(state)).await.unwrap();
    let hash = add(&engine, torrent, dir, vec![]).await;
    wait_stats(&mut events, hash, "seeding", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    (engine, events, hash)
}

/// A second engine downloads the torrent from `seeder` into `dir`.
async fn download_from(seeder: &EngineHandle, torrent: &[u8], dir: &Path) {
    let (leech, mut leech_events) = common::engine::engine().await;
    let hash = add(&leech, torrent, dir, vec![addr(seeder)]).await;
    wait_finished(&mut leech_events, hash).await;
    leech.shutdown().await;
}

/// Moves a seeding torrent from `tmp/src` to `dst` and checks everything the move promises.
async fn move_and_seed_again(tmp: &Path, dst: &Path) {
    let src = tmp.join("src");
    let files = files();
    let (torrent, _) = make_torrent(&src, "t", &files, 16 * 1024);
    let (engine, mut events, hash) = seeding(None, &torrent, &src).await;
    std::fs::write(src.join("not-ours.txt"), b"keep me").unwrap();

    engine
        .send(Command::MoveStorage(hash, dst.to_path_buf()))
        .unwrap();
    let moved = wait_moved(&mut events, hash, dst).await;
    assert_eq!(moved.state, TorrentState::Seeding);
    let original = tmp.join("original");
    common::write_tree(&original.join("t"), &files);
    let rel: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(p, d)| (format!("t/{p}"), d.clone()))
        .collect();
    let rel: Vec<(&str, Vec<u8>)> = rel.iter().map(|(p, d)| (p.as_str(), d.clone())).collect();
    assert_same_tree(&original, dst, &rel);
    wait_gone(&src.join("t")).await;
    assert_eq!(
        std::fs::read(src.join("not-ours.txt")).unwrap(),
        b"keep me",
        "nothing else in the old folder is touched"
    );
    let leftovers: Vec<PathBuf> = walk(dst)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".brooklet-part"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // It seeds from the new folder.
    let leech_dir = tmp.join("leech");
    download_from(&engine, &torrent, &leech_dir).await;
    assert_same_tree(dst, &leech_dir, &rel);
    engine.shutdown().await;
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            }
            out.push(p);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeding_torrent_moves_and_seeds_from_the_new_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("dst");
    std::fs::create_dir_all(&dst).unwrap();
    move_and_seed_again(tmp.path(), &dst).await;
}

/// /dev/shm is a tmpfs on most Linux systems: a move there crosses filesystems (copy, sync,
/// link into place, delete the sources). Where it is not, this is a second same-filesystem
/// move, and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeding_torrent_moves_across_filesystems() {
    let tmp = tempfile::tempdir().unwrap();
    let shm = Path::new("/dev/shm");
    let other = if shm.is_dir() && other_device(tmp.path(), shm) {
        tempfile::tempdir_in(shm).ok()
    } else {
        None
    };
    let dst = match &other {
        Some(d) => d.path().to_path_buf(),
        None => {
            eprintln!("note: no second filesystem (/dev/shm); moving within one instead");
            let d = tmp.path().join("dst");
            std::fs::create_dir_all(&d).unwrap();
            d
        }
    };
    move_and_seed_again(tmp.path(), &dst).await;
}

fn other_device(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() != b.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_torrent_restarts_from_the_new_folder_without_a_hash_check() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst, state) = (
        tmp.path().join("src"),
        tmp.path().join("dst"),
        tmp.path().join("state"),
    );
    std::fs::create_dir_all(&dst).unwrap();
    let (torrent, meta) = make_torrent(&src, "t", &files(), 16 * 1024);
    let (engine, mut events, hash) = seeding(Some(&state), &torrent, &src).await;
    engine
        .send(Command::MoveStorage(hash, dst.clone()))
        .unwrap();
    wait_moved(&mut events, hash, &dst).await;
    engine.shutdown().await;
    let saved = std::fs::read_to_string(state.join("session.json")).unwrap();
    assert!(!saved.contains("moving_to"), "the move is over: {saved}");

    let (engine, mut events) = session::spawn(config(Some(&state))).await.unwrap();
    let t = wait_stats(&mut events, hash, "seeding after the restart", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    assert_eq!(*t.save_path, *dst.canonicalize().unwrap());
    assert_eq!(t.checked_bytes, 0, "no byte hashed after the restart");
    assert_eq!(t.pieces_have, meta.piece_count());
    engine.shutdown().await;
}

/// A crash midway through renaming: one file already in the new folder, the session still
/// naming the old one and where the data was going. The next start puts the file back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_interrupted_by_a_crash_is_put_back_at_the_next_start() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst, state) = (
        tmp.path().join("src"),
        tmp.path().join("dst"),
        tmp.path().join("state"),
    );
    let files = files();
    let (torrent, _) = make_torrent(&src, "t", &files, 16 * 1024);
    let (engine, _events, hash) = seeding(Some(&state), &torrent, &src).await;
    engine.shutdown().await;

    std::fs::create_dir_all(dst.join("t")).unwrap();
    std::fs::rename(src.join("t/one.bin"), dst.join("t/one.bin")).unwrap();
    let session_file = state.join("session.json");
    let mut saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session_file).unwrap()).unwrap();
    saved["torrents"][0]["moving_to"] = serde_json::Value::from(dst.to_str().unwrap());
    std::fs::write(&session_file, serde_json::to_vec(&saved).unwrap()).unwrap();

    let (engine, mut events) = session::spawn(config(Some(&state))).await.unwrap();
    let t = wait_stats(&mut events, hash, "seeding after the restart", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    assert_eq!(t.checked_bytes, 0, "put back as it was: no hash check");
    assert_eq!(*t.save_path, *src.canonicalize().unwrap());
    assert!(!dst.join("t/one.bin").exists());
    let original = tmp.path().join("original");
    common::write_tree(&original, &files);
    assert_same_tree(&original, &src.join("t"), &files);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_destination_with_a_file_of_the_same_name_is_refused_and_nothing_is_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst) = (tmp.path().join("src"), tmp.path().join("dst"));
    let files = files();
    let (torrent, _) = make_torrent(&src, "t", &files, 16 * 1024);
    std::fs::create_dir_all(dst.join("t")).unwrap();
    std::fs::write(dst.join("t/two.bin"), b"someone else's").unwrap();
    let (engine, mut events, hash) = seeding(None, &torrent, &src).await;

    engine
        .send(Command::MoveStorage(hash, dst.clone()))
        .unwrap();
    let message = wait_error(&mut events, hash).await;
    assert!(message.contains("already exists"), "{message}");
    assert_eq!(
        std::fs::read(dst.join("t/two.bin")).unwrap(),
        b"someone else's"
    );
    assert!(!dst.join("t/one.bin").exists());
    let original = tmp.path().join("original");
    common::write_tree(&original, &files);
    assert_same_tree(&original, &src.join("t"), &files);
    let t = current(&engine, &mut events, hash).await;
    assert_eq!(t.state, TorrentState::Seeding);
    assert_eq!(t.moving, None);
    assert_eq!(*t.save_path, *src.canonicalize().unwrap());
    // And it still seeds.
    download_from(&engine, &torrent, &tmp.path().join("leech")).await;
    engine.shutdown().await;

    // A folder that does not exist is refused too.
    let (engine, mut events, hash) = seeding(None, &torrent, &src).await;
    engine
        .send(Command::MoveStorage(hash, tmp.path().join("nowhere")))
        .unwrap();
    let message = wait_error(&mut events, hash).await;
    assert!(message.contains("not an existing folder"), "{message}");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_downloading_torrent_moves_and_completes_in_the_new_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, leech_dir, dst) = (
        tmp.path().join("src"),
        tmp.path().join("leech"),
        tmp.path().join("dst"),
    );
    std::fs::create_dir_all(&dst).unwrap();
    let files = files();
    let (torrent, meta) = make_torrent(&src, "t", &files, 16 * 1024);
    let (seed, _seed_events, _) = seeding(None, &torrent, &src).await;

    let (leech, mut events) = session::spawn(config(None)).await.unwrap();
    std::fs::create_dir_all(&leech_dir).unwrap();
    let mut a = AddTorrent::new(TorrentSource::Bytes(torrent.clone()), &leech_dir);
    a.peers = vec![addr(&seed)];
    // Added paused and slowed before it starts, so the move happens mid-download.
    a.paused = true;
    let hash = leech.add_torrent(a).await.unwrap();
    leech
        .send(Command::SetTorrentLimits(
            hash,
            RateLimits {
                download: 64 * 1024,
                upload: 0,
            },
        ))
        .unwrap();
    leech.send(Command::Resume(hash)).unwrap();
    let t = wait_stats(&mut events, hash, "a partial download", |t| {
        t.done_bytes > 0 && t.state == TorrentState::Downloading
    })
    .await;
    assert!(t.done_bytes < meta.total_length, "finished too soon");
    leech.send(Command::MoveStorage(hash, dst.clone())).unwrap();
    wait_moved(&mut events, hash, &dst).await;
    leech
        .send(Command::SetTorrentLimits(hash, RateLimits::UNLIMITED))
        .unwrap();
    wait_finished(&mut events, hash).await;
    assert_same_tree(&src.join("t"), &dst.join("t"), &files);
    wait_gone(&leech_dir.join("t")).await;
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_magnet_link_still_fetching_its_metadata_only_changes_its_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst, state) = (
        tmp.path().join("src"),
        tmp.path().join("dst"),
        tmp.path().join("state"),
    );
    std::fs::create_dir_all(&src).unwrap();
    std::fs::create_dir_all(&dst).unwrap();
    let (engine, mut events) = session::spawn(config(Some(&state))).await.unwrap();
    let link = format!("magnet:?xt=urn:btih:{}&dn=later", "ab".repeat(20));
    let hash = engine
        .add_torrent(AddTorrent::new(TorrentSource::Magnet(link), &src))
        .await
        .unwrap();
    engine
        .send(Command::MoveStorage(hash, dst.clone()))
        .unwrap();
    let t = wait_stats(&mut events, hash, "the new folder", |t| {
        *t.save_path == *dst
    })
    .await;
    assert_eq!(t.state, TorrentState::FetchingMetadata);
    engine.shutdown().await;
    let saved = std::fs::read_to_string(state.join("session.json")).unwrap();
    assert!(saved.contains(dst.to_str().unwrap()), "{saved}");
}

/// A session whose moves always copy, and hold after each chunk while `hold` is set.
fn copying_config(hold: &Arc<AtomicBool>) -> Config {
    Config {
        move_hooks: MoveHooks {
            always_copy: true,
            hold: Some(hold.clone()),
        },
        ..config(None)
    }
}

/// Waits until the copy of `hash` has begun (and, held, stays there).
async fn wait_copying(events: &mut EventReceiver, hash: InfoHash) {
    wait_stats(events, hash, "the copy to begin", |t| {
        t.moving.is_some_and(|f| f > 0.0)
    })
    .await;
}

/// Every file and folder under `dir`, as paths relative to it.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    all.sort();
    all
}

/// The torrent's files as they are in the save folder (under `t/`).
fn in_save_folder(files: &[(&'static str, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|(p, d)| (format!("t/{p}"), d.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_move_keeps_uploading_to_a_leecher_that_completes_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst, leech_dir) = (
        tmp.path().join("src"),
        tmp.path().join("dst"),
        tmp.path().join("leech"),
    );
    std::fs::create_dir_all(&dst).unwrap();
    let files = files();
    let (torrent, meta) = make_torrent(&src, "t", &files, 16 * 1024);
    let hold = Arc::new(AtomicBool::new(true));
    let (seed, mut seed_events) = session::spawn(copying_config(&hold)).await.unwrap();
    let hash = add(&seed, &torrent, &src, vec![]).await;
    wait_stats(&mut seed_events, hash, "seeding", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    // Slow enough that the download is far from done when the move begins, and goes on
    // while the copy is held.
    seed.send(Command::SetTorrentLimits(
        hash,
        RateLimits::new(0, 32 * 1024),
    ))
    .unwrap();

    let (leech, mut leech_events) = session::spawn(config(None)).await.unwrap();
    add(&leech, &torrent, &leech_dir, vec![addr(&seed)]).await;
    let started = wait_stats(&mut leech_events, hash, "a partial download", |t| {
        t.done_bytes > 0
    })
    .await;
    assert!(started.done_bytes < meta.total_length, "finished too soon");

    seed.send(Command::MoveStorage(hash, dst.clone())).unwrap();
    wait_copying(&mut seed_events, hash).await;
    let before = current(&leech, &mut leech_events, hash).await.done_bytes;
    let grown = wait_stats(&mut leech_events, hash, "the download to go on", |t| {
        t.done_bytes >= before + 2 * 16 * 1024
    })
    .await;
    assert!(
        grown.done_bytes < meta.total_length,
        "finished during the copy"
    );
    let during = current(&seed, &mut seed_events, hash).await;
    assert!(during.moving.is_some(), "the copy is still held");
    assert_eq!(during.state, TorrentState::Seeding);
    assert!(during.peers > 0, "the leecher stays connected");
    assert_eq!(*during.save_path, *src.canonicalize().unwrap());

    hold.store(false, Ordering::Release);
    wait_moved(&mut seed_events, hash, &dst).await;
    seed.send(Command::SetTorrentLimits(hash, RateLimits::UNLIMITED))
        .unwrap();
    wait_finished(&mut leech_events, hash).await;
    let rel = in_save_folder(&files);
    let rel: Vec<(&str, Vec<u8>)> = rel.iter().map(|(p, d)| (p.as_str(), d.clone())).collect();
    assert_same_tree(&dst, &leech_dir, &rel);
    wait_gone(&src.join("t")).await;
    assert_eq!(
        listing(&src),
        Vec::<PathBuf>::new(),
        "the old folder ends empty"
    );
    let dest = listing(&dst);
    assert!(
        dest.iter()
            .all(|p| !p.to_string_lossy().ends_with(".brooklet-part")),
        "temporary files left: {dest:?}"
    );
    let t = current(&seed, &mut seed_events, hash).await;
    assert_eq!(*t.save_path, *dst.canonicalize().unwrap());
    leech.shutdown().await;
    seed.shutdown().await;
}

/// Removes a torrent whose data is being copied (held midway); returns the old and new
/// folders' listings afterwards.
async fn remove_during_a_copy(tmp: &Path, delete_data: bool) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (src, dst) = (tmp.join("src"), tmp.join("dst"));
    std::fs::create_dir_all(&dst).unwrap();
    let (torrent, _) = make_torrent(&src, "t", &files(), 16 * 1024);
    let hold = Arc::new(AtomicBool::new(true));
    let (engine, mut events) = session::spawn(copying_config(&hold)).await.unwrap();
    let hash = add(&engine, &torrent, &src, vec![]).await;
    wait_stats(&mut events, hash, "seeding", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    engine
        .send(Command::MoveStorage(hash, dst.clone()))
        .unwrap();
    wait_copying(&mut events, hash).await;
    let copying = listing(&dst);
    assert!(
        copying
            .iter()
            .any(|p| p.to_string_lossy().ends_with(".brooklet-part")),
        "a copy is under way: {copying:?}"
    );

    engine
        .send(Command::Remove {
            info_hash: hash,
            delete_data,
        })
        .unwrap();
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("not removed in time")
            .expect("engine stopped");
        match ev {
            Event::TorrentRemoved { info_hash } if info_hash == hash => break,
            Event::TorrentError { message, .. } => panic!("torrent error: {message}"),
            _ => {}
        }
    }
    engine.shutdown().await;
    (listing(&src), listing(&dst))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_with_its_data_during_a_copy_leaves_neither_old_nor_new_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = remove_during_a_copy(tmp.path(), true).await;
    assert_eq!(old, Vec::<PathBuf>::new(), "old files left");
    assert_eq!(new, Vec::<PathBuf>::new(), "copies left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_without_its_data_during_a_copy_keeps_the_old_files_and_no_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, new) = remove_during_a_copy(tmp.path(), false).await;
    assert_eq!(new, Vec::<PathBuf>::new(), "copies left");
    let files = files();
    let original = tmp.path().join("original");
    common::write_tree(&original, &files);
    assert_same_tree(&original, &tmp.path().join("src/t"), &files);
}

/// Within one filesystem the files are renamed: serving pauses for that moment only (reads
/// wait, then go to the new folder), and no read fails on a file that changed its name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_move_while_uploading_fails_no_read_and_the_leecher_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dst, leech_dir) = (
        tmp.path().join("src"),
        tmp.path().join("dst"),
        tmp.path().join("leech"),
    );
    std::fs::create_dir_all(&dst).unwrap();
    let files = files();
    let (torrent, meta) = make_torrent(&src, "t", &files, 16 * 1024);
    let (seed, mut seed_events, hash) = seeding(None, &torrent, &src).await;
    seed.send(Command::SetTorrentLimits(
        hash,
        RateLimits::new(0, 64 * 1024),
    ))
    .unwrap();
    let (leech, mut leech_events) = session::spawn(config(None)).await.unwrap();
    add(&leech, &torrent, &leech_dir, vec![addr(&seed)]).await;
    let started = wait_stats(&mut leech_events, hash, "a partial download", |t| {
        t.done_bytes > 0
    })
    .await;
    assert!(started.done_bytes < meta.total_length, "finished too soon");

    seed.send(Command::MoveStorage(hash, dst.clone())).unwrap();
    // A read that failed would be a torrent error, which fails this wait.
    wait_moved(&mut seed_events, hash, &dst).await;
    seed.send(Command::SetTorrentLimits(hash, RateLimits::UNLIMITED))
        .unwrap();
    wait_finished(&mut leech_events, hash).await;
    let rel = in_save_folder(&files);
    let rel: Vec<(&str, Vec<u8>)> = rel.iter().map(|(p, d)| (p.as_str(), d.clone())).collect();
    assert_same_tree(&dst, &leech_dir, &rel);
    wait_gone(&src.join("t")).await;
    assert_eq!(
        listing(&src),
        Vec::<PathBuf>::new(),
        "the old folder ends empty"
    );
    let t = current(&seed, &mut seed_events, hash).await;
    assert_eq!(t.state, TorrentState::Seeding);
    leech.shutdown().await;
    seed.shutdown().await;
}
