//! The desktop app: an iced daemon in Elm style over the engine.
//!
//! One [`App`] state, one root [`Message`] that only routes, `update` returning tasks, and `view`
//! as a pure function of the state. The engine runs on its own tokio runtime (its own threads);
//! the GUI talks to it only through [`EngineHandle`] commands and receives its [`Event`]s as a
//! stream turned into messages, so the window never waits on the network or the disk. The window
//! opens at once; torrents stream in as the engine reports them.

mod actions;
mod adding;
mod bridge;
mod columns;
pub mod create;
mod details;
mod dialog;
mod disk;
mod drop;
mod handoff;
mod ipfilter;
mod labels;
mod limits;
pub mod list;
mod menu;
mod notices;
mod pieces;
mod preferences;
mod queueing;
mod seed_goals;
mod speed;
mod startup_log;
mod theme;
mod trackers;
mod tray;
mod view;
mod widget;

use crate::engine::InfoHash;
use crate::engine::api::{AddTorrent, Event, Snapshot, TorrentDetails};
use crate::engine::session::{Command, EngineHandle};
use crate::fl;
use crate::settings::{Settings, ThemeChoice};
use columns::ColumnLayout;
use details::{DetailsMessage, DetailsPanel};
use dialog::{AddDialog, DialogMessage, Dialogs};
pub use handoff::Arrivals;
use iced::keyboard;
use iced::{Point, Size, Subscription, Task, window};
use list::{Category, ClickModifiers, Column, TorrentList};
use menu::{ContextMenu, MenuItem, MenuKind};
use preferences::{PrefMessage, Preferences};
pub use startup_log::mark_process_start;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Id of the filter box (Ctrl+F focuses it).
pub const FILTER_ID: &str = "filter";
/// Id of the magnet box (Ctrl+U focuses it).
pub const MAGNET_ID: &str = "magnet";
/// Id of the torrent list's scrollable.
pub const LIST_ID: &str = "torrent-list";
/// Id of the torrent list's header.
pub const HEADER_ID: &str = "list-header";

/// Everything the window can ask for.
#[derive(Debug, Clone)]
pub enum Message {
    /// The engine started (or failed to).
    EngineStarted(Result<EngineHandle, String>),
    /// The free space in a folder (the default save folder when asked).
    FreeSpace(PathBuf, Option<u64>),
    /// Open Preferences at this page (the status bar's limits open the Speed page).
    OpenPreferencesAt(preferences::PrefTab),
    /// Something the engine reported.
    Engine(Event),
    /// A toolbar button or shortcut.
    Action(Action),
    /// The torrent list was clicked, sorted, scrolled or filtered.
    List(ListMessage),
    /// The file dialog for adding torrents closed.
    FilesPicked(Vec<PathBuf>),
    /// The save folder of the pending addition with this id was made (or could not be).
    SaveFolderReady(u64, Result<(), String>),
    /// A torrent was added, or could not be.
    Added(Result<InfoHash, String>),
    /// The magnet/URL box changed.
    MagnetInput(String),
    /// The user confirmed (true) or cancelled a pending question.
    Confirm(bool),
    /// The user dismissed the error banner.
    DismissError,
    /// A key was pressed outside any text box.
    Key(keyboard::Key, keyboard::Modifiers),
    /// Keyboard modifiers changed (for ctrl/shift-click).
    Modifiers(keyboard::Modifiers),
    /// A mouse button went down here (window coordinates), in a window of this size.
    Pointer(Point, Size),
    /// A context menu entry was chosen.
    MenuPick(MenuItem),
    /// A click outside the context menu closed it.
    CloseMenu,
    /// The mouse moved while dragging a column edge or the splitter.
    DragMove(Point),
    /// The mouse button was released after a drag.
    DragEnd,
    /// The details panel's tabs or tables.
    Details(DetailsMessage),
    /// The add-torrent dialog.
    Dialog(DialogMessage),
    /// The Preferences dialog.
    Preferences(PrefMessage),
    /// The create-torrent dialog.
    Create(create::CreateMessage),
    /// A window event: files dragged over or dropped on the window.
    Window(window::Event),
    /// The clipboard's text, read for Ctrl+V.
    Pasted(Option<String>),
    /// The file manager was launched (or could not be).
    FolderOpened(Result<(), String>),
    /// The folder chosen for "Move data…" of these torrents (none: cancelled).
    MoveDataTo(Vec<crate::engine::InfoHash>, Option<std::path::PathBuf>),
    /// A second launch handed over `.torrent` paths and magnet links (none: raise the window).
    Open(crate::platform::instance::OpenRequest),
    /// The main window was opened.
    WindowOpened(window::Id),
    /// The user asked to close a window.
    CloseRequested(window::Id),
    /// Time to tell the desktop notifications that are due (ticks only while some wait).
    NoticeTick(std::time::Instant),
    /// Whether a tray host is there to put the icon in (the reason when not).
    TrayHost(Result<(), String>),
    /// A tray host may have appeared since the app found none: ask again.
    TrayHostChanged,
    /// A click in the tray icon's menu or on the icon.
    Tray(crate::platform::tray::TrayAction),
    /// The "Set limits…" dialog of the selected torrents.
    Limits(limits::LimitsMessage),
    /// The "Label…" dialog of the selected torrents.
    Label(labels::LabelMessage),
    /// The "Edit trackers…" dialog of the torrent in the details panel.
    Trackers(trackers::TrackersMessage),
    /// Once a minute while the alternative limits follow their schedule: look at the clock.
    ScheduleTick,
    /// An IP filter list was read (or could not be).
    IpFilterLoaded(Result<Arc<crate::engine::ipfilter::IpFilter>, String>),
    /// The engine finished its graceful shutdown.
    ShutDown,
    /// A window's frame that began then was drawn (only while `BROOKLET_FIRST_FRAME_LOG` waits
    /// for one: see `startup_log`).
    FrameDrawn(window::Id, std::time::Instant),
}

/// Toolbar and keyboard actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open the file dialog to add torrents (Ctrl+O).
    AddFile,
    /// Show the magnet/URL box (Ctrl+U).
    AddMagnet,
    /// Open the create-torrent dialog (Ctrl+N).
    CreateTorrent,
    /// Add the magnet link or `.torrent` path on the clipboard (Ctrl+V).
    Paste,
    /// Resume the selected torrents.
    Start,
    /// Pause the selected torrents: transfers held, peers kept (μTorrent's Pause).
    Pause,
    /// Stop the selected torrents: peers dropped, trackers told.
    Stop,
    /// Start the selected torrents whatever the queue says.
    ForceStart,
    /// Move the selected torrents one place up the queue (Ctrl+Up).
    QueueUp,
    /// Move the selected torrents one place down the queue (Ctrl+Down).
    QueueDown,
    /// Pause if any selected torrent transfers, else resume (Space).
    TogglePause,
    /// Remove the selected torrents, keeping data (Delete).
    Remove,
    /// Remove the selected torrents and delete their data (Shift+Delete), after confirmation.
    RemoveWithData,
    /// Select every shown torrent (Ctrl+A).
    SelectAll,
    /// Focus the filter box (Ctrl+F).
    Find,
    /// Show or hide the details panel (Ctrl+D).
    ToggleDetails,
    /// Open the Preferences dialog (Ctrl+P).
    Preferences,
    /// Switch the alternative ("turtle") speed limits on or off (the status bar's button; a
    /// tray menu entry sends it too).
    ToggleAltSpeed,
    /// Quit (Ctrl+Q).
    Quit,
}

/// Messages of the torrent list.
#[derive(Debug, Clone)]
pub enum ListMessage {
    /// A column header was clicked.
    Sort(Column),
    /// A row (display index) was clicked.
    Click(usize),
    /// The sidebar category changed.
    Category(Category),
    /// A label was picked in the sidebar.
    Label(String),
    /// A tracker group was picked in the sidebar.
    Tracker(list::TrackerGroup),
    /// The filter text changed.
    Filter(String),
    /// The list scrolled or was resized.
    Scrolled(f32, f32),
    /// A row (display index) was right-clicked.
    RowMenu(usize),
    /// The header was right-clicked.
    HeaderMenu,
    /// The right edge of a column's header was pressed (a drag begins).
    ResizeStart(Column),
    /// The bar above the details panel was pressed (a drag begins).
    SplitStart,
}

/// What a drag resizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DragTarget {
    /// A column's width.
    Column(Column),
    /// The details panel's height.
    Split,
}

/// A drag in progress: from where, and the size it started from.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Drag {
    target: DragTarget,
    origin: Point,
    start: f32,
}

/// A question waiting for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Remove these torrents and delete their files?
    RemoveWithData(Vec<InfoHash>),
    /// Quit (the window was closed and no tray keeps transfers going)?
    Quit,
}

/// The whole state of the app.
pub struct App {
    engine: Option<EngineHandle>,
    runtime: Option<bridge::EngineRuntime>,
    window: Option<window::Id>,
    list: TorrentList,
    columns: ColumnLayout,
    details: DetailsPanel,
    /// The torrent the engine was last told to watch.
    watched: Option<InfoHash>,
    menu: Option<ContextMenu>,
    dialogs: Dialogs,
    /// Where the last mouse button went down, and the window's size then.
    pointer: Point,
    window_size: Size,
    drag: Option<Drag>,
    /// Magnet links added from this window whose files are not known yet.
    magnets: HashSet<InfoHash>,
    /// Torrents set to download in order from this window.
    sequential: HashSet<InfoHash>,
    /// "First and last pieces first" as last set from this window, until the engine's
    /// statistics (which know it after a restart too) say the same.
    first_last: HashMap<InfoHash, bool>,
    /// Additions waiting for their save folder to be made, by id.
    adding: Vec<(u64, AddTorrent)>,
    next_add: u64,
    snapshot: Arc<Snapshot>,
    save_path: PathBuf,
    /// Free space in `save_path`, for the status bar.
    free_space: disk::FreeSpace,
    magnet: Option<String>,
    pending: Option<Pending>,
    error: Option<String>,
    modifiers: keyboard::Modifiers,
    /// The user's settings, as last saved.
    settings: Settings,
    /// Where the settings are saved (`None`: nowhere, e.g. in tests).
    config_dir: Option<PathBuf>,
    /// The Preferences dialog, while open.
    preferences: Option<Preferences>,
    /// The create-torrent dialog, while open.
    create: Option<create::CreateDialog>,
    /// Files being dragged over the window.
    drop: drop::DropState,
    /// Rates over the last minutes, for the Speed tab.
    speed: speed::SpeedHistory,
    /// Torrents or links given on the command line, added once the engine runs.
    startup_items: Vec<String>,
    /// Requests from second launches, when this process owns the single-instance endpoint.
    arrivals: Option<Arrivals>,
    /// Desktop notifications: batches waiting to be told.
    notifier: notices::Notifier,
    /// The tray icon, once the tray host has answered.
    tray: tray::TrayPresence,
    /// The "Set limits…" dialog, while open.
    limits_dialog: Option<limits::LimitsDialog>,
    /// The "Label…" dialog, while open.
    label_dialog: Option<labels::LabelDialog>,
    /// The "Edit trackers…" dialog, while open.
    tracker_dialog: Option<trackers::TrackerDialog>,
    /// Follows the alternative limits' weekly schedule.
    schedule: crate::engine::limits::schedule::ScheduleFollower,
    /// How the IP filter list stands (shown in Preferences).
    ip_filter: ipfilter::FilterStatus,
    /// Peers banned from this window while it runs (permanent ones are in the settings too).
    session_bans: HashSet<std::net::IpAddr>,
    /// Start-up timing, when `BROOKLET_FIRST_FRAME_LOG` asks for it.
    startup_log: Option<startup_log::StartupLog>,
    quitting: bool,
}

/// Runs the app with the `.torrent` paths and magnet links given on the command line, the
/// requests of later launches when this process owns the single-instance endpoint, and the
/// user's saved settings; `minimized` (`--minimized`, or the preference) starts with the window
/// hidden in the tray.
pub fn run(
    items: Vec<String>,
    arrivals: Option<Arrivals>,
    settings: Settings,
    minimized: bool,
) -> iced::Result {
    iced::daemon(
        move || {
            let (mut app, task) = App::boot(items.clone(), settings.clone(), minimized);
            app.arrivals = arrivals.clone();
            (app, task)
        },
        App::update,
        App::view,
    )
    .title(App::title)
    .subscription(App::subscription)
    .theme(App::theme)
    .run()
}

impl App {
    /// The initial state: opens the window (unless `minimized`), starts the engine and asks
    /// for a tray, all at the same time.
    pub fn boot(items: Vec<String>, settings: Settings, minimized: bool) -> (App, Task<Message>) {
        let (runtime, start) = match bridge::EngineRuntime::new() {
            Ok(rt) => {
                let task = rt.start(settings.clone());
                (Some(rt), task)
            }
            Err(e) => (None, Task::done(Message::EngineStarted(Err(e)))),
        };
        let save_path = settings.save_path.clone().unwrap_or_else(default_save_path);
        let mut app = App::new(None, save_path);
        app.settings = settings;
        app.config_dir = crate::settings::default_config_dir();
        app.runtime = runtime;
        app.startup_items = items;
        app.notifier.desktop = true;
        app.startup_log = startup_log::StartupLog::from_env();
        let open = if minimized {
            Task::none()
        } else {
            app.show_window()
        };
        (app, Task::batch([open, start, tray::check_host()]))
    }

    /// A state with no window, talking to `engine` (tests use a detached handle).
    pub fn new(engine: Option<EngineHandle>, save_path: PathBuf) -> App {
        App {
            engine,
            runtime: None,
            window: None,
            list: TorrentList::default(),
            columns: ColumnLayout::default(),
            details: DetailsPanel::default(),
            watched: None,
            menu: None,
            dialogs: Dialogs::default(),
            pointer: Point::ORIGIN,
            window_size: Size::new(1100.0, 640.0),
            drag: None,
            magnets: HashSet::new(),
            sequential: HashSet::new(),
            first_last: HashMap::new(),
            adding: Vec::new(),
            next_add: 0,
            snapshot: Arc::new(Snapshot::default()),
            save_path,
            free_space: disk::FreeSpace::default(),
            magnet: None,
            pending: None,
            error: None,
            modifiers: keyboard::Modifiers::default(),
            settings: Settings::default(),
            config_dir: None,
            preferences: None,
            create: None,
            drop: drop::DropState::default(),
            speed: speed::SpeedHistory::default(),
            startup_items: Vec::new(),
            arrivals: None,
            notifier: notices::Notifier::default(),
            tray: tray::TrayPresence::default(),
            limits_dialog: None,
            label_dialog: None,
            tracker_dialog: None,
            schedule: Default::default(),
            ip_filter: ipfilter::FilterStatus::default(),
            session_bans: HashSet::new(),
            startup_log: None,
            quitting: false,
        }
    }

    /// Window title: "Brooklet", with the global rates while transferring.
    pub fn title(&self, _window: window::Id) -> String {
        self.title_text()
    }

    /// "Brooklet", with the global rates while transferring (the title and the tray tooltip).
    fn title_text(&self) -> String {
        let (down, up) = (self.snapshot.download_rate, self.snapshot.upload_rate);
        if down == 0 && up == 0 {
            "Brooklet".to_owned()
        } else {
            fl!(
                "title-with-rates",
                down = crate::format::rate(down),
                up = crate::format::rate(up)
            )
        }
    }

    /// Light or dark as the user chose; `None` follows the system's setting.
    pub fn theme(&self, _window: window::Id) -> Option<iced::Theme> {
        match self.settings.theme {
            ThemeChoice::System => None,
            ThemeChoice::Light => Some(iced::Theme::Light),
            ThemeChoice::Dark => Some(iced::Theme::Dark),
        }
    }

    /// Keyboard shortcuts and close requests; mouse moves only while dragging.
    pub fn subscription(&self) -> Subscription<Message> {
        let drag = if self.drag.is_some() {
            iced::event::listen_with(|event, _status, _window| match event {
                iced::Event::Mouse(iced::mouse::Event::CursorMoved { position }) => {
                    Some(Message::DragMove(position))
                }
                iced::Event::Mouse(iced::mouse::Event::ButtonReleased(_)) => Some(Message::DragEnd),
                _ => None,
            })
        } else {
            Subscription::none()
        };
        Subscription::batch([
            drag,
            keyboard::listen().filter_map(|event| match event {
                keyboard::Event::KeyPressed { key, modifiers, .. } => {
                    Some(Message::Key(key, modifiers))
                }
                keyboard::Event::ModifiersChanged(m) => Some(Message::Modifiers(m)),
                _ => None,
            }),
            window::close_requests().map(Message::CloseRequested),
            iced::event::listen_with(drop::file_event),
            self.arrivals
                .as_ref()
                .map_or_else(Subscription::none, handoff::subscription),
            notices::subscription(&self.notifier),
            tray::subscription(self),
            Subscription::run(stop_requests).map(|()| Message::Action(Action::Quit)),
            if self.settings.alt_speed_scheduled {
                iced::time::every(std::time::Duration::from_secs(60)).map(|_| Message::ScheduleTick)
            } else {
                Subscription::none()
            },
            self.startup_log
                .as_ref()
                .map_or_else(Subscription::none, startup_log::StartupLog::subscription),
        ])
    }

    /// The selected torrents.
    pub fn selection(&self) -> Vec<InfoHash> {
        self.list.selection()
    }

    /// The list's state (for tests and views).
    pub fn list(&self) -> &TorrentList {
        &self.list
    }

    /// The current error banner.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The question waiting for an answer.
    pub fn pending(&self) -> Option<&Pending> {
        self.pending.as_ref()
    }

    /// The context menu shown.
    pub fn menu(&self) -> Option<ContextMenu> {
        self.menu
    }

    /// The add dialog shown.
    pub fn dialog(&self) -> Option<&AddDialog> {
        self.dialogs.current()
    }

    /// The Preferences dialog, while open.
    pub fn preferences(&self) -> Option<&Preferences> {
        self.preferences.as_ref()
    }

    /// The create-torrent dialog, while open.
    pub fn create_dialog(&self) -> Option<&create::CreateDialog> {
        self.create.as_ref()
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The columns shown and their widths.
    pub fn columns(&self) -> &ColumnLayout {
        &self.columns
    }

    /// The engine's details of the one selected torrent, when they are for it.
    fn shown_details(&self) -> Option<&TorrentDetails> {
        let d = self.snapshot.details.as_deref()?;
        (Some(d.info_hash) == self.watched).then_some(d)
    }

    /// Tells the engine which torrent's details to send: the one selected torrent while the
    /// panel is shown, else none.
    fn sync_watch(&mut self) {
        if self.engine.is_none() {
            return;
        }
        let selection = self.selection();
        let want = match selection.as_slice() {
            [one] if self.details.shown => Some(*one),
            _ => None,
        };
        if want != self.watched {
            self.watched = want;
            self.details.scroll = widget::Viewport::default();
            self.send(Command::Watch(want));
        }
    }

    fn send(&mut self, cmd: Command) {
        match &self.engine {
            Some(e) => {
                if e.send(cmd).is_err() {
                    self.error = Some(fl!("error-engine-stopped"));
                }
            }
            None => self.error = Some(fl!("error-engine-not-ready")),
        }
    }

    /// Handles one message.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = self.route(message);
        self.sync_watch();
        task
    }

    fn route(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::EngineStarted(Ok(handle)) => {
                self.engine = Some(handle);
                if let Some(status) = self.runtime.as_ref().and_then(|rt| rt.take_filter_status()) {
                    // Running without the filter the user asked for must not go unnoticed.
                    if let ipfilter::FilterStatus::Failed(reason) = &status {
                        self.error = Some(fl!("prefs-ip-filter-error", reason = reason.as_str()));
                    }
                    self.ip_filter = status;
                }
                self.send_speed_settings();
                let items = std::mem::take(&mut self.startup_items);
                let events = self
                    .runtime
                    .as_ref()
                    .map_or_else(Task::none, |rt| rt.events());
                let adds: Vec<Task<Message>> =
                    items.into_iter().map(|item| self.add_item(item)).collect();
                let schedule = Task::done(Message::ScheduleTick);
                let space = self.refresh_free_space(std::time::Instant::now());
                Task::batch(adds.into_iter().chain([events, schedule, space]))
            }
            Message::EngineStarted(Err(e)) => {
                self.error = Some(fl!("error-engine-start", reason = e));
                Task::none()
            }
            Message::Engine(event) => self.on_engine_event(event),
            Message::Action(action) => self.on_action(action),
            Message::List(msg) => {
                self.on_list(msg);
                Task::none()
            }
            Message::FilesPicked(paths) => Task::batch(paths.into_iter().map(dialog::parse_file)),
            Message::Pointer(at, size) => {
                self.pointer = at;
                self.window_size = size;
                Task::none()
            }
            Message::MenuPick(item) => self.on_menu_pick(item),
            Message::CloseMenu => {
                self.menu = None;
                Task::none()
            }
            Message::DragMove(at) => {
                self.on_drag(at);
                Task::none()
            }
            Message::DragEnd => {
                self.drag = None;
                Task::none()
            }
            Message::Details(msg) => {
                match msg {
                    DetailsMessage::Tab(tab) => {
                        self.details.tab = tab;
                        self.details.scroll = widget::Viewport::default();
                    }
                    DetailsMessage::Scrolled(v) => self.details.scroll = v,
                    DetailsMessage::FileMenu(i) => self.open_menu(MenuKind::File(i)),
                    DetailsMessage::PeerMenu(ip) => self.open_menu(MenuKind::Peer(ip)),
                    DetailsMessage::TrackerMenu(i) => self.open_menu(MenuKind::Tracker(i)),
                    DetailsMessage::EditTrackers => self.open_tracker_dialog(),
                    DetailsMessage::PeerEntry(typed) => {
                        self.details.peer_entry = typed;
                        self.details.peer_problem = None;
                    }
                    DetailsMessage::AddPeer => self.add_typed_peer(),
                }
                Task::none()
            }
            Message::IpFilterLoaded(result) => {
                self.on_ip_filter_loaded(result);
                Task::none()
            }
            Message::Dialog(msg) => self.on_dialog(msg),
            Message::Preferences(msg) => self.on_preferences(msg),
            Message::Create(msg) => self.on_create(msg),
            Message::Window(event) => self.on_window_event(event),
            Message::Pasted(text) => self.on_paste(text),
            Message::FolderOpened(result) => {
                if let Err(e) = result {
                    self.error = Some(e);
                }
                Task::none()
            }
            Message::MoveDataTo(hashes, folder) => {
                self.move_data_to(hashes, folder);
                Task::none()
            }
            Message::SaveFolderReady(id, result) => self.on_save_folder_ready(id, result),
            Message::Added(Ok(_)) => Task::none(),
            Message::Added(Err(e)) => {
                self.error = Some(e);
                Task::none()
            }
            Message::MagnetInput(text) => {
                self.magnet = Some(text);
                Task::none()
            }
            Message::Confirm(yes) => self.on_confirm(yes),
            Message::DismissError => {
                self.error = None;
                Task::none()
            }
            Message::Key(key, modifiers) => self.on_key(key, modifiers),
            Message::Modifiers(m) => {
                self.modifiers = m;
                Task::none()
            }
            Message::Open(request) => self.on_open(request),
            Message::WindowOpened(id) => {
                self.window = Some(id);
                Task::none()
            }
            Message::CloseRequested(id) => self.on_close_requested(id),
            Message::TrayHost(answer) => self.on_tray_host(answer),
            Message::TrayHostChanged => self.on_tray_host_changed(),
            Message::Tray(action) => self.on_tray(action),
            Message::NoticeTick(now) => {
                self.on_notice_tick(now);
                Task::none()
            }
            Message::Limits(msg) => self.on_limits(msg),
            Message::Label(msg) => self.on_label(msg),
            Message::Trackers(msg) => self.on_trackers(msg),
            Message::ScheduleTick => self.on_schedule_tick(),
            Message::OpenPreferencesAt(tab) => {
                self.open_preferences();
                if let Some(p) = self.preferences.as_mut() {
                    p.tab = tab;
                }
                Task::none()
            }
            Message::FreeSpace(path, bytes) => {
                self.on_free_space(path, bytes);
                Task::none()
            }
            Message::FrameDrawn(id, began) => {
                if let Some(log) = self.startup_log.as_mut()
                    && self.window == Some(id)
                {
                    log.frame(began);
                }
                Task::none()
            }
            Message::ShutDown => {
                if let Some(rt) = self.runtime.take() {
                    rt.stop();
                }
                iced::exit()
            }
        }
    }

    fn on_engine_event(&mut self, event: Event) -> Task<Message> {
        match event {
            Event::Snapshot(s) => {
                self.list.set_torrents(s.torrents.clone());
                let shown = match (self.list.selection().len(), self.list.focused()) {
                    (1, Some(t)) => Some((t.info_hash, t.download_rate, t.upload_rate)),
                    _ => None,
                };
                self.speed.record(
                    std::time::Instant::now(),
                    (s.download_rate, s.upload_rate),
                    shown,
                );
                self.snapshot = s;
                if let Some(log) = self.startup_log.as_mut() {
                    log.applied(self.snapshot.torrents.len());
                }
                self.refresh_tray();
                return self.refresh_free_space(std::time::Instant::now());
            }
            Event::TorrentFinished { info_hash } => {
                self.notice_finished(&info_hash, std::time::Instant::now());
            }
            Event::TorrentError { info_hash, message } => {
                self.notice_error(&info_hash, &message, std::time::Instant::now());
                self.error = Some(message);
            }
            Event::MetadataReceived {
                info_hash,
                name,
                files,
            } => {
                self.notice_metadata(&name);
                // A magnet added here: ask which of its files to fetch.
                if self.magnets.remove(&info_hash)
                    && !files.is_empty()
                    && self.settings.show_add_dialog
                {
                    self.dialogs
                        .push(AddDialog::for_metadata(info_hash, name, &files));
                }
            }
            Event::ShutDown => return Task::done(Message::ShutDown),
            _ => {}
        }
        Task::none()
    }

    fn on_list(&mut self, msg: ListMessage) {
        match msg {
            ListMessage::Sort(c) => self.list.sort_by(c),
            ListMessage::Click(n) => {
                let m = self.modifiers;
                self.list.click(
                    n,
                    ClickModifiers {
                        toggle: m.command(),
                        range: m.shift(),
                    },
                );
            }
            ListMessage::Category(c) => self.list.set_category(c),
            ListMessage::Label(l) => self.list.set_label(l),
            ListMessage::Tracker(g) => self.list.set_tracker(g),
            ListMessage::Filter(text) => self.list.set_filter(text),
            ListMessage::Scrolled(offset, height) => self.list.set_viewport(offset, height),
            ListMessage::RowMenu(n) => {
                // Right-clicking outside the selection selects that row first.
                let on_selection = self
                    .list
                    .rows()
                    .nth(n)
                    .is_some_and(|t| self.list.is_selected(&t.info_hash));
                if !on_selection {
                    self.list.click(n, ClickModifiers::default());
                }
                if !self.list.selection().is_empty() {
                    self.open_menu(MenuKind::Torrents);
                }
            }
            ListMessage::HeaderMenu => self.open_menu(MenuKind::Columns),
            ListMessage::ResizeStart(c) => {
                if let Some(width) = self.columns.width(c) {
                    self.drag = Some(Drag {
                        target: DragTarget::Column(c),
                        origin: self.pointer,
                        start: width,
                    });
                }
            }
            ListMessage::SplitStart => {
                self.drag = Some(Drag {
                    target: DragTarget::Split,
                    origin: self.pointer,
                    start: self.details.height,
                });
            }
        }
    }

    fn on_drag(&mut self, at: Point) {
        let Some(drag) = self.drag else {
            return;
        };
        match drag.target {
            DragTarget::Column(c) => self.columns.set_width(c, drag.start + at.x - drag.origin.x),
            DragTarget::Split => {
                let max = (self.window_size.height - 200.0).max(details::MIN_HEIGHT);
                self.details.height =
                    (drag.start - (at.y - drag.origin.y)).clamp(details::MIN_HEIGHT, max);
            }
        }
    }
}

/// SIGTERM or Ctrl+C, each time one arrives: the app quits as from its menu (gracefully).
fn stop_requests() -> impl iced::futures::Stream<Item = ()> {
    iced::futures::stream::unfold((), |()| async {
        crate::platform::shutdown_requested().await;
        Some(((), ()))
    })
}

/// The main window: its size, and closing it asks the app (which quits gracefully). On Linux
/// and the BSDs its Wayland app id and X11 class are the app id, so the desktop matches the
/// window with `org.brooklet.Brooklet.desktop` (its icon and name in docks and task bars).
fn main_window_settings() -> window::Settings {
    window::Settings {
        size: iced::Size::new(1100.0, 640.0),
        min_size: Some(iced::Size::new(640.0, 360.0)),
        exit_on_close_request: false,
        #[cfg(all(unix, not(target_os = "macos")))]
        platform_specific: window::settings::PlatformSpecific {
            application_id: crate::platform::handlers::APP_ID.to_owned(),
            ..window::settings::PlatformSpecific::default()
        },
        ..window::Settings::default()
    }
}

/// Whether a window can be opened at all: on Linux and the BSDs an X11 or Wayland display must
/// be named in the environment (without one, the windowing library would abort).
pub fn display_available() -> bool {
    if cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )) {
        ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
    } else {
        true
    }
}

/// The user's download folder, or the home folder, or the current one.
pub fn default_save_path() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| {
            u.download_dir()
                .map(PathBuf::from)
                .or_else(|| Some(u.home_dir().join("Downloads")))
        })
        .unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests;
