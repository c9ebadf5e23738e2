//! Which columns of the torrent list are shown and how wide each is, and what each cell says.
//!
//! Pure data and formatting: the header's right-click menu toggles columns, dragging a header's
//! right edge sets a width (never below [`MIN_WIDTH`]). The name column is always shown and takes
//! the room the others leave.

use super::list::{Column, progress, ratio};
use crate::engine::api::{TorrentState, TorrentStats};
use crate::{fl, format};
use std::collections::HashMap;

/// The narrowest a column can be dragged.
pub const MIN_WIDTH: f32 = 24.0;

/// Columns shown and their widths.
#[derive(Debug, Clone)]
pub struct ColumnLayout {
    hidden: Vec<Column>,
    widths: HashMap<Column, f32>,
}

impl Default for ColumnLayout {
    fn default() -> Self {
        ColumnLayout {
            // μTorrent shows these only on request too; the rest fit a 1100-pixel window with
            // room for names.
            hidden: vec![
                Column::Uploaded,
                Column::AddedOn,
                Column::CompletedOn,
                Column::SavePath,
                Column::Label,
            ],
            widths: HashMap::new(),
        }
    }
}

impl ColumnLayout {
    /// The columns shown, in display order.
    pub fn shown(&self) -> impl Iterator<Item = Column> + '_ {
        Column::ALL.into_iter().filter(|c| self.is_shown(*c))
    }

    /// Whether `column` is shown.
    pub fn is_shown(&self, column: Column) -> bool {
        !self.hidden.contains(&column)
    }

    /// Shows a hidden column or hides a shown one (the name column always stays).
    pub fn toggle(&mut self, column: Column) {
        if column == Column::Name {
            return;
        }
        if let Some(i) = self.hidden.iter().position(|&c| c == column) {
            self.hidden.remove(i);
        } else {
            self.hidden.push(column);
        }
    }

    /// The width of a column; `None` for the name column, which fills the rest.
    pub fn width(&self, column: Column) -> Option<f32> {
        if column == Column::Name {
            return None;
        }
        Some(
            self.widths
                .get(&column)
                .copied()
                .unwrap_or_else(|| default_width(column)),
        )
    }

    /// Sets a column's width, no narrower than [`MIN_WIDTH`].
    pub fn set_width(&mut self, column: Column, width: f32) {
        if column != Column::Name {
            self.widths.insert(column, width.max(MIN_WIDTH));
        }
    }
}

fn default_width(c: Column) -> f32 {
    match c {
        Column::Number => 30.0,
        Column::Name => 200.0,
        Column::Size | Column::Uploaded => 72.0,
        Column::Down | Column::Up => 88.0,
        Column::Done => 96.0,
        Column::Status => 124.0,
        Column::Seeds | Column::Peers => 48.0,
        Column::Eta => 60.0,
        Column::Ratio => 50.0,
        Column::AddedOn | Column::CompletedOn => 120.0,
        Column::SavePath => 180.0,
        Column::Label => 90.0,
    }
}

/// A column's header text.
pub fn title(c: Column) -> String {
    match c {
        Column::Number => fl!("column-number"),
        Column::Name => fl!("column-name"),
        Column::Size => fl!("column-size"),
        Column::Done => fl!("column-done"),
        Column::Status => fl!("column-status"),
        Column::Seeds => fl!("column-seeds"),
        Column::Peers => fl!("column-peers"),
        Column::Down => fl!("column-down"),
        Column::Up => fl!("column-up"),
        Column::Eta => fl!("column-eta"),
        Column::Ratio => fl!("column-ratio"),
        Column::Uploaded => fl!("column-uploaded"),
        Column::AddedOn => fl!("column-added"),
        Column::CompletedOn => fl!("column-completed"),
        Column::SavePath => fl!("column-save-path"),
        Column::Label => fl!("column-label"),
    }
}

/// The status text of a torrent.
pub fn status_text(t: &TorrentStats) -> String {
    if let Some(done) = t.moving {
        // Rounded, but 100% only once every byte is there.
        let mut percent = (f64::from(done) * 100.0).round().clamp(0.0, 100.0) as u32;
        if done < 1.0 {
            percent = percent.min(99);
        }
        return fl!("status-moving", percent = percent);
    }
    if t.suspended {
        return fl!("status-paused");
    }
    match &t.state {
        TorrentState::FetchingMetadata => fl!("status-metadata"),
        TorrentState::Checking if t.check_queued => fl!("status-check-queued"),
        TorrentState::Checking => fl!("status-checking"),
        TorrentState::Downloading if t.forced => fl!("status-forced-downloading"),
        TorrentState::Downloading if t.peers == 0 => fl!("status-stalled"),
        TorrentState::Downloading => fl!("status-downloading"),
        TorrentState::Seeding if t.forced => fl!("status-forced-seeding"),
        TorrentState::Seeding => fl!("status-seeding"),
        TorrentState::Queued if t.done_bytes >= t.wanted_bytes => fl!("status-queued-seed"),
        TorrentState::Queued => fl!("status-queued"),
        TorrentState::Paused if t.done_bytes == t.wanted_bytes => fl!("status-finished"),
        TorrentState::Paused => fl!("status-stopped"),
        // A storage fault it waits out by itself (a full disk, a missing save folder).
        TorrentState::Error(_) if t.retry_in.is_some() => fl!(
            "status-error-retrying",
            seconds = t.retry_in.unwrap_or_default().as_secs()
        ),
        TorrentState::Error(_) => fl!("status-error"),
    }
}

/// A rate, or nothing when it is zero (as μTorrent leaves idle cells blank).
pub fn rate_text(rate: u64) -> String {
    if rate == 0 {
        String::new()
    } else {
        format::rate(rate)
    }
}

/// A ratio with three decimals, or ∞.
pub fn ratio_text(r: f64) -> String {
    if r.is_finite() {
        format!("{r:.3}")
    } else {
        "∞".to_owned()
    }
}

/// Unix seconds as `YYYY-MM-DD HH:MM` (UTC), or nothing for 0.
pub fn short_date(epoch_seconds: u64) -> String {
    if epoch_seconds == 0 {
        return String::new();
    }
    let full = format::utc_date(i64::try_from(epoch_seconds).unwrap_or(i64::MAX));
    full.get(..16).unwrap_or(&full).to_owned()
}

/// Connected peers, then the swarm's count in brackets when a tracker told it: "3 (120)",
/// as μTorrent shows them.
fn with_swarm(connected: usize, swarm: Option<u32>) -> String {
    match swarm {
        Some(n) => format!("{connected} ({n})"),
        None => connected.to_string(),
    }
}

/// The text of a cell (the done column draws a bar with this text over it).
pub fn cell_text(t: &TorrentStats, n: usize, c: Column) -> String {
    match c {
        Column::Number if t.queue_position > 0 => t.queue_position.to_string(),
        Column::Number => (n + 1).to_string(),
        Column::Name => t.name.clone(),
        Column::Size => format::size(t.wanted_bytes),
        Column::Done => format!("{:.1}%", progress(t) * 100.0),
        Column::Status => status_text(t),
        Column::Seeds => with_swarm(t.seeds, t.swarm_seeds),
        Column::Peers => with_swarm(t.peers, t.swarm_leechers),
        Column::Down => rate_text(t.download_rate),
        Column::Up => rate_text(t.upload_rate),
        Column::Eta => format::eta(t.eta),
        Column::Ratio => ratio_text(ratio(t)),
        Column::Uploaded => format::size(t.uploaded),
        Column::AddedOn => short_date(t.added_at),
        Column::CompletedOn => t.completed_at.map(short_date).unwrap_or_default(),
        Column::SavePath => t.save_path.display().to_string(),
        Column::Label => t.label.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_toggle_and_keep_a_minimum_width() {
        let mut l = ColumnLayout::default();
        assert!(!l.is_shown(Column::SavePath));
        l.toggle(Column::SavePath);
        assert!(l.is_shown(Column::SavePath));
        l.toggle(Column::Size);
        assert!(!l.shown().any(|c| c == Column::Size));
        l.toggle(Column::Name);
        assert!(l.is_shown(Column::Name), "the name column always stays");
        l.set_width(Column::Seeds, 3.0);
        assert_eq!(l.width(Column::Seeds), Some(MIN_WIDTH));
        l.set_width(Column::Seeds, 90.0);
        assert_eq!(l.width(Column::Seeds), Some(90.0));
        assert_eq!(l.width(Column::Name), None);
    }

    #[test]
    fn dates_are_short_and_blank_when_unknown() {
        assert_eq!(short_date(0), "");
        assert_eq!(short_date(86_400 + 3_660), "1970-01-02 01:01");
    }
}
