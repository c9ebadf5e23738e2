//! Adding torrents: a `.torrent` path or magnet link goes to the add dialog; a confirmed dialog
//! becomes an [`AddTorrent`], whose save folder is made on a blocking thread before the engine
//! is asked ([`Message::SaveFolderReady`] carries only the pending addition's id).

use super::dialog::{self, AddDialog, DialogMessage, Outcome};
use super::{App, Message};
use crate::engine::api::{AddTorrent, TorrentSource};
use crate::engine::session::Command;
use crate::fl;
use iced::Task;
use std::path::PathBuf;

impl App {
    pub(super) fn on_dialog(&mut self, msg: DialogMessage) -> Task<Message> {
        if matches!(msg, DialogMessage::Confirm) && self.engine.is_none() {
            self.error = Some(fl!("error-engine-not-ready"));
            return Task::none();
        }
        // With the dialog turned off in Preferences, a torrent that would open it (and is not
        // queued behind another dialog) is added at once with the defaults.
        let skip_dialog = !self.settings.show_add_dialog
            && matches!(msg, DialogMessage::Parsed(Ok(_)))
            && self.dialogs.current().is_none();
        let outcome = self.dialogs.update(msg, &self.save_path);
        if skip_dialog && self.dialogs.current().is_some() {
            return self.on_dialog(DialogMessage::Confirm);
        }
        match outcome {
            Outcome::None => Task::none(),
            Outcome::Error(e) => {
                self.error = Some(e);
                Task::none()
            }
            Outcome::Browse(start) => dialog::browse(start),
            Outcome::Priorities(hash, priorities) => {
                self.send(Command::SetFilePriorities(hash, priorities));
                Task::none()
            }
            Outcome::Add(add, hash) => {
                if matches!(add.source, TorrentSource::Magnet(_)) {
                    self.magnets.insert(hash);
                }
                if add.sequential {
                    self.sequential.insert(hash);
                }
                if add.first_last_pieces_first {
                    self.first_last.insert(hash, true);
                }
                self.add(*add)
            }
        }
    }

    /// Asks about a `.torrent` path or a magnet link in the add dialog.
    pub(super) fn add_item(&mut self, item: String) -> Task<Message> {
        if item
            .get(..7)
            .is_some_and(|h| h.eq_ignore_ascii_case("magnet:"))
        {
            let skip_dialog = !self.settings.show_add_dialog && self.dialogs.current().is_none();
            match AddDialog::for_magnet(&item, &self.save_path) {
                Ok(d) => self.dialogs.push(d),
                Err(e) => {
                    self.error = Some(e);
                    return Task::none();
                }
            }
            if skip_dialog {
                return self.on_dialog(DialogMessage::Confirm);
            }
            Task::none()
        } else {
            dialog::parse_file(PathBuf::from(item))
        }
    }

    /// Adds a torrent: first makes its save folder on a blocking thread
    /// ([`Message::SaveFolderReady`] follows), then asks the engine.
    pub(super) fn add(&mut self, add: AddTorrent) -> Task<Message> {
        let id = self.next_add;
        self.next_add += 1;
        let folder = add.save_path.clone();
        self.adding.push((id, add));
        Task::perform(
            async move {
                let shown = folder.display().to_string();
                tokio::task::spawn_blocking(move || std::fs::create_dir_all(&folder))
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|r| r.map_err(|e| e.to_string()))
                    .map_err(|reason| fl!("error-save-folder", path = shown, reason = reason))
            },
            move |result| Message::SaveFolderReady(id, result),
        )
    }

    pub(super) fn on_save_folder_ready(
        &mut self,
        id: u64,
        result: Result<(), String>,
    ) -> Task<Message> {
        let Some(i) = self.adding.iter().position(|(n, _)| *n == id) else {
            return Task::none();
        };
        let (_, add) = self.adding.remove(i);
        if let Err(e) = result {
            self.error = Some(e);
            return Task::none();
        }
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(Command::Add(add, reply));
        Task::perform(
            async move {
                match answer.await {
                    Ok(result) => result.map_err(|e| e.to_string()),
                    Err(_) => Err(fl!("error-engine-stopped")),
                }
            },
            Message::Added,
        )
    }
}
