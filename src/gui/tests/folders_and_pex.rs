//! The Preferences options added for μTorrent and qBittorrent users: moving finished downloads,
//! keeping copies of `.torrent` files, peer exchange and a random port. Each reaches the engine
//! at once (or, for the port, at the next start) and is kept in the settings.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::gui::preferences::{
    DIRECT_WRITES_ID, MOVE_COMPLETED_ID, MOVE_COMPLETED_PATH_ID, OK_ID, PEX_ID, PrefTab,
    RANDOM_PORT_ID, TORRENT_COPIES_ID, TORRENT_COPIES_PATH_ID, tab_id,
};
use std::path::{Path, PathBuf};

fn open_preferences(app: &mut App) {
    let _ = app.update(Message::Key(
        Key::Character("p".into()),
        keyboard::Modifiers::COMMAND,
    ));
}

#[test]
fn ticking_the_folders_sends_them_to_the_engine_and_keeps_them_in_the_settings() {
    let (mut app, mut commands) = app();
    let config = tempfile::tempdir().unwrap();
    app.config_dir = Some(config.path().to_owned());
    open_preferences(&mut app);
    click(&mut app, MOVE_COMPLETED_ID);
    type_into(&mut app, MOVE_COMPLETED_PATH_ID, "/srv/done");
    click(&mut app, TORRENT_COPIES_ID);
    type_into(&mut app, TORRENT_COPIES_PATH_ID, "/srv/torrents");
    click(&mut app, OK_ID);
    assert!(app.preferences.is_none(), "OK closed the dialog");
    assert_eq!(
        app.settings.move_completed_folder(),
        Some(PathBuf::from("/srv/done"))
    );
    let sent = drain(&mut commands);
    assert!(
        sent.iter().any(|c| matches!(
            c,
            Command::SetMoveCompleted(Some(p)) if p.as_path() == Path::new("/srv/done")
        )),
        "{sent:?}"
    );
    assert!(
        sent.iter().any(|c| matches!(
            c,
            Command::SetTorrentCopies(Some(p)) if p.as_path() == Path::new("/srv/torrents")
        )),
        "{sent:?}"
    );

    // Unticking one sends `None` for it and nothing for the other.
    open_preferences(&mut app);
    click(&mut app, MOVE_COMPLETED_ID);
    click(&mut app, OK_ID);
    let sent = drain(&mut commands);
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetMoveCompleted(None))),
        "{sent:?}"
    );
    assert!(
        !sent
            .iter()
            .any(|c| matches!(c, Command::SetTorrentCopies(_))),
        "{sent:?}"
    );
    // The folder is remembered for when the box is ticked again.
    assert_eq!(
        app.settings.move_completed_path,
        Some(PathBuf::from("/srv/done"))
    );
}

#[test]
fn a_ticked_folder_option_needs_a_full_path() {
    let (mut app, mut commands) = app();
    open_preferences(&mut app);
    click(&mut app, TORRENT_COPIES_ID);
    click(&mut app, OK_ID);
    let p = app.preferences.as_ref().expect("OK refused: no folder");
    assert!(p.problem.is_some());
    type_into(&mut app, TORRENT_COPIES_PATH_ID, "relative/dir");
    click(&mut app, OK_ID);
    assert!(app.preferences.is_some(), "OK refused: a relative folder");
    assert!(drain(&mut commands).is_empty());
}

#[test]
fn unticking_pex_turns_it_off_in_the_engine_and_the_random_port_is_kept() {
    let (mut app, mut commands) = app();
    let config = tempfile::tempdir().unwrap();
    app.config_dir = Some(config.path().to_owned());
    open_preferences(&mut app);
    click(&mut app, tab_id(PrefTab::BitTorrent));
    click(&mut app, PEX_ID);
    click(&mut app, tab_id(PrefTab::Connection));
    click(&mut app, RANDOM_PORT_ID);
    click(&mut app, OK_ID);
    assert!(!app.settings.pex);
    assert!(app.settings.random_port);
    let sent = drain(&mut commands);
    assert!(
        sent.iter().any(|c| matches!(c, Command::SetPex(false))),
        "{sent:?}"
    );
    // The port is read at the next start: nothing is sent for it, and the engine
    // configuration built then picks a port in the range.
    let engine_config = app.settings.engine_config(Default::default());
    if std::env::var_os("BROOKLET_PORT").is_none() {
        assert!(crate::settings::RANDOM_PORTS.contains(&engine_config.listen_port));
    }
    assert!(!engine_config.pex);
}

/// Direct writes are on by default; unticked, the engine is told at once, the setting is kept,
/// and the next start's configuration has them off too.
#[test]
fn unticking_direct_writes_reaches_the_engine_and_the_next_start() {
    let (mut app, mut commands) = app();
    let config = tempfile::tempdir().unwrap();
    app.config_dir = Some(config.path().to_owned());
    assert!(app.settings.direct_writes);
    assert!(app.settings.engine_config(Default::default()).direct_writes);
    open_preferences(&mut app);
    click(&mut app, tab_id(PrefTab::BitTorrent));
    click(&mut app, DIRECT_WRITES_ID);
    click(&mut app, OK_ID);
    assert!(!app.settings.direct_writes);
    let sent = drain(&mut commands);
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetDirectWrites(false))),
        "{sent:?}"
    );
    assert!(!app.settings.engine_config(Default::default()).direct_writes);
}
