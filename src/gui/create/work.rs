//! What the create dialog starts off the UI thread: walking the source, hashing it on all cores
//! with progress, the file pickers and save dialog (rfd), and writing the `.torrent` atomically.

use super::{CreateMessage, Hashed, Job, Scanned};
use crate::engine::create::{
    CreateError, CreateOptions, CreatedTorrent, collect_files, create_from,
};
use crate::fl;
use iced::Task;
use iced::futures::SinkExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// How often the progress bar is refreshed while hashing.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// A creation error in words.
pub(super) fn describe(e: &CreateError) -> String {
    match e {
        CreateError::NoData(path) => fl!("create-error-empty", path = path.display().to_string()),
        CreateError::TooManyFiles { path, max } => {
            let max = *max;
            fl!(
                "create-error-too-many-files",
                path = path.display().to_string(),
                max = max
            )
        }
        other => fl!("create-error", reason = other.to_string()),
    }
}

/// Walks the source on a blocking thread.
pub(super) fn scan(id: u64, source: PathBuf) -> Task<CreateMessage> {
    Task::perform(
        async move {
            tokio::task::spawn_blocking(move || {
                collect_files(&source)
                    .map(|s| Scanned {
                        name: s.name,
                        total: s.total_length,
                        files: s.files.len(),
                    })
                    .map_err(|e| describe(&e))
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()))
        },
        move |r| CreateMessage::Scanned(id, r),
    )
}

/// Hashes on a blocking thread, reporting progress every [`PROGRESS_EVERY`] until it ends.
pub fn hash(id: u64, options: CreateOptions, job: Arc<Job>) -> Task<CreateMessage> {
    let stream = iced::stream::channel(4, async move |mut tx| {
        let worker = job.clone();
        let mut work = tokio::task::spawn_blocking(move || {
            let files = collect_files(&options.source)?;
            worker.total.store(files.total_length, Ordering::Relaxed);
            create_from(&options, &files, &worker.progress)
        });
        let mut tick = tokio::time::interval(PROGRESS_EVERY);
        let result = loop {
            tokio::select! {
                r = &mut work => break r,
                _ = tick.tick() => {
                    let done = job.progress.bytes.load(Ordering::Relaxed);
                    let total = job.total.load(Ordering::Relaxed);
                    let _ = tx.send(CreateMessage::Progress(id, done, total)).await;
                }
            }
        };
        let outcome = match result {
            Ok(Ok(made)) => Hashed::Done(Arc::new(made)),
            Ok(Err(CreateError::Cancelled(_))) => Hashed::Cancelled,
            Ok(Err(e)) => Hashed::Failed(describe(&e)),
            Err(e) => Hashed::Failed(fl!("create-error", reason = e.to_string())),
        };
        let _ = tx.send(CreateMessage::Hashed(id, outcome)).await;
    });
    Task::run(stream, std::convert::identity)
}

/// The file picker (a file or a folder).
pub(super) fn pick(folder: bool, start: Option<PathBuf>) -> Task<CreateMessage> {
    Task::perform(
        async move {
            let mut d = rfd::AsyncFileDialog::new().set_title(fl!("create-pick-title"));
            if let Some(dir) = start {
                d = d.set_directory(dir);
            }
            let picked = if folder {
                d.pick_folder().await
            } else {
                d.pick_file().await
            };
            picked.map(|f| f.path().to_path_buf())
        },
        CreateMessage::Picked,
    )
}

/// `<name>.torrent` in the source's parent folder.
pub fn default_torrent_path(torrent: &CreatedTorrent) -> PathBuf {
    torrent
        .save_folder
        .join(format!("{}.torrent", torrent.metainfo.name))
}

/// The save dialog, at `<name>.torrent` in the source's parent folder.
pub(super) fn ask_where_to_save(torrent: &CreatedTorrent) -> Task<CreateMessage> {
    let folder = torrent.save_folder.clone();
    let name = format!("{}.torrent", torrent.metainfo.name);
    Task::perform(
        async move {
            rfd::AsyncFileDialog::new()
                .set_title(fl!("create-save-title"))
                .add_filter(fl!("dialog-torrent-files"), &["torrent"])
                .set_directory(folder)
                .set_file_name(name)
                .save_file()
                .await
                .map(|f| f.path().to_path_buf())
        },
        CreateMessage::SaveTo,
    )
}

/// `path`, with `.torrent` added when it has no extension.
pub(super) fn with_torrent_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_some() {
        path
    } else {
        path.with_extension("torrent")
    }
}

/// Writes the `.torrent` atomically (temp file, fsync, rename) on a blocking thread.
pub(super) fn write(path: PathBuf, bytes: Vec<u8>) -> Task<CreateMessage> {
    Task::perform(
        async move {
            let shown = path.display().to_string();
            tokio::task::spawn_blocking(move || {
                crate::engine::session_state::write_atomically(&path, &bytes)
                    .map(|()| path)
                    .map_err(|e| e.to_string())
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()))
            .map_err(|reason| fl!("create-error-write", path = shown, reason = reason))
        },
        CreateMessage::Written,
    )
}
