//! The tray icon: transfers go on while the window is closed, and the tray brings it back.
//!
//! tray-icon draws the icon everywhere: a StatusNotifierItem over D-Bus on Linux and the BSDs
//! (its ksni backend, no GTK), the notification area on Windows, the menu bar on macOS. Its menu
//! offers show/hide, pause all, resume all, alternative speed limits and quit; a left click on
//! the icon shows or hides the window, and the tooltip carries the global rates.
//!
//! A StatusNotifierItem is only seen when a tray host (a panel) has registered with the
//! `org.kde.StatusNotifierWatcher`; [`host_available`] asks the watcher first, so on a bare X
//! session the app knows there is no tray and keeps closing the window as a real quit.
//!
//! Clicks arrive on tray-icon's own threads; they become [`TrayAction`]s on a bounded channel
//! that [`actions`] turns into a stream for the GUI. Nothing here knows the GUI or the engine.

use iced::futures::Stream;
use iced::futures::stream;
use std::sync::Mutex;
use tokio::sync::mpsc;
use tray_icon::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tray_icon::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};

/// What the user asked for from the tray.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrayAction {
    /// Show the window, or hide it when it is shown (menu entry or a left click on the icon).
    ShowHide,
    /// Pause every torrent.
    PauseAll,
    /// Resume every torrent.
    ResumeAll,
    /// Turn the alternative speed limits on or off.
    ToggleAltSpeed,
    /// Quit Brooklet (graceful engine shutdown).
    Quit,
}

impl TrayAction {
    const ALL: [TrayAction; 5] = [
        TrayAction::ShowHide,
        TrayAction::PauseAll,
        TrayAction::ResumeAll,
        TrayAction::ToggleAltSpeed,
        TrayAction::Quit,
    ];

    /// The menu entry's id (stable, so clicks map back without shared state).
    fn menu_id(self) -> &'static str {
        match self {
            TrayAction::ShowHide => "brooklet-show-hide",
            TrayAction::PauseAll => "brooklet-pause-all",
            TrayAction::ResumeAll => "brooklet-resume-all",
            TrayAction::ToggleAltSpeed => "brooklet-alt-speed",
            TrayAction::Quit => "brooklet-quit",
        }
    }

    fn from_menu_id(id: &str) -> Option<TrayAction> {
        TrayAction::ALL.into_iter().find(|a| a.menu_id() == id)
    }
}

/// The menu's texts, already translated.
#[derive(Debug, Clone)]
pub struct TrayLabels {
    pub show_hide: String,
    pub pause_all: String,
    pub resume_all: String,
    pub alt_speed: String,
    pub quit: String,
}

/// Why there is no tray icon.
#[derive(Debug, thiserror::Error)]
pub enum TrayError {
    #[error("the tray icon could not be made: {0}")]
    Icon(String),
}

/// The icon in the tray, while it exists (dropping it removes the icon).
pub struct Tray {
    icon: TrayIcon,
    alt_speed: CheckMenuItem,
    tooltip: String,
}

impl std::fmt::Debug for Tray {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tray")
            .field("tooltip", &self.tooltip)
            .finish_non_exhaustive()
    }
}

impl Tray {
    /// Puts the icon in the tray with its menu. Call it on the thread that runs the window's
    /// event loop (Windows and macOS need that), after [`host_available`] said yes.
    pub fn new(labels: &TrayLabels, tooltip: &str, alt_speed: bool) -> Result<Tray, TrayError> {
        install_handlers();
        let item =
            |action: TrayAction, text: &str| MenuItem::with_id(action.menu_id(), text, true, None);
        let alt = CheckMenuItem::with_id(
            TrayAction::ToggleAltSpeed.menu_id(),
            &labels.alt_speed,
            true,
            alt_speed,
            None,
        );
        let menu = Menu::new();
        menu.append_items(&[
            &item(TrayAction::ShowHide, &labels.show_hide),
            &PredefinedMenuItem::separator(),
            &item(TrayAction::PauseAll, &labels.pause_all),
            &item(TrayAction::ResumeAll, &labels.resume_all),
            &alt,
            &PredefinedMenuItem::separator(),
            &item(TrayAction::Quit, &labels.quit),
        ])
        .map_err(|e| TrayError::Icon(e.to_string()))?;
        let icon = TrayIconBuilder::new()
            .with_id("brooklet")
            .with_title("Brooklet")
            .with_tooltip(tooltip)
            .with_icon(icon()?)
            .with_menu(Box::new(menu))
            .with_menu_on_left_click(false)
            .build()
            .map_err(|e| TrayError::Icon(e.to_string()))?;
        Ok(Tray {
            icon,
            alt_speed: alt,
            tooltip: tooltip.to_owned(),
        })
    }

    /// Sets the tooltip (the global rates); does nothing when it is unchanged.
    pub fn set_tooltip(&mut self, text: &str) {
        if self.tooltip != text {
            text.clone_into(&mut self.tooltip);
            let _ = self.icon.set_tooltip(Some(text));
        }
    }

    /// The tooltip shown now.
    pub fn tooltip(&self) -> &str {
        &self.tooltip
    }

    /// Ticks (or clears) the alternative speed limits entry.
    pub fn set_alt_speed(&self, on: bool) {
        if self.alt_speed.is_checked() != on {
            self.alt_speed.set_checked(on);
        }
    }
}

/// The 32 × 32 app icon.
const ICON_PNG: &[u8] = super::handlers::ICONS[2].2;

/// The icon's pixels, from the 32 × 32 PNG of the app icon built into the program.
fn icon() -> Result<tray_icon::Icon, TrayError> {
    let (rgba, width, height) = decode_rgba(ICON_PNG).map_err(TrayError::Icon)?;
    tray_icon::Icon::from_rgba(rgba, width, height).map_err(|e| TrayError::Icon(e.to_string()))
}

/// Decodes a PNG into 8-bit RGBA pixels.
fn decode_rgba(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32), String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "the icon is too large".to_owned())?;
    let mut buf = vec![0; size];
    let frame = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    buf.truncate(frame.buffer_size());
    let rgba = match frame.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return Err("the icon's palette was not expanded".to_owned()),
    };
    Ok((rgba, frame.width, frame.height))
}

/// Clicks waiting for the GUI; at most this many (a stuck GUI drops further clicks).
const QUEUE: usize = 32;

/// Where the click handlers send to: the stream that the GUI reads now.
static SENDER: Mutex<Option<mpsc::Sender<TrayAction>>> = Mutex::new(None);

fn send(action: TrayAction) {
    if let Ok(guard) = SENDER.lock()
        && let Some(tx) = guard.as_ref()
    {
        let _ = tx.try_send(action);
    }
}

/// tray-icon allows one handler of each kind per process; they forward to [`SENDER`].
fn install_handlers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        MenuEvent::set_event_handler(Some(|event: MenuEvent| {
            if let Some(action) = TrayAction::from_menu_id(event.id().as_ref()) {
                send(action);
            }
        }));
        TrayIconEvent::set_event_handler(Some(|event: TrayIconEvent| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                send(TrayAction::ShowHide);
            }
        }));
    });
}

/// The stream of tray clicks (for `Subscription::run`); a new stream takes over from the last.
pub fn actions() -> impl Stream<Item = TrayAction> {
    let (tx, rx) = mpsc::channel(QUEUE);
    if let Ok(mut guard) = SENDER.lock() {
        *guard = Some(tx);
    }
    stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|action| (action, rx))
    })
}

/// Whether a tray can show the icon. On Linux and the BSDs: a StatusNotifierWatcher runs on
/// the session bus and a tray host has registered with it. Elsewhere the system always has one.
pub async fn host_available() -> Result<(), String> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        sni_host().await
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        Ok(())
    }
}

/// Yields each time a tray host may have come (for `Subscription::run` while there is no icon):
/// on Linux and the BSDs, when the StatusNotifierWatcher's bus name gets an owner or a host
/// registers with the watcher — D-Bus signals, so nothing is polled. Elsewhere, and without a
/// session bus, it never yields.
pub fn host_changes() -> impl Stream<Item = ()> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        use iced::futures::StreamExt;
        stream::once(sni_changes()).flat_map(|changes| match changes {
            Some(s) => s.boxed(),
            None => stream::pending().boxed(),
        })
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        stream::pending()
    }
}

/// The watcher's name changing owner, or a host registering, as one stream.
#[cfg(all(unix, not(target_os = "macos")))]
async fn sni_changes() -> Option<impl Stream<Item = ()> + Send> {
    use iced::futures::StreamExt;
    const OWNER: &str = "type='signal',sender='org.freedesktop.DBus',\
        interface='org.freedesktop.DBus',member='NameOwnerChanged',\
        arg0='org.kde.StatusNotifierWatcher'";
    const HOST: &str = "type='signal',interface='org.kde.StatusNotifierWatcher',\
        member='StatusNotifierHostRegistered'";
    let conn = zbus::Connection::session().await.ok()?;
    let owners = zbus::MessageStream::for_match_rule(OWNER, &conn, None)
        .await
        .ok()?;
    let hosts = zbus::MessageStream::for_match_rule(HOST, &conn, None)
        .await
        .ok()?;
    // The connection lives as long as the streams (they hold it).
    Some(stream::select(owners, hosts).map(|_| ()))
}

#[cfg(all(unix, not(target_os = "macos")))]
async fn sni_host() -> Result<(), String> {
    const WATCHER: &str = "org.kde.StatusNotifierWatcher";
    let conn = zbus::Connection::session()
        .await
        .map_err(|e| format!("no D-Bus session bus: {e}"))?;
    let proxy = zbus::Proxy::new(&conn, WATCHER, "/StatusNotifierWatcher", WATCHER)
        .await
        .map_err(|e| e.to_string())?;
    let host: bool = proxy
        .get_property("IsStatusNotifierHostRegistered")
        .await
        .map_err(|_| format!("no {WATCHER} on the session bus"))?;
    if host {
        Ok(())
    } else {
        Err("no tray host has registered".to_owned())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn menu_ids_map_back_to_their_actions() {
        for action in TrayAction::ALL {
            assert_eq!(TrayAction::from_menu_id(action.menu_id()), Some(action));
        }
        assert_eq!(TrayAction::from_menu_id("something-else"), None);
    }

    #[test]
    fn the_built_in_icon_decodes_to_32_by_32_rgba() {
        let (rgba, w, h) = decode_rgba(ICON_PNG).unwrap();
        assert_eq!((w, h), (32, 32));
        assert_eq!(rgba.len(), 32 * 32 * 4);
        // Not blank: some pixels are opaque, some transparent (a round icon).
        assert!(rgba.chunks_exact(4).any(|p| p[3] == 255));
        assert!(rgba.chunks_exact(4).any(|p| p[3] == 0));
    }

    #[test]
    fn a_damaged_png_is_an_error_not_a_panic() {
        assert!(decode_rgba(b"\x89PNG\r\n\x1a\nnot really").is_err());
    }

    #[tokio::test]
    async fn clicks_reach_the_newest_stream() {
        use iced::futures::StreamExt;
        let old = actions();
        let mut new = Box::pin(actions());
        drop(old);
        send(TrayAction::PauseAll);
        assert_eq!(new.next().await, Some(TrayAction::PauseAll));
    }
}
