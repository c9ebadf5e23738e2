//! The window's widgets: pure functions of [`App`]'s state.

use super::list::{Category, Column, ROW_HEIGHT, progress, ratio};
use super::{Action, App, FILTER_ID, LIST_ID, ListMessage, Message, Pending, theme};
use crate::engine::api::{TorrentState, TorrentStats};
use crate::{fl, format};
use iced::widget::{
    Space, button, center, column, container, mouse_area, opaque, progress_bar, row, scrollable,
    space, stack, text, text_input,
};
use iced::{Alignment, Element, Fill, Length, window};

const TEXT: f32 = 13.0;

fn width_of(c: Column) -> Length {
    match c {
        Column::Number => Length::Fixed(36.0),
        Column::Name => Length::Fill,
        Column::Size | Column::Down | Column::Up | Column::Uploaded => Length::Fixed(88.0),
        Column::Done => Length::Fixed(110.0),
        Column::Status => Length::Fixed(104.0),
        Column::Seeds | Column::Peers => Length::Fixed(54.0),
        Column::Eta => Length::Fixed(70.0),
        Column::Ratio => Length::Fixed(56.0),
    }
}

fn column_title(c: Column) -> String {
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
    }
}

fn category_title(c: Category) -> String {
    match c {
        Category::All => fl!("category-all"),
        Category::Downloading => fl!("category-downloading"),
        Category::Seeding => fl!("category-seeding"),
        Category::Completed => fl!("category-completed"),
        Category::Active => fl!("category-active"),
        Category::Inactive => fl!("category-inactive"),
        Category::Paused => fl!("category-paused"),
        Category::Errored => fl!("category-errored"),
    }
}

/// The status text of a torrent.
pub fn status_text(t: &TorrentStats) -> String {
    match &t.state {
        TorrentState::FetchingMetadata => fl!("status-metadata"),
        TorrentState::Checking => fl!("status-checking"),
        TorrentState::Downloading if t.peers == 0 => fl!("status-stalled"),
        TorrentState::Downloading => fl!("status-downloading"),
        TorrentState::Seeding => fl!("status-seeding"),
        TorrentState::Paused if t.done_bytes == t.wanted_bytes => fl!("status-finished"),
        TorrentState::Paused => fl!("status-paused"),
        TorrentState::Error(_) => fl!("status-error"),
    }
}

fn rate_text(rate: u64) -> String {
    if rate == 0 {
        String::new()
    } else {
        format::rate(rate)
    }
}

fn cell(t: &TorrentStats, n: usize, c: Column) -> Element<'static, Message> {
    let content: Element<'static, Message> = match c {
        Column::Done => {
            let p = progress(t);
            stack![
                progress_bar(0.0..=1.0, p).girth(ROW_HEIGHT - 8.0),
                center(text(format!("{:.1}%", p * 100.0)).size(11.0)),
            ]
            .into()
        }
        _ => {
            let s = match c {
                Column::Number => (n + 1).to_string(),
                Column::Name => t.name.clone(),
                Column::Size => format::size(t.wanted_bytes),
                Column::Status => status_text(t),
                Column::Seeds => t.seeds.to_string(),
                Column::Peers => t.peers.to_string(),
                Column::Down => rate_text(t.download_rate),
                Column::Up => rate_text(t.upload_rate),
                Column::Eta => match (&t.state, t.eta) {
                    (TorrentState::Downloading, Some(e)) => format::duration(e.as_secs()),
                    (TorrentState::Downloading, None) => "∞".to_owned(),
                    _ => String::new(),
                },
                Column::Ratio => {
                    let r = ratio(t);
                    if r.is_finite() {
                        format!("{r:.3}")
                    } else {
                        "∞".to_owned()
                    }
                }
                Column::Uploaded => format::size(t.uploaded),
                Column::Done => String::new(),
            };
            text(s).size(TEXT).wrapping(text::Wrapping::None).into()
        }
    };
    container(content)
        .width(width_of(c))
        .height(ROW_HEIGHT)
        .padding([0, 4])
        .align_y(Alignment::Center)
        .clip(true)
        .into()
}

/// The stable widget id of a toolbar action, for tests and accessibility.
pub fn action_id(action: Action) -> String {
    format!("toolbar-{action:?}")
}

impl App {
    /// The main window.
    pub fn view(&self, _window: window::Id) -> Element<'_, Message> {
        let mut main = column![];
        if let Some(e) = &self.error {
            main = main.push(self.banner(e));
        }
        main = main.push(self.toolbar());
        if let Some(m) = &self.magnet {
            main = main.push(self.magnet_box(m));
        }
        let body = row![
            self.sidebar(),
            column![self.header(), self.rows(), self.details()].width(Fill)
        ];
        main = main
            .push(container(body).height(Fill))
            .push(self.status_bar());
        let base: Element<'_, Message> = main.into();
        match &self.pending {
            Some(p) => stack![base, self.question(p)].into(),
            None => base,
        }
    }

    fn banner<'a>(&self, e: &'a str) -> Element<'a, Message> {
        container(
            row![
                text(e).size(TEXT).width(Fill),
                button(text(fl!("dismiss")).size(TEXT))
                    .on_press(Message::DismissError)
                    .style(theme::flat_button)
            ]
            .align_y(Alignment::Center),
        )
        .padding([4, 8])
        .width(Fill)
        .style(theme::banner_error)
        .into()
    }

    fn toolbar(&self) -> Element<'_, Message> {
        let has_selection = !self.list.selection().is_empty();
        let tool = |label: String, action: Action, enabled: bool| {
            container(
                button(text(label).size(TEXT))
                    .padding([4, 10])
                    .style(theme::flat_button)
                    .on_press_maybe(enabled.then_some(Message::Action(action))),
            )
            .id(action_id(action))
        };
        container(
            row![
                tool(fl!("toolbar-add"), Action::AddFile, true),
                tool(fl!("toolbar-add-magnet"), Action::AddMagnet, true),
                tool(fl!("toolbar-start"), Action::Start, has_selection),
                tool(fl!("toolbar-pause"), Action::Pause, has_selection),
                tool(fl!("toolbar-remove"), Action::Remove, has_selection),
                tool(
                    fl!("toolbar-remove-data"),
                    Action::RemoveWithData,
                    has_selection
                ),
                space().width(Fill),
                text_input(&fl!("filter-placeholder"), self.list.filter())
                    .id(FILTER_ID)
                    .on_input(|s| Message::List(ListMessage::Filter(s)))
                    .size(TEXT)
                    .width(220),
            ]
            .spacing(2)
            .align_y(Alignment::Center),
        )
        .padding(4)
        .width(Fill)
        .style(theme::toolbar)
        .into()
    }

    fn magnet_box<'a>(&self, value: &'a str) -> Element<'a, Message> {
        container(
            row![
                text(fl!("magnet-label")).size(TEXT),
                text_input("magnet:?xt=urn:btih:…", value)
                    .on_input(Message::MagnetInput)
                    .on_submit(Message::Action(Action::AddMagnet))
                    .size(TEXT)
                    .width(Fill),
                button(text(fl!("magnet-add")).size(TEXT))
                    .on_press(Message::Action(Action::AddMagnet)),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        )
        .padding([4, 8])
        .into()
    }

    fn sidebar(&self) -> Element<'_, Message> {
        let current = self.list.category();
        let entries = Category::ALL.iter().map(|&c| {
            let label = format!("{} ({})", category_title(c), self.list.count(c));
            button(text(label).size(TEXT))
                .width(Fill)
                .padding([3, 8])
                .style(if c == current {
                    theme::sidebar_active
                } else {
                    theme::flat_button
                })
                .on_press(Message::List(ListMessage::Category(c)))
                .into()
        });
        container(column(entries).spacing(1).padding(4))
            .width(170)
            .height(Fill)
            .style(theme::sidebar)
            .into()
    }

    fn header(&self) -> Element<'_, Message> {
        let sort = self.list.sort();
        let cells = Column::ALL.iter().map(|&c| {
            let arrow = match sort {
                Some((s, true)) if s == c => " ▲",
                Some((s, false)) if s == c => " ▼",
                _ => "",
            };
            container(
                button(
                    text(format!("{}{arrow}", column_title(c)))
                        .size(TEXT)
                        .wrapping(text::Wrapping::None),
                )
                .width(Fill)
                .padding([3, 4])
                .style(theme::flat_button)
                .on_press(Message::List(ListMessage::Sort(c))),
            )
            .id(format!("header-{c:?}"))
            .width(width_of(c))
            .into()
        });
        container(row(cells))
            .width(Fill)
            .style(theme::header)
            .into()
    }

    fn rows(&self) -> Element<'_, Message> {
        let total = self.list.row_count();
        let first = self.list.first_visible().min(total);
        let mut col = column![Space::new().height(first as f32 * ROW_HEIGHT)];
        let mut last = first;
        for (n, t) in self.list.visible() {
            last = n + 1;
            let style = if self.list.is_selected(&t.info_hash) {
                theme::row_selected
            } else if n % 2 == 1 {
                theme::row_striped
            } else {
                theme::row_plain
            };
            let cells = row(Column::ALL.iter().map(|&c| cell(t, n, c)));
            col = col.push(
                mouse_area(
                    container(cells)
                        .id(format!("row-{n}"))
                        .width(Fill)
                        .style(style),
                )
                .on_press(Message::List(ListMessage::Click(n))),
            );
        }
        col = col.push(Space::new().height(total.saturating_sub(last) as f32 * ROW_HEIGHT));
        let list: Element<'_, Message> = if total == 0 {
            center(text(fl!("list-empty")).size(TEXT)).into()
        } else {
            scrollable(col)
                .id(LIST_ID)
                .on_scroll(|v| {
                    Message::List(ListMessage::Scrolled(
                        v.absolute_offset().y,
                        v.bounds().height,
                    ))
                })
                .height(Fill)
                .into()
        };
        container(list).height(Fill).into()
    }

    fn details(&self) -> Element<'_, Message> {
        let Some(t) = self.list.focused() else {
            return container(text(fl!("details-none")).size(TEXT))
                .padding(8)
                .height(150)
                .into();
        };
        let line = |label: String, value: String| {
            row![text(label).size(TEXT).width(150), text(value).size(TEXT)].spacing(8)
        };
        let error = match &t.state {
            TorrentState::Error(e) => e.clone(),
            _ => t.tracker_error.clone().unwrap_or_default(),
        };
        let r = ratio(t);
        let body = column![
            text(fl!("details-general")).size(TEXT + 1.0),
            line(fl!("details-name"), t.name.clone()),
            line(fl!("details-hash"), t.info_hash.to_hex()),
            line(
                fl!("details-pieces"),
                fl!(
                    "details-pieces-value",
                    have = t.pieces_have,
                    total = t.pieces_total
                )
            ),
            line(
                fl!("details-transferred"),
                fl!(
                    "details-transferred-value",
                    down = format::size(t.downloaded),
                    up = format::size(t.uploaded),
                    ratio = if r.is_finite() {
                        format!("{r:.3}")
                    } else {
                        "∞".to_owned()
                    }
                )
            ),
            line(fl!("details-wasted"), format::size(t.wasted)),
            line(
                fl!("details-peers"),
                fl!(
                    "details-peers-value",
                    peers = t.peers,
                    seeds = t.seeds,
                    banned = t.banned
                )
            ),
            line(fl!("details-error"), error),
        ]
        .spacing(2);
        container(scrollable(body))
            .padding(8)
            .height(170)
            .width(Fill)
            .into()
    }

    fn status_bar(&self) -> Element<'_, Message> {
        let s = &self.snapshot;
        let port = if self.engine.is_some() {
            fl!("status-port", port = s.listen_port)
        } else {
            fl!("status-starting")
        };
        container(
            row![
                text(fl!("status-down", rate = format::rate(s.download_rate))).size(TEXT),
                text(fl!("status-up", rate = format::rate(s.upload_rate))).size(TEXT),
                space().width(Fill),
                text(fl!("status-torrents", count = s.torrents.len())).size(TEXT),
                text(port).size(TEXT),
            ]
            .spacing(16),
        )
        .padding([3, 8])
        .width(Fill)
        .style(theme::status_bar)
        .into()
    }

    fn question(&self, p: &Pending) -> Element<'_, Message> {
        let Pending::RemoveWithData(hashes) = p;
        let count = hashes.len();
        let dialog = container(
            column![
                text(fl!("confirm-remove-data", count = count)).size(TEXT + 1.0),
                row![
                    space().width(Fill),
                    container(
                        button(text(fl!("cancel")).size(TEXT)).on_press(Message::Confirm(false))
                    )
                    .id("confirm-no"),
                    container(
                        button(text(fl!("confirm-remove-data-yes")).size(TEXT))
                            .style(theme::danger_button)
                            .on_press(Message::Confirm(true))
                    )
                    .id("confirm-yes"),
                ]
                .spacing(8),
            ]
            .spacing(16),
        )
        .padding(16)
        .width(420)
        .style(theme::modal);
        opaque(center(dialog).style(theme::backdrop))
    }
}
