//! The Preferences dialog (Ctrl+P, or the toolbar): General, Connection and BitTorrent pages
//! over a draft copy of the [`Settings`]. Nothing changes until OK; OK checks every field,
//! then the app applies what it can at once (language, theme, save folder, dialogs) and saves
//! the settings atomically off the UI thread. Port (fixed, or random at each start), connection
//! limits and the DHT are read when the engine starts, which the pages say next to them; peer
//! exchange, the folder for finished downloads and the folder for `.torrent` copies are sent to
//! the engine at once. A page taller than the dialog scrolls.
//!
//! This module only turns the user's input into a [`PrefOutcome`]; the app carries it out.

use super::{App, Message as AppMessage, theme};
use crate::engine::api::GoalAction;
use crate::fl;
use crate::settings::{
    MAX_CONNECTIONS_LIMIT, MAX_SEED_MINUTES, MAX_SEED_RATIO, Settings, ThemeChoice,
};
use iced::widget::{
    button, center, checkbox, column, container, opaque, pick_list, row, scrollable, space, text,
    text_input,
};
use iced::{Alignment, Element, Fill, Task};
use std::fmt;
use std::path::PathBuf;

const TEXT: f32 = 13.0;
/// Id of the OK button.
pub const OK_ID: &str = "prefs-ok";
/// Id of the Cancel button.
pub const CANCEL_ID: &str = "prefs-cancel";
/// Id of the "ask before removing with data" box.
pub const CONFIRM_REMOVE_ID: &str = "prefs-confirm-remove";
/// Id of the "notify when a download finishes" box.
pub const NOTIFY_FINISHED_ID: &str = "prefs-notify-finished";
/// Id of the "notify when a torrent stops with an error" box.
pub const NOTIFY_ERRORS_ID: &str = "prefs-notify-errors";
/// Id of the "closing the window keeps Brooklet in the tray" box.
pub const CLOSE_TO_TRAY_ID: &str = "prefs-close-to-tray";
/// Id of the "start hidden in the tray" box.
pub const START_MINIMIZED_ID: &str = "prefs-start-minimized";
/// Id of the "start when I log in" box.
pub const START_ON_LOGIN_ID: &str = "prefs-start-on-login";
/// Id of the "make Brooklet the default for torrents and magnet links" button.
pub const HANDLERS_ID: &str = "prefs-handlers";

/// Id of a page's tab.
pub fn tab_id(tab: PrefTab) -> String {
    format!("prefs-tab-{tab:?}")
}
/// Id of the "stop seeding at ratio" box.
pub const SEED_RATIO_ID: &str = "prefs-seed-ratio";
/// Id of the "announce to all trackers in all tiers" checkbox.
pub const ANNOUNCE_ALL_ID: &str = "prefs-announce-all-tiers";
/// Id of the "write downloads past the system's file cache" checkbox.
pub const DIRECT_WRITES_ID: &str = "prefs-direct-writes";
/// Id of the "stop seeding after minutes" box.
pub const SEED_MINUTES_ID: &str = "prefs-seed-minutes";
/// Id of the "stop seeding after minutes without upload" box.
pub const SEED_IDLE_ID: &str = "prefs-seed-idle";
/// Id of the "when a goal is reached" picker.
pub const GOAL_ACTION_ID: &str = "prefs-goal-action";
/// Id of the listening-port box.
pub const PORT_ID: &str = "prefs-port";
/// Id of the save-folder box.
pub const SAVE_PATH_ID: &str = "prefs-save-path";
/// Id of the "move finished downloads to" box.
pub const MOVE_COMPLETED_ID: &str = "prefs-move-completed";
/// Id of the folder box for finished downloads.
pub const MOVE_COMPLETED_PATH_ID: &str = "prefs-move-completed-path";
/// Id of the "keep copies of .torrent files in" box.
pub const TORRENT_COPIES_ID: &str = "prefs-torrent-copies";
/// Id of the folder box for the copies of .torrent files.
pub const TORRENT_COPIES_PATH_ID: &str = "prefs-torrent-copies-path";
/// Id of the peer exchange (PEX) box.
pub const PEX_ID: &str = "prefs-pex";
/// Id of the "random port at each start" box.
pub const RANDOM_PORT_ID: &str = "prefs-random-port";

/// A folder box of the dialog that has a "Browse…" button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderField {
    /// Where new torrents are saved.
    SavePath,
    /// Where finished downloads are moved.
    MoveCompleted,
    /// Where copies of added `.torrent` files go.
    TorrentCopies,
}

/// The pages of the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefTab {
    General,
    Connection,
    BitTorrent,
    Queueing,
    Desktop,
    Speed,
}

/// A language in the picker: the system's, or one shipped in the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageOption(pub String);

impl fmt::Display for LanguageOption {
    /// A language by its own name (the same in every locale, so not translated), with its code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let native = match self.0.as_str() {
            "" => return f.write_str(&fl!("prefs-language-system")),
            "de" => "Deutsch",
            "en" => "English",
            "es" => "Español",
            "fr" => "Français",
            "ja" => "日本語",
            "pt-BR" => "Português (Brasil)",
            "ru" => "Русский",
            "zh-CN" => "简体中文",
            other => return f.write_str(other),
        };
        write!(f, "{native} ({})", self.0)
    }
}

/// A theme in the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeOption(pub ThemeChoice);

impl fmt::Display for ThemeOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&match self.0 {
            ThemeChoice::System => fl!("prefs-theme-system"),
            ThemeChoice::Light => fl!("prefs-theme-light"),
            ThemeChoice::Dark => fl!("prefs-theme-dark"),
        })
    }
}

/// What a reached seeding goal does, in the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoalActionOption(pub GoalAction);

impl fmt::Display for GoalActionOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&match self.0 {
            GoalAction::Pause => fl!("prefs-goal-pause"),
            GoalAction::Remove => fl!("prefs-goal-remove"),
        })
    }
}

/// What the user did in the dialog.
#[derive(Debug, Clone)]
pub enum PrefMessage {
    /// A page was chosen.
    Tab(PrefTab),
    /// A language was picked.
    Language(LanguageOption),
    /// A theme was picked.
    Theme(ThemeOption),
    /// The save-folder box changed.
    SavePath(String),
    /// "Browse…" next to a folder box.
    Browse(FolderField),
    /// The folder picker of a box closed (with a folder, or cancelled).
    Browsed(FolderField, Option<PathBuf>),
    /// "Move finished downloads to" ticked or not.
    MoveCompleted(bool),
    /// The folder box for finished downloads changed.
    MoveCompletedPath(String),
    /// "Keep copies of .torrent files in" ticked or not.
    TorrentCopies(bool),
    /// The folder box for the copies of .torrent files changed.
    TorrentCopiesPath(String),
    /// "Exchange peers (PEX)" ticked or not.
    Pex(bool),
    /// "Use a random port at each start" ticked or not.
    RandomPort(bool),
    /// "Show the add-torrent dialog" ticked or not.
    ShowAddDialog(bool),
    /// "Ask before removing with data" ticked or not.
    ConfirmRemove(bool),
    /// "Notify when a download finishes" ticked or not.
    NotifyFinished(bool),
    /// "Notify when a torrent stops with an error" ticked or not.
    NotifyErrors(bool),
    /// The port box changed.
    Port(String),
    /// The global connection limit box changed.
    MaxConnections(String),
    /// The per-torrent connection limit box changed.
    MaxPerTorrent(String),
    /// "DHT" ticked or not.
    Dht(bool),
    /// "Announce to all trackers in all tiers" ticked or not.
    AnnounceToAllTiers(bool),
    /// "Write downloads past the system's file cache" ticked or not.
    DirectWrites(bool),
    /// The "stop seeding at ratio" box changed.
    SeedRatio(String),
    /// The "stop seeding after minutes" box changed.
    SeedMinutes(String),
    /// The "stop seeding after minutes without upload" box changed.
    SeedIdle(String),
    /// What a reached goal does was picked.
    GoalAction(GoalActionOption),
    /// "Closing the window keeps Brooklet in the tray" ticked or not.
    CloseToTray(bool),
    /// "Start hidden in the tray" ticked or not.
    StartMinimized(bool),
    /// "Start Brooklet when I log in" ticked or not.
    StartOnLogin(bool),
    /// "Make default" for `.torrent` files and magnet links.
    RegisterHandlers,
    /// Registering the handlers finished (or failed, with the reason).
    HandlersRegistered(Result<(), String>),
    /// Starting at login was changed (or could not be).
    StartOnLoginSet(Result<(), String>),
    /// The Speed page.
    Speed(super::limits::SpeedMessage),
    /// A box of the Queueing page.
    Queue(super::queueing::QueueMessage),
    /// "Enable IP filter" ticked or not.
    IpFilterEnabled(bool),
    /// The IP filter list's path box changed.
    IpFilterPath(String),
    /// "Browse…" for the IP filter list.
    IpFilterBrowse,
    /// The list picker closed (with a file, or cancelled).
    IpFilterBrowsed(Option<PathBuf>),
    /// "Reload": read the list at the path now.
    IpFilterReload,
    /// "Lift all bans": every banned peer is allowed again, now and in the saved settings.
    LiftBans,
    /// OK: check, apply and save.
    Save,
    /// Cancel (or Esc): forget the draft.
    Cancel,
    /// The settings file was written (or not).
    Saved(Result<(), String>),
}

/// What the app must do after a message.
#[derive(Debug, Clone, PartialEq)]
pub enum PrefOutcome {
    /// Nothing more.
    None,
    /// Open the folder picker of a box at this folder.
    Browse(FolderField, PathBuf),
    /// Close the dialog and apply these settings.
    Apply(Box<Settings>),
    /// Close the dialog, changing nothing.
    Close,
    /// Register Brooklet as the handler of `.torrent` files and magnet links.
    RegisterHandlers,
    /// Open the file picker for an IP filter list, near this path.
    BrowseIpFilter(PathBuf),
    /// Read the IP filter list at this path (off the UI thread) and show how it went.
    LoadIpFilter(PathBuf),
    /// Allow every banned peer again.
    LiftBans,
}

/// The open dialog: a draft of the settings, and the number boxes as typed.
#[derive(Debug, Clone)]
pub struct Preferences {
    /// The settings as they will be saved.
    pub draft: Settings,
    /// The page shown.
    pub tab: PrefTab,
    port: String,
    max_connections: String,
    max_per_torrent: String,
    save_path: String,
    move_completed_path: String,
    torrent_copies_path: String,
    seed_ratio: String,
    seed_minutes: String,
    seed_idle: String,
    ip_filter_path: String,
    /// The Speed page's boxes.
    pub speed: super::limits::SpeedDraft,
    /// The Queueing page's boxes.
    pub queue: super::queueing::QueueDraft,
    /// Why OK was refused, shown above the buttons.
    pub problem: Option<String>,
    /// "Start when I log in", as ticked (the system's state, not a setting).
    pub start_on_login: bool,
    /// Whether Brooklet started at login when the dialog opened.
    pub start_on_login_was: bool,
    /// A tray icon is shown (else the tray settings say they do nothing).
    pub tray_present: bool,
    /// How registering the handlers went, shown on the Desktop page.
    pub handlers_status: Option<Result<(), String>>,
}

impl Preferences {
    /// A dialog over the current settings; `save_path` is the folder in use now.
    pub fn new(current: &Settings, save_path: &std::path::Path) -> Preferences {
        Preferences {
            draft: current.clone(),
            tab: PrefTab::General,
            port: current.listen_port.to_string(),
            max_connections: current.max_connections.to_string(),
            max_per_torrent: current.max_connections_per_torrent.to_string(),
            save_path: save_path.display().to_string(),
            move_completed_path: current
                .move_completed_path
                .as_ref()
                .map_or_else(String::new, |p| p.display().to_string()),
            torrent_copies_path: current
                .torrent_copies_path
                .as_ref()
                .map_or_else(String::new, |p| p.display().to_string()),
            seed_ratio: current
                .seed_ratio_limit
                .map_or_else(String::new, |r| r.to_string()),
            seed_minutes: current
                .seed_time_limit_minutes
                .map_or_else(String::new, |m| m.to_string()),
            seed_idle: current
                .seed_idle_limit_minutes
                .map_or_else(String::new, |m| m.to_string()),
            ip_filter_path: current
                .ip_filter_path
                .as_ref()
                .map_or_else(String::new, |p| p.display().to_string()),
            speed: super::limits::SpeedDraft::new(current),
            queue: super::queueing::QueueDraft::new(current),
            problem: None,
            start_on_login: false,
            start_on_login_was: false,
            tray_present: false,
            handlers_status: None,
        }
    }

    /// The IP filter list's path, as typed.
    pub fn ip_filter_path(&self) -> &str {
        &self.ip_filter_path
    }

    /// Handles a message of the dialog.
    pub fn update(&mut self, message: PrefMessage) -> PrefOutcome {
        match message {
            PrefMessage::Tab(t) => self.tab = t,
            PrefMessage::Language(l) => self.draft.language = l.0,
            PrefMessage::Theme(t) => self.draft.theme = t.0,
            PrefMessage::SavePath(p) => self.save_path = p,
            PrefMessage::Browse(field) => {
                let typed = self.folder_box(field).trim();
                // An empty box starts the picker at the save folder.
                let start = if typed.is_empty() {
                    &self.save_path
                } else {
                    typed
                };
                return PrefOutcome::Browse(field, PathBuf::from(start));
            }
            PrefMessage::Browsed(field, Some(p)) => {
                *self.folder_box_mut(field) = p.display().to_string();
                match field {
                    FolderField::SavePath => {}
                    FolderField::MoveCompleted => self.draft.move_completed = true,
                    FolderField::TorrentCopies => self.draft.torrent_copies = true,
                }
            }
            PrefMessage::Browsed(_, None) | PrefMessage::Saved(_) => {}
            PrefMessage::MoveCompleted(on) => self.draft.move_completed = on,
            PrefMessage::MoveCompletedPath(p) => self.move_completed_path = p,
            PrefMessage::TorrentCopies(on) => self.draft.torrent_copies = on,
            PrefMessage::TorrentCopiesPath(p) => self.torrent_copies_path = p,
            PrefMessage::Pex(on) => self.draft.pex = on,
            PrefMessage::RandomPort(on) => self.draft.random_port = on,
            PrefMessage::ShowAddDialog(on) => self.draft.show_add_dialog = on,
            PrefMessage::ConfirmRemove(on) => self.draft.confirm_remove_with_data = on,
            PrefMessage::NotifyFinished(on) => self.draft.notify_finished = on,
            PrefMessage::NotifyErrors(on) => self.draft.notify_errors = on,
            PrefMessage::Port(s) => self.port = s,
            PrefMessage::MaxConnections(s) => self.max_connections = s,
            PrefMessage::MaxPerTorrent(s) => self.max_per_torrent = s,
            PrefMessage::Dht(on) => self.draft.dht = on,
            PrefMessage::AnnounceToAllTiers(on) => self.draft.announce_to_all_tiers = on,
            PrefMessage::DirectWrites(on) => self.draft.direct_writes = on,
            PrefMessage::SeedRatio(s) => self.seed_ratio = s,
            PrefMessage::SeedMinutes(s) => self.seed_minutes = s,
            PrefMessage::SeedIdle(s) => self.seed_idle = s,
            PrefMessage::GoalAction(a) => self.draft.seed_goal_action = a.0,
            PrefMessage::CloseToTray(on) => self.draft.close_to_tray = on,
            PrefMessage::StartMinimized(on) => self.draft.start_minimized = on,
            PrefMessage::StartOnLogin(on) => self.start_on_login = on,
            PrefMessage::RegisterHandlers => {
                self.handlers_status = None;
                return PrefOutcome::RegisterHandlers;
            }
            PrefMessage::HandlersRegistered(result) => self.handlers_status = Some(result),
            PrefMessage::StartOnLoginSet(_) => {}
            PrefMessage::Speed(m) => self.speed.update(m, &mut self.draft),
            PrefMessage::Queue(m) => self.queue.update(m, &mut self.draft),
            PrefMessage::IpFilterEnabled(on) => self.draft.ip_filter_enabled = on,
            PrefMessage::IpFilterPath(path) => self.ip_filter_path = path,
            PrefMessage::IpFilterBrowse => {
                return PrefOutcome::BrowseIpFilter(PathBuf::from(self.ip_filter_path.trim()));
            }
            PrefMessage::IpFilterBrowsed(Some(path)) => {
                self.ip_filter_path = path.display().to_string();
                return PrefOutcome::LoadIpFilter(path);
            }
            PrefMessage::IpFilterBrowsed(None) => {}
            PrefMessage::LiftBans => {
                self.draft.banned_peers.clear();
                return PrefOutcome::LiftBans;
            }
            PrefMessage::IpFilterReload => {
                let path = self.ip_filter_path.trim();
                if !path.is_empty() {
                    return PrefOutcome::LoadIpFilter(PathBuf::from(path));
                }
            }
            PrefMessage::Cancel => return PrefOutcome::Close,
            PrefMessage::Save => match self.checked() {
                Ok(settings) => return PrefOutcome::Apply(Box::new(settings)),
                Err(problem) => self.problem = Some(problem),
            },
        }
        PrefOutcome::None
    }

    /// A folder box as typed.
    fn folder_box(&self, field: FolderField) -> &str {
        match field {
            FolderField::SavePath => &self.save_path,
            FolderField::MoveCompleted => &self.move_completed_path,
            FolderField::TorrentCopies => &self.torrent_copies_path,
        }
    }

    fn folder_box_mut(&mut self, field: FolderField) -> &mut String {
        match field {
            FolderField::SavePath => &mut self.save_path,
            FolderField::MoveCompleted => &mut self.move_completed_path,
            FolderField::TorrentCopies => &mut self.torrent_copies_path,
        }
    }

    /// The folder typed in the box of an option (`on`: ticked), or why it cannot be used: a
    /// ticked option needs one, and a folder must be a full path.
    fn option_folder(
        &self,
        field: FolderField,
        on: bool,
        label: String,
    ) -> Result<Option<PathBuf>, String> {
        let typed = self.folder_box(field).trim();
        if typed.is_empty() {
            return if on {
                Err(fl!("prefs-folder-missing", field = label))
            } else {
                Ok(None)
            };
        }
        let path = PathBuf::from(typed);
        if !path.is_absolute() {
            return Err(fl!("prefs-folder-absolute", field = label));
        }
        Ok(Some(path))
    }

    /// The draft with the typed numbers and folder, or what is wrong with them.
    fn checked(&self) -> Result<Settings, String> {
        let number = |typed: &str, label: String, min: u64, max: u64| {
            typed
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    fl!(
                        "prefs-bad-number",
                        field = label,
                        min = min.to_string(),
                        max = max.to_string()
                    )
                })
        };
        let mut s = self.draft.clone();
        s.listen_port = number(&self.port, fl!("prefs-port"), 0, 65535)? as u16;
        let limit = MAX_CONNECTIONS_LIMIT as u64;
        s.max_connections = number(
            &self.max_connections,
            fl!("prefs-max-connections"),
            1,
            limit,
        )? as usize;
        s.max_connections_per_torrent = number(
            &self.max_per_torrent,
            fl!("prefs-max-per-torrent"),
            1,
            s.max_connections as u64,
        )? as usize;
        self.speed.checked(&mut s)?;
        self.queue.checked(&mut s)?;
        s.seed_ratio_limit = match self.seed_ratio.trim().replace(',', ".") {
            t if t.is_empty() => None,
            t => Some(
                t.parse::<f64>()
                    .ok()
                    .filter(|r| r.is_finite() && (0.01..=MAX_SEED_RATIO).contains(r))
                    .ok_or_else(|| fl!("prefs-bad-ratio", max = MAX_SEED_RATIO.to_string()))?,
            ),
        };
        s.seed_time_limit_minutes = if self.seed_minutes.trim().is_empty() {
            None
        } else {
            Some(number(
                &self.seed_minutes,
                fl!("prefs-seed-minutes"),
                1,
                MAX_SEED_MINUTES,
            )?)
        };
        s.seed_idle_limit_minutes = if self.seed_idle.trim().is_empty() {
            None
        } else {
            Some(number(
                &self.seed_idle,
                fl!("prefs-seed-idle"),
                1,
                MAX_SEED_MINUTES,
            )?)
        };
        let list = self.ip_filter_path.trim();
        s.ip_filter_path = (!list.is_empty()).then(|| PathBuf::from(list));
        if s.ip_filter_enabled && s.ip_filter_path.is_none() {
            return Err(fl!("prefs-ip-filter-no-file"));
        }
        s.move_completed_path = self.option_folder(
            FolderField::MoveCompleted,
            s.move_completed,
            fl!("prefs-move-completed"),
        )?;
        s.torrent_copies_path = self.option_folder(
            FolderField::TorrentCopies,
            s.torrent_copies,
            fl!("prefs-torrent-copies"),
        )?;
        let folder = self.save_path.trim();
        if folder.is_empty() {
            s.save_path = None;
        } else {
            let path = PathBuf::from(folder);
            if !path.is_absolute() {
                return Err(fl!("prefs-save-path-absolute"));
            }
            s.save_path = Some(path);
        }
        Ok(s)
    }
}

fn msg(m: PrefMessage) -> AppMessage {
    AppMessage::Preferences(m)
}

fn line<'a>(label: String, value: Element<'a, AppMessage>) -> Element<'a, AppMessage> {
    row![text(label).size(TEXT).width(260), value]
        .spacing(8)
        .align_y(Alignment::Center)
        .into()
}

fn number_box<'a>(
    value: &'a str,
    id: Option<&'static str>,
    on_input: fn(String) -> PrefMessage,
) -> Element<'a, AppMessage> {
    let mut input = text_input("", value)
        .on_input(move |s| msg(on_input(s)))
        .on_submit(msg(PrefMessage::Save))
        .size(TEXT)
        .width(100);
    if let Some(id) = id {
        input = input.id(id);
    }
    input.into()
}

/// What an option with a folder sends: its box ticked, its folder typed.
type FolderOption = (
    FolderField,
    fn(bool) -> PrefMessage,
    fn(String) -> PrefMessage,
);

/// An option with a folder: its box (ticked or not), the folder's text box and "Browse…".
fn option_folder_line<'a>(
    on: bool,
    label: String,
    (box_id, path_id): (&'static str, &'static str),
    path: &'a str,
    (field, toggle, typed): FolderOption,
) -> Element<'a, AppMessage> {
    row![
        container(
            checkbox(on)
                .label(label)
                .on_toggle(move |on| msg(toggle(on)))
                .text_size(TEXT)
        )
        .id(box_id)
        .width(260),
        text_input("", path)
            .id(path_id)
            .on_input(move |s| msg(typed(s)))
            .size(TEXT)
            .width(Fill),
        button(text(fl!("dialog-browse")).size(TEXT)).on_press(msg(PrefMessage::Browse(field))),
    ]
    .spacing(8)
    .align_y(Alignment::Center)
    .into()
}

fn note<'a>(s: String) -> Element<'a, AppMessage> {
    text(s).size(12).style(theme::label).into()
}

/// Runs `work` on a blocking thread; its error as text.
async fn blocking<E: std::fmt::Display>(
    work: impl FnOnce() -> Result<(), E> + Send + 'static,
) -> Result<(), String> {
    tokio::task::spawn_blocking(move || work().map_err(|e| e.to_string()))
        .await
        .unwrap_or_else(|e| Err(e.to_string()))
}

/// The Desktop page: the tray, starting at login, the file and link handlers.
fn desktop_page(p: &Preferences) -> Element<'_, AppMessage> {
    let tick = |on: bool, label: String, id: &'static str, m: fn(bool) -> PrefMessage| {
        container(
            checkbox(on)
                .label(label)
                .on_toggle(move |on| msg(m(on)))
                .text_size(TEXT),
        )
        .id(id)
    };
    let mut page = column![
        tick(
            p.draft.close_to_tray,
            fl!("prefs-close-to-tray"),
            CLOSE_TO_TRAY_ID,
            PrefMessage::CloseToTray
        ),
        tick(
            p.draft.start_minimized,
            fl!("prefs-start-minimized"),
            START_MINIMIZED_ID,
            PrefMessage::StartMinimized
        ),
    ]
    .spacing(10);
    if !p.tray_present {
        page = page.push(note(fl!("prefs-tray-missing")));
    }
    page = page.push(tick(
        p.start_on_login,
        fl!("prefs-start-on-login"),
        START_ON_LOGIN_ID,
        PrefMessage::StartOnLogin,
    ));
    page = page.push(line(
        fl!("prefs-handlers"),
        container(
            button(text(fl!("prefs-handlers-button")).size(TEXT))
                .on_press(msg(PrefMessage::RegisterHandlers)),
        )
        .id(HANDLERS_ID)
        .into(),
    ));
    match &p.handlers_status {
        Some(Ok(())) => page = page.push(note(fl!("prefs-handlers-done"))),
        Some(Err(e)) => {
            page = page.push(
                text(fl!("error-handlers", reason = e.as_str()))
                    .size(12)
                    .style(text::danger),
            );
        }
        None => {}
    }
    page.into()
}

impl App {
    /// Opens the dialog over the settings in force.
    pub(super) fn open_preferences(&mut self) {
        let mut p = Preferences::new(&self.settings, &self.save_path);
        p.start_on_login = crate::platform::autostart::is_enabled();
        p.start_on_login_was = p.start_on_login;
        p.tray_present = self.tray.is_present();
        self.preferences = Some(p);
    }

    /// A message of the dialog (or of its folder picker and save task).
    pub(super) fn on_preferences(&mut self, message: PrefMessage) -> Task<AppMessage> {
        match &message {
            PrefMessage::Saved(Err(e)) => {
                self.error = Some(fl!("error-settings-save", reason = e.as_str()));
                return Task::none();
            }
            PrefMessage::StartOnLoginSet(Err(e)) => {
                self.error = Some(fl!("error-autostart", reason = e.as_str()));
                return Task::none();
            }
            _ => {}
        }
        let Some(p) = self.preferences.as_mut() else {
            return Task::none();
        };
        match p.update(message) {
            PrefOutcome::None => Task::none(),
            PrefOutcome::Close => {
                self.preferences = None;
                Task::none()
            }
            PrefOutcome::Browse(field, start) => Task::perform(
                async move {
                    rfd::AsyncFileDialog::new()
                        .set_title(fl!("dialog-choose-folder"))
                        .set_directory(start)
                        .pick_folder()
                        .await
                        .map(|f| f.path().to_path_buf())
                },
                move |p| msg(PrefMessage::Browsed(field, p)),
            ),
            PrefOutcome::BrowseIpFilter(start) => super::ipfilter::browse(start),
            PrefOutcome::LoadIpFilter(path) => self.load_ip_filter(path),
            PrefOutcome::LiftBans => self.lift_bans(),
            PrefOutcome::RegisterHandlers => Task::perform(
                blocking(|| crate::platform::handlers::register(&mut |_| {})),
                |r| msg(PrefMessage::HandlersRegistered(r)),
            ),
            PrefOutcome::Apply(settings) => {
                let login = self
                    .preferences
                    .take()
                    .filter(|p| p.start_on_login != p.start_on_login_was)
                    .map(|p| p.start_on_login);
                let autostart = match login {
                    Some(on) => Task::perform(
                        blocking(move || crate::platform::autostart::set_enabled(on)),
                        |r| msg(PrefMessage::StartOnLoginSet(r)),
                    ),
                    None => Task::none(),
                };
                Task::batch([self.apply_settings(*settings), autostart])
            }
        }
    }

    /// Puts new settings in force (what can change while running changes now) and saves them
    /// on a blocking thread.
    pub(super) fn apply_settings(&mut self, settings: Settings) -> Task<AppMessage> {
        if settings.language != self.settings.language {
            let lang = Some(settings.language.as_str()).filter(|l| !l.is_empty());
            crate::i18n::init(lang);
        }
        self.save_path = settings
            .save_path
            .clone()
            .unwrap_or_else(super::default_save_path);
        let old = std::mem::replace(&mut self.settings, settings.clone());
        if self.engine.is_some() && old.seed_goals() != settings.seed_goals() {
            self.send(crate::engine::session::Command::SetSeedGoals(
                settings.seed_goals(),
            ));
        }
        if self.engine.is_some() && old.queue_limits() != settings.queue_limits() {
            self.send(crate::engine::session::Command::SetQueueLimits(
                settings.queue_limits(),
            ));
        }
        if self.engine.is_some() && old.announce_to_all_tiers != settings.announce_to_all_tiers {
            self.send(crate::engine::session::Command::SetAnnounceToAllTiers(
                settings.announce_to_all_tiers,
            ));
        }
        if self.engine.is_some() && old.direct_writes != settings.direct_writes {
            self.send(crate::engine::session::Command::SetDirectWrites(
                settings.direct_writes,
            ));
        }
        if self.engine.is_some() && old.move_completed_folder() != settings.move_completed_folder()
        {
            self.send(crate::engine::session::Command::SetMoveCompleted(
                settings.move_completed_folder(),
            ));
        }
        if self.engine.is_some() && old.torrent_copies_folder() != settings.torrent_copies_folder()
        {
            self.send(crate::engine::session::Command::SetTorrentCopies(
                settings.torrent_copies_folder(),
            ));
        }
        if self.engine.is_some()
            && (old.max_connections, old.max_connections_per_torrent)
                != (
                    settings.max_connections,
                    settings.max_connections_per_torrent,
                )
        {
            self.send(crate::engine::session::Command::SetConnectionLimits {
                global: settings.max_connections,
                per_torrent: settings.max_connections_per_torrent,
            });
        }
        if self.engine.is_some() && old.pex != settings.pex {
            self.send(crate::engine::session::Command::SetPex(settings.pex));
        }
        if self.engine.is_some() && old.seed_goal_action != settings.seed_goal_action {
            self.send(crate::engine::session::Command::SetGoalAction(
                settings.seed_goal_action,
            ));
        }
        let speed = Task::batch([
            self.apply_speed_settings(&old),
            self.apply_ip_filter_settings(&old),
        ]);
        let Some(dir) = self.config_dir.clone() else {
            return Task::batch([speed, self.refresh_free_space(std::time::Instant::now())]);
        };
        let save = Task::perform(
            async move {
                tokio::task::spawn_blocking(move || settings.save(&dir).map_err(|e| e.to_string()))
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()))
            },
            |r| msg(PrefMessage::Saved(r)),
        );
        let space = self.refresh_free_space(std::time::Instant::now());
        Task::batch([speed, save, space])
    }

    /// The Preferences dialog over the window.
    pub(super) fn preferences_layer<'a>(&'a self, p: &'a Preferences) -> Element<'a, AppMessage> {
        let tab = |label: String, t: PrefTab| {
            container(
                button(text(label).size(TEXT))
                    .padding([4, 12])
                    .style(theme::tab(p.tab == t))
                    .on_press(msg(PrefMessage::Tab(t))),
            )
            .id(tab_id(t))
        };
        let tabs = row![
            tab(fl!("prefs-tab-general"), PrefTab::General),
            tab(fl!("prefs-tab-connection"), PrefTab::Connection),
            tab(fl!("prefs-tab-bittorrent"), PrefTab::BitTorrent),
            tab(fl!("prefs-tab-queueing"), PrefTab::Queueing),
            tab(fl!("prefs-tab-speed"), PrefTab::Speed),
            tab(fl!("prefs-tab-desktop"), PrefTab::Desktop),
        ]
        .spacing(2);
        let page: Element<'_, AppMessage> = match p.tab {
            PrefTab::General => self.general_page(p),
            PrefTab::Connection => column![
                line(
                    fl!("prefs-port"),
                    row![
                        number_box(&p.port, Some(PORT_ID), PrefMessage::Port),
                        container(
                            checkbox(p.draft.random_port)
                                .label(fl!("prefs-random-port"))
                                .on_toggle(|on| msg(PrefMessage::RandomPort(on)))
                                .text_size(TEXT)
                        )
                        .id(RANDOM_PORT_ID),
                    ]
                    .spacing(12)
                    .align_y(Alignment::Center)
                    .into()
                ),
                line(
                    fl!("prefs-max-connections"),
                    number_box(&p.max_connections, None, PrefMessage::MaxConnections)
                ),
                line(
                    fl!("prefs-max-per-torrent"),
                    number_box(&p.max_per_torrent, None, PrefMessage::MaxPerTorrent)
                ),
                note(fl!("prefs-connection-note")),
                self.ip_filter_section(p),
            ]
            .spacing(10)
            .into(),
            PrefTab::BitTorrent => column![
                checkbox(p.draft.dht)
                    .label(fl!("prefs-dht"))
                    .on_toggle(|on| msg(PrefMessage::Dht(on)))
                    .text_size(TEXT),
                note(fl!("prefs-restart-note")),
                container(
                    checkbox(p.draft.pex)
                        .label(fl!("prefs-pex"))
                        .on_toggle(|on| msg(PrefMessage::Pex(on)))
                        .text_size(TEXT)
                )
                .id(PEX_ID),
                note(fl!("prefs-pex-note")),
                container(
                    checkbox(p.draft.announce_to_all_tiers)
                        .label(fl!("prefs-announce-all-tiers"))
                        .on_toggle(|on| msg(PrefMessage::AnnounceToAllTiers(on)))
                        .text_size(TEXT)
                )
                .id(ANNOUNCE_ALL_ID),
                note(fl!("prefs-announce-all-tiers-note")),
                container(
                    checkbox(p.draft.direct_writes)
                        .label(fl!("prefs-direct-writes"))
                        .on_toggle(|on| msg(PrefMessage::DirectWrites(on)))
                        .text_size(TEXT)
                )
                .id(DIRECT_WRITES_ID),
                note(fl!("prefs-direct-writes-note")),
                text(fl!("prefs-seed-goals")).size(TEXT + 1.0),
                line(
                    fl!("prefs-seed-ratio"),
                    number_box(&p.seed_ratio, Some(SEED_RATIO_ID), PrefMessage::SeedRatio)
                ),
                line(
                    fl!("prefs-seed-minutes"),
                    number_box(
                        &p.seed_minutes,
                        Some(SEED_MINUTES_ID),
                        PrefMessage::SeedMinutes
                    )
                ),
                line(
                    fl!("prefs-seed-idle"),
                    number_box(&p.seed_idle, Some(SEED_IDLE_ID), PrefMessage::SeedIdle)
                ),
                line(
                    fl!("prefs-goal-action"),
                    container(
                        pick_list(
                            [GoalAction::Pause, GoalAction::Remove].map(GoalActionOption),
                            Some(GoalActionOption(p.draft.seed_goal_action)),
                            |a| msg(PrefMessage::GoalAction(a))
                        )
                        .text_size(TEXT)
                    )
                    .id(GOAL_ACTION_ID)
                    .into()
                ),
                note(fl!("prefs-seed-goals-note")),
            ]
            .spacing(10)
            .into(),
            PrefTab::Desktop => desktop_page(p),
            PrefTab::Speed => super::limits::speed_page(p),
            PrefTab::Queueing => super::queueing::queue_page(p),
        };
        let mut bottom = row![].spacing(8).align_y(Alignment::Center);
        bottom = bottom.push(match &p.problem {
            Some(problem) => Element::from(
                text(problem.as_str())
                    .size(TEXT)
                    .style(text::danger)
                    .width(Fill),
            ),
            None => space().width(Fill).into(),
        });
        bottom = bottom
            .push(
                container(
                    button(text(fl!("cancel")).size(TEXT)).on_press(msg(PrefMessage::Cancel)),
                )
                .id(CANCEL_ID),
            )
            .push(
                container(
                    button(text(fl!("dialog-ok")).size(TEXT))
                        .on_press(msg(PrefMessage::Save))
                        .style(button::primary),
                )
                .id(OK_ID),
            );
        let body = column![
            text(fl!("prefs-title")).size(16),
            tabs,
            // A page taller than the dialog scrolls rather than losing its last lines.
            scrollable(container(page).padding(iced::Padding {
                top: 12.0,
                right: 16.0,
                bottom: 12.0,
                left: 4.0,
            }))
            .height(320),
            bottom,
        ]
        .spacing(10)
        .padding(14)
        .width(680);
        let dialog = container(body).padding(0).style(theme::modal);
        opaque(center(dialog).style(theme::backdrop))
    }

    fn general_page<'a>(&'a self, p: &'a Preferences) -> Element<'a, AppMessage> {
        let mut languages = vec![LanguageOption(String::new())];
        languages.extend(
            crate::i18n::available_locales()
                .into_iter()
                .map(|l| LanguageOption(l.to_string())),
        );
        languages.sort_by(|a, b| (!a.0.is_empty(), &a.0).cmp(&(!b.0.is_empty(), &b.0)));
        let themes = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark].map(ThemeOption);
        column![
            line(
                fl!("prefs-language"),
                pick_list(
                    languages,
                    Some(LanguageOption(p.draft.language.clone())),
                    |l| msg(PrefMessage::Language(l))
                )
                .text_size(TEXT)
                .into()
            ),
            line(
                fl!("prefs-theme"),
                pick_list(themes, Some(ThemeOption(p.draft.theme)), |t| msg(
                    PrefMessage::Theme(t)
                ))
                .text_size(TEXT)
                .into()
            ),
            line(
                fl!("prefs-save-path"),
                row![
                    text_input("", &p.save_path)
                        .id(SAVE_PATH_ID)
                        .on_input(|s| msg(PrefMessage::SavePath(s)))
                        .size(TEXT)
                        .width(Fill),
                    button(text(fl!("dialog-browse")).size(TEXT))
                        .on_press(msg(PrefMessage::Browse(FolderField::SavePath))),
                ]
                .spacing(6)
                .align_y(Alignment::Center)
                .into()
            ),
            option_folder_line(
                p.draft.move_completed,
                fl!("prefs-move-completed"),
                (MOVE_COMPLETED_ID, MOVE_COMPLETED_PATH_ID),
                &p.move_completed_path,
                (
                    FolderField::MoveCompleted,
                    PrefMessage::MoveCompleted,
                    PrefMessage::MoveCompletedPath,
                ),
            ),
            option_folder_line(
                p.draft.torrent_copies,
                fl!("prefs-torrent-copies"),
                (TORRENT_COPIES_ID, TORRENT_COPIES_PATH_ID),
                &p.torrent_copies_path,
                (
                    FolderField::TorrentCopies,
                    PrefMessage::TorrentCopies,
                    PrefMessage::TorrentCopiesPath,
                ),
            ),
            checkbox(p.draft.show_add_dialog)
                .label(fl!("prefs-show-add-dialog"))
                .on_toggle(|on| msg(PrefMessage::ShowAddDialog(on)))
                .text_size(TEXT),
            container(
                checkbox(p.draft.confirm_remove_with_data)
                    .label(fl!("prefs-confirm-remove"))
                    .on_toggle(|on| msg(PrefMessage::ConfirmRemove(on)))
                    .text_size(TEXT)
            )
            .id(CONFIRM_REMOVE_ID),
            container(
                checkbox(p.draft.notify_finished)
                    .label(fl!("prefs-notify-finished"))
                    .on_toggle(|on| msg(PrefMessage::NotifyFinished(on)))
                    .text_size(TEXT)
            )
            .id(NOTIFY_FINISHED_ID),
            container(
                checkbox(p.draft.notify_errors)
                    .label(fl!("prefs-notify-errors"))
                    .on_toggle(|on| msg(PrefMessage::NotifyErrors(on)))
                    .text_size(TEXT)
            )
            .id(NOTIFY_ERRORS_ID),
        ]
        .spacing(10)
        .into()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ok_applies_the_draft_with_the_typed_numbers() {
        let mut p = Preferences::new(&Settings::default(), std::path::Path::new("/downloads"));
        p.update(PrefMessage::Port("51413".into()));
        p.update(PrefMessage::MaxConnections("80".into()));
        p.update(PrefMessage::MaxPerTorrent("20".into()));
        p.update(PrefMessage::Dht(false));
        p.update(PrefMessage::NotifyErrors(false));
        let PrefOutcome::Apply(s) = p.update(PrefMessage::Save) else {
            panic!("OK did not apply");
        };
        assert_eq!(s.listen_port, 51413);
        assert_eq!(s.max_connections, 80);
        assert_eq!(s.max_connections_per_torrent, 20);
        assert!(!s.dht);
        assert!(s.notify_finished && !s.notify_errors);
        assert_eq!(s.save_path, Some(PathBuf::from("/downloads")));
    }

    #[test]
    fn seeding_goals_are_typed_checked_and_reach_the_engine_config() {
        let mut p = Preferences::new(&Settings::default(), std::path::Path::new("/d"));
        p.update(PrefMessage::SeedRatio("1,5".into()));
        p.update(PrefMessage::SeedMinutes(" 90 ".into()));
        let PrefOutcome::Apply(s) = p.update(PrefMessage::Save) else {
            panic!("OK did not apply");
        };
        assert_eq!(s.seed_ratio_limit, Some(1.5));
        assert_eq!(s.seed_time_limit_minutes, Some(90));
        let goals = s
            .engine_config(crate::engine::session::Config::default())
            .seed_goals;
        assert_eq!(goals.ratio, Some(1.5));
        assert_eq!(
            goals.seeding_time,
            Some(std::time::Duration::from_secs(5400))
        );
        // Refused: a negative ratio, a zero time; empty boxes mean never.
        for (ratio, minutes) in [("-1", ""), ("nan", ""), ("", "0")] {
            p.update(PrefMessage::SeedRatio(ratio.into()));
            p.update(PrefMessage::SeedMinutes(minutes.into()));
            assert_eq!(
                p.update(PrefMessage::Save),
                PrefOutcome::None,
                "{ratio} {minutes}"
            );
            assert!(p.problem.is_some());
        }
        p.update(PrefMessage::SeedRatio(String::new()));
        p.update(PrefMessage::SeedMinutes(String::new()));
        let PrefOutcome::Apply(s) = p.update(PrefMessage::Save) else {
            panic!("OK did not apply");
        };
        assert_eq!(s.seed_goals(), crate::engine::api::SeedGoals::default());
    }

    #[test]
    fn the_idle_goal_and_the_goal_action_reach_the_engine_config() {
        let mut p = Preferences::new(&Settings::default(), std::path::Path::new("/d"));
        p.update(PrefMessage::SeedIdle("30".into()));
        p.update(PrefMessage::GoalAction(GoalActionOption(
            GoalAction::Remove,
        )));
        let PrefOutcome::Apply(s) = p.update(PrefMessage::Save) else {
            panic!("OK did not apply");
        };
        let config = s.engine_config(crate::engine::session::Config::default());
        assert_eq!(
            config.seed_goals.idle_time,
            Some(std::time::Duration::from_secs(1800))
        );
        assert_eq!(config.goal_action, GoalAction::Remove);
        p.update(PrefMessage::SeedIdle("0".into()));
        assert_eq!(p.update(PrefMessage::Save), PrefOutcome::None);
        assert!(p.problem.is_some());
        // An old settings file without the new keys loads with their defaults.
        let old: Settings = serde_json::from_str(r#"{"seed_ratio_limit": 2.0}"#).unwrap();
        assert_eq!(old.seed_idle_limit_minutes, None);
        assert_eq!(old.seed_goal_action, GoalAction::Pause);
    }

    #[test]
    fn a_folder_picked_for_an_option_fills_its_box_and_ticks_it() {
        let mut p = Preferences::new(&Settings::default(), std::path::Path::new("/downloads"));
        // An empty box starts the picker at the save folder.
        assert_eq!(
            p.update(PrefMessage::Browse(FolderField::MoveCompleted)),
            PrefOutcome::Browse(FolderField::MoveCompleted, PathBuf::from("/downloads"))
        );
        p.update(PrefMessage::Browsed(
            FolderField::MoveCompleted,
            Some(PathBuf::from("/done")),
        ));
        p.update(PrefMessage::Browsed(FolderField::TorrentCopies, None));
        let PrefOutcome::Apply(s) = p.update(PrefMessage::Save) else {
            panic!("OK did not apply");
        };
        assert_eq!(s.move_completed_folder(), Some(PathBuf::from("/done")));
        assert_eq!(s.torrent_copies_folder(), None);
        assert_eq!(s.save_path, Some(PathBuf::from("/downloads")));
    }

    #[test]
    fn bad_numbers_and_relative_folders_are_refused_with_a_reason() {
        let mut p = Preferences::new(&Settings::default(), std::path::Path::new("/d"));
        p.update(PrefMessage::Port("70000".into()));
        assert_eq!(p.update(PrefMessage::Save), PrefOutcome::None);
        assert!(p.problem.as_deref().unwrap().contains("65535"));
        p.update(PrefMessage::Port("0".into()));
        p.update(PrefMessage::MaxConnections("10".into()));
        p.update(PrefMessage::MaxPerTorrent("11".into()));
        assert_eq!(p.update(PrefMessage::Save), PrefOutcome::None);
        p.update(PrefMessage::MaxPerTorrent("10".into()));
        p.update(PrefMessage::SavePath("relative/folder".into()));
        assert_eq!(p.update(PrefMessage::Save), PrefOutcome::None);
        p.update(PrefMessage::SavePath(String::new()));
        assert!(matches!(p.update(PrefMessage::Save), PrefOutcome::Apply(_)));
    }
}
