//! The desktop app's drag-and-drop seeding, end to end: a folder of random files dropped on the
//! window (the window event, simulated) opens the create dialog; the dialog hashes it, saves the
//! `.torrent` (the save dialog's answer sent as its message) and seeds it from where it lies
//! through a real engine on 127.0.0.1; python3-libtorrent then downloads it from Brooklet and
//! the bytes must be identical.
//!
//! The app's `update` is driven here as the iced runtime would: every task it returns is run on
//! a tokio runtime and its messages are fed back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::api::{Event, TorrentState};
use brooklet::engine::session;
use brooklet::gui::create::{CreateMessage, Hashed, Phase};
use brooklet::gui::{App, Message};
use common::clients::{
    DOWNLOAD_TIMEOUT, MIB, Payload, expect_exit_0, free_port, libtorrent, serial,
};
use iced::futures::StreamExt;
use iced::{Task, window};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Longest wait for one message of a task.
const STEP: Duration = Duration::from_secs(60);

/// Runs every task `update` returns and feeds its messages back, but for the messages `hold`
/// picks (their tasks would open a system dialog): those are returned.
fn settle(
    rt: &tokio::runtime::Runtime,
    app: &mut App,
    first: Message,
    hold: impl Fn(&Message) -> bool,
) -> Vec<Message> {
    let mut queue = VecDeque::from([first]);
    let mut held = Vec::new();
    while let Some(m) = queue.pop_front() {
        if hold(&m) {
            held.push(m);
            continue;
        }
        queue.extend(outputs(rt, app.update(m)));
    }
    held
}

fn outputs(rt: &tokio::runtime::Runtime, task: Task<Message>) -> Vec<Message> {
    let Some(mut stream) = iced_runtime::task::into_stream(task) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Some(action) = rt
        .block_on(async { tokio::time::timeout(STEP, stream.next()).await })
        .expect("a task of the app stalled")
    {
        if let iced_runtime::Action::Output(m) = action {
            out.push(m);
        }
    }
    out
}

#[test]
fn a_folder_dropped_on_the_window_is_seeded_and_libtorrent_downloads_it_byte_identical() {
    let _one_at_a_time = serial();
    if !common::require_python_libtorrent() {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let payload = Payload::folder(
        "holiday",
        &[
            ("beach.bin", 3 * MIB + 17),
            ("day 2/sea.bin", MIB),
            ("day 2/notes.txt", 5000),
        ],
        61,
    );
    let folder = payload.write(&tmp.path().join("share"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (engine, mut events) = rt
        .block_on(session::spawn(common::engine::config()))
        .unwrap();
    let mut app = App::new(Some(engine.clone()), tmp.path().join("downloads"));

    // The drop opens the dialog with the folder in it, scanned.
    settle(
        &rt,
        &mut app,
        Message::Window(window::Event::FileDropped(folder.clone())),
        |_| false,
    );
    let d = app
        .create_dialog()
        .expect("the drop opened the create dialog");
    assert_eq!(d.source, folder.display().to_string());
    assert!(
        matches!(&d.scanned, Some(Ok(s)) if s.total == payload.total() as u64 && s.files == 3),
        "{:?}",
        d.scanned
    );
    assert!(d.start_seeding);

    // Create: hashed in the background until made; the save dialog's task is not run.
    let held = settle(&rt, &mut app, Message::Create(CreateMessage::Create), |m| {
        matches!(m, Message::Create(CreateMessage::Hashed(..)))
    });
    let [made] = held.as_slice() else {
        panic!("{held:?}");
    };
    assert!(
        matches!(
            made,
            Message::Create(CreateMessage::Hashed(_, Hashed::Done(_)))
        ),
        "{made:?}"
    );
    let _ = app.update(made.clone());

    // The user answers the save dialog: the .torrent is written and the engine seeds it.
    let torrent = tmp.path().join("holiday.torrent");
    settle(
        &rt,
        &mut app,
        Message::Create(CreateMessage::SaveTo(Some(torrent.clone()))),
        |_| false,
    );
    assert_eq!(app.error(), None);
    let d = app.create_dialog().unwrap();
    let Phase::Created {
        torrent: made,
        saved,
        seeding,
    } = &d.phase
    else {
        panic!("{:?}", d.phase);
    };
    assert_eq!(saved.as_deref(), Some(torrent.as_path()));
    assert!(*seeding);
    assert_eq!(std::fs::read(&torrent).unwrap(), made.bytes);
    let info_hash = made.metainfo.info_hash;

    // The engine has it, complete, straight from the dropped folder.
    rt.block_on(async {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let ev = tokio::time::timeout_at(deadline, events.recv())
                .await
                .expect("the engine never reported the torrent seeding")
                .expect("the engine stopped");
            if let Event::Snapshot(s) = ev
                && s.torrents
                    .iter()
                    .any(|t| t.info_hash == info_hash && t.state == TorrentState::Seeding)
            {
                return;
            }
        }
    });

    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut lt = libtorrent(
        "leech",
        &torrent,
        &out,
        free_port(),
        &[format!("127.0.0.1:{}", engine.listen_port())],
    );
    lt.wait_line("`done`", DOWNLOAD_TIMEOUT, &[], |l| l == "done");
    expect_exit_0(&mut lt, &[]);
    payload.assert_downloaded(&out, "libtorrent from the app's drop", &[&lt]);

    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(10), engine.shutdown())
            .await
            .expect("the engine did not shut down in time");
    });
    eprintln!(
        "dropped, created, seeded and downloaded {} bytes in {:.2} s",
        payload.total(),
        started.elapsed().as_secs_f64()
    );
}
