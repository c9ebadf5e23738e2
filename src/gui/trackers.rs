//! Editing the trackers of the torrent shown in the details panel: the "Edit trackers…" dialog
//! (one announce URL a line, a blank line between BEP 12 tiers: the create dialog's format and
//! parser) and the Trackers tab's row menu (remove a tracker, copy its URL).
//!
//! The dialog checks the list as the engine will ([`validate_trackers`]) and keeps itself open
//! with the reason while it is wrong; a good list goes to the engine as
//! [`Command::SetTrackers`], which keeps it across restarts.

use super::create::parse_trackers;
use super::{App, Message, theme};
use crate::engine::InfoHash;
use crate::engine::api::TorrentDetails;
use crate::engine::session::Command;
use crate::engine::tracker::list::MAX_TRACKERS;
use crate::engine::tracker::{TrackerListError, validate_trackers};
use crate::fl;
use iced::widget::{button, center, column, container, opaque, row, space, text, text_editor};
use iced::{Element, Fill, Task};

const TEXT: f32 = 13.0;
/// Id of the tracker list editor.
pub const EDITOR_ID: &str = "trackers-editor";
/// Id of OK.
pub const OK_ID: &str = "trackers-ok";
/// Id of Cancel.
pub const CANCEL_ID: &str = "trackers-cancel";
/// Id of the Trackers tab's "Edit trackers…" button.
pub const EDIT_ID: &str = "trackers-edit";

/// What the user did in the dialog.
#[derive(Debug, Clone)]
pub enum TrackersMessage {
    /// The list was edited.
    Edit(text_editor::Action),
    /// OK: check the list and send it.
    Save,
    /// Cancel (or Esc).
    Cancel,
}

/// The open dialog.
#[derive(Debug)]
pub struct TrackerDialog {
    /// The torrent it edits.
    pub info_hash: InfoHash,
    /// The torrent's name, for the title.
    pub name: String,
    /// The list being edited.
    pub text: text_editor::Content,
    /// Why OK was refused.
    pub problem: Option<String>,
}

/// The text of tracker tiers: one URL a line, a blank line between tiers.
pub fn tiers_text(tiers: &[Vec<String>]) -> String {
    tiers
        .iter()
        .map(|tier| tier.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The tiers typed in the dialog, checked as the engine checks them; the reason otherwise.
pub fn checked_tiers(text: &str) -> Result<Vec<Vec<String>>, String> {
    let tiers = parse_trackers(text)?;
    validate_trackers(tiers).map_err(|e| match e {
        TrackerListError::TooMany(_) => fl!("create-too-many-trackers", max = MAX_TRACKERS),
        TrackerListError::Scheme(url)
        | TrackerListError::Malformed(url)
        | TrackerListError::TooLong(url) => {
            fl!(
                "trackers-bad-url",
                url = url.chars().take(80).collect::<String>()
            )
        }
    })
}

/// The torrent's tiers without `url`.
fn without(d: &TorrentDetails, url: &str) -> Vec<Vec<String>> {
    d.tracker_tiers
        .iter()
        .map(|tier| tier.iter().filter(|u| *u != url).cloned().collect())
        .collect()
}

impl App {
    /// The tracker dialog, while open.
    pub fn tracker_dialog(&self) -> Option<&TrackerDialog> {
        self.tracker_dialog.as_ref()
    }

    /// Opens "Edit trackers…" for the torrent whose details are shown.
    pub(super) fn open_tracker_dialog(&mut self) {
        let Some(d) = self.shown_details() else {
            return;
        };
        let name = self
            .list
            .torrents()
            .iter()
            .find(|t| t.info_hash == d.info_hash)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| d.info_hash.to_hex());
        self.tracker_dialog = Some(TrackerDialog {
            info_hash: d.info_hash,
            name,
            text: text_editor::Content::with_text(&tiers_text(&d.tracker_tiers)),
            problem: None,
        });
    }

    /// A message of the tracker dialog.
    pub(super) fn on_trackers(&mut self, message: TrackersMessage) -> Task<Message> {
        let Some(d) = self.tracker_dialog.as_mut() else {
            return Task::none();
        };
        match message {
            TrackersMessage::Edit(action) => {
                d.text.perform(action);
            }
            TrackersMessage::Cancel => self.tracker_dialog = None,
            TrackersMessage::Save => match checked_tiers(&d.text.text()) {
                Ok(tiers) => {
                    let h = d.info_hash;
                    self.tracker_dialog = None;
                    self.send(Command::SetTrackers(h, tiers));
                }
                Err(problem) => d.problem = Some(problem),
            },
        }
        Task::none()
    }

    /// The Trackers tab's row `index`: its URL, when the details are shown.
    pub(super) fn tracker_url(&self, index: usize) -> Option<String> {
        self.shown_details()?
            .trackers
            .get(index)
            .map(|t| t.url.clone())
    }

    /// "Remove tracker" from the row menu.
    pub(super) fn remove_tracker(&mut self, index: usize) {
        let Some(url) = self.tracker_url(index) else {
            return;
        };
        let Some(d) = self.shown_details() else {
            return;
        };
        let (h, tiers) = (d.info_hash, without(d, &url));
        self.send(Command::SetTrackers(h, tiers));
    }

    /// The tracker dialog over the window.
    pub(super) fn tracker_layer<'a>(&'a self, d: &'a TrackerDialog) -> Element<'a, Message> {
        let problem: Element<'_, Message> = match &d.problem {
            Some(p) => text(p.as_str()).size(TEXT).style(text::danger).into(),
            None => space().height(0).into(),
        };
        let editor = container(
            text_editor(&d.text)
                .on_action(|a| Message::Trackers(TrackersMessage::Edit(a)))
                .size(TEXT)
                .height(260),
        )
        .id(EDITOR_ID);
        let dialog = container(
            column![
                text(fl!("trackers-title", name = d.name.clone())).size(TEXT + 2.0),
                editor,
                text(fl!("trackers-hint")).size(12).style(theme::label),
                problem,
                row![
                    space().width(Fill),
                    container(
                        button(text(fl!("cancel")).size(TEXT))
                            .on_press(Message::Trackers(TrackersMessage::Cancel))
                    )
                    .id(CANCEL_ID),
                    container(
                        button(text(fl!("dialog-ok")).size(TEXT))
                            .style(button::primary)
                            .on_press(Message::Trackers(TrackersMessage::Save))
                    )
                    .id(OK_ID),
                ]
                .spacing(8),
            ]
            .spacing(12),
        )
        .padding(16)
        .width(640)
        .style(theme::modal);
        opaque(center(dialog).style(theme::backdrop))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn text_and_tiers_round_trip() {
        let tiers = vec![
            vec!["udp://a:1/announce".to_string(), "http://b/announce".into()],
            vec!["https://c/announce".to_string()],
        ];
        let text = tiers_text(&tiers);
        assert_eq!(
            text,
            "udp://a:1/announce\nhttp://b/announce\n\nhttps://c/announce"
        );
        assert_eq!(checked_tiers(&text).unwrap(), tiers);
        assert_eq!(checked_tiers("").unwrap(), Vec::<Vec<String>>::new());
    }

    #[test]
    fn bad_lists_are_refused_with_the_url() {
        let e = checked_tiers("http://ok/a\nftp://x/y").unwrap_err();
        assert!(e.contains("ftp://x/y"), "{e}");
        let e = checked_tiers("http:///no-host").unwrap_err();
        assert!(e.contains("http:///no-host"), "{e}");
    }
}
