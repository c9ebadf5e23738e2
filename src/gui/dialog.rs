//! The "Add New Torrent" dialog, μTorrent style: what the torrent holds, which files to fetch,
//! where to save it, whether to start it and download in order. Torrents picked together wait
//! in a queue and are asked about one after another.
//!
//! The same dialog picks the files of a magnet link once its metadata arrives (then it only
//! sends the files' priorities: the torrent is already in the session). Reading and parsing a
//! `.torrent` happen on a blocking thread ([`parse_file`]); the dialog only ever holds the
//! result. This module turns the user's choices into an [`Outcome`]; the app sends it.

use super::widget::{Viewport, windowed};
use super::{App, Message as AppMessage, theme};
use crate::engine::api::{AddTorrent, FileDetails, FilePriority, TorrentSource};
use crate::engine::{InfoHash, MagnetLink, Metainfo};
use crate::{fl, format};
use iced::widget::{
    button, center, checkbox, column, container, opaque, pick_list, row, scrollable, space, text,
    text_input,
};
use iced::{Alignment, Element, Fill, Task};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const TEXT: f32 = 13.0;
const FILE_ROW: f32 = 22.0;
/// Larger files are not torrents (the CLI draws the same line).
const MAX_TORRENT_BYTES: u64 = 10 << 20;
/// Id of the save-folder box.
pub const SAVE_PATH_ID: &str = "dialog-save-path";
/// Id of the add dialog's label picker.
pub const LABEL_PICK_ID: &str = "dialog-label";

/// One file offered for download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedFile {
    /// Path inside the torrent, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub length: u64,
    /// Ticked: download it.
    pub wanted: bool,
    /// BEP 47 padding: never shown, always sent as wanted.
    pub pad: bool,
}

/// A `.torrent` read and parsed off the UI thread.
#[derive(Debug, Clone)]
pub struct ParsedTorrent {
    /// The file's bytes (what the engine is given).
    pub bytes: Arc<[u8]>,
    /// Its name.
    pub name: String,
    /// Its info-hash.
    pub info_hash: InfoHash,
    /// Total size of its files.
    pub total: u64,
    /// Its files, in torrent order.
    pub files: Vec<OfferedFile>,
}

/// What the dialog adds when confirmed.
#[derive(Debug, Clone)]
pub enum Source {
    /// A `.torrent`'s bytes.
    Torrent(Arc<[u8]>),
    /// A magnet link.
    Magnet(String),
    /// Nothing: the torrent is in the session, only its file priorities are asked.
    Metadata,
}

/// One dialog.
#[derive(Debug, Clone)]
pub struct AddDialog {
    /// What is being added.
    pub source: Source,
    /// Its name.
    pub name: String,
    /// Its info-hash.
    pub info_hash: InfoHash,
    /// Total size (0 when unknown).
    pub total: u64,
    /// Its files (empty for a magnet link without metadata).
    pub files: Vec<OfferedFile>,
    /// The save folder as typed.
    pub save_path: String,
    /// Start at once.
    pub start: bool,
    /// Download pieces in order.
    pub sequential: bool,
    /// The label it gets.
    pub label: Option<String>,
    /// Fetch the first and last piece of each file first.
    pub first_last: bool,
    /// Where the file list is scrolled.
    pub scroll: Viewport,
}

/// A choice of the add dialog's label picker: a label (or none) and its save folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelOption(pub Option<String>, pub Option<PathBuf>);

impl std::fmt::Display for LabelOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(l) => f.write_str(l),
            None => f.write_str(&fl!("dialog-no-label")),
        }
    }
}

/// Messages of the dialog.
#[derive(Debug, Clone)]
pub enum DialogMessage {
    /// A `.torrent` was read and parsed (or not).
    Parsed(Result<Arc<ParsedTorrent>, String>),
    /// A file's box was ticked or cleared.
    File(usize, bool),
    /// "Select all" (true) or "Select none".
    All(bool),
    /// The save folder was edited.
    SavePath(String),
    /// "Browse…" was pressed.
    Browse,
    /// The folder picker closed.
    Browsed(Option<PathBuf>),
    /// "Start torrent" changed.
    Start(bool),
    /// "Sequential download" changed.
    Sequential(bool),
    /// A label was picked (with the folder it saves in, if it has one).
    Label(LabelOption),
    /// "First and last pieces first" changed.
    FirstLast(bool),
    /// The file list scrolled.
    Scrolled(Viewport),
    /// "Add" (or Enter).
    Confirm,
    /// "Cancel" (or Esc).
    Cancel,
}

/// What the app should do after a dialog message.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing more.
    None,
    /// Add this torrent; the info-hash is set for a magnet link (to ask about files later).
    Add(Box<AddTorrent>, InfoHash),
    /// Set these file priorities of a torrent in the session.
    Priorities(InfoHash, Vec<FilePriority>),
    /// Open the folder picker at this folder.
    Browse(PathBuf),
    /// Show an error.
    Error(String),
}

impl AddDialog {
    /// A dialog for a parsed `.torrent`.
    pub fn for_torrent(parsed: &ParsedTorrent, save_path: &Path) -> AddDialog {
        AddDialog {
            source: Source::Torrent(parsed.bytes.clone()),
            name: parsed.name.clone(),
            info_hash: parsed.info_hash,
            total: parsed.total,
            files: parsed.files.clone(),
            save_path: save_path.display().to_string(),
            start: true,
            sequential: false,
            label: None,
            first_last: false,
            scroll: Viewport::default(),
        }
    }

    /// A dialog for a magnet link.
    pub fn for_magnet(uri: &str, save_path: &Path) -> Result<AddDialog, String> {
        let link =
            MagnetLink::parse(uri).map_err(|e| fl!("error-bad-magnet", reason = e.to_string()))?;
        Ok(AddDialog {
            source: Source::Magnet(uri.to_owned()),
            name: link
                .display_name
                .clone()
                .unwrap_or_else(|| link.info_hash.to_hex()),
            info_hash: link.info_hash,
            total: 0,
            files: Vec::new(),
            save_path: save_path.display().to_string(),
            start: true,
            sequential: false,
            label: None,
            first_last: false,
            scroll: Viewport::default(),
        })
    }

    /// A dialog choosing the files of a magnet link whose metadata just arrived.
    pub fn for_metadata(info_hash: InfoHash, name: String, files: &[FileDetails]) -> AddDialog {
        AddDialog {
            source: Source::Metadata,
            name,
            info_hash,
            total: files.iter().map(|f| f.length).sum(),
            files: files
                .iter()
                .map(|f| OfferedFile {
                    path: f.path.display().to_string(),
                    length: f.length,
                    wanted: f.priority != FilePriority::Skip,
                    pad: false,
                })
                .collect(),
            save_path: String::new(),
            start: true,
            sequential: false,
            label: None,
            first_last: false,
            scroll: Viewport::default(),
        }
    }

    /// Priorities from the ticks: unticked files are skipped.
    pub fn priorities(&self) -> Vec<FilePriority> {
        self.files
            .iter()
            .map(|f| {
                if f.wanted || f.pad {
                    FilePriority::Normal
                } else {
                    FilePriority::Skip
                }
            })
            .collect()
    }

    fn selected_size(&self) -> u64 {
        self.files
            .iter()
            .filter(|f| f.wanted && !f.pad)
            .map(|f| f.length)
            .sum()
    }

    /// The files shown (padding files are not), with their index in the torrent.
    fn shown_files(&self) -> Vec<usize> {
        (0..self.files.len())
            .filter(|&i| !self.files[i].pad)
            .collect()
    }
}

/// The queue of dialogs: the first is shown.
#[derive(Debug, Default)]
pub struct Dialogs {
    queue: VecDeque<AddDialog>,
}

impl Dialogs {
    /// The dialog shown.
    pub fn current(&self) -> Option<&AddDialog> {
        self.queue.front()
    }

    /// How many wait behind the one shown.
    pub fn waiting(&self) -> usize {
        self.queue.len().saturating_sub(1)
    }

    /// Queues a dialog (a torrent already queued is not asked about twice).
    pub fn push(&mut self, dialog: AddDialog) {
        if !self.queue.iter().any(|d| d.info_hash == dialog.info_hash) {
            self.queue.push_back(dialog);
        }
    }

    /// Applies a message to the dialog shown.
    pub fn update(&mut self, message: DialogMessage, save_path: &Path) -> Outcome {
        if let DialogMessage::Parsed(result) = message {
            return match result {
                Ok(parsed) => {
                    self.push(AddDialog::for_torrent(&parsed, save_path));
                    Outcome::None
                }
                Err(e) => Outcome::Error(e),
            };
        }
        let Some(d) = self.queue.front_mut() else {
            return Outcome::None;
        };
        match message {
            DialogMessage::Parsed(_) => {}
            DialogMessage::File(i, on) => {
                if let Some(f) = d.files.get_mut(i) {
                    f.wanted = on;
                }
            }
            DialogMessage::All(on) => d.files.iter_mut().for_each(|f| f.wanted = on),
            DialogMessage::SavePath(p) => d.save_path = p,
            DialogMessage::Browse => return Outcome::Browse(PathBuf::from(&d.save_path)),
            DialogMessage::Browsed(Some(p)) => d.save_path = p.display().to_string(),
            DialogMessage::Browsed(None) => {}
            DialogMessage::Start(on) => d.start = on,
            DialogMessage::Sequential(on) => d.sequential = on,
            DialogMessage::Label(LabelOption(label, folder)) => {
                d.label = label;
                if let Some(folder) = folder {
                    d.save_path = folder.display().to_string();
                }
            }
            DialogMessage::FirstLast(on) => d.first_last = on,
            DialogMessage::Scrolled(v) => d.scroll = v,
            DialogMessage::Cancel => {
                self.queue.pop_front();
            }
            DialogMessage::Confirm => {
                if !d.files.is_empty() && d.selected_size() == 0 && d.total > 0 {
                    return Outcome::Error(fl!("error-no-files-selected"));
                }
                let Some(d) = self.queue.pop_front() else {
                    return Outcome::None;
                };
                let priorities = d.priorities();
                let source = match d.source {
                    Source::Metadata => return Outcome::Priorities(d.info_hash, priorities),
                    Source::Torrent(bytes) => TorrentSource::Bytes(bytes.to_vec()),
                    Source::Magnet(uri) => TorrentSource::Magnet(uri),
                };
                let mut add = AddTorrent::new(source, PathBuf::from(d.save_path.trim()));
                add.paused = !d.start;
                add.sequential = d.sequential;
                add.first_last_pieces_first = d.first_last;
                add.file_priorities = priorities;
                add.label = d.label;
                return Outcome::Add(Box::new(add), d.info_hash);
            }
        }
        Outcome::None
    }
}

/// Parses a `.torrent`'s bytes; `path` names it in the error.
pub fn parse_bytes(path: &Path, bytes: Vec<u8>) -> Result<Arc<ParsedTorrent>, String> {
    let meta = Metainfo::from_bytes(&bytes).map_err(|e| {
        fl!(
            "error-bad-torrent",
            path = path.display().to_string(),
            reason = e.to_string()
        )
    })?;
    Ok(Arc::new(ParsedTorrent {
        name: meta.name.clone(),
        info_hash: meta.info_hash,
        total: meta.files.iter().filter(|f| !f.pad).map(|f| f.length).sum(),
        files: meta
            .files
            .iter()
            .map(|f| OfferedFile {
                path: f.display_path(),
                length: f.length,
                wanted: true,
                pad: f.pad,
            })
            .collect(),
        bytes: bytes.into(),
    }))
}

fn read_and_parse(path: &Path) -> Result<Arc<ParsedTorrent>, String> {
    let cannot_read = |reason: String| {
        fl!(
            "error-read-torrent",
            path = path.display().to_string(),
            reason = reason
        )
    };
    let size = std::fs::metadata(path)
        .map_err(|e| cannot_read(e.to_string()))?
        .len();
    if size > MAX_TORRENT_BYTES {
        return Err(cannot_read(fl!("cli-torrent-too-large")));
    }
    let bytes = std::fs::read(path).map_err(|e| cannot_read(e.to_string()))?;
    parse_bytes(path, bytes)
}

/// Reads and parses a `.torrent` on a blocking thread; the dialog opens when it is done.
pub fn parse_file(path: PathBuf) -> Task<AppMessage> {
    Task::perform(
        async move {
            tokio::task::spawn_blocking(move || read_and_parse(&path))
                .await
                .unwrap_or_else(|e| Err(e.to_string()))
        },
        |r| AppMessage::Dialog(DialogMessage::Parsed(r)),
    )
}

/// Opens the system's folder picker (asynchronous: the window keeps drawing).
pub fn browse(start: PathBuf) -> Task<AppMessage> {
    Task::perform(
        async move {
            rfd::AsyncFileDialog::new()
                .set_title(fl!("dialog-choose-folder"))
                .set_directory(start)
                .pick_folder()
                .await
                .map(|f| f.path().to_path_buf())
        },
        |p| AppMessage::Dialog(DialogMessage::Browsed(p)),
    )
}

fn msg(m: DialogMessage) -> AppMessage {
    AppMessage::Dialog(m)
}

fn labelled<'a>(label: String, value: Element<'a, AppMessage>) -> Element<'a, AppMessage> {
    row![
        container(text(label).size(TEXT).style(theme::label)).width(90),
        value
    ]
    .align_y(Alignment::Center)
    .into()
}

impl App {
    /// The dialog shown, over a dimmed window.
    pub(super) fn dialog_layer<'a>(&'a self, d: &'a AddDialog) -> Element<'a, AppMessage> {
        let metadata = matches!(d.source, Source::Metadata);
        let title = if metadata {
            fl!("dialog-choose-files")
        } else {
            fl!("dialog-add-title")
        };
        let size = if d.total == 0 {
            fl!("dialog-size-unknown")
        } else {
            fl!(
                "dialog-size-value",
                total = format::size(d.total),
                selected = format::size(d.selected_size())
            )
        };
        let mut body = column![
            text(title).size(TEXT + 3.0),
            labelled(fl!("details-name"), text(d.name.as_str()).size(TEXT).into()),
            labelled(
                fl!("details-hash"),
                text(d.info_hash.to_hex()).size(TEXT).into()
            ),
            labelled(fl!("details-size"), text(size).size(TEXT).into()),
        ]
        .spacing(6);
        if !metadata {
            body = body.push(labelled(
                fl!("dialog-save-in"),
                row![
                    text_input("", &d.save_path)
                        .id(SAVE_PATH_ID)
                        .on_input(|s| msg(DialogMessage::SavePath(s)))
                        .on_submit(msg(DialogMessage::Confirm))
                        .size(TEXT)
                        .width(Fill),
                    container(
                        button(text(fl!("dialog-browse")).size(TEXT))
                            .on_press(msg(DialogMessage::Browse))
                    )
                    .id("dialog-browse"),
                ]
                .spacing(6)
                .align_y(Alignment::Center)
                .into(),
            ));
            if !self.settings.labels.is_empty() {
                let mut options = vec![LabelOption(None, None)];
                options.extend(
                    self.settings
                        .labels
                        .iter()
                        .map(|l| LabelOption(Some(l.name.clone()), l.save_path.clone())),
                );
                let chosen = options.iter().find(|o| o.0 == d.label).cloned();
                body = body.push(labelled(
                    fl!("dialog-label"),
                    container(
                        pick_list(options, chosen, |o| msg(DialogMessage::Label(o)))
                            .text_size(TEXT),
                    )
                    .id(LABEL_PICK_ID)
                    .into(),
                ));
            }
            body = body.push(
                row![
                    container(
                        checkbox(d.start)
                            .label(fl!("dialog-start"))
                            .text_size(TEXT)
                            .on_toggle(|b| msg(DialogMessage::Start(b)))
                    )
                    .id("dialog-start"),
                    container(
                        checkbox(d.sequential)
                            .label(fl!("dialog-sequential"))
                            .text_size(TEXT)
                            .on_toggle(|b| msg(DialogMessage::Sequential(b)))
                    )
                    .id("dialog-sequential"),
                    container(
                        checkbox(d.first_last)
                            .label(fl!("dialog-first-last"))
                            .text_size(TEXT)
                            .on_toggle(|b| msg(DialogMessage::FirstLast(b)))
                    )
                    .id("dialog-first-last"),
                ]
                .spacing(20)
                .wrap()
                .vertical_spacing(6),
            );
        }
        body = body.push(files_box(d));
        let waiting = self.dialogs.waiting();
        body = body.push(
            row![
                text(if waiting > 0 {
                    fl!("dialog-waiting", count = waiting)
                } else {
                    String::new()
                })
                .size(TEXT)
                .style(theme::label),
                space().width(Fill),
                container(
                    button(text(fl!("cancel")).size(TEXT)).on_press(msg(DialogMessage::Cancel))
                )
                .id("dialog-cancel"),
                container(
                    button(
                        text(if metadata {
                            fl!("dialog-ok")
                        } else {
                            fl!("magnet-add")
                        })
                        .size(TEXT)
                    )
                    .style(button::primary)
                    .on_press(msg(DialogMessage::Confirm))
                )
                .id("dialog-add"),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
        let dialog = container(body).padding(14).width(620).style(theme::modal);
        opaque(center(dialog).style(theme::backdrop))
    }
}

fn files_box(d: &AddDialog) -> Element<'_, AppMessage> {
    if d.files.is_empty() {
        return container(
            text(fl!("dialog-files-later"))
                .size(TEXT)
                .style(theme::label),
        )
        .padding([8, 0])
        .into();
    }
    let shown = d.shown_files();
    let list = windowed(shown.len(), FILE_ROW, d.scroll, |n| {
        let i = shown[n];
        let f = &d.files[i];
        row![
            container(
                checkbox(f.wanted)
                    .label(f.path.as_str())
                    .text_size(TEXT)
                    .text_wrapping(text::Wrapping::None)
                    .width(Fill)
                    .on_toggle(move |b| msg(DialogMessage::File(i, b)))
            )
            .id(format!("dialog-file-{i}"))
            .width(Fill)
            .clip(true),
            container(text(format::size(f.length)).size(TEXT)).width(80),
        ]
        .height(FILE_ROW)
        .align_y(Alignment::Center)
        .into()
    });
    column![
        row![
            text(fl!("details-files")).size(TEXT),
            space().width(Fill),
            container(
                button(text(fl!("dialog-select-all")).size(TEXT))
                    .style(theme::flat_button)
                    .padding([2, 8])
                    .on_press(msg(DialogMessage::All(true)))
            )
            .id("dialog-all"),
            container(
                button(text(fl!("dialog-select-none")).size(TEXT))
                    .style(theme::flat_button)
                    .padding([2, 8])
                    .on_press(msg(DialogMessage::All(false)))
            )
            .id("dialog-none"),
        ]
        .align_y(Alignment::Center),
        container(
            scrollable(list)
                .on_scroll(|v| msg(DialogMessage::Scrolled(Viewport {
                    offset: v.absolute_offset().y,
                    height: v.bounds().height,
                })))
                .height(Fill)
        )
        .padding(4)
        .height(220)
        .style(theme::sidebar),
    ]
    .spacing(4)
    .into()
}
