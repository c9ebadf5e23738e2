//! The desktop shell around the app: what reaches Brooklet from outside its window.
//!
//! Today that is the single-instance hand-off ([`instance`]): a second launch gives its
//! `.torrent` paths and magnet links to the running app and exits; the file and link handlers
//! ([`handlers`]): making Brooklet the program the desktop runs for them; desktop notifications
//! ([`notify`]); opening a torrent's folder in the file manager ([`folder`]); the tray icon
//! ([`tray`]); and starting at login ([`autostart`]). This module turns the outside world into
//! plain requests; it depends on neither the GUI nor the engine, so it is tested without a
//! display.

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
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
