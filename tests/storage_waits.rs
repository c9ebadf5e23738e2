//! Storage faults a torrent waits out by itself, made real: a disk that refuses writes for
//! lack of room (the kernel's file-size limit on this process, lifted later: EFBIG, the same
//! class as ENOSPC and EDQUOT), and a save folder that is gone at start (an unplugged drive,
//! renamed away and back, or its mount point left empty). A really full filesystem has its own
//! file, tests/full_filesystem.rs. Also: a file cut short under a seeder is "files missing" (progress
//! kept, nothing unverified uploaded) until the user rechecks, and a read-only save folder is
//! refused when a torrent is added.
//!
//! The file-size limit applies to the whole test process while it is set: every file the other
//! test here writes stays under it.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::api::{AddTorrent, TorrentSource, TorrentState};
use brooklet::engine::session::{self, Config, EventReceiver};
use common::engine::*;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Sets this process's file-size limit (soft, hard unlimited) with `prlimit`; `None` when it
/// cannot be set.
fn set_file_size_limit(soft: &str) -> Option<()> {
    let out = Command::new("prlimit")
        .arg("--pid")
        .arg(std::process::id().to_string())
        .arg(format!("--fsize={soft}:unlimited"))
        .output()
        .ok()?;
    out.status.success().then_some(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_an_error_that_retries_by_itself_once_writes_succeed() {
    // Over the limit, writes fail with EFBIG instead of the process getting SIGXFSZ.
    let _xfsz = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(25))
        .expect("SIGXFSZ handler");
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let big_files = [("big.bin", common::random_bytes(21, 1_000_000))];
    let small_files = [("small.bin", common::random_bytes(22, 100_000))];
    let (big, big_meta) = make_torrent(&src, "big", &big_files, 16 * 1024);
    let (small, _) = make_torrent(&src, "small", &small_files, 16 * 1024);
    let (seed, _seed_events) = seeder_with(&big, &src, big_meta.info_hash).await;
    add(&seed, &small, &src, vec![]).await;

    let (leech, mut events) = engine().await;
    let dst = tmp.path().join("dst");
    if set_file_size_limit("262144").is_none() {
        eprintln!("skipped: prlimit cannot set this process's file-size limit");
        return;
    }
    let big_hash = add(&leech, &big, &dst, vec![addr(&seed)]).await;
    let errored = wait_stats(&mut events, big_hash, "the disk-full error", |t| {
        error_of(t).starts_with("disk full:")
    })
    .await;
    let message = error_of(&errored).to_owned();
    assert!(message.contains("big.bin"), "{message}");
    assert!(
        errored
            .retry_in
            .is_some_and(|d| d <= Duration::from_secs(10)),
        "{errored:?}"
    );

    // Another torrent (under the limit) goes on meanwhile.
    let small_hash = add(&leech, &small, &dst, vec![addr(&seed)]).await;
    let both = wait_stats(&mut events, small_hash, "the other torrent", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    assert_eq!(both.done_bytes, 100_000);
    // Still waiting, without peers (nothing is requested while the disk is full).
    let waiting = wait_stats(&mut events, big_hash, "the waiting torrent", |_| true).await;
    assert!(error_of(&waiting).starts_with("disk full:"), "{waiting:?}");
    assert_eq!(waiting.peers, 0, "{waiting:?}");

    // A pause stops the retrying; a resume tries again at once (and fails again: still full).
    leech
        .send(brooklet::engine::session::Command::Pause(big_hash))
        .unwrap();
    let paused = wait_stats(&mut events, big_hash, "paused", |t| {
        t.state == TorrentState::Paused
    })
    .await;
    assert_eq!(paused.retry_in, None);
    leech
        .send(brooklet::engine::session::Command::Resume(big_hash))
        .unwrap();
    let again = wait_stats(&mut events, big_hash, "the retry at once", |t| {
        error_of(t).starts_with("disk full:")
    })
    .await;
    assert!(
        again.retry_in.is_some_and(|d| d > Duration::from_secs(10)),
        "the second failure in a row waits longer: {again:?}"
    );

    // Space is back: it completes by itself, byte for byte.
    assert!(set_file_size_limit("unlimited").is_some());
    wait_stats(&mut events, big_hash, "completion after the retry", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    assert_same_tree(&src.join("big"), &dst.join("big"), &big_files);
    assert_same_tree(&src.join("small"), &dst.join("small"), &small_files);
    leech.shutdown().await;
    seed.shutdown().await;
}

fn state_config(state: &Path) -> Config {
    Config {
        dht: false,
        state_dir: Some(state.to_path_buf()),
        ..config()
    }
}

/// A first session checks `bytes` (saved in `dir`) until it seeds, and closes: the state in
/// `state` then knows the torrent and its resume data.
async fn seed_once_and_close(state: &Path, bytes: &[u8], dir: &Path, hash: InfoHash) {
    let (first, mut events) = session::spawn(state_config(state)).await.unwrap();
    first
        .add_torrent(AddTorrent::new(TorrentSource::Bytes(bytes.to_vec()), dir))
        .await
        .unwrap();
    wait_stats(&mut events, hash, "the first check", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    first.shutdown().await;
}

/// After the storage came back: `seeder` seeds again from its resume data without a hash
/// check, and a fresh leecher gets `files` (under `root`) byte for byte.
async fn seeds_again_without_a_recheck(
    seeder: session::EngineHandle,
    events: &mut EventReceiver,
    bytes: &[u8],
    meta: &brooklet::engine::Metainfo,
    root: &Path,
    files: &[(&str, Vec<u8>)],
    dst: &Path,
) {
    let hash = meta.info_hash;
    let back = wait_stats(events, hash, "seeding again", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    assert_eq!(back.checked_bytes, 0, "no recheck: {back:?}");
    assert_eq!(back.done_bytes, meta.total_length);
    assert_eq!(back.retry_in, None);
    let (leech, mut leech_events) = engine().await;
    add(&leech, bytes, dst, vec![addr(&seeder)]).await;
    wait_finished(&mut leech_events, hash).await;
    assert_same_tree(root, &dst.join("t"), files);
    leech.shutdown().await;
    seeder.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unplugged_save_folder_waits_and_resumes_without_a_recheck() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let drive = tmp.path().join("drive");
    let away = tmp.path().join("drive-away");
    let data = drive.join("data");
    let files = [
        ("one.bin", common::random_bytes(31, 200_000)),
        ("sub/two.bin", common::random_bytes(32, 70_001)),
    ];
    let (bytes, meta) = make_torrent(&data, "t", &files, 16 * 1024);
    let hash = meta.info_hash;

    seed_once_and_close(&state, &bytes, &data, hash).await;

    // The drive is unplugged while the client is closed.
    std::fs::rename(&drive, &away).unwrap();
    let (second, mut events) = session::spawn(state_config(&state)).await.unwrap();
    let missing = wait_stats(&mut events, hash, "storage unavailable", |t| {
        error_of(t).starts_with("storage unavailable:")
    })
    .await;
    assert!(
        error_of(&missing).contains(&data.display().to_string()),
        "{missing:?}"
    );
    assert_eq!(missing.checked_bytes, 0, "nothing is hashed");
    assert!(missing.retry_in.is_some(), "{missing:?}");
    assert!(!drive.exists(), "the missing folder is not created");

    // Plugged in again: seeding again from the resume data, no hash check.
    std::fs::rename(&away, &drive).unwrap();
    let dst = tmp.path().join("dst");
    seeds_again_without_a_recheck(
        second,
        &mut events,
        &bytes,
        &meta,
        &data.join("t"),
        &files,
        &dst,
    )
    .await;
}

/// A drive unplugged while the client is closed often leaves its mount point behind, empty:
/// the save folder is there but holds none of the torrent's files. That is waited out like a
/// missing folder — nothing created in the empty folder, nothing hashed — and once the files
/// are back the torrent seeds from its resume data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_mount_point_waits_for_the_files_without_creating_any() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let mount = tmp.path().join("mnt");
    let away = tmp.path().join("unplugged");
    let files = [
        ("one.bin", common::random_bytes(33, 150_000)),
        ("sub/two.bin", common::random_bytes(34, 40_001)),
    ];
    let (bytes, meta) = make_torrent(&mount, "t", &files, 16 * 1024);
    let hash = meta.info_hash;

    seed_once_and_close(&state, &bytes, &mount, hash).await;

    // Unplugged: the mount point stays, empty.
    std::fs::create_dir_all(&away).unwrap();
    std::fs::rename(mount.join("t"), away.join("t")).unwrap();
    let (second, mut events) = session::spawn(state_config(&state)).await.unwrap();
    let waiting = wait_stats(&mut events, hash, "storage unavailable", |t| {
        error_of(t).starts_with("storage unavailable:")
    })
    .await;
    assert!(
        error_of(&waiting).contains("none of the files"),
        "{waiting:?}"
    );
    assert_eq!(waiting.checked_bytes, 0, "nothing is hashed");
    assert_eq!(waiting.done_bytes, meta.total_length, "progress is kept");
    assert!(waiting.retry_in.is_some(), "{waiting:?}");
    // Past one look at the folder (every 5 s), still nothing in it.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let left: Vec<_> = std::fs::read_dir(&mount).unwrap().collect();
    assert!(
        left.is_empty(),
        "files were made in the empty mount point: {left:?}"
    );

    // Plugged in again: seeding from the resume data, no hash check.
    std::fs::rename(away.join("t"), mount.join("t")).unwrap();
    let dst = tmp.path().join("dst");
    seeds_again_without_a_recheck(
        second,
        &mut events,
        &bytes,
        &meta,
        &mount.join("t"),
        &files,
        &dst,
    )
    .await;
}

/// Makes `dir` refuse writes: a read-only tmpfs mounted on it when we are root (permissions do
/// not stop root), else mode 0555. `Some(true)` when mounted (to unmount), `None` when it
/// cannot be done here.
fn make_read_only(dir: &Path) -> Option<bool> {
    let uid = common::run_with_timeout(Command::new("id").arg("-u"), 10);
    if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        let out = common::run_with_timeout(
            Command::new("mount")
                .args(["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs"])
                .arg(dir),
            10,
        );
        return out.status.success().then_some(true);
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).ok()?;
    Some(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_save_folder_is_refused_when_the_torrent_is_added() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let files = [("a.bin", common::random_bytes(41, 50_000))];
    let (bytes, _) = make_torrent(&src, "t", &files, 16 * 1024);
    let ro = tmp.path().join("ro");
    std::fs::create_dir_all(&ro).unwrap();
    let Some(mounted) = make_read_only(&ro) else {
        eprintln!("skipped: cannot make a read-only folder here (mount refused)");
        return;
    };
    let (engine, _events) = engine().await;
    let result = engine
        .add_torrent(AddTorrent::new(TorrentSource::Bytes(bytes.clone()), &ro))
        .await;
    // Seeding only (existing data) may use a read-only folder.
    let mut seed_only = AddTorrent::new(TorrentSource::Bytes(bytes), &ro);
    seed_only.seed_only = true;
    let seeding = engine.add_torrent(seed_only).await;
    engine.shutdown().await;
    if mounted {
        let out = common::run_with_timeout(Command::new("umount").arg(&ro), 10);
        assert!(out.status.success(), "umount {}", ro.display());
    }
    match result {
        Err(e @ brooklet::engine::api::EngineError::SaveFolder { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains(&ro.display().to_string()) && text.contains("cannot write"),
                "{text}"
            );
        }
        other => panic!("a read-only folder must be refused: {other:?}"),
    }
    assert!(seeding.is_ok(), "{seeding:?}");
    // No fallback anywhere else.
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

/// A seeder of t/one.bin and t/two.bin (150,000 random bytes each, from `seed`), ready; then
/// `spoil` is done to t/two.bin under it.
struct TwoFiles {
    files: [(&'static str, Vec<u8>); 2],
    bytes: Vec<u8>,
    meta: brooklet::engine::Metainfo,
    hash: InfoHash,
    seed: brooklet::engine::session::EngineHandle,
    seed_events: brooklet::engine::session::EventReceiver,
}

async fn two_files_seeded(src: &Path, seed: u64, spoil: impl FnOnce(&Path)) -> TwoFiles {
    let files = [
        ("one.bin", common::random_bytes(seed, 150_000)),
        ("two.bin", common::random_bytes(seed + 1, 150_000)),
    ];
    let (bytes, meta) = make_torrent(src, "t", &files, 16 * 1024);
    let hash = meta.info_hash;
    let (seed, seed_events) = seeder_with(&bytes, src, hash).await;
    spoil(&src.join("t/two.bin"));
    TwoFiles {
        files,
        bytes,
        meta,
        hash,
        seed,
        seed_events,
    }
}

/// Waits for the seeder's "files missing" naming two.bin.
async fn files_missing_two_bin(
    events: &mut brooklet::engine::session::EventReceiver,
    hash: InfoHash,
) -> brooklet::engine::api::TorrentStats {
    let missing = wait_stats(events, hash, "files missing", |t| {
        error_of(t).starts_with("files missing:")
    })
    .await;
    assert!(error_of(&missing).contains("two.bin"), "{missing:?}");
    missing
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_truncated_under_the_seeder_is_files_missing_until_a_recheck() {
    use brooklet::engine::session::Command as EngineCommand;
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let dst = tmp.path().join("dst");
    // Cut a file under the running seeder, then let a leecher ask for its pieces.
    let TwoFiles {
        files,
        bytes,
        meta,
        hash,
        seed,
        mut seed_events,
    } = two_files_seeded(&src, 51, |cut| {
        std::fs::OpenOptions::new()
            .write(true)
            .open(cut)
            .unwrap()
            .set_len(1000)
            .unwrap();
    })
    .await;
    let cut = src.join("t/two.bin");
    let (leech, mut leech_events) = engine().await;
    add(&leech, &bytes, &dst, vec![addr(&seed)]).await;
    let missing = files_missing_two_bin(&mut seed_events, hash).await;
    assert_eq!(missing.done_bytes, meta.total_length, "progress is kept");
    assert_eq!(missing.peers, 0);
    assert_eq!(missing.retry_in, None, "only a recheck ends it");

    // The file is back; the user rechecks: seeding again, and the leecher completes.
    std::fs::write(&cut, &files[1].1).unwrap();
    seed.send(EngineCommand::Recheck(hash)).unwrap();
    wait_stats(&mut seed_events, hash, "seeding after the recheck", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    leech
        .send(EngineCommand::AddPeer(hash, addr(&seed)))
        .unwrap();
    let done = wait_stats(&mut leech_events, hash, "the leecher's completion", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    assert_eq!(done.wasted, 0, "no data that fails its hash was uploaded");
    assert_same_tree(&src.join("t"), &dst.join("t"), &files);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_changed_under_the_seeder_is_never_uploaded() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    // Other bytes, the same size: only the hash of each piece read for upload can tell.
    let TwoFiles {
        files,
        bytes,
        hash,
        seed,
        mut seed_events,
        ..
    } = two_files_seeded(&src, 53, |two| {
        let other: Vec<u8> = std::fs::read(two)
            .unwrap()
            .iter()
            .map(|b| b ^ 0x5a)
            .collect();
        std::fs::write(two, other).unwrap();
    })
    .await;
    let (leech, mut leech_events) = engine().await;
    add(&leech, &bytes, &tmp.path().join("dst"), vec![addr(&seed)]).await;
    files_missing_two_bin(&mut seed_events, hash).await;
    let got = wait_stats(&mut leech_events, hash, "the leecher's view", |t| {
        t.peers == 0
    })
    .await;
    assert_eq!(got.wasted, 0, "no data that fails its hash was uploaded");
    assert!(
        got.done_bytes <= files[0].1.len() as u64,
        "nothing of two.bin arrived: {got:?}"
    );
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_deleted_while_closed_is_files_missing_with_progress_kept() {
    use brooklet::engine::session::Command as EngineCommand;
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let data = tmp.path().join("data");
    let files = [
        ("one.bin", common::random_bytes(61, 120_000)),
        ("two.bin", common::random_bytes(62, 90_000)),
    ];
    let (bytes, meta) = make_torrent(&data, "t", &files, 16 * 1024);
    let hash = meta.info_hash;
    let (first, mut events) = session::spawn(state_config(&state)).await.unwrap();
    first
        .add_torrent(AddTorrent::new(TorrentSource::Bytes(bytes), &data))
        .await
        .unwrap();
    wait_stats(&mut events, hash, "the first check", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    first.shutdown().await;

    let gone = data.join("t/two.bin");
    std::fs::remove_file(&gone).unwrap();
    let (second, mut events) = session::spawn(state_config(&state)).await.unwrap();
    let missing = wait_stats(&mut events, hash, "files missing", |t| {
        error_of(t).starts_with("files missing:")
    })
    .await;
    assert!(error_of(&missing).contains("two.bin"), "{missing:?}");
    assert_eq!(missing.done_bytes, meta.total_length, "progress is kept");
    assert_eq!(
        missing.checked_bytes, 0,
        "nothing hashed before the user asks"
    );

    // The file is back; the user's recheck finds every piece.
    std::fs::write(&gone, &files[1].1).unwrap();
    second.send(EngineCommand::Recheck(hash)).unwrap();
    let back = wait_stats(&mut events, hash, "seeding after the recheck", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    assert_eq!(back.checked_bytes, meta.total_length);
    second.shutdown().await;
}
