//! The IP filter in the desktop app: loading the list off the UI thread, putting it in force,
//! its part of the Preferences' Connection page, and banning peers from the Peers tab.
//!
//! A list is read and parsed on a blocking thread (a big list takes a few hundred ms); the
//! result comes back as [`Message::IpFilterLoaded`], which puts the filter in force and says
//! how many ranges it holds. A list that cannot be loaded leaves the filter in force as it was
//! and shows why. At start the bridge loads the list before the engine starts, so no connection
//! is made before the filter applies.

use super::preferences::{PrefMessage, Preferences};
use super::{App, Message, theme};
use crate::engine::ipfilter::IpFilter;
use crate::engine::ipfilter::access::MAX_BANS;
use crate::engine::session::Command;
use crate::fl;
use iced::widget::{button, checkbox, column, container, row, text, text_input};
use iced::{Alignment, Element, Fill, Task};
use std::collections::HashSet;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

const TEXT: f32 = 13.0;
/// Id of the "Enable IP filter" box.
pub const ENABLED_ID: &str = "prefs-ip-filter";
/// Id of the filter list's path box.
pub const PATH_ID: &str = "prefs-ip-filter-path";
/// Id of the filter's "Browse…" button.
pub const BROWSE_ID: &str = "prefs-ip-filter-browse";
/// Id of the filter's "Reload" button.
pub const RELOAD_ID: &str = "prefs-ip-filter-reload";
/// Id of the "Lift all bans" button.
pub const LIFT_BANS_ID: &str = "prefs-lift-bans";

/// How the IP filter list stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FilterStatus {
    /// No list in force.
    #[default]
    Off,
    /// A list is being read.
    Loading,
    /// A list is in force.
    Loaded {
        ranges: usize,
        bad_lines: usize,
        first_bad_line: Option<usize>,
    },
    /// The last list could not be loaded, for this reason.
    Failed(String),
}

impl FilterStatus {
    /// The status of a finished load.
    pub fn of(result: &Result<Arc<IpFilter>, String>) -> FilterStatus {
        match result {
            Ok(f) => FilterStatus::Loaded {
                ranges: f.ranges(),
                bad_lines: f.bad_lines(),
                first_bad_line: f.first_bad_line(),
            },
            Err(e) => FilterStatus::Failed(e.clone()),
        }
    }
}

/// Reads and parses the list at `path` on a blocking thread.
pub async fn load(path: PathBuf) -> Result<Arc<IpFilter>, String> {
    tokio::task::spawn_blocking(move || IpFilter::load(&path).map(Arc::new))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

impl App {
    /// Loads the list at `path` off the UI thread; [`Message::IpFilterLoaded`] follows.
    pub(super) fn load_ip_filter(&mut self, path: PathBuf) -> Task<Message> {
        self.ip_filter = FilterStatus::Loading;
        Task::perform(load(path), Message::IpFilterLoaded)
    }

    /// A list was loaded (or not): in force when the filter is on (in the dialog's draft
    /// while it is open), and its status shown.
    pub(super) fn on_ip_filter_loaded(&mut self, result: Result<Arc<IpFilter>, String>) {
        self.ip_filter = FilterStatus::of(&result);
        let enabled = self
            .preferences
            .as_ref()
            .map_or(self.settings.ip_filter_enabled, |p| {
                p.draft.ip_filter_enabled
            });
        if let Ok(filter) = result
            && enabled
        {
            self.send(Command::SetIpFilter(Some(filter)));
        }
    }

    /// New settings: a list turned on or changed is loaded, one turned off is dropped.
    pub(super) fn apply_ip_filter_settings(
        &mut self,
        old: &crate::settings::Settings,
    ) -> Task<Message> {
        if old.ip_filter_file() == self.settings.ip_filter_file() {
            return Task::none();
        }
        match self.settings.ip_filter_file().map(PathBuf::from) {
            Some(path) => self.load_ip_filter(path),
            None => {
                self.ip_filter = FilterStatus::Off;
                self.send(Command::SetIpFilter(None));
                Task::none()
            }
        }
    }

    /// Bans `ip` now, in every torrent; a permanent ban is saved in the settings too.
    pub(super) fn ban_peer(&mut self, ip: IpAddr, permanent: bool) -> Task<Message> {
        self.send(Command::BanPeer { ip, permanent });
        if self.session_bans.len() < MAX_BANS {
            self.session_bans.insert(ip.to_canonical());
        }
        let text = ip.to_canonical().to_string();
        if !permanent || self.settings.banned_peers.contains(&text) {
            return Task::none();
        }
        let mut settings = self.settings.clone();
        settings.banned_peers.push(text);
        self.apply_settings(settings.clamped())
    }

    /// Every peer banned (this session or for good).
    fn banned(&self) -> HashSet<IpAddr> {
        let mut all = self.session_bans.clone();
        all.extend(self.settings.banned_ips());
        all
    }

    /// Allows every banned peer again and forgets the permanent bans.
    pub(super) fn lift_bans(&mut self) -> Task<Message> {
        for ip in self.banned() {
            self.send(Command::UnbanPeer(ip));
        }
        self.session_bans.clear();
        if self.settings.banned_peers.is_empty() {
            return Task::none();
        }
        let mut settings = self.settings.clone();
        settings.banned_peers.clear();
        self.apply_settings(settings)
    }

    /// The IP filter's part of the Connection page.
    pub(super) fn ip_filter_section<'a>(&'a self, p: &'a Preferences) -> Element<'a, Message> {
        let pref = Message::Preferences;
        let banned = self.banned().len();
        let status: Element<'a, Message> = match &self.ip_filter {
            FilterStatus::Off => note(fl!("prefs-ip-filter-off")),
            FilterStatus::Loading => note(fl!("prefs-ip-filter-loading")),
            FilterStatus::Loaded {
                ranges,
                bad_lines,
                first_bad_line,
            } => {
                let mut lines = column![note(fl!("prefs-ip-filter-loaded", ranges = ranges))];
                if let (true, Some(first)) = (*bad_lines > 0, first_bad_line) {
                    lines = lines.push(note(fl!(
                        "prefs-ip-filter-bad-lines",
                        bad = bad_lines,
                        line = first
                    )));
                }
                lines.spacing(2).into()
            }
            FilterStatus::Failed(reason) => text(fl!("prefs-ip-filter-error", reason = reason))
                .size(12)
                .style(text::danger)
                .into(),
        };
        column![
            container(
                checkbox(p.draft.ip_filter_enabled)
                    .label(fl!("prefs-ip-filter"))
                    .on_toggle(move |on| pref(PrefMessage::IpFilterEnabled(on)))
                    .text_size(TEXT),
            )
            .id(ENABLED_ID),
            row![
                text_input(&fl!("prefs-ip-filter-file"), p.ip_filter_path())
                    .id(PATH_ID)
                    .on_input(move |s| pref(PrefMessage::IpFilterPath(s)))
                    .on_submit(pref(PrefMessage::Save))
                    .size(TEXT)
                    .width(Fill),
                container(
                    button(text(fl!("dialog-browse")).size(TEXT))
                        .on_press(pref(PrefMessage::IpFilterBrowse)),
                )
                .id(BROWSE_ID),
                container(
                    button(text(fl!("prefs-ip-filter-reload")).size(TEXT)).on_press_maybe(
                        (!p.ip_filter_path().trim().is_empty())
                            .then_some(pref(PrefMessage::IpFilterReload))
                    ),
                )
                .id(RELOAD_ID),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
            status,
            note(fl!(
                "prefs-blocked-connections",
                count = self.snapshot.blocked_connections
            )),
            row![
                note(fl!("prefs-banned-peers", count = banned)),
                container(
                    button(text(fl!("prefs-lift-bans")).size(TEXT))
                        .on_press_maybe((banned > 0).then_some(pref(PrefMessage::LiftBans))),
                )
                .id(LIFT_BANS_ID),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        ]
        .spacing(8)
        .into()
    }
}

fn note<'a>(s: String) -> Element<'a, Message> {
    text(s).size(12).style(theme::label).into()
}

/// The file picker for a filter list, starting at `start`'s folder.
pub fn browse(start: PathBuf) -> Task<Message> {
    Task::perform(
        async move {
            let mut dialog = rfd::AsyncFileDialog::new()
                .set_title(fl!("dialog-choose-ip-filter"))
                .add_filter(fl!("dialog-ip-filter-files"), &["dat", "p2p", "txt"]);
            if let Some(dir) = start.parent().filter(|d| d.is_dir()) {
                dialog = dialog.set_directory(dir);
            }
            dialog.pick_file().await.map(|f| f.path().to_path_buf())
        },
        |p| Message::Preferences(PrefMessage::IpFilterBrowsed(p)),
    )
}
