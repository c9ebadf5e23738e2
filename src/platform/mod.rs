//! The desktop shell around the app: what reaches Brooklet from outside its window.
//!
//! Today that is the single-instance hand-off ([`instance`]): a second launch gives its
//! `.torrent` paths and magnet links to the running app and exits; the file and link handlers
//! ([`handlers`]): making Brooklet the program the desktop runs for them; desktop notifications
//! ([`notify`]); opening a torrent's folder in the file manager ([`folder`]); the tray icon
//! ([`tray`]); starting at login ([`autostart`]); and on macOS the Apple Events that carry
//! files and links opened while the app runs (`apple_events`). This module turns the outside
//! world into plain requests; it depends on neither the GUI nor the engine, so it is tested
//! without a display.

#[cfg(target_os = "macos")]
pub mod apple_events;
pub mod autostart;
pub mod folder;
pub mod handlers;
pub mod instance;
pub mod notify;
pub mod tray;

/// Resolves when the system asks the program to stop: Ctrl+C (SIGINT), or on Unix SIGTERM (a
/// logout, `systemctl stop`, `kill`). The command line and the desktop app then shut the engine
/// down gracefully (final announces, resume data flushed) instead of dying mid-write.
pub async fn shutdown_requested() {
    // A signal that cannot be watched (no signal driver in this runtime) is never received:
    // resolving at once would quit the program as if the user had asked.
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        match (term, int) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    Some(()) = term.recv() => {}
                    Some(()) = int.recv() => {}
                    else => std::future::pending::<()>().await,
                }
            }
            (Ok(mut one), Err(_)) | (Err(_), Ok(mut one)) => {
                if one.recv().await.is_none() {
                    std::future::pending::<()>().await;
                }
            }
            (Err(_), Err(_)) => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
