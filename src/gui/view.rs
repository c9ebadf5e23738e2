//! The window's widgets: pure functions of [`App`]'s state.

use super::columns::{self, ColumnLayout};
use super::list::{Category, Column, ROW_HEIGHT, TrackerGroup, progress};
use super::widget::pointer_layer;
use super::{
    Action, App, FILTER_ID, HEADER_ID, LIST_ID, ListMessage, MAGNET_ID, Message, Pending, theme,
};
use crate::engine::api::TorrentStats;
use crate::{fl, format};
use iced::widget::{
    Space, button, center, column, container, mouse_area, opaque, progress_bar, row, scrollable,
    space, stack, text, text_input,
};
use iced::{Alignment, Element, Fill, Length, mouse, window};

const TEXT: f32 = 13.0;
/// Id of a tracker group's sidebar entry.
pub fn tracker_sidebar_id(group: &TrackerGroup) -> String {
    match group {
        TrackerGroup::Host(h) => format!("sidebar-tracker-{h}"),
        TrackerGroup::Trackerless => "sidebar-trackerless".to_owned(),
        TrackerGroup::Error => "sidebar-tracker-error".to_owned(),
    }
}

/// Id of the status bar's port (with its reachability hint).
pub const PORT_STATUS_ID: &str = "status-port";

fn width_of(layout: &ColumnLayout, c: Column) -> Length {
    layout.width(c).map_or(Length::Fill, Length::Fixed)
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

fn cell(t: &TorrentStats, n: usize, c: Column, width: Length) -> Element<'static, Message> {
    let label = text(columns::cell_text(t, n, c))
        .size(TEXT)
        .wrapping(text::Wrapping::None);
    let content: Element<'static, Message> = match c {
        Column::Done => stack![
            progress_bar(0.0..=1.0, progress(t)).girth(ROW_HEIGHT - 8.0),
            center(label.size(11.0)),
        ]
        .into(),
        _ => label.into(),
    };
    container(content)
        .width(width)
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
        let mut right = column![self.header(), self.rows()].width(Fill);
        if self.details.shown {
            right = right.push(
                mouse_area(container(Space::new().width(Fill).height(4)).style(theme::splitter))
                    .on_press(Message::List(ListMessage::SplitStart))
                    .interaction(mouse::Interaction::ResizingVertically),
            );
            right = right.push(self.details_panel());
        }
        main = main
            .push(container(row![self.sidebar(), right]).height(Fill))
            .push(self.status_bar());
        let mut layers: Vec<Element<'_, Message>> = vec![main.into()];
        if let Some(d) = self.dialogs.current() {
            layers.push(self.dialog_layer(d));
        }
        if let Some(p) = &self.preferences {
            layers.push(self.preferences_layer(p));
        }
        if let Some(d) = &self.limits_dialog {
            layers.push(self.limits_layer(d));
        }
        if let Some(d) = &self.label_dialog {
            layers.push(self.label_layer(d));
        }
        if let Some(d) = &self.tracker_dialog {
            layers.push(self.tracker_layer(d));
        }
        if let Some(d) = &self.create {
            layers.push(self.create_layer(d));
        }
        if let Some(p) = &self.pending {
            layers.push(self.question(p));
        }
        if let Some(m) = self.menu {
            layers.push(self.menu_layer(m));
        }
        if self.drop.hovering {
            layers.push(self.drop_hint_layer());
        }
        layers.push(pointer_layer(Message::Pointer));
        stack(layers).into()
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
                tool(fl!("toolbar-create"), Action::CreateTorrent, true),
                tool(fl!("toolbar-start"), Action::Start, has_selection),
                tool(fl!("toolbar-pause"), Action::Pause, has_selection),
                tool(fl!("toolbar-stop"), Action::Stop, has_selection),
                tool(fl!("toolbar-queue-up"), Action::QueueUp, has_selection),
                tool(fl!("toolbar-queue-down"), Action::QueueDown, has_selection),
                tool(fl!("toolbar-remove"), Action::Remove, has_selection),
                tool(
                    fl!("toolbar-remove-data"),
                    Action::RemoveWithData,
                    has_selection
                ),
                tool(fl!("toolbar-preferences"), Action::Preferences, true),
                space().width(Fill),
                tool(
                    if self.details.shown {
                        fl!("toolbar-hide-details")
                    } else {
                        fl!("toolbar-show-details")
                    },
                    Action::ToggleDetails,
                    true
                ),
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
                    .id(MAGNET_ID)
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
        let current = if self.list.label().is_some() || self.list.tracker().is_some() {
            None
        } else {
            Some(self.list.category())
        };
        let entries = Category::ALL.iter().map(|&c| {
            let label = format!("{} ({})", category_title(c), self.list.count(c));
            button(text(label).size(TEXT))
                .width(Fill)
                .padding([3, 8])
                .style(if Some(c) == current {
                    theme::sidebar_active
                } else {
                    theme::flat_button
                })
                .on_press(Message::List(ListMessage::Category(c)))
        });
        let entries: Vec<Element<'_, Message>> = entries
            .map(Element::from)
            .chain(self.label_entries())
            .chain(self.tracker_entries())
            .collect();
        container(scrollable(column(entries).spacing(1).padding(4)))
            .width(150)
            .height(Fill)
            .style(theme::sidebar)
            .into()
    }

    /// The sidebar's trackers, grouped by host, with "no tracker" and "tracker error"; a click
    /// filters by one.
    fn tracker_entries(&self) -> Vec<Element<'_, Message>> {
        let (hosts, none, errors) = self.list.tracker_counts();
        if self.list.torrents().is_empty() {
            return Vec::new();
        }
        let current = self.list.tracker();
        let entry = |title: String, group: TrackerGroup| -> Element<'_, Message> {
            let id = tracker_sidebar_id(&group);
            let style = if current == Some(&group) {
                theme::sidebar_active
            } else {
                theme::flat_button
            };
            container(
                button(text(title).size(TEXT).wrapping(text::Wrapping::None))
                    .width(Fill)
                    .padding([3, 8])
                    .style(style)
                    .on_press(Message::List(ListMessage::Tracker(group))),
            )
            .id(id)
            .clip(true)
            .into()
        };
        let mut entries = vec![
            container(
                text(fl!("sidebar-trackers"))
                    .size(TEXT - 1.0)
                    .style(theme::label),
            )
            .padding([6, 8])
            .into(),
        ];
        if none > 0 {
            entries.push(entry(
                format!("{} ({none})", fl!("sidebar-trackerless")),
                TrackerGroup::Trackerless,
            ));
        }
        if errors > 0 {
            entries.push(entry(
                format!("{} ({errors})", fl!("sidebar-tracker-error")),
                TrackerGroup::Error,
            ));
        }
        for (host, n) in hosts {
            entries.push(entry(format!("{host} ({n})"), TrackerGroup::Host(host)));
        }
        entries
    }

    fn header(&self) -> Element<'_, Message> {
        let sort = self.list.sort();
        let cells = self.columns.shown().map(|c| {
            let arrow = match sort {
                Some((s, true)) if s == c => " ▲",
                Some((s, false)) if s == c => " ▼",
                _ => "",
            };
            let title = button(
                text(format!("{}{arrow}", columns::title(c)))
                    .size(TEXT)
                    .wrapping(text::Wrapping::None),
            )
            .width(Fill)
            .padding([3, 4])
            .style(theme::flat_button)
            .on_press(Message::List(ListMessage::Sort(c)));
            let mut cell = row![
                container(title)
                    .id(format!("header-{c:?}"))
                    .width(Fill)
                    .clip(true)
            ];
            if c != Column::Name {
                // The right edge: drag to resize.
                cell = cell.push(
                    mouse_area(
                        container(
                            container(Space::new().width(1).height(Fill)).style(theme::splitter),
                        )
                        .padding([4, 2])
                        .height(Fill),
                    )
                    .on_press(Message::List(ListMessage::ResizeStart(c)))
                    .interaction(mouse::Interaction::ResizingHorizontally),
                );
            }
            container(cell.height(Fill))
                .width(width_of(&self.columns, c))
                .height(ROW_HEIGHT)
                .into()
        });
        mouse_area(
            container(row(cells))
                .id(HEADER_ID)
                .width(Fill)
                .style(theme::header),
        )
        .on_right_press(Message::List(ListMessage::HeaderMenu))
        .into()
    }

    fn rows(&self) -> Element<'_, Message> {
        let total = self.list.row_count();
        let first = self.list.first_visible().min(total);
        let shown: Vec<(Column, Length)> = self
            .columns
            .shown()
            .map(|c| (c, width_of(&self.columns, c)))
            .collect();
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
            let cells = row(shown.iter().map(|&(c, w)| cell(t, n, c, w)));
            col = col.push(
                mouse_area(
                    container(cells)
                        .id(format!("row-{n}"))
                        .width(Fill)
                        .style(style),
                )
                .on_press(Message::List(ListMessage::Click(n)))
                .on_right_press(Message::List(ListMessage::RowMenu(n))),
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

    fn status_bar(&self) -> Element<'_, Message> {
        let s = &self.snapshot;
        let (port, tip) = if self.engine.is_none() {
            (fl!("status-starting"), None)
        } else if s.incoming_connections > 0 {
            (
                fl!("status-port-open", port = s.listen_port),
                Some(fl!("status-port-open-tip")),
            )
        } else {
            (
                fl!("status-port", port = s.listen_port),
                Some(fl!("status-port-unknown-tip")),
            )
        };
        let port: Element<'_, Message> = match tip {
            Some(tip) => container(iced::widget::tooltip(
                text(port).size(TEXT),
                container(text(tip).size(12)).padding(4).style(theme::menu),
                iced::widget::tooltip::Position::Top,
            ))
            .id(PORT_STATUS_ID)
            .into(),
            None => text(port).size(TEXT).into(),
        };
        container(
            row![
                text(fl!("status-dht", nodes = s.dht_nodes)).size(TEXT),
                text(fl!("status-down", rate = format::rate(s.download_rate))).size(TEXT),
                text(fl!("status-up", rate = format::rate(s.upload_rate))).size(TEXT),
                self.limits_status(),
                space().width(Fill),
            ]
            .push(self.free_space_status())
            .push(text(fl!("status-torrents", count = s.torrents.len())).size(TEXT))
            .push(port)
            .spacing(20),
        )
        .padding([3, 8])
        .width(Fill)
        .style(theme::status_bar)
        .into()
    }

    fn question(&self, p: &Pending) -> Element<'_, Message> {
        let (question, yes) = match p {
            Pending::RemoveWithData(hashes) => (
                fl!("confirm-remove-data", count = hashes.len()),
                fl!("confirm-remove-data-yes"),
            ),
            Pending::Quit => (fl!("confirm-quit"), fl!("confirm-quit-yes")),
        };
        let dialog = container(
            column![
                text(question).size(TEXT + 1.0),
                row![
                    space().width(Fill),
                    container(
                        button(text(fl!("cancel")).size(TEXT)).on_press(Message::Confirm(false))
                    )
                    .id("confirm-no"),
                    container(
                        button(text(yes).size(TEXT))
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
