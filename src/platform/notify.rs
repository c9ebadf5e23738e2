//! Desktop notifications: a download finished, a torrent stopped with an error, a magnet link's
//! files arrived while the window was closed.
//!
//! Two halves. [`NoticeBatcher`] is pure: the app tells it what happened and when, and asks it
//! what is due at a given instant; finishes (and, separately, errors) that arrive within
//! [`BATCH_WINDOW`] of each other come out as one summary ("3 downloads finished"), so a batch of
//! torrents completing together never floods the desktop. It has no timers: the GUI calls
//! [`NoticeBatcher::due`] from a tick while [`NoticeBatcher::is_waiting`].
//!
//! [`send`] delivers a [`Notice`] through notify-rust (the freedesktop D-Bus interface on Linux and
//! the BSDs, toasts on Windows, the notification centre on macOS) on a thread of its own, so the
//! UI thread never waits on D-Bus. Where notifications carry actions (the freedesktop interface),
//! a finished download gets "Open folder" (clicking the notification does the same), and that
//! thread waits for the answer and opens the folder with [`super::folder`]. A failure (no
//! notification service, no session bus) is written to stderr once; the app goes on without.
//!
//! This module knows neither the GUI nor the engine: it takes names and folders.

use crate::fl;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Finishes (or errors) closer together than this are told in one notification.
pub const BATCH_WINDOW: Duration = Duration::from_secs(2);
/// However steadily they keep coming, waiting finishes are told at least this often.
pub const MAX_DELAY: Duration = Duration::from_secs(10);
/// Names listed in a summary's body; the rest are counted.
pub const NAMES_IN_SUMMARY: usize = 5;
/// Notifications whose action is waited for at once (each holds a parked thread until the
/// notification closes); more are shown without the action.
pub const MAX_WAITING: usize = 8;
/// The application name and icon the notification service is given (the app's reverse-DNS id,
/// as in the `.desktop` file).
pub const APP_ID: &str = "org.brooklet.Brooklet";
/// The action identifier of "Open folder".
pub const OPEN_FOLDER_ACTION: &str = "open-folder";

/// A download that finished: its name and the folder it was saved in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// The torrent's name (also its own folder's name, for a multi-file torrent).
    pub name: String,
    /// The folder the torrent was saved in.
    pub save_folder: PathBuf,
}

/// What one notification tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// One download finished.
    Finished(Finished),
    /// `count` downloads finished close together: the first few names, and the save folder
    /// when they all share one.
    FinishedMany {
        count: usize,
        names: Vec<String>,
        save_folder: Option<PathBuf>,
    },
    /// A torrent stopped with an error.
    Error { name: String, message: String },
    /// `count` torrents stopped with errors close together: the first few names.
    Errors { count: usize, names: Vec<String> },
    /// A magnet link's metadata arrived: the torrent now has a name and files.
    Metadata { name: String },
}

impl Notice {
    /// The notification's title, in the current language.
    pub fn summary(&self) -> String {
        match self {
            Notice::Finished(_) => fl!("notify-finished"),
            &Notice::FinishedMany { count, .. } => fl!("notify-finished-many", count = count),
            Notice::Error { name, .. } => fl!("notify-error", name = name.as_str()),
            &Notice::Errors { count, .. } => fl!("notify-errors-many", count = count),
            Notice::Metadata { .. } => fl!("notify-metadata"),
        }
    }

    /// The notification's text, in the current language.
    pub fn body(&self) -> String {
        match self {
            Notice::Finished(f) => f.name.clone(),
            Notice::FinishedMany { count, names, .. } | Notice::Errors { count, names } => {
                let mut lines = names.clone();
                let rest = count.saturating_sub(names.len());
                if rest > 0 {
                    lines.push(fl!("notify-and-more", count = rest));
                }
                lines.join("\n")
            }
            Notice::Error { message, .. } => message.clone(),
            Notice::Metadata { name } => fl!("notify-metadata-body", name = name.as_str()),
        }
    }

    /// The folder "Open folder" shows, for notices that have one.
    pub fn folder(&self) -> Option<PathBuf> {
        match self {
            Notice::Finished(f) => {
                Some(super::folder::torrent_folder(&f.save_folder, Some(&f.name)))
            }
            Notice::FinishedMany { save_folder, .. } => save_folder.clone(),
            _ => None,
        }
    }
}

/// Events of one kind waiting to be told, with when the first and the latest arrived.
#[derive(Debug)]
struct Queue<T> {
    items: Vec<T>,
    first: Option<Instant>,
    latest: Option<Instant>,
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue {
            items: Vec::new(),
            first: None,
            latest: None,
        }
    }
}

impl<T> Queue<T> {
    fn push(&mut self, item: T, now: Instant) {
        self.first.get_or_insert(now);
        self.latest = Some(now);
        self.items.push(item);
    }

    /// When the waiting items fall due: [`BATCH_WINDOW`] after the latest arrival, but no
    /// later than [`MAX_DELAY`] after the first.
    fn due_at(&self) -> Option<Instant> {
        Some((self.latest? + BATCH_WINDOW).min(self.first? + MAX_DELAY))
    }

    /// The items, if they are due at `now` (and the queue empties).
    fn take_if_due(&mut self, now: Instant) -> Option<Vec<T>> {
        if self.due_at()? > now {
            return None;
        }
        self.first = None;
        self.latest = None;
        Some(std::mem::take(&mut self.items))
    }
}

/// Collects finishes and errors and turns those that arrive close together into one notice per
/// kind. Pure: the caller passes the time.
#[derive(Debug, Default)]
pub struct NoticeBatcher {
    finished: Queue<Finished>,
    errors: Queue<(String, String)>,
}

impl NoticeBatcher {
    /// A download finished at `now`.
    pub fn finished(&mut self, finished: Finished, now: Instant) {
        self.finished.push(finished, now);
    }

    /// A torrent stopped with `message` at `now`.
    pub fn error(&mut self, name: String, message: String, now: Instant) {
        self.errors.push((name, message), now);
    }

    /// Whether anything waits to be told (the GUI ticks only then).
    pub fn is_waiting(&self) -> bool {
        !self.finished.items.is_empty() || !self.errors.items.is_empty()
    }

    /// When the next notice falls due, if anything waits.
    pub fn next_due(&self) -> Option<Instant> {
        match (self.finished.due_at(), self.errors.due_at()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The notices due at `now`: finishes first, then errors, never merged with each other.
    pub fn due(&mut self, now: Instant) -> Vec<Notice> {
        let mut notices = Vec::new();
        if let Some(mut done) = self.finished.take_if_due(now) {
            notices.push(if done.len() == 1 {
                Notice::Finished(done.remove(0))
            } else {
                let save_folder = done
                    .first()
                    .map(|f| f.save_folder.clone())
                    .filter(|first| done.iter().all(|f| &f.save_folder == first));
                Notice::FinishedMany {
                    count: done.len(),
                    names: done
                        .into_iter()
                        .take(NAMES_IN_SUMMARY)
                        .map(|f| f.name)
                        .collect(),
                    save_folder,
                }
            });
        }
        if let Some(mut errors) = self.errors.take_if_due(now) {
            notices.push(if errors.len() == 1 {
                let (name, message) = errors.remove(0);
                Notice::Error { name, message }
            } else {
                Notice::Errors {
                    count: errors.len(),
                    names: errors
                        .into_iter()
                        .take(NAMES_IN_SUMMARY)
                        .map(|(name, _)| name)
                        .collect(),
                }
            });
        }
        notices
    }
}

/// Why a notification could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The notification service refused or could not be reached (no daemon, no session bus).
    #[error("{0}")]
    Service(#[from] notify_rust::error::Error),
}

/// A notification on screen, with what its action would open.
pub struct Shown {
    #[cfg(all(unix, not(target_os = "macos")))]
    handle: Option<notify_rust::NotificationHandle>,
    /// The folder "Open folder" opens, when the notification offers it.
    folder: Option<PathBuf>,
    /// Keeps a place among the [`MAX_WAITING`] waiting threads while this notification lives.
    _slot: Option<WaitSlot>,
}

impl Shown {
    /// The id the notification service gave it (freedesktop only).
    pub fn id(&self) -> Option<u32> {
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            self.handle.as_ref().map(|h| h.id())
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        {
            None
        }
    }

    /// Whether the notification offers "Open folder".
    pub fn offers_open_folder(&self) -> bool {
        self.folder.is_some()
    }

    /// Blocks this thread until the user acts on the notification or it closes; "Open folder"
    /// (or a click on the notification) opens the folder. Returns at once when it offers no
    /// action.
    pub fn wait_for_open_folder(self) {
        #[cfg(all(unix, not(target_os = "macos")))]
        if let (Some(handle), Some(folder)) = (self.handle, self.folder) {
            handle.wait_for_action(|action| {
                if action == OPEN_FOLDER_ACTION || action == "default" {
                    open_folder(&folder);
                }
            });
        }
    }
}

/// Shows `notice` now, on this thread (a D-Bus round trip on Linux). With `offer_open`, a notice
/// that has a folder gets the "Open folder" action where the platform has actions.
pub fn show(notice: &Notice, offer_open: bool) -> Result<Shown, NotifyError> {
    let mut n = notify_rust::Notification::new();
    n.appname("Brooklet")
        .summary(&notice.summary())
        .body(&notice.body());
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        n.icon(APP_ID)
            .hint(notify_rust::Hint::DesktopEntry(APP_ID.to_owned()));
        let category = match notice {
            Notice::Error { .. } | Notice::Errors { .. } => "transfer.error",
            _ => "transfer.complete",
        };
        n.hint(notify_rust::Hint::Category(category.to_owned()));
        let slot = notice
            .folder()
            .filter(|_| offer_open)
            .and_then(|folder| WaitSlot::take().map(|slot| (folder, slot)));
        let label = fl!("notify-open-folder");
        if slot.is_some() {
            n.action("default", &label)
                .action(OPEN_FOLDER_ACTION, &label);
        }
        let handle = n.show()?;
        let (folder, slot) = slot.map_or((None, None), |(f, s)| (Some(f), Some(s)));
        Ok(Shown {
            handle: Some(handle),
            folder,
            _slot: slot,
        })
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        let _ = offer_open;
        n.show()?;
        Ok(Shown {
            folder: None,
            _slot: None,
        })
    }
}

/// Shows `notice` on a thread of its own and returns at once; that thread then waits for its
/// action. Failures are reported once on stderr.
pub fn send(notice: Notice) {
    let spawned = std::thread::Builder::new()
        .name("brooklet-notify".into())
        .spawn(move || match show(&notice, true) {
            Ok(shown) => shown.wait_for_open_folder(),
            Err(e) => report_once(&e.to_string()),
        });
    if let Err(e) = spawned {
        report_once(&e.to_string());
    }
}

/// Writes the first failure to stderr; later ones are expected (the service is still missing)
/// and stay quiet.
fn report_once(reason: &str) {
    static REPORTED: AtomicBool = AtomicBool::new(false);
    if !REPORTED.swap(true, Ordering::Relaxed) {
        eprintln!(
            "brooklet: {}",
            fl!("warning-notifications", reason = reason)
        );
    }
}

#[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
fn open_folder(folder: &Path) {
    if let Err(e) = super::folder::open_in_file_manager(folder) {
        eprintln!("brooklet: {e}");
    }
}

/// One of the [`MAX_WAITING`] places for a thread waiting on a notification's action; freed on
/// drop.
struct WaitSlot;

static WAITING: AtomicUsize = AtomicUsize::new(0);

impl WaitSlot {
    #[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
    fn take() -> Option<WaitSlot> {
        WAITING
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_WAITING).then_some(n + 1)
            })
            .ok()
            .map(|_| WaitSlot)
    }
}

impl Drop for WaitSlot {
    fn drop(&mut self) {
        WAITING.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn done(name: &str) -> Finished {
        Finished {
            name: name.into(),
            save_folder: PathBuf::from("/downloads"),
        }
    }

    #[test]
    fn one_finish_is_one_notification_naming_it_after_the_window() {
        let t0 = Instant::now();
        let mut b = NoticeBatcher::default();
        b.finished(done("ubuntu.iso"), t0);
        assert!(b.is_waiting());
        assert_eq!(b.due(t0 + BATCH_WINDOW / 2), vec![]);
        assert_eq!(b.next_due(), Some(t0 + BATCH_WINDOW));
        let notices = b.due(t0 + BATCH_WINDOW);
        assert_eq!(notices, vec![Notice::Finished(done("ubuntu.iso"))]);
        assert!(notices[0].body().contains("ubuntu.iso"));
        assert!(!b.is_waiting());
        assert_eq!(b.due(t0 + MAX_DELAY * 2), vec![]);
    }

    #[test]
    fn three_finishes_close_together_are_one_summary_with_the_count() {
        let t0 = Instant::now();
        let mut b = NoticeBatcher::default();
        b.finished(done("a"), t0);
        b.finished(done("b"), t0 + Duration::from_millis(1500));
        // The window runs from the latest finish.
        assert_eq!(b.due(t0 + BATCH_WINDOW), vec![]);
        b.finished(done("c"), t0 + Duration::from_millis(3000));
        assert_eq!(b.due(t0 + Duration::from_millis(4900)), vec![]);
        let notices = b.due(t0 + Duration::from_millis(5000));
        assert_eq!(
            notices,
            vec![Notice::FinishedMany {
                count: 3,
                names: vec!["a".into(), "b".into(), "c".into()],
                save_folder: Some(PathBuf::from("/downloads")),
            }]
        );
        assert_eq!(notices[0].summary(), "3 downloads finished");
        assert_eq!(notices[0].body(), "a\nb\nc");
    }

    #[test]
    fn errors_are_not_merged_with_finishes() {
        let t0 = Instant::now();
        let mut b = NoticeBatcher::default();
        b.finished(done("a"), t0);
        b.error("b".into(), "disk full".into(), t0);
        b.finished(done("c"), t0);
        let notices = b.due(t0 + BATCH_WINDOW);
        assert_eq!(notices.len(), 2);
        assert!(matches!(notices[0], Notice::FinishedMany { count: 2, .. }));
        assert_eq!(
            notices[1],
            Notice::Error {
                name: "b".into(),
                message: "disk full".into()
            }
        );
        assert_eq!(notices[1].body(), "disk full");
        assert!(notices[1].summary().contains('b'));
    }

    #[test]
    fn a_steady_trickle_is_still_told_and_long_lists_are_counted() {
        let t0 = Instant::now();
        let mut b = NoticeBatcher::default();
        let mut now = t0;
        for i in 0..12 {
            b.finished(
                Finished {
                    name: format!("t{i}"),
                    save_folder: PathBuf::from(format!("/d{}", i % 2)),
                },
                now,
            );
            now += Duration::from_secs(1);
        }
        assert_eq!(b.next_due(), Some(t0 + MAX_DELAY));
        let notices = b.due(t0 + MAX_DELAY);
        let [
            Notice::FinishedMany {
                count,
                names,
                save_folder,
            },
        ] = notices.as_slice()
        else {
            panic!("{notices:?}");
        };
        assert_eq!(
            (*count, names.len(), save_folder),
            (12, NAMES_IN_SUMMARY, &None)
        );
        assert!(
            notices[0].body().ends_with("and 7 more"),
            "{}",
            notices[0].body()
        );
        assert_eq!(notices[0].folder(), None);
    }

    #[test]
    fn many_errors_are_one_summary() {
        let t0 = Instant::now();
        let mut b = NoticeBatcher::default();
        b.error("a".into(), "x".into(), t0);
        b.error("b".into(), "y".into(), t0);
        let notices = b.due(t0 + BATCH_WINDOW);
        assert_eq!(
            notices,
            vec![Notice::Errors {
                count: 2,
                names: vec!["a".into(), "b".into()]
            }]
        );
        assert_eq!(notices[0].summary(), "2 torrents stopped with errors");
    }

    #[test]
    fn the_folder_of_a_finish_is_its_own_folder_when_it_has_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("album")).unwrap();
        let own = Notice::Finished(Finished {
            name: "album".into(),
            save_folder: dir.path().to_path_buf(),
        });
        assert_eq!(own.folder(), Some(dir.path().join("album")));
        let single_file = Notice::Finished(Finished {
            name: "x.iso".into(),
            save_folder: dir.path().to_path_buf(),
        });
        assert_eq!(single_file.folder(), Some(dir.path().to_path_buf()));
        assert_eq!(Notice::Metadata { name: "m".into() }.folder(), None);
    }

    #[test]
    fn wait_slots_are_bounded_and_freed() {
        let slots: Vec<WaitSlot> = std::iter::from_fn(WaitSlot::take).take(100).collect();
        assert!(slots.len() <= MAX_WAITING);
        drop(slots);
        assert!(WaitSlot::take().is_some());
    }
}
