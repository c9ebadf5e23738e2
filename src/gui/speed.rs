//! The Speed tab: download and upload rates over the last five minutes, for the selected torrent
//! and for all torrents, drawn as two lines on a canvas.
//!
//! [`RateHistory`] is plain data fed from the engine's snapshots in `update` (each sample with the
//! time it arrived, since snapshots come only when something changed); samples older than the
//! window are dropped and their number is capped, so memory stays bounded however long the app
//! runs. The graph's time axis ends at the newest sample, which keeps `view` a pure function.

use super::theme;
use crate::engine::InfoHash;
use iced::widget::canvas::{self, Frame, Geometry, Path, Stroke};
use iced::{Point, Rectangle, Renderer, Theme, mouse};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How much history a graph shows.
pub const WINDOW: Duration = Duration::from_secs(300);
/// Samples kept at most (snapshots come at most 4 a second: 5 minutes is 1,200).
const MAX_SAMPLES: usize = 1_500;

/// Rates over time.
#[derive(Debug, Clone, Default)]
pub struct RateHistory {
    samples: VecDeque<(Instant, u64, u64)>,
}

impl RateHistory {
    /// Records the download and upload rates (bytes/s) seen at `at`.
    pub fn push(&mut self, at: Instant, down: u64, up: u64) {
        self.samples.push_back((at, down, up));
        while self.samples.len() > MAX_SAMPLES
            || self
                .samples
                .front()
                .is_some_and(|(t, _, _)| at.saturating_duration_since(*t) > WINDOW)
        {
            self.samples.pop_front();
        }
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.samples.clear();
    }

    /// Number of samples kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// True when nothing was recorded.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// The highest rate in the window (download or upload), at least 1.
    pub fn peak(&self) -> u64 {
        self.samples
            .iter()
            .map(|&(_, d, u)| d.max(u))
            .max()
            .unwrap_or(0)
            .max(1)
    }

    /// The two lines in a `width`×`height` box: x from the window's start to the newest sample,
    /// y from 0 (bottom) to the peak (top).
    pub fn lines(&self, width: f32, height: f32) -> (Vec<Point>, Vec<Point>) {
        let Some(&(newest, _, _)) = self.samples.back() else {
            return (Vec::new(), Vec::new());
        };
        let peak = self.peak() as f32;
        let span = WINDOW.as_secs_f32();
        let point = |t: Instant, rate: u64| {
            let age = newest.saturating_duration_since(t).as_secs_f32();
            Point::new(
                width * (1.0 - age / span),
                height - height * (rate as f32 / peak),
            )
        };
        self.samples
            .iter()
            .map(|&(t, d, u)| (point(t, d), point(t, u)))
            .unzip()
    }
}

/// The histories the app keeps: all torrents, and the one torrent whose details are shown.
#[derive(Debug, Clone, Default)]
pub struct SpeedHistory {
    /// Sum over all torrents.
    pub global: RateHistory,
    /// The shown torrent's rates, and which torrent that is.
    pub torrent: RateHistory,
    pub torrent_hash: Option<InfoHash>,
}

impl SpeedHistory {
    /// Records a snapshot's rates; `shown` is the torrent in the details panel and its rates.
    pub fn record(&mut self, at: Instant, global: (u64, u64), shown: Option<(InfoHash, u64, u64)>) {
        self.global.push(at, global.0, global.1);
        match shown {
            Some((hash, down, up)) => {
                if self.torrent_hash != Some(hash) {
                    self.torrent.clear();
                    self.torrent_hash = Some(hash);
                }
                self.torrent.push(at, down, up);
            }
            None => {
                self.torrent.clear();
                self.torrent_hash = None;
            }
        }
    }
}

/// The canvas program drawing one [`RateHistory`].
pub struct SpeedGraph<'a>(pub &'a RateHistory);

impl<Message> canvas::Program<Message> for SpeedGraph<'_> {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let (w, h) = (bounds.width, bounds.height);
        frame.fill_rectangle(Point::ORIGIN, bounds.size(), theme::graph_background(theme));
        for quarter in 1..4 {
            let y = h * quarter as f32 / 4.0;
            frame.stroke(
                &Path::line(Point::new(0.0, y), Point::new(w, y)),
                Stroke::default()
                    .with_width(1.0)
                    .with_color(theme::graph_grid(theme)),
            );
        }
        let (down, up) = self.0.lines(w, (h - 2.0).max(1.0));
        for (points, colour) in [(up, theme::rate_up(theme)), (down, theme::rate_down(theme))] {
            if points.len() < 2 {
                continue;
            }
            let path = Path::new(|b| {
                b.move_to(points[0]);
                for p in &points[1..] {
                    b.line_to(*p);
                }
            });
            frame.stroke(&path, Stroke::default().with_width(1.5).with_color(colour));
        }
        vec![frame.into_geometry()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_samples_leave_the_window_and_the_count_is_capped() {
        let t0 = Instant::now();
        let mut h = RateHistory::default();
        h.push(t0, 10, 1);
        h.push(t0 + Duration::from_secs(100), 30, 2);
        assert_eq!(h.len(), 2);
        h.push(t0 + WINDOW + Duration::from_secs(1), 5, 5);
        assert_eq!(h.len(), 2, "the first sample is older than the window");
        assert_eq!(h.peak(), 30);
        for i in 0..5_000u64 {
            h.push(t0 + WINDOW + Duration::from_millis(1_000 + i), i, 0);
        }
        assert!(h.len() <= MAX_SAMPLES);
    }

    #[test]
    fn lines_span_the_box_with_the_peak_at_the_top() {
        let t0 = Instant::now();
        let mut h = RateHistory::default();
        h.push(t0, 0, 50);
        h.push(t0 + WINDOW / 2, 100, 0);
        h.push(t0 + WINDOW, 50, 100);
        let (down, up) = h.lines(300.0, 100.0);
        assert_eq!(down.len(), 3);
        assert_eq!(down[0], Point::new(0.0, 100.0));
        assert_eq!(down[1], Point::new(150.0, 0.0));
        assert_eq!(down[2], Point::new(300.0, 50.0));
        assert_eq!(up[2], Point::new(300.0, 0.0));
        assert_eq!(RateHistory::default().lines(10.0, 10.0).0.len(), 0);
    }

    #[test]
    fn the_torrent_history_restarts_when_another_torrent_is_shown() {
        let t0 = Instant::now();
        let mut s = SpeedHistory::default();
        let (a, b) = (InfoHash([1; 20]), InfoHash([2; 20]));
        s.record(t0, (5, 5), Some((a, 1, 1)));
        s.record(t0 + Duration::from_secs(1), (5, 5), Some((a, 2, 2)));
        assert_eq!(s.torrent.len(), 2);
        s.record(t0 + Duration::from_secs(2), (5, 5), Some((b, 3, 3)));
        assert_eq!(s.torrent.len(), 1);
        assert_eq!(s.torrent_hash, Some(b));
        s.record(t0 + Duration::from_secs(3), (5, 5), None);
        assert!(s.torrent.is_empty());
        assert_eq!(s.global.len(), 4);
    }
}
