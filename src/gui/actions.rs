//! What the toolbar, the keyboard and the remove-with-data question do: each turns into engine
//! commands or tasks. Keys go to a modal dialog first (Esc, Enter) and never reach the list
//! behind it.

use super::dialog::DialogMessage;
use super::limits::LimitsMessage;
use super::preferences::PrefMessage;
use super::{Action, App, FILTER_ID, MAGNET_ID, Message, Pending};
use crate::engine::api::{QueueMove, TorrentState};
use crate::engine::session::Command;
use crate::fl;
use iced::Task;
use iced::keyboard::{self, Key, key::Named};
use iced::widget::operation;

impl App {
    pub(super) fn on_action(&mut self, action: Action) -> Task<Message> {
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
                    None => {
                        self.magnet = Some(String::new());
                        return operation::focus(MAGNET_ID);
                    }
                }
            }
            Action::Start => selection
                .into_iter()
                .for_each(|h| self.send(Command::Resume(h))),
            Action::Pause => selection
                .into_iter()
                .for_each(|h| self.send(Command::Suspend(h))),
            Action::Stop => selection
                .into_iter()
                .for_each(|h| self.send(Command::Pause(h))),
            Action::ForceStart => selection
                .into_iter()
                .for_each(|h| self.send(Command::ForceStart(h))),
            Action::QueueUp => self.move_in_queue(QueueMove::Up),
            Action::QueueDown => self.move_in_queue(QueueMove::Down),
            Action::TogglePause => {
                let any_running = self.list.torrents().iter().any(|t| {
                    selection.contains(&t.info_hash)
                        && !t.suspended
                        && !matches!(t.state, TorrentState::Paused | TorrentState::Error(_))
                });
                for h in selection {
                    self.send(if any_running {
                        Command::Suspend(h)
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
                    if !self.settings.confirm_remove_with_data {
                        return self.on_confirm(true);
                    }
                }
            }
            Action::CreateTorrent => return self.open_create(None),
            Action::Paste => return self.paste(),
            Action::Preferences => self.open_preferences(),
            Action::ToggleAltSpeed => return self.toggle_alt_speed(),
            Action::SelectAll => self.list.select_all(),
            Action::ToggleDetails => self.details.shown = !self.details.shown,
            Action::Find => return operation::focus(FILTER_ID),
            Action::Quit => return self.quit(),
        }
        Task::none()
    }

    /// Moves the selected torrents in the queue, keeping their order among themselves: the
    /// one nearest where they go moves first.
    pub(super) fn move_in_queue(&mut self, to: QueueMove) {
        let selection = self.selection();
        let mut picked: Vec<(usize, crate::engine::InfoHash)> = self
            .list
            .torrents()
            .iter()
            .filter(|t| selection.contains(&t.info_hash))
            .map(|t| (t.queue_position, t.info_hash))
            .collect();
        picked.sort_unstable_by_key(|(p, _)| *p);
        if matches!(to, QueueMove::Down | QueueMove::Top) {
            picked.reverse();
        }
        for (_, h) in picked {
            self.send(Command::MoveInQueue(h, to));
        }
    }

    pub(super) fn on_confirm(&mut self, yes: bool) -> Task<Message> {
        match (yes, self.pending.take()) {
            (true, Some(Pending::RemoveWithData(hashes))) => {
                for h in hashes {
                    self.send(Command::Remove {
                        info_hash: h,
                        delete_data: true,
                    });
                }
                Task::none()
            }
            (true, Some(Pending::Quit)) => self.quit(),
            _ => Task::none(),
        }
    }

    pub(super) fn on_key(&mut self, key: Key, m: keyboard::Modifiers) -> Task<Message> {
        if let Key::Named(Named::Escape) = key.as_ref()
            && self.menu.take().is_some()
        {
            return Task::none();
        }
        // Quitting works whatever is open.
        if let Key::Character("q") = key.as_ref()
            && m.command()
        {
            return self.quit();
        }
        // A modal dialog takes Esc and Enter; the list behind it takes nothing.
        if self.pending.is_some() {
            return match key.as_ref() {
                Key::Named(Named::Escape) => self.on_confirm(false),
                _ => Task::none(),
            };
        }
        if self.label_dialog.is_some() {
            return match key.as_ref() {
                Key::Named(Named::Escape) => self.on_label(super::labels::LabelMessage::Cancel),
                _ => Task::none(),
            };
        }
        if self.tracker_dialog.is_some() {
            return match key.as_ref() {
                Key::Named(Named::Escape) => {
                    self.on_trackers(super::trackers::TrackersMessage::Cancel)
                }
                _ => Task::none(),
            };
        }
        if self.limits_dialog.is_some() {
            return match key.as_ref() {
                Key::Named(Named::Escape) => self.on_limits(LimitsMessage::Cancel),
                Key::Named(Named::Enter) => self.on_limits(LimitsMessage::Save),
                _ => Task::none(),
            };
        }
        if self.preferences.is_some() {
            return match key.as_ref() {
                Key::Named(Named::Escape) => self.on_preferences(PrefMessage::Cancel),
                _ => Task::none(),
            };
        }
        if self.create.is_some() {
            return match key.as_ref() {
                Key::Named(Named::Escape) => self.on_create(super::create::CreateMessage::Cancel),
                _ => Task::none(),
            };
        }
        if self.dialogs.current().is_some() {
            return match key.as_ref() {
                Key::Named(Named::Escape) => self.on_dialog(DialogMessage::Cancel),
                Key::Named(Named::Enter) => self.on_dialog(DialogMessage::Confirm),
                _ => Task::none(),
            };
        }
        let action = match key.as_ref() {
            Key::Character("o") if m.command() => Action::AddFile,
            Key::Character("u") if m.command() => Action::AddMagnet,
            Key::Character("n") if m.command() => Action::CreateTorrent,
            Key::Character("v") if m.command() => Action::Paste,
            Key::Character("a") if m.command() => Action::SelectAll,
            Key::Character("f") if m.command() => Action::Find,
            Key::Character("d") if m.command() => Action::ToggleDetails,
            Key::Character("p") if m.command() => Action::Preferences,
            Key::Named(Named::ArrowUp) if m.command() => Action::QueueUp,
            Key::Named(Named::ArrowDown) if m.command() => Action::QueueDown,
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

    pub(super) fn quit(&mut self) -> Task<Message> {
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
