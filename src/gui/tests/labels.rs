//! Labels in the window: the "Label…" dialog makes a label and gives it to the selection (with
//! its limits), the sidebar lists labels with counts and filters by one, deleting a label takes
//! it off its torrents, and the add dialog's label picker sets the label's save folder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::engine::limits::RateLimits;
use crate::gui::labels::{
    LABEL_DELETE_ID, LABEL_DOWN_ID, LABEL_NAME_ID, LABEL_OK_ID, LABEL_PATH_ID, LabelMessage,
    colour_id, sidebar_id,
};
use crate::gui::menu::{MenuItem, item_id};
use crate::settings::LabelDef;

#[test]
fn the_label_dialog_makes_a_label_and_gives_it_with_its_limits() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-0");
    let _ = app.update(Message::List(ListMessage::Click(1)));
    let _ = app.update(Message::Key(
        Key::Character("a".into()),
        keyboard::Modifiers::COMMAND,
    ));
    let _ = app.update(Message::List(ListMessage::RowMenu(0)));
    click(&mut app, item_id(MenuItem::Label));
    assert_eq!(app.label_dialog().unwrap().hashes.len(), 3);
    // An empty name is refused with a reason.
    click(&mut app, LABEL_OK_ID);
    assert_eq!(
        app.label_dialog().unwrap().problem.as_deref(),
        Some(crate::fl!("label-empty").as_str())
    );
    type_into(&mut app, LABEL_NAME_ID, "Linux");
    click(&mut app, colour_id(3));
    type_into(&mut app, LABEL_PATH_ID, "/data/linux");
    type_into(&mut app, LABEL_DOWN_ID, "512"); // "0" + "512"
    drain(&mut commands);
    click(&mut app, LABEL_OK_ID);
    assert!(app.label_dialog().is_none());
    let sent = drain(&mut commands);
    let labelled = sent
        .iter()
        .filter(|c| matches!(c, Command::SetLabel(_, Some(l)) if l == "Linux"))
        .count();
    let limited = sent
        .iter()
        .filter(|c| {
            matches!(c, Command::SetTorrentLimits(_, l) if *l == RateLimits::new(512 * 1024, 0))
        })
        .count();
    assert_eq!((labelled, limited), (3, 3), "{sent:?}");
    assert_eq!(
        app.settings().labels,
        [LabelDef {
            name: "Linux".into(),
            colour: 3,
            save_path: Some("/data/linux".into()),
            limits: RateLimits::new(512 * 1024, 0),
        }]
    );
}

#[test]
fn the_sidebar_lists_labels_filters_by_one_and_delete_takes_it_off() {
    let (mut app, mut commands) = app();
    let mut a = stats(1, "Ubuntu ISO", TorrentState::Downloading, 3000, 1000);
    a.label = Some("Linux".into());
    let mut b = stats(2, "Album", TorrentState::Seeding, 100, 100);
    b.label = Some("Music".into());
    let c = stats(3, "Paused thing", TorrentState::Paused, 200, 0);
    let snapshot = Snapshot {
        torrents: vec![a, b, c],
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    assert!(
        simulator(app.view(window::Id::unique()))
            .find("Linux (1)")
            .is_ok()
    );
    click(&mut app, sidebar_id("Music"));
    assert_eq!(names(&app), ["Album"]);
    // A category shows every label again.
    let _ = app.update(Message::List(ListMessage::Category(
        crate::gui::list::Category::All,
    )));
    assert_eq!(names(&app).len(), 3);

    // "Music" is one of the user's labels: deleting it takes it off its torrent.
    app.settings.labels.push(LabelDef {
        name: "Music".into(),
        colour: 1,
        save_path: None,
        limits: RateLimits::UNLIMITED,
    });
    click(&mut app, "row-1");
    let _ = app.update(Message::MenuPick(MenuItem::Label));
    assert_eq!(app.label_dialog().unwrap().name, "Music");
    drain(&mut commands);
    click(&mut app, LABEL_DELETE_ID);
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::SetLabel(h, None)] if *h == InfoHash([2; 20])),
        "{sent:?}"
    );
    assert!(app.settings().labels.is_empty());
    // "No label" clears the label of the selection only.
    click(&mut app, "row-0");
    let _ = app.update(Message::MenuPick(MenuItem::Label));
    let _ = app.update(Message::Label(LabelMessage::Clear));
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::SetLabel(h, None)] if *h == InfoHash([1; 20])),
        "{sent:?}"
    );
}

#[test]
fn the_add_dialog_label_sets_its_folder_and_goes_with_the_torrent() {
    let (mut app, mut commands) = app();
    app.settings.labels.push(LabelDef {
        name: "Linux".into(),
        colour: 0,
        save_path: Some("/data/linux".into()),
        limits: RateLimits::UNLIMITED,
    });
    let magnet = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=iso";
    let _ = app.add_item(magnet.to_owned());
    let _ = app.update(Message::Dialog(crate::gui::dialog::DialogMessage::Label(
        crate::gui::dialog::LabelOption(Some("Linux".into()), Some("/data/linux".into())),
    )));
    assert_eq!(app.dialog().unwrap().save_path, "/data/linux");
    assert!(
        simulator(app.view(window::Id::unique()))
            .find(Id::from(crate::gui::dialog::LABEL_PICK_ID))
            .is_ok()
    );
    drain(&mut commands);
    let _ = app.update(Message::Dialog(crate::gui::dialog::DialogMessage::Confirm));
    let add = app.adding.first().map(|(_, a)| a.clone()).expect("added");
    assert_eq!(add.label.as_deref(), Some("Linux"));
    assert_eq!(add.save_path, std::path::PathBuf::from("/data/linux"));
}
