//! Right-click menus: on torrent rows (the toolbar's actions and more), on the list's header
//! (which columns to show), on the files of the details panel (their priority), on its peers
//! (ban them) and on its trackers (remove one, copy its URL).
//!
//! The menu is state ([`ContextMenu`]: what it is for and where it opened); the window draws it
//! over everything, and a click anywhere else or Esc closes it. Choosing an entry sends
//! [`super::Message::MenuPick`], which [`App::on_menu_pick`] turns into commands or tasks.

use super::list::Column;
use super::{App, Message, columns, theme};
use crate::engine::api::{FilePriority, QueueMove};
use crate::engine::{InfoHash, MagnetLink};
use crate::fl;
use iced::widget::{button, column, container, mouse_area, pin, row, space, text};
use iced::{Element, Fill, Point, Size, Task};
use std::net::IpAddr;
use std::path::PathBuf;

/// Width of a menu.
const WIDTH: f32 = 230.0;
/// Height of one entry.
const ITEM_HEIGHT: f32 = 22.0;

/// What a menu is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuKind {
    /// The selected torrents.
    Torrents,
    /// The list's columns.
    Columns,
    /// One file of the torrent shown in the details panel.
    File(usize),
    /// A peer of the details panel's Peers tab, by address.
    Peer(IpAddr),
    /// A row of the details panel's Trackers tab.
    Tracker(usize),
}

/// An open menu.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContextMenu {
    /// What it is for.
    pub kind: MenuKind,
    /// Its top-left corner, in window coordinates.
    pub at: Point,
}

/// An entry of a menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuItem {
    /// Resume.
    Start,
    /// Pause (hold transfers, keep peers).
    Pause,
    /// Stop (drop peers).
    Stop,
    /// Start whatever the queue says.
    ForceStart,
    /// Move to the top of the queue.
    QueueTop,
    /// Move one place up the queue.
    QueueUp,
    /// Move one place down the queue.
    QueueDown,
    /// Move to the bottom of the queue.
    QueueBottom,
    /// Hash-check the data again.
    Recheck,
    /// Ask the trackers for peers now.
    Reannounce,
    /// Download pieces in order (toggle).
    Sequential,
    /// Fetch the first and last piece of each file first (toggle).
    FirstLast,
    /// Open the data (its file, or its folder) with the system's program for it.
    Open,
    /// Open the folder holding the data.
    OpenFolder,
    /// Move the data to another folder (asks which).
    MoveData,
    /// Copy the magnet link(s).
    CopyMagnet,
    /// Copy the info-hash(es).
    CopyHash,
    /// Remove, keeping data.
    Remove,
    /// Remove and delete data (asks first).
    RemoveWithData,
    /// Show or hide a column.
    Column(Column),
    /// Set the priority of the file the menu is for.
    Priority(FilePriority),
    /// Open "Set limits…" for the selected torrents.
    SetLimits,
    /// Open "Label…" for the selected torrents.
    Label,
    /// Ban the peer the menu is for until Brooklet quits.
    BanPeer,
    /// Ban the peer the menu is for, now and at every start.
    BanPeerPermanently,
    /// Take the tracker the menu is for off the torrent.
    RemoveTracker,
    /// Copy the URL of the tracker the menu is for.
    CopyTrackerUrl,
}

/// One line of a menu: an entry (with its label, whether it is ticked, whether it is disabled),
/// or a separator.
enum Line {
    Item(MenuItem, String, bool, bool),
    Separator,
}

/// The text of a file priority.
pub fn priority_text(p: FilePriority) -> String {
    match p {
        FilePriority::Skip => fl!("priority-skip"),
        FilePriority::Low => fl!("priority-low"),
        FilePriority::Normal => fl!("priority-normal"),
        FilePriority::High => fl!("priority-high"),
    }
}

/// The stable widget id of a menu entry, for tests.
pub fn item_id(item: MenuItem) -> String {
    format!("menu-{item:?}")
}

impl App {
    /// Whether torrent `h` fetches the first and last piece of each file first: as last set
    /// here, else as the engine reports it.
    /// Sequential download is on for `h`: asked here, or reported by the engine (kept across
    /// restarts).
    fn sequential_on(&self, h: &InfoHash) -> bool {
        self.sequential.contains(h)
            || self
                .list
                .torrents()
                .iter()
                .any(|t| t.info_hash == *h && t.sequential)
    }

    fn first_last_on(&self, h: &InfoHash) -> bool {
        self.first_last.get(h).copied().unwrap_or_else(|| {
            self.list
                .torrents()
                .iter()
                .any(|t| t.info_hash == *h && t.first_last_pieces_first)
        })
    }

    fn menu_lines(&self, kind: MenuKind) -> Vec<Line> {
        match kind {
            MenuKind::Torrents => {
                let selection = self.selection();
                let sequential =
                    !selection.is_empty() && selection.iter().all(|h| self.sequential_on(h));
                let forced = !selection.is_empty()
                    && self
                        .list
                        .torrents()
                        .iter()
                        .filter(|t| selection.contains(&t.info_hash))
                        .all(|t| t.forced);
                let first_last =
                    !selection.is_empty() && selection.iter().all(|h| self.first_last_on(h));
                vec![
                    Line::Item(MenuItem::Start, fl!("toolbar-start"), false, false),
                    Line::Item(MenuItem::ForceStart, fl!("menu-force-start"), forced, false),
                    Line::Item(MenuItem::Pause, fl!("toolbar-pause"), false, false),
                    Line::Item(MenuItem::Stop, fl!("toolbar-stop"), false, false),
                    Line::Separator,
                    Line::Item(MenuItem::QueueTop, fl!("menu-queue-top"), false, false),
                    Line::Item(MenuItem::QueueUp, fl!("menu-queue-up"), false, false),
                    Line::Item(MenuItem::QueueDown, fl!("menu-queue-down"), false, false),
                    Line::Item(
                        MenuItem::QueueBottom,
                        fl!("menu-queue-bottom"),
                        false,
                        false,
                    ),
                    Line::Separator,
                    Line::Item(MenuItem::Recheck, fl!("menu-recheck"), false, false),
                    Line::Item(MenuItem::Reannounce, fl!("menu-reannounce"), false, false),
                    Line::Item(
                        MenuItem::Sequential,
                        fl!("menu-sequential"),
                        sequential,
                        false,
                    ),
                    Line::Item(
                        MenuItem::FirstLast,
                        fl!("menu-first-last"),
                        first_last,
                        false,
                    ),
                    Line::Item(MenuItem::SetLimits, fl!("menu-set-limits"), false, false),
                    Line::Item(MenuItem::Label, fl!("menu-label"), false, false),
                    Line::Separator,
                    Line::Item(MenuItem::Open, fl!("menu-open"), false, false),
                    Line::Item(MenuItem::OpenFolder, fl!("menu-open-folder"), false, false),
                    Line::Item(MenuItem::MoveData, fl!("menu-move-data"), false, false),
                    Line::Item(MenuItem::CopyMagnet, fl!("menu-copy-magnet"), false, false),
                    Line::Item(MenuItem::CopyHash, fl!("menu-copy-hash"), false, false),
                    Line::Separator,
                    Line::Item(MenuItem::Remove, fl!("toolbar-remove"), false, false),
                    Line::Item(
                        MenuItem::RemoveWithData,
                        fl!("toolbar-remove-data"),
                        false,
                        false,
                    ),
                ]
            }
            MenuKind::Columns => Column::ALL
                .iter()
                .map(|&c| {
                    Line::Item(
                        MenuItem::Column(c),
                        columns::title(c),
                        self.columns.is_shown(c),
                        c == Column::Name,
                    )
                })
                .collect(),
            MenuKind::File(i) => {
                let current = self
                    .shown_details()
                    .and_then(|d| d.files.get(i))
                    .map(|f| f.priority);
                [
                    FilePriority::High,
                    FilePriority::Normal,
                    FilePriority::Low,
                    FilePriority::Skip,
                ]
                .into_iter()
                .map(|p| {
                    Line::Item(
                        MenuItem::Priority(p),
                        priority_text(p),
                        current == Some(p),
                        false,
                    )
                })
                .collect()
            }
            MenuKind::Tracker(_) => vec![
                Line::Item(
                    MenuItem::CopyTrackerUrl,
                    fl!("menu-copy-tracker-url"),
                    false,
                    false,
                ),
                Line::Item(
                    MenuItem::RemoveTracker,
                    fl!("menu-remove-tracker"),
                    false,
                    false,
                ),
            ],
            MenuKind::Peer(_) => vec![
                Line::Item(MenuItem::BanPeer, fl!("menu-ban-peer"), false, false),
                Line::Item(
                    MenuItem::BanPeerPermanently,
                    fl!("menu-ban-peer-permanently"),
                    false,
                    false,
                ),
            ],
        }
    }

    /// Opens a menu at the pointer, kept inside the window.
    pub(super) fn open_menu(&mut self, kind: MenuKind) {
        let lines = self.menu_lines(kind);
        let height = lines
            .iter()
            .map(|l| match l {
                Line::Item(..) => ITEM_HEIGHT,
                Line::Separator => 7.0,
            })
            .sum::<f32>()
            + 8.0;
        let Size {
            width: w,
            height: h,
        } = self.window_size;
        let x = self.pointer.x.min(w - WIDTH).max(0.0);
        let y = self.pointer.y.min(h - height).max(0.0);
        self.menu = Some(ContextMenu {
            kind,
            at: Point::new(x, y),
        });
    }

    /// The open menu over the whole window: a click outside it closes it.
    pub(super) fn menu_layer(&self, menu: ContextMenu) -> Element<'_, Message> {
        let entries = self
            .menu_lines(menu.kind)
            .into_iter()
            .map(|line| match line {
                Line::Item(item, label, ticked, disabled) => container(
                    button(row![
                        text(if ticked { "✓" } else { "" }).size(13.0).width(18),
                        text(label).size(13.0).wrapping(text::Wrapping::None),
                    ])
                    .width(Fill)
                    .height(ITEM_HEIGHT)
                    .padding([3, 6])
                    .style(theme::menu_item)
                    .on_press_maybe((!disabled).then_some(Message::MenuPick(item))),
                )
                .id(item_id(item))
                .into(),
                Line::Separator => {
                    container(container(space().width(Fill).height(1)).style(theme::separator))
                        .padding([3, 4])
                        .into()
                }
            });
        let boxed = container(column(entries))
            .width(WIDTH)
            .padding(4)
            .style(theme::menu);
        mouse_area(pin(boxed).x(menu.at.x).y(menu.at.y))
            .on_press(Message::CloseMenu)
            .on_right_press(Message::CloseMenu)
            .into()
    }

    /// Does what a menu entry says.
    pub(super) fn on_menu_pick(&mut self, item: MenuItem) -> Task<Message> {
        let menu = self.menu.take();
        let selection = self.selection();
        match item {
            MenuItem::Start => return self.on_action(super::Action::Start),
            MenuItem::Pause => return self.on_action(super::Action::Pause),
            MenuItem::Stop => return self.on_action(super::Action::Stop),
            MenuItem::ForceStart => return self.on_action(super::Action::ForceStart),
            MenuItem::QueueTop => self.move_in_queue(QueueMove::Top),
            MenuItem::QueueUp => self.move_in_queue(QueueMove::Up),
            MenuItem::QueueDown => self.move_in_queue(QueueMove::Down),
            MenuItem::QueueBottom => self.move_in_queue(QueueMove::Bottom),
            MenuItem::Remove => return self.on_action(super::Action::Remove),
            MenuItem::RemoveWithData => return self.on_action(super::Action::RemoveWithData),
            MenuItem::Recheck => {
                for h in selection {
                    self.send(crate::engine::session::Command::Recheck(h));
                }
            }
            MenuItem::Reannounce => {
                for h in selection {
                    self.send(crate::engine::session::Command::Reannounce(h));
                }
            }
            MenuItem::Sequential => {
                let on = !selection.iter().all(|h| self.sequential_on(h));
                for h in selection {
                    if on {
                        self.sequential.insert(h);
                    } else {
                        self.sequential.remove(&h);
                    }
                    self.send(crate::engine::session::Command::SetSequential(h, on));
                }
            }
            MenuItem::FirstLast => {
                let on = !selection.iter().all(|h| self.first_last_on(h));
                for h in selection {
                    self.first_last.insert(h, on);
                    self.send(crate::engine::session::Command::SetFirstLastPiecesFirst(
                        h, on,
                    ));
                }
            }
            MenuItem::Open => {
                let focused = self
                    .list
                    .focused()
                    .map(|t| (PathBuf::from(&*t.save_path), t.name.clone()));
                if let Some((folder, name)) = focused {
                    return open_data(folder, name);
                }
            }
            MenuItem::OpenFolder => {
                let focused = self
                    .list
                    .focused()
                    .map(|t| (PathBuf::from(&*t.save_path), t.name.clone()));
                if let Some((folder, name)) = focused {
                    return open_folder(folder, name);
                }
            }
            MenuItem::MoveData => return self.choose_move_folder(selection),
            MenuItem::CopyMagnet => {
                let links: Vec<String> = selection.iter().map(|h| self.magnet_of(h)).collect();
                if !links.is_empty() {
                    return iced::clipboard::write(links.join("\n"));
                }
            }
            MenuItem::CopyHash => {
                let hashes: Vec<String> = selection.iter().map(InfoHash::to_hex).collect();
                if !hashes.is_empty() {
                    return iced::clipboard::write(hashes.join("\n"));
                }
            }
            MenuItem::Column(c) => self.columns.toggle(c),
            MenuItem::SetLimits => self.open_limits_dialog(),
            MenuItem::Label => self.open_label_dialog(),
            MenuItem::BanPeer | MenuItem::BanPeerPermanently => {
                if let Some(MenuKind::Peer(ip)) = menu.map(|m| m.kind) {
                    return self.ban_peer(ip, item == MenuItem::BanPeerPermanently);
                }
            }
            MenuItem::RemoveTracker | MenuItem::CopyTrackerUrl => {
                if let Some(MenuKind::Tracker(i)) = menu.map(|m| m.kind) {
                    if item == MenuItem::RemoveTracker {
                        self.remove_tracker(i);
                    } else if let Some(url) = self.tracker_url(i) {
                        return iced::clipboard::write(url);
                    }
                }
            }
            MenuItem::Priority(p) => {
                if let Some(MenuKind::File(i)) = menu.map(|m| m.kind) {
                    self.set_file_priority(i, p);
                }
            }
        }
        Task::none()
    }

    /// The torrent's magnet link: the engine's (with trackers) when its details are shown, else
    /// one made from the info-hash and name.
    fn magnet_of(&self, hash: &InfoHash) -> String {
        if let Some(d) = self.shown_details().filter(|d| d.info_hash == *hash)
            && !d.magnet.is_empty()
        {
            return d.magnet.clone();
        }
        let mut link = MagnetLink::new(*hash);
        link.display_name = self
            .list
            .torrents()
            .iter()
            .find(|t| t.info_hash == *hash)
            .map(|t| t.name.clone());
        link.to_uri()
    }

    /// Asks for the folder to move the data of `hashes` to (starting in the focused torrent's
    /// folder); the answer comes back as [`Message::MoveDataTo`].
    fn choose_move_folder(&self, hashes: Vec<InfoHash>) -> Task<Message> {
        if hashes.is_empty() {
            return Task::none();
        }
        let start = self
            .list
            .focused()
            .map(|t| PathBuf::from(&*t.save_path))
            .unwrap_or_default();
        Task::perform(
            async move {
                rfd::AsyncFileDialog::new()
                    .set_title(fl!("dialog-move-data"))
                    .set_directory(start)
                    .pick_folder()
                    .await
                    .map(|f| f.path().to_path_buf())
            },
            move |folder| Message::MoveDataTo(hashes.clone(), folder),
        )
    }

    /// Sends a move of each torrent's data to `folder` (the engine refuses, with an error
    /// shown in the banner, what it cannot do).
    pub(super) fn move_data_to(&mut self, hashes: Vec<InfoHash>, folder: Option<PathBuf>) {
        let Some(folder) = folder else {
            return;
        };
        for h in hashes {
            self.send(crate::engine::session::Command::MoveStorage(
                h,
                folder.clone(),
            ));
        }
    }

    /// Sends the whole priority list of the shown torrent with file `index` set to `priority`.
    pub(super) fn set_file_priority(&mut self, index: usize, priority: FilePriority) {
        let Some(d) = self.shown_details() else {
            return;
        };
        if index >= d.files.len() {
            return;
        }
        let hash = d.info_hash;
        let mut priorities: Vec<FilePriority> = d.files.iter().map(|f| f.priority).collect();
        priorities[index] = priority;
        self.send(crate::engine::session::Command::SetFilePriorities(
            hash, priorities,
        ));
    }
}

/// Opens the torrent's data — its file, or its own folder — with the system's program for it,
/// on a blocking thread; data not on disk yet is a readable error.
fn open_data(save_folder: PathBuf, name: String) -> Task<Message> {
    Task::perform(
        async move {
            tokio::task::spawn_blocking(move || {
                // The name comes from the torrent: only a plain name inside the save folder.
                let plain = std::path::Path::new(&name)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)));
                let target = save_folder.join(&name);
                if !plain || !target.exists() {
                    return Err(fl!(
                        "error-not-on-disk",
                        path = target.display().to_string()
                    ));
                }
                crate::platform::folder::open_in_file_manager(&target)
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()))
        },
        Message::FolderOpened,
    )
}

/// Opens the torrent's folder (its own folder when it has one, else the save folder) in the
/// system's file manager, on a blocking thread: the check for the folder and the launch never
/// hold up the window.
fn open_folder(save_folder: PathBuf, name: String) -> Task<Message> {
    Task::perform(
        async move {
            tokio::task::spawn_blocking(move || {
                let target = crate::platform::folder::torrent_folder(&save_folder, Some(&name));
                crate::platform::folder::open_in_file_manager(&target)
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()))
        },
        Message::FolderOpened,
    )
}
