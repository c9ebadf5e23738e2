//! The torrent list's state: which torrents are shown (sidebar category and filter text), in
//! what order (sort column and direction), which are selected, and which slice of rows is
//! visible. Pure data and logic: sorting and filtering happen here in `update`, never in `view`,
//! which only renders the prepared `order`.

use crate::engine::InfoHash;
use crate::engine::api::{TorrentState, TorrentStats};
use std::collections::HashSet;

/// Height of one row, in logical pixels (fixed, so only the visible rows need building).
pub const ROW_HEIGHT: f32 = 24.0;

/// A column of the torrent list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// Queue position.
    Number,
    /// Name.
    Name,
    /// Wanted size.
    Size,
    /// Progress.
    Done,
    /// State.
    Status,
    /// Connected seeds.
    Seeds,
    /// Connected peers.
    Peers,
    /// Download rate.
    Down,
    /// Upload rate.
    Up,
    /// Estimated time left.
    Eta,
    /// Uploaded / downloaded.
    Ratio,
    /// Bytes uploaded.
    Uploaded,
    /// When it was added.
    AddedOn,
    /// When it completed.
    CompletedOn,
    /// The folder its data is in.
    SavePath,
    /// The user's label.
    Label,
}

impl Column {
    /// Every column, in display order.
    pub const ALL: [Column; 16] = [
        Column::Number,
        Column::Name,
        Column::Size,
        Column::Done,
        Column::Status,
        Column::Seeds,
        Column::Peers,
        Column::Down,
        Column::Up,
        Column::Eta,
        Column::Ratio,
        Column::Uploaded,
        Column::AddedOn,
        Column::CompletedOn,
        Column::SavePath,
        Column::Label,
    ];
}

/// A sidebar category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Everything.
    All,
    /// Fetching pieces.
    Downloading,
    /// Complete and uploading.
    Seeding,
    /// Every wanted piece is here.
    Completed,
    /// Transferring right now.
    Active,
    /// Not transferring.
    Inactive,
    /// Stopped by the user.
    Paused,
    /// Stopped by a fault.
    Errored,
}

impl Category {
    /// Every category, in sidebar order.
    pub const ALL: [Category; 8] = [
        Category::All,
        Category::Downloading,
        Category::Seeding,
        Category::Completed,
        Category::Active,
        Category::Inactive,
        Category::Paused,
        Category::Errored,
    ];

    /// Whether a torrent belongs to this category.
    pub fn contains(self, t: &TorrentStats) -> bool {
        // A magnet fetching its metadata is at work even before any payload flows.
        let active =
            t.download_rate > 0 || t.upload_rate > 0 || t.state == TorrentState::FetchingMetadata;
        match self {
            Category::All => true,
            Category::Downloading => match t.state {
                TorrentState::Downloading
                | TorrentState::Checking
                | TorrentState::FetchingMetadata => true,
                TorrentState::Queued => t.done_bytes < t.wanted_bytes,
                _ => false,
            },
            Category::Seeding => match t.state {
                TorrentState::Seeding => true,
                TorrentState::Queued => t.done_bytes >= t.wanted_bytes,
                _ => false,
            },
            Category::Completed => t.wanted_bytes > 0 && t.done_bytes == t.wanted_bytes,
            Category::Active => active,
            Category::Inactive => !active,
            Category::Paused => t.state == TorrentState::Paused || t.suspended,
            Category::Errored => matches!(t.state, TorrentState::Error(_)),
        }
    }
}

/// Uploaded bytes per downloaded byte (∞ shown as a large value when nothing was downloaded).
pub fn ratio(t: &TorrentStats) -> f64 {
    if t.downloaded == 0 {
        if t.uploaded == 0 { 0.0 } else { f64::INFINITY }
    } else {
        t.uploaded as f64 / t.downloaded as f64
    }
}

/// Fraction of wanted bytes verified, 0.0–1.0.
pub fn progress(t: &TorrentStats) -> f32 {
    if t.state == TorrentState::Checking {
        return t.check_progress.clamp(0.0, 1.0);
    }
    if t.wanted_bytes == 0 {
        return 0.0;
    }
    (t.done_bytes as f64 / t.wanted_bytes as f64) as f32
}

/// How a click changes the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClickModifiers {
    /// Ctrl (Cmd on macOS): toggle one row.
    pub toggle: bool,
    /// Shift: extend from the anchor.
    pub range: bool,
}

/// Rows built before the list knows its height (enough for a tall screen).
const INITIAL_VISIBLE_ROWS: usize = 64;

/// A sidebar group of trackers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackerGroup {
    /// Torrents with a tracker on this host.
    Host(String),
    /// Torrents without trackers.
    Trackerless,
    /// Torrents whose last announce failed.
    Error,
}

impl TrackerGroup {
    /// Whether `t` belongs to the group.
    pub fn contains(&self, t: &TorrentStats) -> bool {
        match self {
            TrackerGroup::Host(h) => t.tracker_hosts.iter().any(|x| x == h),
            TrackerGroup::Trackerless => t.tracker_hosts.is_empty(),
            TrackerGroup::Error => t.tracker_error.is_some(),
        }
    }
}

/// The list's state.
#[derive(Debug)]
pub struct TorrentList {
    /// All torrents, in the order the engine reports them (its queue order).
    torrents: Vec<TorrentStats>,
    /// Indices into `torrents` of the rows shown, in display order.
    order: Vec<usize>,
    sort: Option<(Column, bool)>,
    filter: String,
    category: Option<Category>,
    /// The sidebar's label, instead of a category.
    label: Option<String>,
    /// The sidebar's tracker group, instead of a category or a label.
    tracker: Option<TrackerGroup>,
    selected: HashSet<InfoHash>,
    anchor: Option<InfoHash>,
    /// First visible row and how many fit.
    first_visible: usize,
    visible_rows: usize,
}

impl Default for TorrentList {
    fn default() -> Self {
        TorrentList {
            torrents: Vec::new(),
            order: Vec::new(),
            sort: None,
            filter: String::new(),
            category: None,
            label: None,
            tracker: None,
            selected: HashSet::new(),
            anchor: None,
            first_visible: 0,
            visible_rows: INITIAL_VISIBLE_ROWS,
        }
    }
}

impl TorrentList {
    /// Replaces the torrents with a fresh snapshot and recomputes the visible order.
    pub fn set_torrents(&mut self, torrents: Vec<TorrentStats>) {
        self.torrents = torrents;
        let known: HashSet<InfoHash> = self.torrents.iter().map(|t| t.info_hash).collect();
        self.selected.retain(|h| known.contains(h));
        self.refresh();
    }

    /// All torrents.
    pub fn torrents(&self) -> &[TorrentStats] {
        &self.torrents
    }

    /// Sorts by `column`; a second click on the same column reverses the order.
    pub fn sort_by(&mut self, column: Column) {
        self.sort = match self.sort {
            Some((c, ascending)) if c == column => Some((c, !ascending)),
            _ => Some((column, true)),
        };
        self.refresh();
    }

    /// The sort column and whether it is ascending.
    pub fn sort(&self) -> Option<(Column, bool)> {
        self.sort
    }

    /// Shows only torrents whose name contains `text` (case-insensitive).
    pub fn set_filter(&mut self, text: String) {
        self.filter = text;
        self.refresh();
    }

    /// The filter text.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Shows only one sidebar category (and any label).
    pub fn set_category(&mut self, category: Category) {
        self.category = Some(category);
        self.label = None;
        self.tracker = None;
        self.refresh();
    }

    /// Shows only the torrents with this label (in any state).
    pub fn set_label(&mut self, label: String) {
        self.category = None;
        self.label = Some(label);
        self.tracker = None;
        self.refresh();
    }

    /// Shows only the torrents of a tracker group (in any state).
    pub fn set_tracker(&mut self, group: TrackerGroup) {
        self.category = None;
        self.label = None;
        self.tracker = Some(group);
        self.refresh();
    }

    /// The tracker group shown, if the sidebar picked one.
    pub fn tracker(&self) -> Option<&TrackerGroup> {
        self.tracker.as_ref()
    }

    /// The tracker hosts of the torrents with how many torrents each has, by host; then how
    /// many torrents are trackerless and how many have a tracker error.
    pub fn tracker_counts(&self) -> (Vec<(String, usize)>, usize, usize) {
        let mut hosts: std::collections::BTreeMap<&str, usize> = Default::default();
        let (mut none, mut errors) = (0, 0);
        for t in &self.torrents {
            for h in t.tracker_hosts.iter() {
                *hosts.entry(h.as_str()).or_default() += 1;
            }
            none += usize::from(t.tracker_hosts.is_empty());
            errors += usize::from(t.tracker_error.is_some());
        }
        let hosts = hosts.into_iter().map(|(h, n)| (h.to_owned(), n)).collect();
        (hosts, none, errors)
    }

    /// The label shown, if the sidebar picked one.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// How many torrents have `label`.
    pub fn label_count(&self, label: &str) -> usize {
        self.torrents
            .iter()
            .filter(|t| t.label.as_deref() == Some(label))
            .count()
    }

    /// The labels torrents have, sorted, each once.
    pub fn labels_in_use(&self) -> Vec<String> {
        let mut labels: Vec<String> = self
            .torrents
            .iter()
            .filter_map(|t| t.label.clone())
            .collect();
        labels.sort_unstable();
        labels.dedup();
        labels
    }

    /// The sidebar category shown.
    pub fn category(&self) -> Category {
        self.category.unwrap_or(Category::All)
    }

    /// How many torrents are in `category`.
    pub fn count(&self, category: Category) -> usize {
        self.torrents
            .iter()
            .filter(|t| category.contains(t))
            .count()
    }

    fn refresh(&mut self) {
        let filter = self.filter.to_lowercase();
        let category = self.category();
        let mut order: Vec<usize> = (0..self.torrents.len())
            .filter(|&i| {
                let t = &self.torrents[i];
                category.contains(t)
                    && self
                        .label
                        .as_ref()
                        .is_none_or(|l| t.label.as_ref() == Some(l))
                    && self.tracker.as_ref().is_none_or(|g| g.contains(t))
                    && (filter.is_empty() || t.name.to_lowercase().contains(&filter))
            })
            .collect();
        if let Some((column, ascending)) = self.sort {
            let ts = &self.torrents;
            order.sort_by(|&a, &b| {
                let (x, y) = (&ts[a], &ts[b]);
                let ord = match column {
                    Column::Number => a.cmp(&b),
                    Column::Name => x.name.to_lowercase().cmp(&y.name.to_lowercase()),
                    Column::Size => x.wanted_bytes.cmp(&y.wanted_bytes),
                    Column::Done => progress(x).total_cmp(&progress(y)),
                    Column::Status => state_rank(&x.state).cmp(&state_rank(&y.state)),
                    Column::Seeds => x.seeds.cmp(&y.seeds),
                    Column::Peers => x.peers.cmp(&y.peers),
                    Column::Down => x.download_rate.cmp(&y.download_rate),
                    Column::Up => x.upload_rate.cmp(&y.upload_rate),
                    Column::Eta => x.eta.sort_key().cmp(&y.eta.sort_key()),
                    Column::Ratio => ratio(x).total_cmp(&ratio(y)),
                    Column::Uploaded => x.uploaded.cmp(&y.uploaded),
                    Column::AddedOn => x.added_at.cmp(&y.added_at),
                    // Not completed sorts after every date.
                    Column::CompletedOn => x
                        .completed_at
                        .unwrap_or(u64::MAX)
                        .cmp(&y.completed_at.unwrap_or(u64::MAX)),
                    Column::SavePath => x.save_path.cmp(&y.save_path),
                    Column::Label => x.label.cmp(&y.label),
                }
                .then(a.cmp(&b));
                if ascending { ord } else { ord.reverse() }
            });
        }
        self.order = order;
    }

    /// The rows shown, in display order.
    pub fn rows(&self) -> impl Iterator<Item = &TorrentStats> + '_ {
        self.order.iter().map(|&i| &self.torrents[i])
    }

    /// Number of rows shown.
    pub fn row_count(&self) -> usize {
        self.order.len()
    }

    /// The rows inside the viewport, with their display index.
    pub fn visible(&self) -> impl Iterator<Item = (usize, &TorrentStats)> + '_ {
        let end = (self.first_visible + self.visible_rows.max(1) + 1).min(self.order.len());
        let start = self.first_visible.min(end);
        (start..end).map(|n| (n, &self.torrents[self.order[n]]))
    }

    /// The first row drawn (rows above it are replaced by empty space).
    pub fn first_visible(&self) -> usize {
        self.first_visible
    }

    /// Updates the viewport after a scroll or resize.
    pub fn set_viewport(&mut self, offset_y: f32, height: f32) {
        self.first_visible = (offset_y.max(0.0) / ROW_HEIGHT) as usize;
        self.visible_rows = (height.max(0.0) / ROW_HEIGHT).ceil() as usize + 1;
    }

    /// A click on the row at display index `n`.
    pub fn click(&mut self, n: usize, modifiers: ClickModifiers) {
        let Some(&i) = self.order.get(n) else {
            return;
        };
        let hash = self.torrents[i].info_hash;
        if modifiers.range {
            let anchor = self
                .anchor
                .and_then(|a| {
                    self.order
                        .iter()
                        .position(|&j| self.torrents[j].info_hash == a)
                })
                .unwrap_or(n);
            let (lo, hi) = (anchor.min(n), anchor.max(n));
            if !modifiers.toggle {
                self.selected.clear();
            }
            for k in lo..=hi {
                self.selected.insert(self.torrents[self.order[k]].info_hash);
            }
        } else if modifiers.toggle {
            if !self.selected.remove(&hash) {
                self.selected.insert(hash);
            }
            self.anchor = Some(hash);
        } else {
            self.selected.clear();
            self.selected.insert(hash);
            self.anchor = Some(hash);
        }
    }

    /// Selects every row shown.
    pub fn select_all(&mut self) {
        for &i in &self.order {
            self.selected.insert(self.torrents[i].info_hash);
        }
    }

    /// Whether a torrent is selected.
    pub fn is_selected(&self, hash: &InfoHash) -> bool {
        self.selected.contains(hash)
    }

    /// The selected torrents, in display order.
    pub fn selection(&self) -> Vec<InfoHash> {
        self.rows()
            .map(|t| t.info_hash)
            .filter(|h| self.selected.contains(h))
            .collect()
    }

    /// The torrent whose details are shown: the anchor if selected, else the first selected.
    pub fn focused(&self) -> Option<&TorrentStats> {
        let pick = self
            .anchor
            .filter(|a| self.selected.contains(a))
            .or_else(|| self.selection().first().copied())?;
        self.torrents.iter().find(|t| t.info_hash == pick)
    }
}

fn state_rank(s: &TorrentState) -> u8 {
    match s {
        TorrentState::Downloading => 0,
        TorrentState::FetchingMetadata | TorrentState::Checking => 1,
        TorrentState::Seeding => 2,
        TorrentState::Queued => 3,
        TorrentState::Paused => 4,
        TorrentState::Error(_) => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn stats(
        n: u8,
        name: &str,
        state: TorrentState,
        size: u64,
        done: u64,
    ) -> TorrentStats {
        TorrentStats {
            info_hash: InfoHash([n; 20]),
            name: name.into(),
            state,
            wanted_bytes: size,
            done_bytes: done,
            pieces_have: 0,
            pieces_total: 1,
            check_progress: 0.0,
            checked_bytes: 0,
            download_rate: u64::from(n) * 10,
            upload_rate: 0,
            downloaded: done,
            uploaded: 0,
            wasted: 0,
            peers: 0,
            seeds: 0,
            swarm_seeds: None,
            swarm_leechers: None,
            eta: crate::engine::api::Eta::Unknown,
            banned: 0,
            tracker_error: None,
            tracker_hosts: std::sync::Arc::from([]),
            save_path: std::path::Path::new("/tmp").into(),
            added_at: 0,
            completed_at: None,
            limits: Default::default(),
            max_peers: None,
            queue_position: usize::from(n),
            forced: false,
            suspended: false,
            check_queued: false,
            label: None,
            seed_goals: Default::default(),
            first_last_pieces_first: false,
            moving: None,
            retry_in: None,
            sequential: false,
        }
    }

    fn names(l: &TorrentList) -> Vec<String> {
        l.rows().map(|t| t.name.clone()).collect()
    }

    fn sample() -> TorrentList {
        let mut l = TorrentList::default();
        l.set_torrents(vec![
            stats(1, "Bravo", TorrentState::Downloading, 300, 100),
            stats(2, "alpha", TorrentState::Seeding, 100, 100),
            stats(3, "Charlie", TorrentState::Paused, 200, 0),
            stats(4, "delta", TorrentState::Error("disk full".into()), 50, 0),
        ]);
        l
    }

    #[test]
    fn sorts_by_any_column_and_reverses_on_second_click() {
        let mut l = sample();
        l.sort_by(Column::Name);
        assert_eq!(names(&l), ["alpha", "Bravo", "Charlie", "delta"]);
        l.sort_by(Column::Name);
        assert_eq!(names(&l), ["delta", "Charlie", "Bravo", "alpha"]);
        l.sort_by(Column::Size);
        assert_eq!(names(&l), ["delta", "alpha", "Charlie", "Bravo"]);
        l.sort_by(Column::Done);
        assert_eq!(names(&l)[3], "alpha");
    }

    #[test]
    fn sorts_by_added_completed_and_save_path() {
        let mut l = TorrentList::default();
        let mut a = stats(1, "a", TorrentState::Seeding, 1, 1);
        a.added_at = 300;
        a.completed_at = Some(10);
        a.save_path = std::path::Path::new("/z").into();
        let mut b = stats(2, "b", TorrentState::Downloading, 1, 0);
        b.added_at = 100;
        let mut c = stats(3, "c", TorrentState::Seeding, 1, 1);
        c.added_at = 200;
        c.completed_at = Some(5);
        c.save_path = std::path::Path::new("/a").into();
        l.set_torrents(vec![a, b, c]);
        l.sort_by(Column::AddedOn);
        assert_eq!(names(&l), ["b", "c", "a"]);
        l.sort_by(Column::CompletedOn);
        assert_eq!(names(&l), ["c", "a", "b"], "unfinished torrents come last");
        l.sort_by(Column::SavePath);
        assert_eq!(names(&l), ["c", "b", "a"]);
    }

    #[test]
    fn fetching_metadata_counts_as_downloading_and_active() {
        let mut l = TorrentList::default();
        let mut m = stats(9, "m", TorrentState::FetchingMetadata, 0, 0);
        m.download_rate = 0;
        l.set_torrents(vec![m]);
        assert_eq!(l.count(Category::Downloading), 1);
        assert_eq!(l.count(Category::Active), 1);
        assert_eq!(l.count(Category::Inactive), 0);
    }

    #[test]
    fn filters_by_name_and_category() {
        let mut l = sample();
        l.set_filter("AL".into());
        assert_eq!(names(&l), ["alpha"]);
        l.set_filter(String::new());
        l.set_category(Category::Errored);
        assert_eq!(names(&l), ["delta"]);
        assert_eq!(l.count(Category::All), 4);
        assert_eq!(l.count(Category::Completed), 1);
        assert_eq!(l.count(Category::Paused), 1);
        assert_eq!(l.count(Category::Downloading), 1);
    }

    #[test]
    fn click_ctrl_click_shift_click() {
        let mut l = sample();
        l.click(0, ClickModifiers::default());
        assert_eq!(l.selection(), vec![InfoHash([1; 20])]);
        l.click(
            2,
            ClickModifiers {
                toggle: true,
                range: false,
            },
        );
        assert_eq!(l.selection().len(), 2);
        l.click(
            0,
            ClickModifiers {
                toggle: false,
                range: true,
            },
        );
        assert_eq!(
            l.selection().len(),
            3,
            "shift-click selects the range from the anchor"
        );
        l.click(
            2,
            ClickModifiers {
                toggle: true,
                range: false,
            },
        );
        assert_eq!(l.focused().map(|t| t.name.as_str()), Some("Bravo"));
        l.select_all();
        assert_eq!(l.selection().len(), 4);
        // Removed torrents leave the selection.
        l.set_torrents(vec![stats(2, "alpha", TorrentState::Seeding, 100, 100)]);
        assert_eq!(l.selection(), vec![InfoHash([2; 20])]);
    }

    #[test]
    fn only_visible_rows_are_built() {
        let mut l = TorrentList::default();
        l.set_torrents(
            (0..200)
                .map(|n| stats(n, &format!("t{n}"), TorrentState::Seeding, 1, 1))
                .collect(),
        );
        l.set_viewport(ROW_HEIGHT * 50.0, ROW_HEIGHT * 10.0);
        let rows: Vec<usize> = l.visible().map(|(n, _)| n).collect();
        assert_eq!(rows.first(), Some(&50));
        assert!(rows.len() <= 13, "{}", rows.len());
    }
}
