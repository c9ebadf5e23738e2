//! Files dropped on the window, and magnet links pasted into it.
//!
//! A dropped `.torrent` goes to the same add flow as the toolbar's "Add torrent"; any other file
//! or folder opens the create dialog prefilled with it. winit delivers a drop of several items as
//! one `FileDropped` per item after one `FileHovered` per item: every torrent is added, and only
//! the first other item of a drop becomes the dialog's source. While files hover, a hint covers
//! the window. winit 0.30 delivers dropped files only (no text, and nothing on Wayland), so
//! Ctrl+V in the window (outside text boxes) adds a magnet link or `.torrent` path from the
//! clipboard instead, and every drop action also has a button.

use super::{App, Message, theme};
use crate::fl;
use iced::widget::{center, column, container, text};
use iced::{Alignment, Element, Task, window};
use std::path::{Path, PathBuf};

/// What a drag over the window has done so far.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DropState {
    /// Files are hovering over the window.
    pub hovering: bool,
    /// This drop already gave the create dialog its source.
    source_taken: bool,
}

/// A `.torrent` by its name (the add flow reads and checks it).
pub fn is_torrent_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("torrent"))
}

/// Whether `text` is a magnet link.
fn is_magnet(text: &str) -> bool {
    text.get(..7)
        .is_some_and(|h| h.eq_ignore_ascii_case("magnet:"))
}

/// The subscription's filter: the window's file drag-and-drop events.
pub fn file_event(
    event: iced::Event,
    _status: iced::event::Status,
    _id: window::Id,
) -> Option<Message> {
    match event {
        iced::Event::Window(
            e @ (window::Event::FileHovered(_)
            | window::Event::FileDropped(_)
            | window::Event::FilesHoveredLeft),
        ) => Some(Message::Window(e)),
        _ => None,
    }
}

impl App {
    /// A window event: files hovering, dropped, or gone.
    pub(super) fn on_window_event(&mut self, event: window::Event) -> Task<Message> {
        match event {
            window::Event::FileHovered(_) => {
                if !self.drop.hovering {
                    self.drop.hovering = true;
                    self.drop.source_taken = false;
                }
                Task::none()
            }
            window::Event::FilesHoveredLeft => {
                self.drop = DropState::default();
                Task::none()
            }
            window::Event::FileDropped(path) => {
                self.drop.hovering = false;
                self.on_dropped(path)
            }
            _ => Task::none(),
        }
    }

    fn on_dropped(&mut self, path: PathBuf) -> Task<Message> {
        if is_torrent_file(&path) {
            return self.add_item(path.display().to_string());
        }
        let take = match &self.create {
            None => true,
            Some(d) => d.is_editing() && !self.drop.source_taken,
        };
        if !take {
            return Task::none();
        }
        self.drop.source_taken = true;
        self.open_create(Some(path))
    }

    /// The hint over the window while files are dragged over it.
    pub(super) fn drop_hint_layer(&self) -> Element<'_, Message> {
        let hint = container(
            column![
                text(fl!("drop-hint-title")).size(17.0),
                text(fl!("drop-hint-torrents")).size(13.0),
                text(fl!("drop-hint-create")).size(13.0),
            ]
            .spacing(8)
            .align_x(Alignment::Center),
        )
        .padding(24)
        .style(theme::drop_hint);
        center(hint).style(theme::backdrop).into()
    }

    /// Ctrl+V outside a text box: read the clipboard.
    pub(super) fn paste(&mut self) -> Task<Message> {
        iced::clipboard::read().map(Message::Pasted)
    }

    /// The clipboard's text: a magnet link or a `.torrent` path is added, like the toolbar's.
    pub(super) fn on_paste(&mut self, text: Option<String>) -> Task<Message> {
        let Some(text) = text else {
            return Task::none();
        };
        // A clipboard can hold anything: look at its first line only, and not at megabytes.
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        if first.len() > 64 * 1024 {
            self.error = Some(fl!("error-paste-nothing"));
            return Task::none();
        }
        let path = first.strip_prefix("file://").unwrap_or(first);
        if is_magnet(first) || is_torrent_file(Path::new(path)) {
            let item = if is_magnet(first) { first } else { path };
            return self.add_item(item.to_owned());
        }
        self.error = Some(fl!("error-paste-nothing"));
        Task::none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torrents_are_told_by_extension_in_any_case() {
        assert!(is_torrent_file(Path::new("/a/b.torrent")));
        assert!(is_torrent_file(Path::new("B.TORRENT")));
        assert!(!is_torrent_file(Path::new("/a/torrent")));
        assert!(!is_torrent_file(Path::new("/a/b.torrent.part")));
        assert!(is_magnet("MAGNET:?xt=urn:btih:00"));
        assert!(!is_magnet("magnet"));
    }
}
