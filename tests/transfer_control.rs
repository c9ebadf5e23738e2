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
