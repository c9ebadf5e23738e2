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
