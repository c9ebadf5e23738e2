//! Labels: free-form names with a colour that the user gives torrents, each optionally with its
//! own save folder (for torrents added with it) and limits (given to torrents that get it).
//!
//! The engine keeps each torrent's label ([`Command::SetLabel`], kept across restarts); the
//! settings keep the labels' colours, folders and limits ([`LabelDef`]). The sidebar lists the
//! labels with their counts and filters by one; the "Label…" dialog of the context menu picks or
//! makes a label, edits it, takes it off the selection or deletes it.

use super::{App, Message, theme};
use crate::engine::InfoHash;
use crate::engine::api::clean_label;
use crate::engine::limits::RateLimits;
use crate::engine::session::Command;
use crate::fl;
use crate::settings::{LabelDef, MAX_LABELS, Settings};
use iced::widget::{
    button, center, column, container, opaque, pick_list, row, space, text, text_input,
};
use iced::{Alignment, Background, Border, Color, Element, Fill, Task};

const TEXT: f32 = 13.0;
/// Ids of the label dialog's boxes and buttons.
pub const LABEL_NAME_ID: &str = "label-name";
pub const LABEL_PATH_ID: &str = "label-path";
pub const LABEL_DOWN_ID: &str = "label-down";
pub const LABEL_UP_ID: &str = "label-up";
pub const LABEL_OK_ID: &str = "label-ok";
pub const LABEL_CANCEL_ID: &str = "label-cancel";
pub const LABEL_CLEAR_ID: &str = "label-clear";
pub const LABEL_DELETE_ID: &str = "label-delete";

/// The label colours, readable on light and dark backgrounds alike.
pub const COLOURS: [Color; 8] = [
    Color::from_rgb8(0x2f, 0x80, 0xed),
    Color::from_rgb8(0x27, 0xae, 0x60),
    Color::from_rgb8(0xe6, 0x7e, 0x22),
    Color::from_rgb8(0x9b, 0x59, 0xb6),
    Color::from_rgb8(0xe7, 0x4c, 0x3c),
    Color::from_rgb8(0x16, 0xa0, 0x85),
    Color::from_rgb8(0xc0, 0x9b, 0x1a),
    Color::from_rgb8(0x7f, 0x8c, 0x8d),
];

/// A label colour by index (any index is valid).
pub fn colour(i: u8) -> Color {
    COLOURS[usize::from(i) % COLOURS.len()]
}

/// Id of a colour button of the dialog.
pub fn colour_id(i: u8) -> String {
    format!("label-colour-{i}")
}

/// Id of a label's sidebar entry.
pub fn sidebar_id(name: &str) -> String {
    format!("sidebar-label-{name}")
}

/// The colour of a label: its own, or a steady one picked from its name when the user never
/// made it (a label restored from another machine's session).
pub fn colour_of(settings: &Settings, name: &str) -> Color {
    match settings.label(name) {
        Some(l) => colour(l.colour),
        None => colour(name.bytes().fold(0u8, |a, b| a.wrapping_add(b))),
    }
}

/// What the user did in the label dialog.
#[derive(Debug, Clone)]
pub enum LabelMessage {
    /// The name box changed (a known label's settings are filled in).
    Name(String),
    /// A known label was picked.
    Pick(String),
    /// A colour was clicked.
    Colour(u8),
    /// The save folder box changed.
    SavePath(String),
    /// The download limit box changed.
    Down(String),
    /// The upload limit box changed.
    Up(String),
    /// OK: give the selection this label (made or updated).
    Save,
    /// Take the label off the selection.
    Clear,
    /// Delete the label: off every torrent, gone from the list.
    Delete,
    /// Cancel (or Esc).
    Cancel,
}

/// The open dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelDialog {
    /// The torrents it is for.
    pub hashes: Vec<InfoHash>,
    /// The name as typed.
    pub name: String,
    /// The colour chosen.
    pub colour: u8,
    save_path: String,
    down: String,
    up: String,
    /// Why OK was refused.
    pub problem: Option<String>,
}

impl LabelDialog {
    /// A dialog for `hashes`, filled with `current` (the first torrent's label) when it has
    /// one.
    pub fn new(hashes: Vec<InfoHash>, current: Option<&str>, settings: &Settings) -> LabelDialog {
        let mut d = LabelDialog {
            hashes,
            name: String::new(),
            colour: (settings.labels.len() % COLOURS.len()) as u8,
            save_path: String::new(),
            down: "0".into(),
            up: "0".into(),
            problem: None,
        };
        if let Some(name) = current {
            d.set_name(name.to_owned(), settings);
        }
        d
    }

    /// Sets the name; a known label's colour, folder and limits come with it.
    fn set_name(&mut self, name: String, settings: &Settings) {
        if let Some(def) = clean_label(&name).and_then(|n| settings.label(&n)) {
            self.colour = def.colour;
            self.save_path = def
                .save_path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            self.down = super::limits::kib_text(def.limits.download);
            self.up = super::limits::kib_text(def.limits.upload);
        }
        self.name = name;
    }

    /// The label as typed, or what is wrong with it.
    pub fn checked(&self) -> Result<LabelDef, String> {
        let name = clean_label(&self.name).ok_or_else(|| fl!("label-empty"))?;
        let folder = self.save_path.trim();
        let save_path = if folder.is_empty() {
            None
        } else {
            let p = std::path::PathBuf::from(folder);
            if !p.is_absolute() {
                return Err(fl!("prefs-save-path-absolute"));
            }
            Some(p)
        };
        Ok(LabelDef {
            name,
            colour: self.colour,
            save_path,
            limits: RateLimits::new(
                super::limits::parse_kib(&self.down, fl!("limits-down"))?,
                super::limits::parse_kib(&self.up, fl!("limits-up"))?,
            ),
        })
    }
}

fn label_msg(m: LabelMessage) -> Message {
    Message::Label(m)
}

/// A small square of a label's colour.
fn swatch<'a>(c: Color, size: f32) -> Element<'a, Message> {
    container(space().width(size).height(size))
        .style(move |_| container::Style {
            background: Some(Background::Color(c)),
            border: Border {
                radius: 2.0.into(),
                ..Border::default()
            },
            ..container::Style::default()
        })
        .into()
}

impl App {
    /// The label dialog, while open.
    pub fn label_dialog(&self) -> Option<&LabelDialog> {
        self.label_dialog.as_ref()
    }

    /// Opens "Label…" for the selected torrents.
    pub(super) fn open_label_dialog(&mut self) {
        let selection = self.selection();
        let Some(first) = selection.first() else {
            return;
        };
        let current = self
            .list
            .torrents()
            .iter()
            .find(|t| t.info_hash == *first)
            .and_then(|t| t.label.clone());
        self.label_dialog = Some(LabelDialog::new(
            selection,
            current.as_deref(),
            &self.settings,
        ));
    }

    /// A message of the label dialog.
    pub(super) fn on_label(&mut self, message: LabelMessage) -> Task<Message> {
        let Some(d) = self.label_dialog.as_mut() else {
            return Task::none();
        };
        match message {
            LabelMessage::Name(s) | LabelMessage::Pick(s) => d.set_name(s, &self.settings),
            LabelMessage::Colour(c) => d.colour = c,
            LabelMessage::SavePath(s) => d.save_path = s,
            LabelMessage::Down(s) => d.down = s,
            LabelMessage::Up(s) => d.up = s,
            LabelMessage::Cancel => self.label_dialog = None,
            LabelMessage::Clear => {
                let hashes = std::mem::take(&mut d.hashes);
                self.label_dialog = None;
                for h in hashes {
                    self.send(Command::SetLabel(h, None));
                }
            }
            LabelMessage::Delete => {
                let Some(name) = clean_label(&d.name) else {
                    return Task::none();
                };
                self.label_dialog = None;
                let with_it: Vec<InfoHash> = self
                    .list
                    .torrents()
                    .iter()
                    .filter(|t| t.label.as_deref() == Some(name.as_str()))
                    .map(|t| t.info_hash)
                    .collect();
                for h in with_it {
                    self.send(Command::SetLabel(h, None));
                }
                if self.list.label() == Some(name.as_str()) {
                    self.list.set_category(super::list::Category::All);
                }
                let mut s = self.settings.clone();
                s.labels.retain(|l| l.name != name);
                return self.apply_settings(s);
            }
            LabelMessage::Save => {
                let def = match d.checked() {
                    Ok(def) => def,
                    Err(problem) => {
                        d.problem = Some(problem);
                        return Task::none();
                    }
                };
                let mut s = self.settings.clone();
                let full = s.labels.len() >= MAX_LABELS;
                match s.labels.iter_mut().find(|l| l.name == def.name) {
                    Some(old) => *old = def.clone(),
                    None if full => {
                        d.problem = Some(fl!("label-too-many", max = MAX_LABELS));
                        return Task::none();
                    }
                    None => s.labels.push(def.clone()),
                }
                let hashes = std::mem::take(&mut d.hashes);
                self.label_dialog = None;
                for h in hashes {
                    self.send(Command::SetLabel(h, Some(def.name.clone())));
                    if def.limits != RateLimits::UNLIMITED {
                        self.send(Command::SetTorrentLimits(h, def.limits));
                    }
                }
                return self.apply_settings(s);
            }
        }
        Task::none()
    }

    /// The labels the sidebar lists: the user's, then any others torrents have.
    pub(super) fn known_labels(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .settings
            .labels
            .iter()
            .map(|l| l.name.clone())
            .collect();
        for l in self.list.labels_in_use() {
            if !names.contains(&l) {
                names.push(l);
            }
        }
        names
    }

    /// The sidebar's labels, each with its colour and count; a click filters by it.
    pub(super) fn label_entries(&self) -> Vec<Element<'_, Message>> {
        let names = self.known_labels();
        if names.is_empty() {
            return Vec::new();
        }
        let mut entries: Vec<Element<'_, Message>> = vec![
            container(
                text(fl!("sidebar-labels"))
                    .size(TEXT - 1.0)
                    .style(theme::label),
            )
            .padding([6, 8])
            .into(),
        ];
        let current = self.list.label();
        for name in names {
            let count = self.list.label_count(&name);
            let active = current == Some(name.as_str());
            let entry = button(
                row![
                    swatch(colour_of(&self.settings, &name), 10.0),
                    text(format!("{name} ({count})"))
                        .size(TEXT)
                        .wrapping(text::Wrapping::None),
                ]
                .spacing(6)
                .align_y(Alignment::Center),
            )
            .width(Fill)
            .padding([3, 8])
            .style(if active {
                theme::sidebar_active
            } else {
                theme::flat_button
            })
            .on_press(Message::List(super::ListMessage::Label(name.clone())));
            entries.push(container(entry).id(sidebar_id(&name)).into());
        }
        entries
    }

    /// The label dialog over the window.
    pub(super) fn label_layer<'a>(&'a self, d: &'a LabelDialog) -> Element<'a, Message> {
        let field = |label: String,
                     value: &'a str,
                     id: &'static str,
                     placeholder: &str,
                     width: f32,
                     m: fn(String) -> LabelMessage| {
            row![
                text(label).size(TEXT).width(150),
                text_input(placeholder, value)
                    .id(id)
                    .on_input(move |s| label_msg(m(s)))
                    .on_submit(label_msg(LabelMessage::Save))
                    .size(TEXT)
                    .width(width),
            ]
            .spacing(8)
            .align_y(Alignment::Center)
        };
        let names: Vec<String> = self
            .settings
            .labels
            .iter()
            .map(|l| l.name.clone())
            .collect();
        let picked = clean_label(&d.name).filter(|n| names.contains(n));
        let colours = row(COLOURS.iter().enumerate().map(|(i, c)| {
            let i = i as u8;
            let chosen = d.colour == i;
            container(
                button(swatch(*c, if chosen { 18.0 } else { 14.0 }))
                    .padding(if chosen { 2 } else { 4 })
                    .style(theme::flat_button)
                    .on_press(label_msg(LabelMessage::Colour(i))),
            )
            .id(colour_id(i))
            .into()
        }))
        .spacing(4)
        .align_y(Alignment::Center);
        let problem: Element<'_, Message> = match &d.problem {
            Some(p) => text(p.as_str()).size(TEXT).style(text::danger).into(),
            None => space().height(0).into(),
        };
        let known = settings_has(&self.settings, &d.name);
        let dialog = container(
            column![
                text(fl!("label-title", count = d.hashes.len())).size(TEXT + 2.0),
                row![
                    text(fl!("label-name")).size(TEXT).width(150),
                    text_input(&fl!("label-name-placeholder"), &d.name)
                        .id(LABEL_NAME_ID)
                        .on_input(|s| label_msg(LabelMessage::Name(s)))
                        .on_submit(label_msg(LabelMessage::Save))
                        .size(TEXT)
                        .width(Fill),
                    pick_list(names, picked, |s| label_msg(LabelMessage::Pick(s)))
                        .placeholder(fl!("label-pick"))
                        .text_size(TEXT),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
                row![text(fl!("label-colour")).size(TEXT).width(150), colours]
                    .spacing(8)
                    .align_y(Alignment::Center),
                field(
                    fl!("label-save-path"),
                    &d.save_path,
                    LABEL_PATH_ID,
                    &fl!("label-save-path-placeholder"),
                    330.0,
                    LabelMessage::SavePath
                ),
                field(
                    fl!("limits-down"),
                    &d.down,
                    LABEL_DOWN_ID,
                    "0",
                    110.0,
                    LabelMessage::Down
                ),
                field(
                    fl!("limits-up"),
                    &d.up,
                    LABEL_UP_ID,
                    "0",
                    110.0,
                    LabelMessage::Up
                ),
                text(fl!("label-note")).size(12).style(theme::label),
                problem,
                row![
                    container(
                        button(text(fl!("label-clear")).size(TEXT))
                            .on_press(label_msg(LabelMessage::Clear))
                    )
                    .id(LABEL_CLEAR_ID),
                    container(
                        button(text(fl!("label-delete")).size(TEXT))
                            .style(button::danger)
                            .on_press_maybe(known.then_some(label_msg(LabelMessage::Delete)))
                    )
                    .id(LABEL_DELETE_ID),
                    space().width(Fill),
                    container(
                        button(text(fl!("cancel")).size(TEXT))
                            .on_press(label_msg(LabelMessage::Cancel))
                    )
                    .id(LABEL_CANCEL_ID),
                    container(
                        button(text(fl!("dialog-ok")).size(TEXT))
                            .style(button::primary)
                            .on_press(label_msg(LabelMessage::Save))
                    )
                    .id(LABEL_OK_ID),
                ]
                .spacing(8),
            ]
            .spacing(12),
        )
        .padding(16)
        .width(620)
        .style(theme::modal);
        opaque(center(dialog).style(theme::backdrop))
    }
}

/// The user made a label of this name.
fn settings_has(settings: &Settings, typed: &str) -> bool {
    clean_label(typed).is_some_and(|n| settings.label(&n).is_some())
}
