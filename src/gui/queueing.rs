//! The Preferences dialog's Queueing page: how many torrents run at once, and the rule for
//! slow ones, stated as the engine applies it ([`crate::engine::api::QueueLimits`]).

use super::Message;
use super::preferences::{PrefMessage, Preferences};
use super::theme;
use crate::fl;
use crate::settings::{MAX_QUEUE_SLOTS, Settings};
use iced::widget::{checkbox, column, container, row, text, text_input};
use iced::{Alignment, Element};

const TEXT: f32 = 13.0;
/// Id of the "only so many torrents at once" box.
pub const QUEUEING_ID: &str = "prefs-queueing";
/// Id of the "downloads at once" box.
pub const DOWNLOADS_ID: &str = "prefs-queue-downloads";
/// Id of the "seeds at once" box.
pub const SEEDS_ID: &str = "prefs-queue-seeds";
/// Id of the "torrents at once" box.
pub const ACTIVE_ID: &str = "prefs-queue-active";
/// Id of the "slow torrents don't count" box.
pub const IGNORE_SLOW_ID: &str = "prefs-queue-ignore-slow";

/// A change on the Queueing page.
#[derive(Debug, Clone)]
pub enum QueueMessage {
    /// Queueing on or off.
    Enabled(bool),
    /// The downloads box changed.
    Downloads(String),
    /// The seeds box changed.
    Seeds(String),
    /// The active torrents box changed.
    Active(String),
    /// Slow torrents count or not.
    IgnoreSlow(bool),
}

/// The page's number boxes, as typed.
#[derive(Debug, Clone)]
pub struct QueueDraft {
    downloads: String,
    seeds: String,
    active: String,
}

impl QueueDraft {
    /// The boxes filled from `s`.
    pub fn new(s: &Settings) -> QueueDraft {
        QueueDraft {
            downloads: s.max_active_downloads.to_string(),
            seeds: s.max_active_seeds.to_string(),
            active: s.max_active_torrents.to_string(),
        }
    }

    /// Handles a change; the boxes stay as typed until OK.
    pub fn update(&mut self, message: QueueMessage, draft: &mut Settings) {
        match message {
            QueueMessage::Enabled(on) => draft.queueing = on,
            QueueMessage::Downloads(s) => self.downloads = s,
            QueueMessage::Seeds(s) => self.seeds = s,
            QueueMessage::Active(s) => self.active = s,
            QueueMessage::IgnoreSlow(on) => draft.queue_ignore_slow = on,
        }
    }

    /// Puts the typed numbers into `s`, or says which box is wrong (checked even while
    /// queueing is off, so what is saved is always valid).
    pub fn checked(&self, s: &mut Settings) -> Result<(), String> {
        let number = |typed: &str, label: String| {
            typed
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= MAX_QUEUE_SLOTS)
                .ok_or_else(|| {
                    fl!(
                        "prefs-bad-number",
                        field = label,
                        min = "0",
                        max = MAX_QUEUE_SLOTS.to_string()
                    )
                })
        };
        s.max_active_downloads = number(&self.downloads, fl!("prefs-queue-downloads"))?;
        s.max_active_seeds = number(&self.seeds, fl!("prefs-queue-seeds"))?;
        s.max_active_torrents = number(&self.active, fl!("prefs-queue-active"))?;
        Ok(())
    }
}

fn queue_msg(m: QueueMessage) -> Message {
    Message::Preferences(PrefMessage::Queue(m))
}

fn number_line<'a>(
    label: String,
    value: &'a str,
    id: &'static str,
    on_input: fn(String) -> QueueMessage,
    enabled: bool,
) -> Element<'a, Message> {
    let mut input = text_input("", value)
        .id(id)
        .size(TEXT)
        .width(100)
        .on_submit(Message::Preferences(PrefMessage::Save));
    if enabled {
        input = input.on_input(move |s| queue_msg(on_input(s)));
    }
    row![text(label).size(TEXT).width(260), input]
        .spacing(8)
        .align_y(Alignment::Center)
        .into()
}

/// The Queueing page.
pub fn queue_page(p: &Preferences) -> Element<'_, Message> {
    let on = p.draft.queueing;
    let q = &p.queue;
    column![
        container(
            checkbox(on)
                .label(fl!("prefs-queueing"))
                .on_toggle(|on| queue_msg(QueueMessage::Enabled(on)))
                .text_size(TEXT)
        )
        .id(QUEUEING_ID),
        number_line(
            fl!("prefs-queue-downloads"),
            &q.downloads,
            DOWNLOADS_ID,
            QueueMessage::Downloads,
            on
        ),
        number_line(
            fl!("prefs-queue-seeds"),
            &q.seeds,
            SEEDS_ID,
            QueueMessage::Seeds,
            on
        ),
        number_line(
            fl!("prefs-queue-active"),
            &q.active,
            ACTIVE_ID,
            QueueMessage::Active,
            on
        ),
        container(
            checkbox(p.draft.queue_ignore_slow)
                .label(fl!("prefs-queue-ignore-slow"))
                .on_toggle_maybe(on.then_some(|on| queue_msg(QueueMessage::IgnoreSlow(on))))
                .text_size(TEXT)
        )
        .id(IGNORE_SLOW_ID),
        text(fl!("prefs-queue-rule")).size(12).style(theme::label),
        text(fl!("prefs-queue-force-note"))
            .size(12)
            .style(theme::label),
    ]
    .spacing(10)
    .into()
}
