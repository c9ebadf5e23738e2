//! Opening a torrent's folder in the system's file manager (`xdg-open`, `explorer`, `open`).
//!
//! Shared by the list's context menu and the "Open folder" action of a notification. The call
//! checks the disk and starts a process, so callers run it off the UI thread. The launched file
//! manager is reaped by a thread of its own; nothing here waits for it to close.

use crate::fl;
use std::path::{Path, PathBuf};

/// The folder to show for a torrent saved in `save_folder`: its own folder (`save_folder/name`)
/// when it has one, else the save folder. No name: the save folder.
pub fn torrent_folder(save_folder: &Path, name: Option<&str>) -> PathBuf {
    match name.map(|n| save_folder.join(n)) {
        Some(own) if own.is_dir() => own,
        _ => save_folder.to_path_buf(),
    }
}

/// Opens `folder` in the file manager; the error is a translated sentence for the user.
pub fn open_in_file_manager(folder: &Path) -> Result<(), String> {
    let program = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(program)
        .arg(folder)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| {
            let path = folder.display().to_string();
            if e.kind() == std::io::ErrorKind::NotFound {
                fl!("error-no-file-manager", path = path, program = program)
            } else {
                fl!("error-open-folder", path = path, reason = e.to_string())
            }
        })?;
    // Reap it whenever it ends, without waiting here.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}
