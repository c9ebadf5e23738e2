//! The desktop app: an iced daemon in Elm style over the engine.
//!
//! One [`App`] state, one root [`Message`] that only routes, `update` returning tasks, and `view`
//! as a pure function of the state. The engine runs on its own tokio runtime (its own threads);
//! the GUI talks to it only through [`EngineHandle`] commands and receives its [`Event`]s as a
//! stream turned into messages, so the window never waits on the network or the disk. The window
//! opens at once; torrents stream in as the engine reports them.

mod bridge;
pub mod list;
mod theme;
mod view;

use crate::engine::InfoHash;
use crate::engine::api::{AddTorrent, Event, Snapshot, TorrentSource, TorrentState};
use crate::engine::session::{Command, EngineHandle};
use crate::fl;
use iced::keyboard::{self, Key, key::Named};
use iced::widget::operation;
use iced::{Subscription, Task, window};
use list::{Category, ClickModifiers, Column, TorrentList};
use std::path::PathBuf;
use std::sync::Arc;

/// Id of the filter box (Ctrl+F focuses it).
pub const FILTER_ID: &str = "filter";
/// Id of the torrent list's scrollable.
pub const LIST_ID: &str = "torrent-list";

/// Everything the window can ask for.
#[derive(Debug, Clone)]
pub enum Message {
    /// The engine started (or failed to).
    EngineStarted(Result<EngineHandle, String>),
    /// Something the engine reported.
    Engine(Event),
    /// A toolbar button or shortcut.
    Action(Action),
    /// The torrent list was clicked, sorted, scrolled or filtered.
    List(ListMessage),
    /// The file dialog for adding torrents closed.
    FilesPicked(Vec<PathBuf>),
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
    /// The main window was opened.
    WindowOpened(window::Id),
    /// The user asked to close a window.
    CloseRequested(window::Id),
    /// The engine finished its graceful shutdown.
    ShutDown,
}

/// Toolbar and keyboard actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open the file dialog to add torrents (Ctrl+O).
    AddFile,
    /// Show the magnet/URL box (Ctrl+U).
    AddMagnet,
    /// Resume the selected torrents.
    Start,
    /// Pause the selected torrents.
    Pause,
    /// Pause if any selected torrent runs, else resume (Space).
    TogglePause,
    /// Remove the selected torrents, keeping data (Delete).
    Remove,
    /// Remove the selected torrents and delete their data (Shift+Delete), after confirmation.
    RemoveWithData,
    /// Select every shown torrent (Ctrl+A).
    SelectAll,
    /// Focus the filter box (Ctrl+F).
    Find,
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
    /// The filter text changed.
    Filter(String),
    /// The list scrolled or was resized.
    Scrolled(f32, f32),
}

/// A question waiting for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Remove these torrents and delete their files?
    RemoveWithData(Vec<InfoHash>),
}

/// The whole state of the app.
pub struct App {
    engine: Option<EngineHandle>,
    runtime: Option<bridge::EngineRuntime>,
    window: Option<window::Id>,
    list: TorrentList,
    snapshot: Arc<Snapshot>,
    save_path: PathBuf,
    magnet: Option<String>,
    pending: Option<Pending>,
    error: Option<String>,
    modifiers: keyboard::Modifiers,
    /// Torrents or links given on the command line, added once the engine runs.
    startup_items: Vec<String>,
    quitting: bool,
}

/// Runs the app with the `.torrent` paths and magnet links given on the command line.
pub fn run(items: Vec<String>) -> iced::Result {
    iced::daemon(move || App::boot(items.clone()), App::update, App::view)
        .title(App::title)
        .subscription(App::subscription)
        .theme(App::theme)
        .run()
}

impl App {
    /// The initial state: opens the window and starts the engine at the same time.
    pub fn boot(items: Vec<String>) -> (App, Task<Message>) {
        let (runtime, start) = match bridge::EngineRuntime::new() {
            Ok(rt) => {
                let task = rt.start();
                (Some(rt), task)
            }
            Err(e) => (None, Task::done(Message::EngineStarted(Err(e)))),
        };
        let (id, open) = window::open(window::Settings {
            size: iced::Size::new(1100.0, 640.0),
            min_size: Some(iced::Size::new(640.0, 360.0)),
            exit_on_close_request: false,
            ..window::Settings::default()
        });
        let mut app = App::new(None, default_save_path());
        app.runtime = runtime;
        app.window = Some(id);
        app.startup_items = items;
        (app, Task::batch([open.map(Message::WindowOpened), start]))
    }

    /// A state with no window, talking to `engine` (tests use a detached handle).
    pub fn new(engine: Option<EngineHandle>, save_path: PathBuf) -> App {
        App {
            engine,
            runtime: None,
            window: None,
            list: TorrentList::default(),
            snapshot: Arc::new(Snapshot::default()),
            save_path,
            magnet: None,
            pending: None,
            error: None,
            modifiers: keyboard::Modifiers::default(),
            startup_items: Vec::new(),
            quitting: false,
        }
    }

    /// Window title: "Brooklet", with the global rates while transferring.
    pub fn title(&self, _window: window::Id) -> String {
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

    /// Follows the system's light or dark setting.
    pub fn theme(&self, _window: window::Id) -> Option<iced::Theme> {
        None
    }

    /// Keyboard shortcuts and close requests.
    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            keyboard::listen().filter_map(|event| match event {
                keyboard::Event::KeyPressed { key, modifiers, .. } => {
                    Some(Message::Key(key, modifiers))
                }
                keyboard::Event::ModifiersChanged(m) => Some(Message::Modifiers(m)),
                _ => None,
            }),
            window::close_requests().map(Message::CloseRequested),
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
        match message {
            Message::EngineStarted(Ok(handle)) => {
                self.engine = Some(handle);
                let items = std::mem::take(&mut self.startup_items);
                let events = self
                    .runtime
                    .as_ref()
                    .map_or_else(Task::none, |rt| rt.events());
                let adds: Vec<Task<Message>> =
                    items.into_iter().map(|item| self.add_item(item)).collect();
                Task::batch(adds.into_iter().chain([events]))
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
            Message::FilesPicked(paths) => Task::batch(
                paths
                    .into_iter()
                    .map(|p| self.add_item(p.to_string_lossy().into_owned())),
            ),
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
            Message::WindowOpened(id) => {
                self.window = Some(id);
                Task::none()
            }
            Message::CloseRequested(_) => self.quit(),
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
                self.snapshot = s;
            }
            Event::TorrentError { message, .. } => self.error = Some(message),
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
            ListMessage::Filter(text) => self.list.set_filter(text),
            ListMessage::Scrolled(offset, height) => self.list.set_viewport(offset, height),
        }
    }

    fn on_action(&mut self, action: Action) -> Task<Message> {
        let selection = self.selection();
        match action {
            Action::AddFile => {
                let dir = self.save_path.clone();
                return Task::perform(
                    async move {
                        rfd::AsyncFileDialog::new()
                            .set_title(fl!("dialog-add-torrent"))
                            .add_filter(fl!("dialog-torrent-files"), &["torrent"])
                            .set_directory(dir)
                            .pick_files()
                            .await
                            .map(|files| {
                                files.into_iter().map(|f| f.path().to_path_buf()).collect()
                            })
                            .unwrap_or_default()
                    },
                    Message::FilesPicked,
                );
            }
            Action::AddMagnet => {
                match self.magnet.take() {
                    // A second press adds what was typed.
                    Some(text) if !text.trim().is_empty() => {
                        return self.add_item(text.trim().to_owned());
                    }
                    Some(_) => {}
                    None => self.magnet = Some(String::new()),
                }
            }
            Action::Start => selection
                .into_iter()
                .for_each(|h| self.send(Command::Resume(h))),
            Action::Pause => selection
                .into_iter()
                .for_each(|h| self.send(Command::Pause(h))),
            Action::TogglePause => {
                let any_running = self.list.torrents().iter().any(|t| {
                    selection.contains(&t.info_hash)
                        && !matches!(t.state, TorrentState::Paused | TorrentState::Error(_))
                });
                for h in selection {
                    self.send(if any_running {
                        Command::Pause(h)
                    } else {
                        Command::Resume(h)
                    });
                }
            }
            Action::Remove => {
                for h in selection {
                    self.send(Command::Remove {
                        info_hash: h,
                        delete_data: false,
                    });
                }
            }
            Action::RemoveWithData => {
                if !selection.is_empty() {
                    self.pending = Some(Pending::RemoveWithData(selection));
                }
            }
            Action::SelectAll => self.list.select_all(),
            Action::Find => return operation::focus(FILTER_ID),
            Action::Quit => return self.quit(),
        }
        Task::none()
    }

    fn on_confirm(&mut self, yes: bool) -> Task<Message> {
        if let (true, Some(Pending::RemoveWithData(hashes))) = (yes, self.pending.take()) {
            for h in hashes {
                self.send(Command::Remove {
                    info_hash: h,
                    delete_data: true,
                });
            }
        }
        self.pending = None;
        Task::none()
    }

    fn on_key(&mut self, key: Key, m: keyboard::Modifiers) -> Task<Message> {
        let action = match key.as_ref() {
            Key::Character("o") if m.command() => Action::AddFile,
            Key::Character("u") if m.command() => Action::AddMagnet,
            Key::Character("a") if m.command() => Action::SelectAll,
            Key::Character("f") if m.command() => Action::Find,
            Key::Character("q") if m.command() => Action::Quit,
            Key::Named(Named::Delete) if m.shift() => Action::RemoveWithData,
            Key::Named(Named::Delete) => Action::Remove,
            Key::Named(Named::Space) => Action::TogglePause,
            Key::Named(Named::Escape) => {
                self.pending = None;
                self.magnet = None;
                return Task::none();
            }
            _ => return Task::none(),
        };
        self.on_action(action)
    }

    /// Adds a `.torrent` path or a magnet link to the engine.
    fn add_item(&mut self, item: String) -> Task<Message> {
        let Some(engine) = self.engine.clone() else {
            self.startup_items.push(item);
            return Task::none();
        };
        let source = if item
            .get(..7)
            .is_some_and(|h| h.eq_ignore_ascii_case("magnet:"))
        {
            TorrentSource::Magnet(item)
        } else {
            TorrentSource::Path(PathBuf::from(item))
        };
        if let Err(e) = std::fs::create_dir_all(&self.save_path) {
            self.error = Some(fl!(
                "error-save-folder",
                path = self.save_path.display().to_string(),
                reason = e.to_string()
            ));
            return Task::none();
        }
        let add = AddTorrent::new(source, self.save_path.clone());
        Task::perform(
            async move { engine.add_torrent(add).await.map_err(|e| e.to_string()) },
            Message::Added,
        )
    }

    fn quit(&mut self) -> Task<Message> {
        if self.quitting {
            return Task::none();
        }
        self.quitting = true;
        match self.engine.clone() {
            // The engine answers with `Event::ShutDown` once trackers are told and files closed.
            Some(engine) => Task::perform(async move { engine.shutdown().await }, |()| {
                Message::ShutDown
            }),
            None => iced::exit(),
        }
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
