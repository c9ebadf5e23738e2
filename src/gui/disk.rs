//! Free space in the default save folder, shown in the status bar.
//!
//! Asked on a blocking thread (a stale network mount must not freeze the window): when the engine
//! starts, when the default save folder changes, and with a snapshot — which comes only while
//! something changes — at most every [`REFRESH`]. Nothing is asked while nothing happens.

use super::{App, Message, theme};
use crate::{fl, format};
use iced::widget::{container, text};
use iced::{Element, Task};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How often the figure is asked again while transfers change it.
pub const REFRESH: Duration = Duration::from_secs(10);
/// Id of the status bar's free-space text.
pub const FREE_SPACE_ID: &str = "status-free-space";
/// Below this, the figure is shown as a warning.
const LOW: u64 = 1024 * 1024 * 1024;

/// The last answer and when it was asked.
#[derive(Debug, Default)]
pub struct FreeSpace {
    /// Bytes free where new torrents go (`None`: not known).
    pub bytes: Option<u64>,
    /// The folder the answer is for.
    pub path: Option<PathBuf>,
    /// When it was last asked.
    asked: Option<Instant>,
}

impl App {
    /// Asks again for the free space of the default save folder, unless it was asked less than
    /// [`REFRESH`] ago for the same folder.
    pub(super) fn refresh_free_space(&mut self, now: Instant) -> Task<Message> {
        let path = self.save_path.clone();
        let fresh = self.free_space.path.as_ref() == Some(&path)
            && self
                .free_space
                .asked
                .is_some_and(|t| now.duration_since(t) < REFRESH);
        if fresh {
            return Task::none();
        }
        self.free_space.asked = Some(now);
        if self.free_space.path.as_ref() != Some(&path) {
            self.free_space.bytes = None;
            self.free_space.path = Some(path.clone());
        }
        Task::perform(
            async move {
                let asked = path.clone();
                let bytes =
                    tokio::task::spawn_blocking(move || crate::engine::storage::free_space(&asked))
                        .await
                        .ok()
                        .flatten();
                (path, bytes)
            },
            |(path, bytes)| Message::FreeSpace(path, bytes),
        )
    }

    /// The answer came (for `path`; an answer for a folder no longer the default is dropped).
    pub(super) fn on_free_space(&mut self, path: PathBuf, bytes: Option<u64>) {
        if self.free_space.path.as_ref() == Some(&path) {
            self.free_space.bytes = bytes;
        }
    }

    /// The status bar's part, when the figure is known.
    pub(super) fn free_space_status(&self) -> Option<Element<'_, Message>> {
        let bytes = self.free_space.bytes?;
        let label = text(fl!("status-free-space", size = format::size(bytes))).size(13.0);
        let label = if bytes < LOW {
            label.style(text::danger)
        } else {
            label.style(theme::label)
        };
        Some(container(label).id(FREE_SPACE_ID).into())
    }
}
