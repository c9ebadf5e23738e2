//! The create-torrent dialog, drag and drop, and Ctrl+V: driven through `update`, with the tasks
//! it returns really run (scans and hashing on blocking threads, the clipboard answered here),
//! checking the dialog's state, the settings and the commands the engine receives.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::engine::api::TorrentSource;
use crate::gui::create::{
    CANCEL_ID, CREATE_ID, CreateMessage, Hashed, Phase, PieceSize, Scanned, TRACKERS_ID,
};
use iced::futures::StreamExt;
use iced::widget::text_editor;
use iced_runtime::Action as RuntimeAction;
use iced_runtime::clipboard::Action as ClipboardAction;
use std::time::Duration;

/// Longest wait for one message of a task.
const STEP: Duration = Duration::from_secs(60);

/// Runs the tasks `update` returns on a tokio runtime (as the app's executor would), answering
/// clipboard reads with `clipboard` and recording clipboard writes.
struct Driver {
    rt: tokio::runtime::Runtime,
    clipboard: Option<String>,
    copied: Vec<String>,
}

impl Driver {
    fn new() -> Driver {
        Driver {
            rt: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
            clipboard: None,
            copied: Vec::new(),
        }
    }

    /// Every message `task` produces, to its end.
    fn outputs(&mut self, task: Task<Message>) -> Vec<Message> {
        let Some(mut stream) = iced_runtime::task::into_stream(task) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        loop {
            let next = self
                .rt
                .block_on(async { tokio::time::timeout(STEP, stream.next()).await })
                .expect("a task stalled");
            match next {
                None => return out,
                Some(RuntimeAction::Output(m)) => out.push(m),
                Some(RuntimeAction::Clipboard(ClipboardAction::Read { channel, .. })) => {
                    let _ = channel.send(self.clipboard.clone());
                }
                Some(RuntimeAction::Clipboard(ClipboardAction::Write { contents, .. })) => {
                    self.copied.push(contents);
                }
                Some(_) => {}
            }
        }
    }

    /// Feeds `message` and everything its tasks produce back to the app until nothing is left;
    /// messages for which `hold` is true are returned instead of fed (their tasks would open a
    /// system dialog).
    fn settle(
        &mut self,
        app: &mut App,
        message: Message,
        hold: impl Fn(&Message) -> bool,
    ) -> Vec<Message> {
        let mut queue = std::collections::VecDeque::from([message]);
        let mut held = Vec::new();
        while let Some(m) = queue.pop_front() {
            if hold(&m) {
                held.push(m);
                continue;
            }
            let task = app.update(m);
            queue.extend(self.outputs(task));
        }
        held
    }
}

fn made(m: &Message) -> bool {
    matches!(
        m,
        Message::Create(CreateMessage::Hashed(_, Hashed::Done(_)))
    )
}

fn nothing(_: &Message) -> bool {
    false
}

fn ctrl(c: &str) -> Message {
    Message::Key(Key::Character(c.into()), keyboard::Modifiers::CTRL)
}

fn dropped(path: &std::path::Path) -> Message {
    Message::Window(window::Event::FileDropped(path.to_path_buf()))
}

fn folder_of_files(root: &std::path::Path, sizes: &[usize]) -> std::path::PathBuf {
    let folder = root.join("photos");
    std::fs::create_dir_all(folder.join("2024")).unwrap();
    for (i, len) in sizes.iter().enumerate() {
        let bytes: Vec<u8> = (0..*len).map(|b| (b * 31 + i * 7) as u8).collect();
        std::fs::write(folder.join("2024").join(format!("img{i}.jpg")), bytes).unwrap();
    }
    folder
}

fn type_trackers(app: &mut App, text: &str) {
    let _ = app.update(Message::Create(CreateMessage::Trackers(
        text_editor::Action::SelectAll,
    )));
    let _ = app.update(Message::Create(CreateMessage::Trackers(
        text_editor::Action::Edit(text_editor::Edit::Paste(Arc::new(text.to_owned()))),
    )));
}

#[test]
fn ctrl_n_and_the_toolbar_button_open_the_create_dialog() {
    let (mut app, _) = app();
    assert!(app.create_dialog().is_none());
    let _ = app.update(ctrl("n"));
    let d = app.create_dialog().expect("Ctrl+N opened the dialog");
    assert!(d.source.is_empty() && d.start_seeding && d.piece_size == PieceSize::Auto);
    // Esc closes it; the toolbar opens it again.
    let _ = app.update(Message::Key(
        Key::Named(Named::Escape),
        keyboard::Modifiers::empty(),
    ));
    assert!(app.create_dialog().is_none());
    click(&mut app, action_id(Action::CreateTorrent));
    assert!(app.create_dialog().is_some());
    // Nothing to share yet: Create is disabled, Cancel closes.
    let mut ui = simulator(app.view(window::Id::unique()));
    assert!(ui.find(Id::from(TRACKERS_ID)).is_ok());
    assert!(ui.click(Id::from(CREATE_ID)).is_ok());
    let sent: Vec<Message> = ui
        .into_messages()
        .filter(|m| !matches!(m, Message::Pointer(..)))
        .collect();
    assert!(sent.is_empty(), "Create was enabled: {sent:?}");
    click(&mut app, CANCEL_ID);
    assert!(app.create_dialog().is_none());
}

#[test]
fn a_dropped_torrent_goes_to_the_add_flow_and_a_dropped_folder_opens_the_dialog_prefilled() {
    let (mut app, _) = app();
    let mut driver = Driver::new();
    let dir = tempfile::tempdir().unwrap();
    let folder = folder_of_files(dir.path(), &[30_000, 50_000, 7]);
    let other = folder_of_files(&dir.path().join("second"), &[10]);
    let made = crate::engine::create::create(
        &crate::engine::create::CreateOptions::new(&folder),
        &Default::default(),
    )
    .unwrap();
    let torrent = dir.path().join("Photos.TORRENT");
    std::fs::write(&torrent, &made.bytes).unwrap();

    // One drop of three items: the torrent is added, the first folder becomes the source.
    for p in [&torrent, &folder, &other] {
        let _ = app.update(Message::Window(window::Event::FileHovered(p.to_path_buf())));
    }
    assert!(find_text(&app, &crate::fl!("drop-hint-title")));
    for p in [&torrent, &folder, &other] {
        driver.settle(&mut app, dropped(p), nothing);
    }
    assert!(!find_text(&app, &crate::fl!("drop-hint-title")));
    let add = app.dialog().expect("the torrent went to the add dialog");
    assert_eq!(add.info_hash, made.metainfo.info_hash);
    let d = app
        .create_dialog()
        .expect("the folder opened the create dialog");
    assert_eq!(d.source, folder.display().to_string());
    assert_eq!(
        d.scanned,
        Some(Ok(Scanned {
            name: "photos".into(),
            total: 80_007,
            files: 3
        }))
    );
    // 80,007 bytes in automatic 16 KiB pieces.
    assert_eq!(d.pieces(), Some((16 << 10, 5)));
}

#[test]
fn hovering_files_that_leave_again_removes_the_hint() {
    let (mut app, _) = app();
    let _ = app.update(Message::Window(window::Event::FileHovered("/x".into())));
    assert!(find_text(&app, &crate::fl!("drop-hint-create")));
    let _ = app.update(Message::Window(window::Event::FilesHoveredLeft));
    assert!(!find_text(&app, &crate::fl!("drop-hint-create")));
    assert!(app.create_dialog().is_none() && app.dialog().is_none());
}

fn find_text(app: &App, what: &str) -> bool {
    let mut ui = simulator(app.view(window::Id::unique()));
    ui.find(what).is_ok()
}

#[test]
fn an_empty_folder_shows_a_readable_error_and_cannot_be_created() {
    let (mut app, _) = app();
    let mut driver = Driver::new();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(empty.join("sub")).unwrap();
    driver.settle(&mut app, dropped(&empty), nothing);
    let d = app.create_dialog().unwrap();
    let Some(Err(e)) = &d.scanned else {
        panic!("no error: {:?}", d.scanned);
    };
    assert!(e.contains("empty") && e.contains("holds no data"), "{e}");
    assert!(find_text(&app, e));
    driver.settle(&mut app, Message::Create(CreateMessage::Create), nothing);
    let d = app.create_dialog().unwrap();
    assert!(d.is_editing());
    // A path that does not exist says so too.
    driver.settle(
        &mut app,
        Message::Create(CreateMessage::Source(
            dir.path().join("missing").display().to_string(),
        )),
        nothing,
    );
    let d = app.create_dialog().unwrap();
    assert!(matches!(&d.scanned, Some(Err(e)) if e.contains("missing")));
}

#[test]
fn trackers_are_remembered_in_the_settings_for_next_time() {
    let (mut app, _) = app();
    let mut driver = Driver::new();
    let config = tempfile::tempdir().unwrap();
    app.config_dir = Some(config.path().to_path_buf());
    let dir = tempfile::tempdir().unwrap();
    let folder = folder_of_files(dir.path(), &[1000]);
    driver.settle(&mut app, dropped(&folder), nothing);
    let trackers = "udp://one.example:6969/announce\nhttp://two.example/announce\n\nhttps://three.example/announce";
    type_trackers(&mut app, trackers);
    let d = app.create_dialog().unwrap();
    assert_eq!(
        d.options().unwrap().trackers,
        vec![
            vec![
                "udp://one.example:6969/announce".to_string(),
                "http://two.example/announce".into()
            ],
            vec!["https://three.example/announce".to_string()],
        ]
    );
    let held = driver.settle(&mut app, Message::Create(CreateMessage::Create), made);
    assert_eq!(held.len(), 1, "the torrent was made");
    assert_eq!(app.settings().create_trackers, trackers);
    // Saved on disk, and offered by the next dialog.
    assert_eq!(
        crate::settings::Settings::load(config.path()).create_trackers,
        trackers
    );
    // Made (the save dialog's task is dropped), then closed.
    let _ = app.update(held[0].clone());
    driver.settle(&mut app, Message::Create(CreateMessage::Close), nothing);
    assert!(app.create_dialog().is_none());
    let _ = app.update(ctrl("n"));
    assert_eq!(app.create_dialog().unwrap().trackers.text(), trackers);
}

#[test]
fn a_bad_tracker_line_is_refused_in_the_dialog_without_hashing() {
    let (mut app, _) = app();
    let mut driver = Driver::new();
    let dir = tempfile::tempdir().unwrap();
    let folder = folder_of_files(dir.path(), &[1000]);
    driver.settle(&mut app, dropped(&folder), nothing);
    type_trackers(&mut app, "udp://ok.example:1/announce\nnot a url");
    driver.settle(&mut app, Message::Create(CreateMessage::Create), nothing);
    let d = app.create_dialog().unwrap();
    assert!(d.is_editing());
    let problem = d.problem.clone().unwrap();
    assert!(problem.contains("Line 2"), "{problem}");
    assert!(find_text(&app, &problem));
    assert!(app.settings().create_trackers.is_empty());
}

#[test]
fn cancel_stops_the_hashing_and_writes_nothing() {
    let (mut app, mut commands) = app();
    let mut driver = Driver::new();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("big");
    std::fs::create_dir_all(&folder).unwrap();
    // 64 GiB of holes: minutes of hashing, no disk used.
    let total: u64 = 64 << 30;
    std::fs::File::create(folder.join("disk.img"))
        .unwrap()
        .set_len(total)
        .unwrap();
    driver.settle(&mut app, dropped(&folder), nothing);
    assert!(matches!(&app.create_dialog().unwrap().scanned, Some(Ok(s)) if s.total == total));

    let task = app.update(Message::Create(CreateMessage::Create));
    assert!(matches!(
        app.create_dialog().unwrap().phase,
        Phase::Hashing { .. }
    ));
    let mut stream = iced_runtime::task::into_stream(task).unwrap();
    let mut next = || {
        driver
            .rt
            .block_on(async { tokio::time::timeout(STEP, stream.next()).await })
            .expect("the hashing task stalled")
    };
    // Wait until bytes are being hashed and the dialog shows it.
    let hashed = loop {
        match next() {
            Some(RuntimeAction::Output(
                m @ Message::Create(CreateMessage::Progress(_, done, _)),
            )) if done > 0 => {
                let _ = app.update(m);
                break done;
            }
            Some(RuntimeAction::Output(m @ Message::Create(CreateMessage::Hashed(..)))) => {
                panic!("hashing ended before it could be cancelled: {m:?}")
            }
            Some(_) => {}
            None => panic!("the hashing task ended early"),
        }
    };
    let Phase::Hashing { done, total: t, .. } = app.create_dialog().unwrap().phase else {
        panic!("not hashing");
    };
    assert_eq!((done, t), (hashed, total));
    let percent = format!("{:.0}", (done as f64 / total as f64) as f32 * 100.0);
    let shown = crate::fl!(
        "create-hashing-progress",
        done = crate::format::size(done),
        total = crate::format::size(total),
        percent = percent
    );
    assert!(find_text(&app, &shown), "{shown}");

    let _ = app.update(Message::Create(CreateMessage::Cancel));
    assert!(find_text(&app, &crate::fl!("create-cancelling")));
    let ended = loop {
        match next() {
            Some(RuntimeAction::Output(m @ Message::Create(CreateMessage::Hashed(..)))) => break m,
            Some(_) => {}
            None => panic!("the hashing task ended without its result"),
        }
    };
    assert!(
        matches!(
            ended,
            Message::Create(CreateMessage::Hashed(_, Hashed::Cancelled))
        ),
        "{ended:?}"
    );
    assert!(next().is_none(), "the task goes on after its result");
    let _ = app.update(ended);
    let d = app.create_dialog().expect("the dialog stays open");
    assert!(d.is_editing());
    assert_eq!(d.problem.as_deref(), Some(&*crate::fl!("create-cancelled")));
    // Nothing was written and nothing was added.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("big")]);
    assert!(drain(&mut commands).is_empty());
}

#[test]
fn the_piece_size_chosen_reaches_the_torrent_which_is_saved_and_seeded_without_a_check() {
    let (mut app, mut commands) = app();
    let mut driver = Driver::new();
    let dir = tempfile::tempdir().unwrap();
    let folder = folder_of_files(dir.path(), &[300_000, 123_456]);
    driver.settle(&mut app, dropped(&folder), nothing);
    driver.settle(
        &mut app,
        Message::Create(CreateMessage::PieceSize(PieceSize::Fixed(64 << 10))),
        nothing,
    );
    let d = app.create_dialog().unwrap();
    assert_eq!(d.options().unwrap().piece_length, Some(64 << 10));
    assert_eq!(d.pieces(), Some((64 << 10, 7)));
    let _ = app.update(Message::Create(CreateMessage::Comment("holiday".into())));
    let _ = app.update(Message::Create(CreateMessage::Private(true)));

    let held = driver.settle(&mut app, Message::Create(CreateMessage::Create), made);
    let [done] = held.as_slice() else {
        panic!("not made: {held:?}");
    };
    // The save dialog's task is dropped: the test answers for it.
    let _ = app.update(done.clone());
    let d = app.create_dialog().unwrap();
    let Phase::Created { torrent, saved, .. } = &d.phase else {
        panic!("not made: {:?}", d.phase);
    };
    assert!(saved.is_none());
    let m = torrent.metainfo.clone();
    assert_eq!(m.piece_length, 64 << 10);
    assert_eq!(m.piece_count(), 7);
    assert!(m.private);
    assert_eq!(m.comment.as_deref(), Some("holiday"));
    assert!(
        drain(&mut commands).is_empty(),
        "seeded before it was saved"
    );

    let out = dir.path().join("out").join("photos");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    // The engine here is detached: the test takes the addition once its folder is ready.
    let ready = driver.settle(
        &mut app,
        Message::Create(CreateMessage::SaveTo(Some(out.clone()))),
        |m| matches!(m, Message::SaveFolderReady(..)),
    );
    for m in ready {
        let _ = app.update(m);
    }
    let written = out.with_extension("torrent");
    let on_disk = std::fs::read(&written).unwrap();
    assert_eq!(on_disk, torrent_bytes(&app));
    assert!(find_text(&app, &written.display().to_string()));

    let sent = drain(&mut commands);
    let [Command::Add(add, _)] = sent.as_slice() else {
        panic!("{sent:?}");
    };
    assert!(add.skip_check && !add.paused);
    assert_eq!(add.save_path, dir.path().canonicalize().unwrap());
    assert!(matches!(&add.source, TorrentSource::Bytes(b) if *b == on_disk));

    driver.settle(
        &mut app,
        Message::Create(CreateMessage::CopyMagnet),
        nothing,
    );
    let link = format!("magnet:?xt=urn:btih:{}", m.info_hash.to_hex());
    assert!(
        matches!(driver.copied.as_slice(), [c] if c.starts_with(&link)),
        "{:?}",
        driver.copied
    );
    driver.settle(&mut app, Message::Create(CreateMessage::Close), nothing);
    assert!(app.create_dialog().is_none());
}

fn torrent_bytes(app: &App) -> Vec<u8> {
    match &app.create_dialog().unwrap().phase {
        Phase::Created { torrent, .. } => torrent.bytes.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn ctrl_v_adds_a_magnet_link_from_the_clipboard() {
    let (mut app, _) = app();
    let mut driver = Driver::new();
    let hash = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    driver.clipboard = Some(format!("  magnet:?xt=urn:btih:{hash}&dn=Some+Film\nmore"));
    driver.settle(&mut app, ctrl("v"), nothing);
    let d = app
        .dialog()
        .expect("the add dialog opened for the magnet link");
    assert_eq!(d.info_hash.to_hex(), hash);
    assert_eq!(d.name, "Some Film");
    assert!(app.error().is_none());
}

#[test]
fn ctrl_v_with_other_text_says_so_and_adds_nothing() {
    let (mut app, mut commands) = app();
    let mut driver = Driver::new();
    driver.clipboard = Some("just some words".into());
    driver.settle(&mut app, ctrl("v"), nothing);
    assert!(app.dialog().is_none());
    assert_eq!(app.error(), Some(&*crate::fl!("error-paste-nothing")));
    assert!(drain(&mut commands).is_empty());
}

#[test]
fn save_next_to_the_files_writes_name_dot_torrent_beside_the_source_and_seeds() {
    let (mut app, mut commands) = app();
    let mut driver = Driver::new();
    let dir = tempfile::tempdir().unwrap();
    let folder = folder_of_files(dir.path(), &[40_000]);
    driver.settle(&mut app, dropped(&folder), nothing);
    let held = driver.settle(&mut app, Message::Create(CreateMessage::Create), made);
    let _ = app.update(held[0].clone());
    let ready = driver.settle(&mut app, Message::Create(CreateMessage::SaveBeside), |m| {
        matches!(m, Message::SaveFolderReady(..))
    });
    for m in ready {
        let _ = app.update(m);
    }
    let beside = dir.path().canonicalize().unwrap().join("photos.torrent");
    assert_eq!(std::fs::read(&beside).unwrap(), torrent_bytes(&app));
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::Add(add, _)] if add.skip_check),
        "{sent:?}"
    );
    // Saved once: a second press writes nothing more and adds nothing more.
    driver.settle(
        &mut app,
        Message::Create(CreateMessage::SaveBeside),
        nothing,
    );
    assert!(drain(&mut commands).is_empty());
}
