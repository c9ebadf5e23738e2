//! The knobs on a running torrent, through the engine API on 127.0.0.1: file priorities (a
//! skipped file is not downloaded; wanting it again resumes the download), the details a front
//! end watches (files, peers, piece map), and a forced recheck that finds damaged data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use brooklet::engine::api::{AddTorrent, FilePriority, TorrentSource, TorrentState};
use brooklet::engine::session::Command;

mod common;

use common::engine::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_skipped_file_is_not_downloaded_until_it_is_wanted_again() {
    let tmp = tempfile::tempdir().unwrap();
    let mib = 1024 * 1024;
    let files = [
        ("a.bin", common::random_bytes(11, mib)),
        ("b.bin", common::random_bytes(12, mib)),
        ("c.bin", common::random_bytes(13, mib)),
    ];
    // 64 KiB pieces: every file starts on a piece boundary, so no piece is shared.
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "album", &files, 64 * 1024);
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;

    let (leech, mut events) = engine().await;
    let dir = tmp.path().join("leech");
    std::fs::create_dir_all(&dir).unwrap();
    let mut add = AddTorrent::new(TorrentSource::Bytes(torrent.clone()), &dir);
    add.peers = vec![addr(&seed)];
    add.file_priorities = vec![
        FilePriority::Normal,
        FilePriority::Skip,
        FilePriority::Normal,
    ];
    let h = leech.add_torrent(add).await.unwrap();
    leech.send(Command::Watch(Some(h))).unwrap();
    wait_finished(&mut events, h).await;

    let root = dir.join("album");
    assert_eq!(std::fs::read(root.join("a.bin")).unwrap(), files[0].1);
    assert_eq!(std::fs::read(root.join("c.bin")).unwrap(), files[2].1);
    assert!(!root.join("b.bin").exists(), "a skipped file was created");

    // The details show what happened, file by file.
    let snap = wait_snapshot(&mut events, "details", |s| {
        s.details
            .as_ref()
            .is_some_and(|d| d.info_hash == h && d.pieces.iter().filter(|&&p| p).count() == 32)
    })
    .await;
    let stats = snap.torrents.iter().find(|t| t.info_hash == h).unwrap();
    assert_eq!(stats.wanted_bytes, 2 * mib as u64);
    assert_eq!(stats.done_bytes, 2 * mib as u64);
    let d = snap.details.as_ref().unwrap();
    let done: Vec<(u64, FilePriority)> = d.files.iter().map(|f| (f.done, f.priority)).collect();
    assert_eq!(
        done,
        vec![
            (mib as u64, FilePriority::Normal),
            (0, FilePriority::Skip),
            (mib as u64, FilePriority::Normal)
        ]
    );
    assert_eq!(d.pieces.len(), meta.piece_count());
    // Finished with what it wants, it has no reason to stay connected to a seed.
    assert!(d.peers.is_empty());
    assert!(d.magnet.contains(&h.to_hex()));

    // Wanting the file again resumes the download, which finishes byte-identical.
    leech
        .send(Command::SetFilePriorities(h, vec![FilePriority::Normal; 3]))
        .unwrap();
    wait_finished(&mut events, h).await;
    assert_eq!(std::fs::read(root.join("b.bin")).unwrap(), files[1].1);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recheck_finds_a_damaged_piece_and_the_torrent_downloads_it_again() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(21, 2 * 1024 * 1024);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "disk.img", &files, 64 * 1024);
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;

    // A complete copy that the user damages behind the engine's back.
    let (leech, mut events) = engine().await;
    let dir = tmp.path().join("leech");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("disk.img"), &data).unwrap();
    let h = add(&leech, &torrent, &dir, vec![]).await;
    wait_seeding(&mut events, h).await;
    let mut damaged = data.clone();
    damaged[5 * 64 * 1024 + 7] ^= 0xff;
    std::fs::write(dir.join("disk.img"), &damaged).unwrap();

    leech.send(Command::Recheck(h)).unwrap();
    let snap = wait_snapshot(&mut events, "the recheck", |s| {
        s.torrents
            .iter()
            .any(|t| t.info_hash == h && t.state == TorrentState::Downloading)
    })
    .await;
    let t = snap.torrents.iter().find(|t| t.info_hash == h).unwrap();
    assert_eq!(t.pieces_have, meta.piece_count() - 1);

    // With a seeder, the damaged piece comes back.
    leech.send(Command::AddPeer(h, addr(&seed))).unwrap();
    wait_finished(&mut events, h).await;
    assert_eq!(std::fs::read(dir.join("disk.img")).unwrap(), data);
    leech.shutdown().await;
    seed.shutdown().await;
}

/// Pieces shared between a skipped file and wanted ones: the skipped file's bytes go to the
/// torrent's part file, never to the file itself; the priorities survive a restart (no hash
/// check: the part file's pieces are trusted like the files'); wanting the file later moves its
/// bytes out of the part file and completes it byte-identical.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_skipped_file_sharing_pieces_is_kept_in_the_part_file_across_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let kib = 1024;
    // 64 KiB pieces over files of 100, 200 and 130 KiB: every boundary is inside a piece.
    let files = [
        ("a.bin", common::random_bytes(31, 100 * kib)),
        ("b.bin", common::random_bytes(32, 200 * kib)),
        ("c.bin", common::random_bytes(33, 130 * kib)),
    ];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "mixed", &files, 64 * 1024);
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let dir = tmp.path().join("leech");
    std::fs::create_dir_all(&dir).unwrap();
    let state = tmp.path().join("state");
    let start = || {
        brooklet::engine::session::spawn(brooklet::engine::session::Config {
            state_dir: Some(state.clone()),
            ..config()
        })
    };
    let (leech, mut events) = start().await.unwrap();
    let mut add = AddTorrent::new(TorrentSource::Bytes(torrent.clone()), &dir);
    add.peers = vec![addr(&seed)];
    add.file_priorities = vec![
        FilePriority::Normal,
        FilePriority::Skip,
        FilePriority::Normal,
    ];
    let h = leech.add_torrent(add).await.unwrap();
    wait_finished(&mut events, h).await;
    let root = dir.join("mixed");
    assert_eq!(std::fs::read(root.join("a.bin")).unwrap(), files[0].1);
    assert_eq!(std::fs::read(root.join("c.bin")).unwrap(), files[2].1);
    assert!(!root.join("b.bin").exists(), "a skipped file was created");
    let part = dir.join(format!(".{}.parts", h.to_hex()));
    assert!(
        part.is_file(),
        "the shared pieces' bytes are not in the part file"
    );
    // Nothing else appeared in the save folder.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [format!(".{}.parts", h.to_hex()), "mixed".into()]);
    leech.shutdown().await;

    // Restarted: still seeding what it wants, without a hash check, the file still skipped.
    let (leech, mut events) = start().await.unwrap();
    let s = wait_snapshot(&mut events, "the restored torrent", |s| {
        s.torrents
            .iter()
            .any(|t| t.info_hash == h && t.state == TorrentState::Seeding)
    })
    .await;
    let t = s.torrents.iter().find(|t| t.info_hash == h).unwrap();
    assert_eq!(t.checked_bytes, 0, "the restart hashed the data again");
    // Pieces 0, 1 and 4–6 are wanted (1 and 4 shared with the skipped file), 2 and 3 not.
    assert_eq!(t.wanted_bytes, (4 * 64 + 46) * 1024);
    assert_eq!(t.done_bytes, t.wanted_bytes);
    assert!(!root.join("b.bin").exists());
    leech.shutdown().await;

    // A lost part file costs only the pieces it held: they are downloaded again.
    std::fs::remove_file(&part).unwrap();
    let (leech, mut events) = start().await.unwrap();
    let s = wait_snapshot(
        &mut events,
        "the restored torrent without its part file",
        |s| {
            s.torrents
                .iter()
                .any(|t| t.info_hash == h && t.state == TorrentState::Downloading)
        },
    )
    .await;
    let t = s.torrents.iter().find(|t| t.info_hash == h).unwrap();
    assert_eq!(t.checked_bytes, 0);
    assert_eq!(t.done_bytes, t.wanted_bytes - 2 * 64 * 1024, "{t:?}");
    leech.send(Command::AddPeer(h, addr(&seed))).unwrap();
    wait_finished(&mut events, h).await;
    assert!(part.is_file());
    assert!(!root.join("b.bin").exists());

    // Moved elsewhere, the part file goes with the data.
    let moved_to = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&moved_to).unwrap();
    let moved_to = moved_to.canonicalize().unwrap();
    leech
        .send(Command::MoveStorage(h, moved_to.clone()))
        .unwrap();
    wait_snapshot(&mut events, "the move", |s| {
        s.torrents
            .iter()
            .any(|t| t.info_hash == h && t.moving.is_none() && *t.save_path == *moved_to)
    })
    .await;
    assert!(!part.exists() && !root.exists(), "the old copy stayed");
    let part = moved_to.join(format!(".{}.parts", h.to_hex()));
    let root = moved_to.join("mixed");
    assert!(part.is_file(), "the part file did not move");
    assert!(!root.join("b.bin").exists());

    // Wanted again: its bytes come out of the part file, the rest from the seeder.
    leech.send(Command::AddPeer(h, addr(&seed))).unwrap();
    leech
        .send(Command::SetFilePriorities(h, vec![FilePriority::Normal; 3]))
        .unwrap();
    wait_finished(&mut events, h).await;
    assert_eq!(std::fs::read(root.join("b.bin")).unwrap(), files[1].1);
    assert_eq!(std::fs::read(root.join("a.bin")).unwrap(), files[0].1);
    assert_eq!(std::fs::read(root.join("c.bin")).unwrap(), files[2].1);
    leech.shutdown().await;
    seed.shutdown().await;
}

/// A torrent's own connection limit: lowering it drops peers at once and keeps others out,
/// raising it lets them back, and it is kept across a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_torrent_connection_limit_drops_and_refuses_peers_and_is_kept() {
    use brooklet::engine::limits::RateLimits;
    let tmp = tempfile::tempdir().unwrap();
    let files = [("big.bin", common::random_bytes(21, 4 * 1024 * 1024))];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "big", &files, 64 * 1024);
    let h = meta.info_hash;
    let state = tmp.path().join("state");
    let seed_config = || brooklet::engine::session::Config {
        state_dir: Some(state.clone()),
        dht: false,
        ..config()
    };
    let (seed, mut seed_events) = brooklet::engine::session::spawn(seed_config())
        .await
        .unwrap();
    add(&seed, &torrent, &tmp.path().join("seed"), vec![]).await;
    wait_seeding(&mut seed_events, h).await;
    // A trickle, so that nobody finishes (seeds drop each other) while the test runs.
    seed.send(Command::SetTorrentLimits(h, RateLimits::new(0, 8 * 1024)))
        .unwrap();
    let mut leeches = Vec::new();
    for i in 0..3 {
        let (leech, events) = engine().await;
        add(
            &leech,
            &torrent,
            &tmp.path().join(format!("leech{i}")),
            vec![addr(&seed)],
        )
        .await;
        leeches.push((leech, events));
    }
    let peers_of = |s: &brooklet::engine::api::Snapshot| {
        s.torrents
            .iter()
            .find(|t| t.info_hash == h)
            .map(|t| (t.peers, t.max_peers))
    };
    wait_snapshot(&mut seed_events, "three peers", |s| {
        peers_of(s).is_some_and(|(p, _)| p == 3)
    })
    .await;

    seed.send(Command::SetTorrentMaxPeers(h, Some(1))).unwrap();
    wait_snapshot(&mut seed_events, "the limit to drop two peers", |s| {
        peers_of(s) == Some((1, Some(1)))
    })
    .await;
    // The dropped leechers dial again; they are turned away.
    for (leech, _) in &leeches {
        leech.send(Command::AddPeer(h, addr(&seed))).unwrap();
    }
    // Snapshots come only when something changes: watch them for a while.
    let watch_until = tokio::time::Instant::now() + std::time::Duration::from_secs(3);
    while let Ok(Some(ev)) = tokio::time::timeout_at(watch_until, seed_events.recv()).await {
        if let brooklet::engine::api::Event::Snapshot(s) = ev
            && let Some((peers, _)) = peers_of(&s)
        {
            assert!(peers <= 1, "{peers} peers over a limit of 1");
        }
    }

    // Raised again: the seeder itself dials them back.
    seed.send(Command::SetTorrentMaxPeers(h, None)).unwrap();
    for (leech, _) in &leeches {
        seed.send(Command::AddPeer(h, addr(leech))).unwrap();
    }
    wait_snapshot(&mut seed_events, "three peers again", |s| {
        peers_of(s) == Some((3, None))
    })
    .await;

    // Kept across a restart.
    seed.send(Command::SetTorrentMaxPeers(h, Some(2))).unwrap();
    wait_snapshot(&mut seed_events, "the limit of 2", |s| {
        peers_of(s).is_some_and(|(p, m)| m == Some(2) && p <= 2)
    })
    .await;
    seed.shutdown().await;
    let (seed, mut seed_events) = brooklet::engine::session::spawn(seed_config())
        .await
        .unwrap();
    wait_snapshot(&mut seed_events, "the restored limit", |s| {
        peers_of(s).is_some_and(|(_, m)| m == Some(2))
    })
    .await;
    seed.shutdown().await;
    for (leech, _) in leeches {
        leech.shutdown().await;
    }
}

/// μTorrent's Pause (`Command::Suspend`): transfers stop but the connection stays, and Resume
/// goes on over it; Pause (its Stop) drops the peers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_torrent_keeps_its_peer_transfers_nothing_and_resumes_over_it() {
    use brooklet::engine::api::Event;
    use brooklet::engine::limits::RateLimits;
    let tmp = tempfile::tempdir().unwrap();
    let files = [("slow.bin", common::random_bytes(31, 1024 * 1024))];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "slow", &files, 16 * 1024);
    let h = meta.info_hash;
    let (seed, _seed_events) = seeder_with(&torrent, &tmp.path().join("seed"), h).await;
    seed.send(Command::SetTorrentLimits(h, RateLimits::new(0, 128 * 1024)))
        .unwrap();
    let (leech, mut events) = engine().await;
    let dir = tmp.path().join("leech");
    add(&leech, &torrent, &dir, vec![addr(&seed)]).await;
    wait_torrent(&mut events, h, "some progress", |t| t.done_bytes > 0).await;

    leech.send(Command::Suspend(h)).unwrap();
    let held = wait_torrent(&mut events, h, "the suspension", |t| t.suspended).await;
    assert_eq!(held.state, TorrentState::Downloading);
    // Blocks already on the way may still land; then nothing moves while the peer stays.
    let settled = wait_torrent(&mut events, h, "transfers to stop", |t| {
        t.download_rate == 0
    })
    .await;
    let until = tokio::time::Instant::now() + std::time::Duration::from_secs(2);
    while let Ok(Some(ev)) = tokio::time::timeout_at(until, events.recv()).await {
        if let Event::Snapshot(s) = ev
            && let Some(t) = s.torrents.iter().find(|t| t.info_hash == h)
        {
            assert_eq!(
                t.done_bytes, settled.done_bytes,
                "downloaded while suspended"
            );
            assert_eq!(t.peers, 1, "the connection was dropped: {t:?}");
        }
    }
    assert!(settled.done_bytes < meta.total_length);

    leech.send(Command::Resume(h)).unwrap();
    wait_finished(&mut events, h).await;
    assert_eq!(
        std::fs::read(dir.join("slow/slow.bin")).unwrap(),
        files[0].1
    );
    // The one connection carried it all: the seeder never had to be dialled again.
    let done = wait_torrent(&mut events, h, "the finished state", |t| !t.suspended).await;
    assert_eq!(done.state, TorrentState::Seeding);

    // Pause is the full stop: the peer goes.
    leech.send(Command::Pause(h)).unwrap();
    wait_torrent(&mut events, h, "a stop", |t| {
        t.state == TorrentState::Paused && t.peers == 0 && !t.suspended
    })
    .await;
    leech.shutdown().await;
    seed.shutdown().await;
}

/// The session's connection limits change at run time: a torrent held to one peer by the
/// per-torrent limit takes more once it is raised.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raised_connection_limits_apply_without_a_restart() {
    use brooklet::engine::limits::RateLimits;
    let tmp = tempfile::tempdir().unwrap();
    let files = [("big.bin", common::random_bytes(22, 4 * 1024 * 1024))];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "big", &files, 64 * 1024);
    let h = meta.info_hash;
    let (seed, mut seed_events) =
        brooklet::engine::session::spawn(brooklet::engine::session::Config {
            max_connections_per_torrent: 1,
            limits: RateLimits::new(0, 16 * 1024),
            dht: false,
            ..config()
        })
        .await
        .unwrap();
    add(&seed, &torrent, &tmp.path().join("seed"), vec![]).await;
    wait_seeding(&mut seed_events, h).await;
    let mut leeches = Vec::new();
    for i in 0..3 {
        let (leech, _events) = engine().await;
        add(
            &leech,
            &torrent,
            &tmp.path().join(format!("l{i}")),
            vec![addr(&seed)],
        )
        .await;
        leeches.push(leech);
    }
    let peers = |s: &brooklet::engine::api::Snapshot| {
        s.torrents
            .iter()
            .find(|t| t.info_hash == h)
            .map_or(0, |t| t.peers)
    };
    wait_snapshot(&mut seed_events, "one peer", |s| peers(s) == 1).await;

    seed.send(Command::SetConnectionLimits {
        global: 500,
        per_torrent: 10,
    })
    .unwrap();
    for leech in &leeches {
        seed.send(Command::AddPeer(h, addr(leech))).unwrap();
    }
    wait_snapshot(&mut seed_events, "three peers", |s| peers(s) == 3).await;
    seed.shutdown().await;
    for leech in leeches {
        leech.shutdown().await;
    }
}
