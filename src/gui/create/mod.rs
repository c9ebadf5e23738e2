//! The "Create torrent" dialog (toolbar, Ctrl+N, or a file or folder dropped on the window).
//!
//! The user picks a source, trackers (one URL a line, a blank line starts the next BEP 12 tier;
//! remembered in the settings), a piece size, the private flag (BEP 27), a comment and whether
//! to seed at once. Scanning the source and hashing it run on blocking threads
//! ([`crate::engine::create`] hashes on all cores); the dialog only holds their results and a
//! shared [`HashProgress`] that Cancel sets. Once made, the `.torrent` is saved where the user
//! says (written atomically) and, if asked, handed to the engine to seed from the source's own
//! folder without a hash check.
//!
//! The dialog owns its [`CreateMessage`]s and asks the app for what it cannot do itself through
//! [`CreateEvent`]s (close, remember the trackers, seed); its view is in `view.rs`, the
//! work it starts (scans, hashing, pickers, writing) in `work.rs`.

mod trackers;
mod view;
mod work;

pub use trackers::parse_trackers;
pub use work::{default_torrent_path, hash};

use super::Message as AppMessage;
use crate::engine::api::{AddTorrent, TorrentSource};
use crate::engine::create::{
    CreateOptions, CreatedTorrent, MAX_AUTO_PIECE_LENGTH, MIN_AUTO_PIECE_LENGTH, auto_piece_length,
};
use crate::engine::storage::check::HashProgress;
use crate::{fl, format};
use iced::Task;
use iced::widget::text_editor;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use work::{ask_where_to_save, pick, scan, with_torrent_extension, write};

/// Id of the source box.
pub const SOURCE_ID: &str = "create-source";
/// Id of the "File…" button.
pub const PICK_FILE_ID: &str = "create-pick-file";
/// Id of the "Folder…" button.
pub const PICK_FOLDER_ID: &str = "create-pick-folder";
/// Id of the trackers editor.
pub const TRACKERS_ID: &str = "create-trackers";
/// Id of the comment box.
pub const COMMENT_ID: &str = "create-comment";
/// Id of the "Private" box.
pub const PRIVATE_ID: &str = "create-private";
/// Id of the "Start seeding" box.
pub const START_SEEDING_ID: &str = "create-start-seeding";
/// Id of the "Create" button.
pub const CREATE_ID: &str = "create-create";
/// Id of the Cancel button (cancels hashing, or closes the dialog).
pub const CANCEL_ID: &str = "create-cancel";
/// Id of the "Save…" button shown when the save dialog was dismissed.
pub const SAVE_ID: &str = "create-save";
/// Id of the "Save next to the files" button.
pub const SAVE_BESIDE_ID: &str = "create-save-beside";
/// Id of the "Copy magnet link" button.
pub const COPY_MAGNET_ID: &str = "create-copy-magnet";
/// Id of the progress bar while hashing.
pub const PROGRESS_ID: &str = "create-progress";
/// Id of the Close button once the torrent is made.
pub const CLOSE_ID: &str = "create-close";

/// The piece size: automatic, or a power of two from 16 KiB to 16 MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceSize {
    /// Chosen from the total size ([`auto_piece_length`]).
    Auto,
    /// This many bytes.
    Fixed(u64),
}

impl PieceSize {
    /// Every choice offered, Auto first.
    pub fn all() -> Vec<PieceSize> {
        let mut v = vec![PieceSize::Auto];
        let mut p = MIN_AUTO_PIECE_LENGTH;
        while p <= MAX_AUTO_PIECE_LENGTH {
            v.push(PieceSize::Fixed(p));
            p *= 2;
        }
        v
    }

    /// The bytes asked for (`None`: automatic).
    pub fn bytes(self) -> Option<u64> {
        match self {
            PieceSize::Auto => None,
            PieceSize::Fixed(n) => Some(n),
        }
    }

    /// The piece length this choice gives for `total` bytes.
    pub fn resolve(self, total: u64) -> u64 {
        self.bytes().unwrap_or_else(|| auto_piece_length(total))
    }
}

impl fmt::Display for PieceSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PieceSize::Auto => f.write_str(&fl!("create-piece-auto")),
            PieceSize::Fixed(n) => f.write_str(&format::size(*n)),
        }
    }
}

/// What a source holds, from a scan off the UI thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    /// The torrent's name.
    pub name: String,
    /// Bytes in all.
    pub total: u64,
    /// Number of files.
    pub files: usize,
}

/// How a hashing job ended.
#[derive(Debug, Clone)]
pub enum Hashed {
    /// The torrent is made.
    Done(Arc<CreatedTorrent>),
    /// Cancel was pressed.
    Cancelled,
    /// It could not be made (unreadable, empty, too many files …), in words.
    Failed(String),
}

/// A hashing job's shared state: the engine's progress (bytes, cancel) and the total once known.
#[derive(Debug, Default)]
pub struct Job {
    /// Bytes hashed and the cancel flag.
    pub progress: HashProgress,
    /// Bytes to hash (0 until the source is walked).
    pub total: AtomicU64,
}

/// Where the dialog is.
#[derive(Debug, Clone)]
pub enum Phase {
    /// The form is being filled in.
    Editing,
    /// Hashing in the background.
    Hashing {
        /// Which job (messages of older jobs are ignored).
        id: u64,
        /// Its shared state; Cancel sets its flag.
        job: Arc<Job>,
        /// Bytes hashed, as last reported.
        done: u64,
        /// Bytes to hash.
        total: u64,
        /// Cancel was pressed; waiting for the workers to stop.
        cancelling: bool,
    },
    /// Made; saved once `saved` is set.
    Created {
        /// The torrent.
        torrent: Arc<CreatedTorrent>,
        /// Where it was written.
        saved: Option<PathBuf>,
        /// Seeding was asked of the engine.
        seeding: bool,
    },
}

/// The open dialog.
#[derive(Debug)]
pub struct CreateDialog {
    /// The file or folder, as typed or picked.
    pub source: String,
    /// What the source holds, once scanned (or why it cannot be used).
    pub scanned: Option<Result<Scanned, String>>,
    /// Tracker URLs, one a line; a blank line starts a new tier.
    pub trackers: text_editor::Content,
    /// The piece size chosen.
    pub piece_size: PieceSize,
    /// BEP 27 private flag.
    pub private: bool,
    /// Free-text comment.
    pub comment: String,
    /// Seed the new torrent at once.
    pub start_seeding: bool,
    /// Editing, hashing or made.
    pub phase: Phase,
    /// What went wrong, shown above the buttons.
    pub problem: Option<String>,
    /// The last scan asked for (older answers are ignored).
    scan: u64,
    /// Jobs started so far.
    jobs: u64,
}

/// What the dialog does.
#[derive(Debug, Clone)]
pub enum CreateMessage {
    /// The source box was edited.
    Source(String),
    /// "File…": pick a file.
    PickFile,
    /// "Folder…": pick a folder.
    PickFolder,
    /// The picker closed (with a path, or cancelled).
    Picked(Option<PathBuf>),
    /// A scan of the source finished.
    Scanned(u64, Result<Scanned, String>),
    /// The trackers editor was used.
    Trackers(text_editor::Action),
    /// A piece size was picked.
    PieceSize(PieceSize),
    /// "Private" ticked or not.
    Private(bool),
    /// The comment box was edited.
    Comment(String),
    /// "Start seeding" ticked or not.
    StartSeeding(bool),
    /// "Create": start hashing.
    Create,
    /// Job `id` has hashed this many bytes of this many.
    Progress(u64, u64, u64),
    /// Job `id` ended.
    Hashed(u64, Hashed),
    /// "Save…": ask again where to save the `.torrent`.
    SaveAs,
    /// "Save next to the files": write `<name>.torrent` in the source's parent folder (for
    /// desktops where the save dialog cannot open).
    SaveBeside,
    /// The save dialog closed: write the `.torrent` there (tests send this directly).
    SaveTo(Option<PathBuf>),
    /// The `.torrent` was written (or not).
    Written(Result<PathBuf, String>),
    /// "Copy magnet link".
    CopyMagnet,
    /// Cancel (or Esc): stop hashing, or close the dialog.
    Cancel,
    /// Close once made.
    Close,
}

/// What the app must do for the dialog.
#[derive(Debug, Clone)]
pub enum CreateEvent {
    /// Close the dialog.
    Close,
    /// Keep these trackers (the editor's text) in the settings for next time.
    RememberTrackers(String),
    /// Add this torrent to the engine (seed it).
    Seed(Box<AddTorrent>),
}

/// A message of the dialog, as the app's.
pub(super) fn msg(m: CreateMessage) -> AppMessage {
    AppMessage::Create(m)
}

impl CreateDialog {
    /// A new dialog with the remembered trackers, prefilled with `source` when given (its scan
    /// task comes with it).
    pub fn new(source: Option<PathBuf>, trackers: &str) -> (CreateDialog, Task<CreateMessage>) {
        let mut d = CreateDialog {
            source: String::new(),
            scanned: None,
            trackers: text_editor::Content::with_text(trackers),
            piece_size: PieceSize::Auto,
            private: false,
            comment: String::new(),
            start_seeding: true,
            phase: Phase::Editing,
            problem: None,
            scan: 0,
            jobs: 0,
        };
        let task = match source {
            Some(p) => d.set_source(p.display().to_string()),
            None => Task::none(),
        };
        (d, task)
    }

    /// True while the form can be edited (a dropped path may replace the source).
    pub fn is_editing(&self) -> bool {
        matches!(self.phase, Phase::Editing)
    }

    /// The options the form describes, or what is wrong with it.
    pub fn options(&self) -> Result<CreateOptions, String> {
        let source = self.source.trim();
        if source.is_empty() {
            return Err(fl!("create-no-source"));
        }
        let mut o = CreateOptions::new(PathBuf::from(source));
        o.trackers = parse_trackers(&self.trackers.text())?;
        o.piece_length = self.piece_size.bytes();
        o.private = self.private;
        let comment = self.comment.trim();
        o.comment = (!comment.is_empty()).then(|| comment.to_owned());
        Ok(o)
    }

    /// The piece length and count the form gives, once the source is scanned.
    pub fn pieces(&self) -> Option<(u64, u64)> {
        let Some(Ok(s)) = &self.scanned else {
            return None;
        };
        let piece = self.piece_size.resolve(s.total);
        Some((piece, s.total.div_ceil(piece)))
    }

    fn set_source(&mut self, source: String) -> Task<CreateMessage> {
        self.source = source;
        self.scanned = None;
        self.problem = None;
        self.scan += 1;
        let trimmed = self.source.trim();
        if trimmed.is_empty() {
            return Task::none();
        }
        scan(self.scan, PathBuf::from(trimmed))
    }

    /// Replaces the source (a path dropped on the window while the form is shown).
    pub fn replace_source(&mut self, source: &Path) -> Task<CreateMessage> {
        if !self.is_editing() {
            return Task::none();
        }
        self.set_source(source.display().to_string())
    }

    /// The magnet link of the torrent made, if any.
    pub fn magnet(&self) -> Option<String> {
        match &self.phase {
            Phase::Created { torrent, .. } => Some(torrent.metainfo.to_magnet().to_uri()),
            _ => None,
        }
    }

    /// Handles a message: a task to run, and maybe something for the app to do.
    pub fn update(&mut self, message: CreateMessage) -> (Task<CreateMessage>, Option<CreateEvent>) {
        let none = (Task::none(), None);
        match message {
            CreateMessage::Source(s) if self.is_editing() => (self.set_source(s), None),
            CreateMessage::PickFile | CreateMessage::PickFolder if self.is_editing() => {
                let start = Path::new(self.source.trim())
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map(Path::to_path_buf);
                let folder = matches!(message, CreateMessage::PickFolder);
                (pick(folder, start), None)
            }
            CreateMessage::Picked(Some(p)) if self.is_editing() => {
                (self.set_source(p.display().to_string()), None)
            }
            CreateMessage::Scanned(id, result) if id == self.scan => {
                self.scanned = Some(result);
                none
            }
            CreateMessage::Trackers(action) if self.is_editing() => {
                self.trackers.perform(action);
                none
            }
            CreateMessage::PieceSize(p) if self.is_editing() => {
                self.piece_size = p;
                none
            }
            CreateMessage::Private(on) if self.is_editing() => {
                self.private = on;
                none
            }
            CreateMessage::Comment(c) if self.is_editing() => {
                self.comment = c;
                none
            }
            CreateMessage::StartSeeding(on) => {
                if !matches!(self.phase, Phase::Created { seeding: true, .. }) {
                    self.start_seeding = on;
                }
                none
            }
            CreateMessage::Create if self.is_editing() => self.start(),
            CreateMessage::Progress(id, done, total) => {
                if let Phase::Hashing {
                    id: current,
                    done: d,
                    total: t,
                    ..
                } = &mut self.phase
                    && *current == id
                {
                    *d = done;
                    *t = total;
                }
                none
            }
            CreateMessage::Hashed(id, outcome) => self.finished(id, outcome),
            CreateMessage::SaveAs => match &self.phase {
                Phase::Created {
                    torrent,
                    saved: None,
                    ..
                } => (ask_where_to_save(torrent), None),
                _ => none,
            },
            CreateMessage::SaveBeside => match &self.phase {
                Phase::Created {
                    torrent,
                    saved: None,
                    ..
                } => (
                    Task::done(CreateMessage::SaveTo(Some(default_torrent_path(torrent)))),
                    None,
                ),
                _ => none,
            },
            CreateMessage::SaveTo(Some(path)) => match &self.phase {
                Phase::Created {
                    torrent,
                    saved: None,
                    ..
                } => {
                    self.problem = None;
                    (
                        write(with_torrent_extension(path), torrent.bytes.clone()),
                        None,
                    )
                }
                _ => none,
            },
            CreateMessage::Written(Ok(path)) => self.written(path),
            CreateMessage::Written(Err(e)) => {
                self.problem = Some(e);
                none
            }
            CreateMessage::CopyMagnet => match self.magnet() {
                Some(link) => (iced::clipboard::write(link), None),
                None => none,
            },
            CreateMessage::Cancel => self.cancel(),
            CreateMessage::Close => (Task::none(), Some(CreateEvent::Close)),
            // Edits while hashing or once made, stale scans, dismissed pickers.
            _ => none,
        }
    }

    fn start(&mut self) -> (Task<CreateMessage>, Option<CreateEvent>) {
        let options = match self.options() {
            Ok(o) => o,
            Err(e) => {
                self.problem = Some(e);
                return (Task::none(), None);
            }
        };
        if let Some(Err(e)) = &self.scanned {
            self.problem = Some(e.clone());
            return (Task::none(), None);
        }
        self.problem = None;
        self.jobs += 1;
        let id = self.jobs;
        let job = Arc::new(Job::default());
        let total = match &self.scanned {
            Some(Ok(s)) => s.total,
            _ => 0,
        };
        self.phase = Phase::Hashing {
            id,
            job: job.clone(),
            done: 0,
            total,
            cancelling: false,
        };
        (
            hash(id, options, job),
            Some(CreateEvent::RememberTrackers(self.trackers.text())),
        )
    }

    fn finished(&mut self, id: u64, outcome: Hashed) -> (Task<CreateMessage>, Option<CreateEvent>) {
        let Phase::Hashing { id: current, .. } = &self.phase else {
            return (Task::none(), None);
        };
        if *current != id {
            return (Task::none(), None);
        }
        match outcome {
            Hashed::Done(torrent) => {
                let task = ask_where_to_save(&torrent);
                self.phase = Phase::Created {
                    torrent,
                    saved: None,
                    seeding: false,
                };
                (task, None)
            }
            Hashed::Cancelled => {
                self.phase = Phase::Editing;
                self.problem = Some(fl!("create-cancelled"));
                (Task::none(), None)
            }
            Hashed::Failed(e) => {
                self.phase = Phase::Editing;
                self.problem = Some(e);
                (Task::none(), None)
            }
        }
    }

    fn written(&mut self, path: PathBuf) -> (Task<CreateMessage>, Option<CreateEvent>) {
        let start_seeding = self.start_seeding;
        let Phase::Created {
            torrent,
            saved,
            seeding,
        } = &mut self.phase
        else {
            return (Task::none(), None);
        };
        *saved = Some(path);
        if !start_seeding || *seeding {
            return (Task::none(), None);
        }
        *seeding = true;
        let mut add = AddTorrent::new(
            TorrentSource::Bytes(torrent.bytes.clone()),
            torrent.save_folder.clone(),
        );
        add.skip_check = true;
        (Task::none(), Some(CreateEvent::Seed(Box::new(add))))
    }

    fn cancel(&mut self) -> (Task<CreateMessage>, Option<CreateEvent>) {
        match &mut self.phase {
            Phase::Hashing {
                job, cancelling, ..
            } => {
                // The workers stop at their next piece; `Hashed(Cancelled)` follows.
                job.progress.cancel.store(true, Ordering::Relaxed);
                *cancelling = true;
                (Task::none(), None)
            }
            _ => (Task::none(), Some(CreateEvent::Close)),
        }
    }

    /// Stops any hashing (the dialog is going away).
    pub fn abandon(&self) {
        if let Phase::Hashing { job, .. } = &self.phase {
            job.progress.cancel.store(true, Ordering::Relaxed);
        }
    }
}

impl super::App {
    /// Opens the dialog (or, when open and editable, puts `source` in it).
    pub(super) fn open_create(&mut self, source: Option<PathBuf>) -> Task<AppMessage> {
        if let Some(d) = self.create.as_mut() {
            return match source {
                Some(p) => d.replace_source(&p).map(AppMessage::Create),
                None => Task::none(),
            };
        }
        let (d, task) = CreateDialog::new(source, &self.settings.create_trackers);
        self.create = Some(d);
        task.map(AppMessage::Create)
    }

    /// A message of the create dialog.
    pub(super) fn on_create(&mut self, message: CreateMessage) -> Task<AppMessage> {
        let Some(d) = self.create.as_mut() else {
            return Task::none();
        };
        let (task, event) = d.update(message);
        let task = task.map(AppMessage::Create);
        let follow = match event {
            None => Task::none(),
            Some(CreateEvent::Close) => {
                if let Some(d) = self.create.take() {
                    d.abandon();
                }
                Task::none()
            }
            Some(CreateEvent::RememberTrackers(text)) => {
                if text == self.settings.create_trackers {
                    Task::none()
                } else {
                    let mut s = self.settings.clone();
                    s.create_trackers = text;
                    self.apply_settings(s)
                }
            }
            Some(CreateEvent::Seed(add)) => {
                if self.engine.is_none() {
                    self.error = Some(fl!("error-engine-not-ready"));
                    Task::none()
                } else {
                    self.add(*add)
                }
            }
        };
        Task::batch([task, follow])
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::engine::create::auto_piece_length;

    #[test]
    fn piece_sizes_are_auto_and_the_powers_of_two_from_16_kib_to_16_mib() {
        let all = PieceSize::all();
        assert_eq!(all.len(), 12);
        assert_eq!(all[0], PieceSize::Auto);
        assert_eq!(all[1], PieceSize::Fixed(16 << 10));
        assert_eq!(all[11], PieceSize::Fixed(16 << 20));
        assert_eq!(PieceSize::Auto.resolve(1 << 30), auto_piece_length(1 << 30));
    }
}
