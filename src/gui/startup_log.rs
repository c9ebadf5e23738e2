//! Opt-in start-up timing for benchmarks: with `BROOKLET_FIRST_FRAME_LOG` set (to anything),
//! the app prints to stderr, in milliseconds since `main` began ([`mark_process_start`]):
//! - `first-frame <ms>` once the main window's first frame has been drawn and presented;
//! - `torrents-loaded <n> <ms>` each time a snapshot with a new number of torrents has been
//!   applied to the list;
//! - `torrents-drawn <n> <ms>` once the first frame after that snapshot has been drawn.
//!
//! Without the variable nothing of this runs: [`StartupLog::from_env`] is `None`, no frame
//! subscription exists and a snapshot costs one `Option` test. With it, the frame subscription
//! lives only while a line is waiting for a frame (each frame message makes iced draw again, so a
//! subscription kept alive would turn into a busy loop).

use iced::{Subscription, window};
use std::sync::OnceLock;
use std::time::Instant;

/// The environment variable that turns the log on.
pub const ENV: &str = "BROOKLET_FIRST_FRAME_LOG";

static PROCESS_START: OnceLock<Instant> = OnceLock::new();

/// Notes when the process began (the first thing `main` does); later calls change nothing.
pub fn mark_process_start() {
    let _ = PROCESS_START.get_or_init(Instant::now);
}

fn ms_since_start(now: Instant) -> f64 {
    let start = *PROCESS_START.get_or_init(Instant::now);
    now.saturating_duration_since(start).as_secs_f64() * 1e3
}

/// What is still to be told.
#[derive(Debug, Default)]
pub struct StartupLog {
    first_frame_told: bool,
    /// The number of torrents last told as loaded.
    loaded: Option<usize>,
    /// A number of torrents applied (and when) whose first frame is awaited.
    awaiting_draw: Option<(usize, Instant)>,
}

impl StartupLog {
    /// A log when [`ENV`] is set, else `None`.
    pub fn from_env() -> Option<StartupLog> {
        std::env::var_os(ENV).map(|_| StartupLog::default())
    }

    /// Whether a line waits for a frame.
    fn wants_frames(&self) -> bool {
        !self.first_frame_told || self.awaiting_draw.is_some()
    }

    /// Frames are listened to only while a line waits for one.
    pub fn subscription(&self) -> Subscription<super::Message> {
        if self.wants_frames() {
            iced::event::listen_raw(|event, _status, id| match event {
                iced::Event::Window(window::Event::RedrawRequested(at)) => {
                    Some(super::Message::FrameDrawn(id, at))
                }
                _ => None,
            })
        } else {
            Subscription::none()
        }
    }

    /// A snapshot of `n` torrents has been applied to the list.
    pub fn applied(&mut self, n: usize) {
        if self.loaded == Some(n) {
            return;
        }
        let now = Instant::now();
        self.loaded = Some(n);
        self.awaiting_draw = Some((n, now));
        eprintln!("torrents-loaded {n} {:.1}", ms_since_start(now));
    }

    /// A frame of the main window that began at `began` has been drawn and presented (its
    /// message is handled after the presentation).
    pub fn frame(&mut self, began: Instant) {
        let now = Instant::now();
        if !self.first_frame_told {
            self.first_frame_told = true;
            eprintln!("first-frame {:.1}", ms_since_start(now));
        }
        // Only a frame begun after the snapshot was applied shows it.
        if let Some((n, applied)) = self.awaiting_draw
            && began >= applied
        {
            self.awaiting_draw = None;
            eprintln!("torrents-drawn {n} {:.1}", ms_since_start(now));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_listened_to_only_while_a_line_waits_for_one() {
        let mut log = StartupLog::default();
        assert!(log.wants_frames(), "the first frame is awaited");
        log.frame(Instant::now());
        assert!(!log.wants_frames());
        log.applied(10);
        assert!(
            log.wants_frames(),
            "the frame showing 10 torrents is awaited"
        );
        // A frame begun before the snapshot was applied does not show it.
        let applied = log.awaiting_draw.map(|(_, at)| at);
        if let Some(at) = applied.and_then(|at| at.checked_sub(std::time::Duration::from_millis(1)))
        {
            log.frame(at);
            assert!(log.wants_frames());
        }
        log.frame(Instant::now());
        assert!(!log.wants_frames());
        log.applied(10);
        assert!(!log.wants_frames(), "the same number again is not told");
    }
}
