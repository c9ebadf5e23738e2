//! The window's life beside the tray: closing hides to the tray while transfers go on, the tray
//! brings the window back, and without a tray closing asks before it quits.
//!
//! At start the app asks [`tray::host_available`] off the UI thread; only a yes makes the icon
//! ([`Tray`]). Until the answer the window behaves as without a tray, and a hidden start
//! (`--minimized` or the preference) opens the window after all when the answer is no: there
//! would be no way back to it. The window is really closed when hidden (not made invisible),
//! which works the same on Wayland; the daemon keeps the app state, so reopening shows it as it
//! was. `App::window` is `None` while hidden, which is what the notifications look at.

use super::{App, Message, Pending};
use crate::engine::session::Command;
use crate::fl;
use crate::platform::tray::{self, Tray, TrayAction, TrayLabels};
use iced::{Subscription, Task, window};
use std::time::Duration;

/// How long the tray host may take to answer before the app goes on without a tray.
const HOST_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether the app has a tray icon.
#[derive(Debug, Default)]
pub enum TrayPresence {
    /// Not known yet (the host is being asked).
    #[default]
    Unknown,
    /// No tray: closing the window quits.
    Absent,
    /// The icon is shown (`None` in tests, which have no tray host but test the behaviour).
    Present(Option<Tray>),
}

impl TrayPresence {
    /// The icon is there.
    pub fn is_present(&self) -> bool {
        matches!(self, TrayPresence::Present(_))
    }
}

/// The task asking whether a tray host exists (`BROOKLET_TRAY=0` says no without asking).
pub fn check_host() -> Task<Message> {
    if tray_off() {
        return Task::done(Message::TrayHost(Err("BROOKLET_TRAY=0".to_owned())));
    }
    Task::perform(
        async {
            match tokio::time::timeout(HOST_TIMEOUT, tray::host_available()).await {
                Ok(result) => result,
                Err(_) => Err("the tray host did not answer".to_owned()),
            }
        },
        Message::TrayHost,
    )
}

/// Tray hosts are not asked about (`BROOKLET_TRAY=0`).
fn tray_off() -> bool {
    std::env::var("BROOKLET_TRAY").is_ok_and(|v| v == "0")
}

/// The tray's clicks, while there is an icon; while there is none, word of a tray host
/// appearing (a panel started after the app), so the icon comes then.
pub fn subscription(app: &App) -> Subscription<Message> {
    match app.tray {
        TrayPresence::Present(Some(_)) => Subscription::run(tray::actions).map(Message::Tray),
        TrayPresence::Absent if !tray_off() => {
            Subscription::run(tray::host_changes).map(|()| Message::TrayHostChanged)
        }
        _ => Subscription::none(),
    }
}

fn labels() -> TrayLabels {
    TrayLabels {
        show_hide: fl!("tray-show-hide"),
        pause_all: fl!("tray-pause-all"),
        resume_all: fl!("tray-resume-all"),
        alt_speed: fl!("tray-alt-speed"),
        quit: fl!("tray-quit"),
    }
}

impl App {
    /// The answer about the tray host: make the icon, or go on without one.
    pub(super) fn on_tray_host(&mut self, answer: Result<(), String>) -> Task<Message> {
        let made = answer.and_then(|()| {
            Tray::new(&labels(), &self.title_text(), self.alt_speed_on()).map_err(|e| e.to_string())
        });
        match made {
            Ok(icon) => {
                self.tray = TrayPresence::Present(Some(icon));
                Task::none()
            }
            Err(_) if matches!(self.tray, TrayPresence::Absent) => Task::none(), // asked again
            Err(reason) => {
                eprintln!("brooklet: {}", fl!("warning-no-tray", reason = reason));
                self.tray = TrayPresence::Absent;
                // Started hidden, but there is no tray to come back from: show the window.
                if self.window.is_none() && !self.quitting {
                    self.show_window()
                } else {
                    Task::none()
                }
            }
        }
    }

    /// A tray host may have appeared: ask again, while there is no icon.
    pub(super) fn on_tray_host_changed(&mut self) -> Task<Message> {
        if matches!(self.tray, TrayPresence::Absent) {
            check_host()
        } else {
            Task::none()
        }
    }

    /// A click in the tray.
    pub(super) fn on_tray(&mut self, action: TrayAction) -> Task<Message> {
        match action {
            TrayAction::ShowHide => match self.window {
                Some(id) => self.hide_window(id),
                None => self.show_window(),
            },
            TrayAction::PauseAll => {
                self.send_to_all(Command::Pause);
                Task::none()
            }
            TrayAction::ResumeAll => {
                self.send_to_all(Command::Resume);
                Task::none()
            }
            TrayAction::ToggleAltSpeed => self.toggle_alt_speed(),
            TrayAction::Quit => self.quit(),
        }
    }

    fn send_to_all(&mut self, command: fn(crate::engine::InfoHash) -> Command) {
        let all: Vec<_> = self.snapshot.torrents.iter().map(|t| t.info_hash).collect();
        for h in all {
            self.send(command(h));
        }
    }

    /// The user closed the window: hide to the tray, or quit (asking first when there is no
    /// tray to keep transfers going).
    pub(super) fn on_close_requested(&mut self, id: window::Id) -> Task<Message> {
        if self.tray.is_present() && self.settings.close_to_tray {
            return self.hide_window(id);
        }
        if self.tray.is_present() || self.quitting {
            return self.quit();
        }
        self.menu = None;
        self.pending = Some(Pending::Quit);
        Task::none()
    }

    /// Opens the main window again, or brings it forward.
    pub(super) fn show_window(&mut self) -> Task<Message> {
        match self.window {
            Some(id) => Task::batch([window::minimize(id, false), window::gain_focus(id)]),
            None => {
                let (id, open) = window::open(super::main_window_settings());
                self.window = Some(id);
                open.map(Message::WindowOpened)
            }
        }
    }

    /// Closes the main window; the app, the engine and the tray go on.
    fn hide_window(&mut self, id: window::Id) -> Task<Message> {
        self.menu = None;
        self.drag = None;
        self.window = None;
        window::close(id)
    }

    /// After a snapshot: the rates in the tooltip.
    pub(super) fn refresh_tray(&mut self) {
        let text = self.title_text();
        let alt = self.alt_speed_on();
        if let TrayPresence::Present(Some(icon)) = &mut self.tray {
            icon.set_tooltip(&text);
            icon.set_alt_speed(alt);
        }
    }
}

impl App {
    /// Whether the alternative speed limits are on (ticked in the tray menu).
    fn alt_speed_on(&self) -> bool {
        self.settings.alt_speed
    }
}
