//! The details panel under the torrent list, μTorrent style: tabs for General, Trackers, Peers,
//! Pieces and Files of the one selected torrent.
//!
//! The list's statistics fill what they can at once; the rest comes in
//! [`crate::engine::api::Snapshot::details`] for the torrent the GUI asked the engine to watch
//! (`Command::Watch`). Until those details arrive, each tab says so instead of showing stale or
//! made-up data. Long tables (files, peers) build only their visible rows.

use super::columns::{ratio_text, short_date};
use super::list::ratio;
use super::menu::priority_text;
use super::pieces::PieceMap;
use super::widget::{Viewport, windowed};
use super::{App, Message, speed, theme};
use crate::engine::api::{
    PeerDetails, PeerSource, TorrentDetails, TorrentState, TorrentStats, TrackerStatus,
};
use crate::{fl, format};
use iced::widget::{
    Space, button, canvas, center, column, container, mouse_area, row, scrollable, text, text_input,
};
use iced::{Alignment, Element, Fill, Length};

const TEXT: f32 = 12.0;
const ROW: f32 = 19.0;
/// Default height of the panel, and its limits when dragged.
pub const DEFAULT_HEIGHT: f32 = 230.0;
pub const MIN_HEIGHT: f32 = 90.0;

/// A tab of the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Facts about the torrent and its transfer.
    General,
    /// Its trackers.
    Trackers,
    /// Connected peers.
    Peers,
    /// The piece map.
    Pieces,
    /// Files and their priorities.
    Files,
    /// Download and upload rates over the last minutes.
    Speed,
}

impl Tab {
    const ALL: [Tab; 6] = [
        Tab::General,
        Tab::Trackers,
        Tab::Peers,
        Tab::Pieces,
        Tab::Files,
        Tab::Speed,
    ];

    fn title(self) -> String {
        match self {
            Tab::General => fl!("details-general"),
            Tab::Trackers => fl!("details-trackers"),
            Tab::Peers => fl!("details-peers-tab"),
            Tab::Pieces => fl!("details-pieces-tab"),
            Tab::Files => fl!("details-files"),
            Tab::Speed => fl!("details-speed"),
        }
    }
}

/// Messages of the panel.
#[derive(Debug, Clone)]
pub enum DetailsMessage {
    /// A tab was chosen.
    Tab(Tab),
    /// A table scrolled or was resized.
    Scrolled(Viewport),
    /// A file row was right-clicked.
    FileMenu(usize),
    /// A peer was right-clicked: its menu (ban it).
    PeerMenu(std::net::IpAddr),
    /// A tracker row was right-clicked: its menu (remove it, copy its URL).
    TrackerMenu(usize),
    /// "Edit trackers…" was clicked.
    EditTrackers,
    /// The Peers tab's address box changed.
    PeerEntry(String),
    /// "Add peer" (or Enter in the address box): connect to the typed address.
    AddPeer,
}

/// The panel's own state.
#[derive(Debug, Clone)]
pub struct DetailsPanel {
    /// Whether it is shown at all.
    pub shown: bool,
    /// The tab shown.
    pub tab: Tab,
    /// Its height in pixels (the splitter above it changes it).
    pub height: f32,
    /// Where the tab's table is scrolled.
    pub scroll: Viewport,
    /// The Peers tab's address box as typed.
    pub peer_entry: String,
    /// Why the typed address was refused.
    pub peer_problem: Option<String>,
}

impl Default for DetailsPanel {
    fn default() -> Self {
        DetailsPanel {
            shown: true,
            tab: Tab::General,
            height: DEFAULT_HEIGHT,
            scroll: Viewport::default(),
            peer_entry: String::new(),
            peer_problem: None,
        }
    }
}

/// μTorrent's peer flags: D/d downloading or wanting to, U/u uploading or asked to, K they
/// unchoked us unwanted, ? we unchoked them unasked, I incoming, S snubbed, H from the DHT,
/// X from peer exchange.
pub fn peer_flags(p: &PeerDetails) -> String {
    let mut f = String::new();
    match (p.am_interested, p.peer_choking) {
        (true, false) => f.push('D'),
        (true, true) => f.push('d'),
        (false, false) => f.push('K'),
        (false, true) => {}
    }
    match (p.peer_interested, p.am_choking) {
        (true, false) => f.push('U'),
        (true, true) => f.push('u'),
        (false, false) => f.push('?'),
        (false, true) => {}
    }
    if p.incoming {
        f.push('I');
    }
    if p.snubbed {
        f.push('S');
    }
    match p.source {
        PeerSource::Dht => f.push('H'),
        PeerSource::Pex => f.push('X'),
        _ => {}
    }
    f
}

fn source_text(s: PeerSource) -> String {
    match s {
        PeerSource::Tracker => fl!("source-tracker"),
        PeerSource::Manual => fl!("source-manual"),
        PeerSource::Incoming => fl!("source-incoming"),
        PeerSource::Dht => fl!("source-dht"),
        PeerSource::Pex => fl!("source-pex"),
        PeerSource::Magnet => fl!("source-magnet"),
    }
}

fn tracker_status(s: &TrackerStatus) -> String {
    match s {
        TrackerStatus::NotContacted => fl!("tracker-not-contacted"),
        TrackerStatus::Updating => fl!("tracker-updating"),
        TrackerStatus::Working => fl!("tracker-working"),
        TrackerStatus::Error(e) => fl!("tracker-error", reason = e.clone()),
    }
}

fn cell<'a>(value: String, width: Length) -> Element<'a, Message> {
    container(text(value).size(TEXT).wrapping(text::Wrapping::None))
        .width(width)
        .height(ROW)
        .padding([0, 4])
        .align_y(Alignment::Center)
        .clip(true)
        .into()
}

fn table_header<'a>(cols: &[(String, Length)]) -> Element<'a, Message> {
    container(row(cols
        .iter()
        .map(|(title, width)| cell(title.clone(), *width))))
    .width(Fill)
    .style(theme::header)
    .into()
}

fn table_row<'a>(cells: Vec<(String, Length)>, n: usize) -> iced::widget::Container<'a, Message> {
    container(row(cells.into_iter().map(|(v, w)| cell(v, w))))
        .width(Fill)
        .style(if n % 2 == 1 {
            theme::row_striped
        } else {
            theme::row_plain
        })
}

/// A table whose body scrolls and builds only its visible rows.
fn table<'a>(
    header: &[(String, Length)],
    total: usize,
    scroll: Viewport,
    row: impl Fn(usize) -> Element<'a, Message>,
) -> Element<'a, Message> {
    column![
        table_header(header),
        scrollable(windowed(total, ROW, scroll, row))
            .on_scroll(|v| Message::Details(DetailsMessage::Scrolled(Viewport {
                offset: v.absolute_offset().y,
                height: v.bounds().height,
            })))
            .height(Fill)
    ]
    .into()
}

fn note<'a>(message: String) -> Element<'a, Message> {
    center(text(message).size(TEXT).style(theme::label)).into()
}

fn px(width: f32) -> Length {
    Length::Fixed(width)
}

impl App {
    /// "Add peer": the typed address goes to the engine for the torrent shown, or the box
    /// says why it cannot.
    pub(super) fn add_typed_peer(&mut self) {
        let Some(h) = self.list.focused().map(|t| t.info_hash) else {
            return;
        };
        match parse_peer(&self.details.peer_entry) {
            Ok(addr) => {
                self.send(crate::engine::session::Command::AddPeer(h, addr));
                self.details.peer_entry.clear();
                self.details.peer_problem = None;
            }
            Err(problem) => self.details.peer_problem = Some(problem),
        }
    }

    /// The details panel: tabs and the chosen tab's content.
    pub(super) fn details_panel(&self) -> Element<'_, Message> {
        let panel = &self.details;
        let tabs = row(Tab::ALL.iter().map(|&tab| {
            container(
                button(text(tab.title()).size(TEXT))
                    .padding([3, 12])
                    .style(theme::tab(tab == panel.tab))
                    .on_press(Message::Details(DetailsMessage::Tab(tab))),
            )
            .id(format!("tab-{tab:?}"))
            .into()
        }))
        .spacing(2);
        let selected = self.selection().len();
        let body: Element<'_, Message> = match (selected, self.list.focused()) {
            (0, _) | (_, None) => note(fl!("details-none")),
            (1, Some(t)) => {
                let details = self.shown_details();
                match panel.tab {
                    Tab::General => general(t, details),
                    Tab::Speed => self.speed_tab(t),
                    _ => match details {
                        None => note(fl!("details-waiting")),
                        Some(d) => match panel.tab {
                            Tab::Trackers => trackers(d, panel.scroll),
                            Tab::Peers => peers(d, panel),
                            Tab::Pieces => piece_map(d),
                            _ => files(d, panel.scroll),
                        },
                    },
                }
            }
            (n, Some(_)) => note(fl!("details-many", count = n)),
        };
        column![
            container(tabs)
                .padding([2, 4])
                .width(Fill)
                .style(theme::toolbar),
            container(body).height(Fill).width(Fill),
        ]
        .height(panel.height)
        .into()
    }
}

fn general<'a>(t: &'a TorrentStats, d: Option<&'a TorrentDetails>) -> Element<'a, Message> {
    let line = |label: String, value: String| -> Element<'a, Message> {
        row![
            container(text(label).size(TEXT).style(theme::label)).width(120),
            text(value).size(TEXT).wrapping(text::Wrapping::None),
        ]
        .height(ROW)
        .clip(true)
        .into()
    };
    let unknown = || "—".to_owned();
    let error = match &t.state {
        TorrentState::Error(e) => e.clone(),
        _ => t.tracker_error.clone().unwrap_or_default(),
    };
    let transfer = column![
        text(fl!("details-transfer")).size(TEXT + 1.0),
        line(fl!("details-downloaded"), format::size(t.downloaded)),
        line(fl!("details-uploaded"), format::size(t.uploaded)),
        line(fl!("details-ratio"), ratio_text(ratio(t))),
        line(fl!("details-wasted"), format::size(t.wasted)),
        line(
            fl!("details-speed"),
            fl!(
                "details-speed-value",
                down = format::rate(t.download_rate),
                up = format::rate(t.upload_rate)
            )
        ),
        line(
            fl!("details-peers"),
            fl!(
                "details-peers-value",
                peers = t.peers,
                seeds = t.seeds,
                banned = t.banned
            )
        ),
        line(
            fl!("details-pieces"),
            match d.filter(|d| d.piece_length > 0) {
                Some(d) => fl!(
                    "details-pieces-value",
                    count = t.pieces_total,
                    size = format::size(d.piece_length),
                    have = t.pieces_have
                ),
                None => fl!(
                    "details-pieces-have",
                    have = t.pieces_have,
                    total = t.pieces_total
                ),
            }
        ),
    ]
    .width(Length::FillPortion(2));
    let save_path = d.map_or_else(
        || t.save_path.display().to_string(),
        |d| d.save_path.display().to_string(),
    );
    let general = column![
        text(fl!("details-general")).size(TEXT + 1.0),
        line(fl!("details-save-path"), save_path),
        line(
            fl!("details-size"),
            d.map_or_else(
                || format::size(t.wanted_bytes),
                |d| format::size(d.total_length)
            )
        ),
        line(fl!("details-hash"), t.info_hash.to_hex()),
        line(
            fl!("details-comment"),
            d.and_then(|d| d.comment.clone()).unwrap_or_else(unknown)
        ),
        line(
            fl!("details-created-by"),
            d.and_then(|d| d.created_by.clone()).unwrap_or_else(unknown)
        ),
        line(
            fl!("details-created-on"),
            d.and_then(|d| d.creation_date)
                .map_or_else(unknown, format::utc_date)
        ),
        line(fl!("details-added-on"), short_date(t.added_at)),
        line(
            fl!("details-completed-on"),
            t.completed_at.map(short_date).unwrap_or_default()
        ),
        line(
            fl!("details-magnet"),
            d.map(|d| d.magnet.clone()).unwrap_or_else(unknown)
        ),
    ]
    .width(Length::FillPortion(3));
    scrollable(
        column![
            row![transfer, general].spacing(16),
            line(fl!("details-error"), error)
        ]
        .padding([4, 8]),
    )
    .into()
}

/// The Trackers tab: the "Edit trackers…" button over the trackers' table.
fn trackers(d: &TorrentDetails, scroll: Viewport) -> Element<'_, Message> {
    let edit = container(
        button(text(fl!("trackers-edit")).size(TEXT))
            .padding([2, 10])
            .style(theme::flat_button)
            .on_press(Message::Details(DetailsMessage::EditTrackers)),
    )
    .id(super::trackers::EDIT_ID);
    column![container(edit).padding([2, 4]), tracker_table(d, scroll)].into()
}

fn tracker_table(d: &TorrentDetails, scroll: Viewport) -> Element<'_, Message> {
    if d.trackers.is_empty() {
        return note(fl!("details-no-trackers"));
    }
    let header = [
        (fl!("tracker-url"), Fill),
        (fl!("tracker-tier"), px(40.0)),
        (fl!("tracker-status"), px(230.0)),
        (fl!("tracker-peers"), px(50.0)),
        (fl!("tracker-seeds"), px(60.0)),
        (fl!("tracker-leechers"), px(70.0)),
        (fl!("tracker-next"), px(110.0)),
        (fl!("tracker-warning"), px(140.0)),
    ];
    let widths: Vec<Length> = header.iter().map(|h| h.1).collect();
    table(&header, d.trackers.len(), scroll, move |n| {
        let t = &d.trackers[n];
        let opt = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        let values = [
            t.url.clone(),
            (t.tier + 1).to_string(),
            tracker_status(&t.status),
            t.peers.to_string(),
            opt(t.seeders),
            opt(t.leechers),
            t.next_announce
                .map(|n| format::duration(n.as_secs()))
                .unwrap_or_default(),
            t.warning.clone().unwrap_or_default(),
        ];
        mouse_area(
            table_row(values.into_iter().zip(widths.clone()).collect(), n)
                .id(format!("tracker-{n}")),
        )
        .on_right_press(Message::Details(DetailsMessage::TrackerMenu(n)))
        .into()
    })
}

/// Id of the Peers tab's address box.
pub const PEER_ENTRY_ID: &str = "peer-entry";
/// Id of the Peers tab's "Add peer" button.
pub const ADD_PEER_ID: &str = "peer-add";

/// A peer address as typed (`203.0.113.5:6881`, `[2001:db8::1]:6881`), or why it is not one.
pub fn parse_peer(typed: &str) -> Result<std::net::SocketAddr, String> {
    let typed = typed.trim();
    match typed.parse::<std::net::SocketAddr>() {
        Ok(addr) if addr.port() != 0 && !addr.ip().is_unspecified() => Ok(addr),
        _ => Err(fl!(
            "peer-add-bad",
            address = typed.chars().take(60).collect::<String>()
        )),
    }
}

/// The Peers tab: a box to add a peer by address, then the peers.
fn peers<'a>(d: &'a TorrentDetails, panel: &'a DetailsPanel) -> Element<'a, Message> {
    let problem: Element<'a, Message> = match &panel.peer_problem {
        Some(p) => text(p.as_str()).size(TEXT).style(text::danger).into(),
        None => Space::new().into(),
    };
    let bar = row![
        text_input(&fl!("peer-add-placeholder"), &panel.peer_entry)
            .id(PEER_ENTRY_ID)
            .on_input(|s| Message::Details(DetailsMessage::PeerEntry(s)))
            .on_submit(Message::Details(DetailsMessage::AddPeer))
            .size(TEXT)
            .padding([2, 6])
            .width(220),
        container(
            button(text(fl!("peer-add")).size(TEXT))
                .padding([2, 10])
                .style(theme::flat_button)
                .on_press(Message::Details(DetailsMessage::AddPeer)),
        )
        .id(ADD_PEER_ID),
        problem,
    ]
    .spacing(6)
    .align_y(Alignment::Center);
    let table = if d.peers.is_empty() {
        note(fl!("details-no-peers"))
    } else {
        peer_table(d, panel.scroll)
    };
    column![container(bar).padding([2, 4]), table].into()
}

fn peer_table(d: &TorrentDetails, scroll: Viewport) -> Element<'_, Message> {
    let header = [
        (fl!("peer-address"), px(170.0)),
        (fl!("peer-client"), Fill),
        (fl!("peer-flags"), px(56.0)),
        (fl!("peer-progress"), px(60.0)),
        (fl!("column-down"), px(84.0)),
        (fl!("column-up"), px(84.0)),
        (fl!("peer-downloaded"), px(84.0)),
        (fl!("column-uploaded"), px(84.0)),
        (fl!("peer-source"), px(80.0)),
    ];
    let widths: Vec<Length> = header.iter().map(|h| h.1).collect();
    table(&header, d.peers.len(), scroll, move |n| {
        let p = &d.peers[n];
        let values = [
            p.addr.to_string(),
            p.client.clone(),
            peer_flags(p),
            format!("{:.1}%", p.progress.clamp(0.0, 1.0) * 100.0),
            super::columns::rate_text(p.download_rate),
            super::columns::rate_text(p.upload_rate),
            format::size(p.downloaded),
            format::size(p.uploaded),
            source_text(p.source),
        ];
        mouse_area(
            table_row(values.into_iter().zip(widths.clone()).collect(), n).id(format!("peer-{n}")),
        )
        .on_right_press(Message::Details(DetailsMessage::PeerMenu(p.addr.ip())))
        .into()
    })
}

fn piece_map(d: &TorrentDetails) -> Element<'_, Message> {
    if d.pieces.is_empty() {
        return note(fl!("details-no-metadata"));
    }
    let have = d.pieces.iter().filter(|&&p| p).count();
    let swatch = |style: fn(&iced::Theme) -> iced::Color, label: String| {
        row![
            container(Space::new().width(9).height(9))
                .style(move |t: &iced::Theme| { container::Style::default().background(style(t)) }),
            text(label).size(TEXT),
        ]
        .spacing(4)
        .align_y(Alignment::Center)
    };
    column![
        row![
            text(fl!(
                "details-pieces-summary",
                have = have,
                total = d.pieces.len(),
                size = format::size(d.piece_length)
            ))
            .size(TEXT),
            Space::new().width(Fill),
            swatch(theme::piece_have, fl!("pieces-have")),
            swatch(theme::piece_downloading, fl!("pieces-downloading")),
            swatch(theme::piece_missing, fl!("pieces-missing")),
        ]
        .spacing(12)
        .align_y(Alignment::Center),
        canvas(PieceMap {
            have: &d.pieces,
            downloading: &d.downloading,
        })
        .width(Fill)
        .height(Fill),
    ]
    .spacing(6)
    .padding([4, 8])
    .into()
}

fn files(d: &TorrentDetails, scroll: Viewport) -> Element<'_, Message> {
    if d.files.is_empty() {
        return note(fl!("details-no-metadata"));
    }
    let header = [
        (fl!("file-path"), Fill),
        (fl!("column-size"), px(84.0)),
        (fl!("column-done"), px(64.0)),
        (fl!("file-priority"), px(120.0)),
    ];
    let widths: Vec<Length> = header.iter().map(|h| h.1).collect();
    table(&header, d.files.len(), scroll, move |n| {
        let f = &d.files[n];
        let done = if f.length == 0 {
            100.0
        } else {
            f.done as f64 * 100.0 / f.length as f64
        };
        let values = [
            f.path.display().to_string(),
            format::size(f.length),
            format!("{done:.1}%"),
            priority_text(f.priority),
        ];
        mouse_area(
            table_row(values.into_iter().zip(widths.clone()).collect(), n).id(format!("file-{n}")),
        )
        .on_right_press(Message::Details(DetailsMessage::FileMenu(n)))
        .into()
    })
}

impl App {
    /// The Speed tab: this torrent's rates and all torrents' over the last five minutes.
    fn speed_tab<'a>(&'a self, t: &'a TorrentStats) -> Element<'a, Message> {
        let legend = |style: fn(&iced::Theme) -> iced::Color, label: String| {
            row![
                container(Space::new().width(12).height(3)).style(move |th: &iced::Theme| {
                    container::Style::default().background(style(th))
                }),
                text(label).size(TEXT),
            ]
            .spacing(4)
            .align_y(Alignment::Center)
        };
        let graph = |title: String, history: &'a speed::RateHistory, down: u64, up: u64| {
            column![
                row![
                    text(title).size(TEXT),
                    Space::new().width(Fill),
                    text(fl!(
                        "details-speed-value",
                        down = format::rate(down),
                        up = format::rate(up)
                    ))
                    .size(TEXT)
                    .style(theme::label),
                ],
                iced::widget::canvas(speed::SpeedGraph(history))
                    .width(Fill)
                    .height(Fill),
                text(fl!("speed-peak", rate = format::rate(history.peak())))
                    .size(TEXT)
                    .style(theme::label),
            ]
            .spacing(3)
            .width(Fill)
        };
        let torrent = &self.speed.torrent;
        column![
            row![
                legend(theme::rate_down, fl!("speed-download")),
                legend(theme::rate_up, fl!("speed-upload")),
                Space::new().width(Fill),
                text(fl!("speed-window")).size(TEXT).style(theme::label),
            ]
            .spacing(16),
            row![
                graph(
                    fl!("speed-this-torrent"),
                    torrent,
                    t.download_rate,
                    t.upload_rate
                ),
                graph(
                    fl!("speed-all-torrents"),
                    &self.speed.global,
                    self.snapshot.download_rate,
                    self.snapshot.upload_rate
                ),
            ]
            .spacing(12)
            .height(Fill),
        ]
        .spacing(6)
        .padding(8)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_flags_follow_utorrent() {
        let mut p = crate::gui::tests::peer_details([127, 0, 0, 1]);
        assert_eq!(peer_flags(&p), "D");
        p.peer_choking = true;
        p.peer_interested = true;
        assert_eq!(peer_flags(&p), "du");
        p.am_choking = false;
        p.incoming = true;
        p.snubbed = true;
        p.source = PeerSource::Dht;
        assert_eq!(peer_flags(&p), "dUISH");
        p.am_interested = false;
        p.peer_choking = false;
        p.peer_interested = false;
        p.incoming = false;
        p.snubbed = false;
        p.source = PeerSource::Pex;
        assert_eq!(peer_flags(&p), "K?X");
    }
}
