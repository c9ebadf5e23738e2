//! Desktop notifications from the window's side: which engine events become a
//! [`Notice`](crate::platform::notify::Notice), under which settings, and the tick that lets the
//! pure [`NoticeBatcher`] release its batches. Delivery itself ([`notify::send`]) runs on a
//! thread of its own and never holds up `update`.

use super::{App, Message};
use crate::engine::InfoHash;
use crate::platform::notify::{self, Finished, Notice, NoticeBatcher};
use iced::Subscription;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How often waiting batches are looked at (only while something waits).
const TICK: Duration = Duration::from_millis(250);

/// Notifications waiting to be told, and where they go.
#[derive(Debug, Default)]
pub struct Notifier {
    batcher: NoticeBatcher,
    /// Tell them on the desktop (the running app); otherwise keep them (tests, a detached app).
    pub desktop: bool,
    /// What was told while `desktop` is off, oldest first (at most [`KEPT`]).
    kept: Vec<Notice>,
}

/// Notices kept when they are not shown.
const KEPT: usize = 32;

impl Notifier {
    fn tell(&mut self, notice: Notice) {
        if self.desktop {
            notify::send(notice);
        } else {
            if self.kept.len() == KEPT {
                self.kept.remove(0);
            }
            self.kept.push(notice);
        }
    }

    /// The notices told while not on the desktop.
    pub fn kept(&self) -> &[Notice] {
        &self.kept
    }

    /// Whether a batch waits for its time.
    pub fn is_waiting(&self) -> bool {
        self.batcher.is_waiting()
    }
}

/// Ticks while a batch waits; nothing otherwise.
pub fn subscription(notifier: &Notifier) -> Subscription<Message> {
    if notifier.is_waiting() {
        iced::time::every(TICK).map(Message::NoticeTick)
    } else {
        Subscription::none()
    }
}

impl App {
    /// The torrent's name and save folder, as the list knows them.
    fn name_and_folder(&self, hash: &InfoHash) -> (String, Option<PathBuf>) {
        self.list
            .torrents()
            .iter()
            .find(|t| t.info_hash == *hash)
            .map_or_else(
                || (hash.to_hex(), None),
                |t| (t.name.clone(), Some(PathBuf::from(&*t.save_path))),
            )
    }

    /// A download finished: queued for the next batch, when the user wants to hear of it.
    pub(super) fn notice_finished(&mut self, hash: &InfoHash, now: Instant) {
        if !self.settings.notify_finished {
            return;
        }
        let (name, folder) = self.name_and_folder(hash);
        let save_folder = folder.unwrap_or_else(|| self.save_path.clone());
        self.notifier
            .batcher
            .finished(Finished { name, save_folder }, now);
    }

    /// A torrent stopped with an error: queued, when the user wants to hear of it.
    pub(super) fn notice_error(&mut self, hash: &InfoHash, message: &str, now: Instant) {
        if !self.settings.notify_errors {
            return;
        }
        let (name, _) = self.name_and_folder(hash);
        self.notifier.batcher.error(name, message.to_owned(), now);
    }

    /// A magnet's metadata arrived: told at once, but only while no window shows it.
    pub(super) fn notice_metadata(&mut self, name: &str) {
        if self.settings.notify_finished && self.window.is_none() {
            self.notifier.tell(Notice::Metadata {
                name: name.to_owned(),
            });
        }
    }

    /// The tick: tells the batches that are due at `now`.
    pub(super) fn on_notice_tick(&mut self, now: Instant) {
        for notice in self.notifier.batcher.due(now) {
            self.notifier.tell(notice);
        }
    }

    /// Desktop notifications (for tests and the window).
    pub fn notifier(&self) -> &Notifier {
        &self.notifier
    }
}
