//! The create-torrent dialog's view: a pure function of [`CreateDialog`].

use super::{
    CANCEL_ID, CLOSE_ID, COMMENT_ID, COPY_MAGNET_ID, CREATE_ID, CreateDialog, CreateMessage,
    PICK_FILE_ID, PICK_FOLDER_ID, PRIVATE_ID, PROGRESS_ID, Phase, PieceSize, SAVE_BESIDE_ID,
    SAVE_ID, SOURCE_ID, START_SEEDING_ID, TRACKERS_ID, msg,
};
use crate::gui::{App, Message, theme};
use crate::{fl, format};
use iced::widget::{
    button, center, checkbox, column, container, opaque, pick_list, progress_bar, row, space, text,
    text_editor, text_input,
};
use iced::{Alignment, Element, Fill};

const TEXT: f32 = 13.0;
const LABEL_WIDTH: f32 = 110.0;

fn labelled<'a>(label: String, value: impl Into<Element<'a, Message>>) -> Element<'a, Message> {
    row![
        container(text(label).size(TEXT).style(theme::label)).width(LABEL_WIDTH),
        value.into()
    ]
    .align_y(Alignment::Center)
    .into()
}

fn action(
    label: String,
    id: &'static str,
    on_press: Option<CreateMessage>,
) -> Element<'static, Message> {
    container(button(text(label).size(TEXT)).on_press_maybe(on_press.map(msg)))
        .id(id)
        .into()
}

fn primary(
    label: String,
    id: &'static str,
    on_press: Option<CreateMessage>,
) -> Element<'static, Message> {
    container(
        button(text(label).size(TEXT))
            .style(button::primary)
            .on_press_maybe(on_press.map(msg)),
    )
    .id(id)
    .into()
}

impl App {
    /// The create dialog over a dimmed window.
    pub(in crate::gui) fn create_layer<'a>(&'a self, d: &'a CreateDialog) -> Element<'a, Message> {
        let body = match &d.phase {
            Phase::Editing => form(d, None),
            Phase::Hashing {
                done,
                total,
                cancelling,
                ..
            } => form(
                d,
                Some(Hashing {
                    done: *done,
                    total: *total,
                    cancelling: *cancelling,
                }),
            ),
            Phase::Created {
                torrent,
                saved,
                seeding,
            } => {
                let m = &torrent.metainfo;
                let mut c = column![
                    text(fl!("create-done-title")).size(TEXT + 3.0),
                    labelled(fl!("details-name"), text(m.name.as_str()).size(TEXT)),
                    labelled(fl!("details-hash"), text(m.info_hash.to_hex()).size(TEXT)),
                    labelled(
                        fl!("details-size"),
                        text(fl!(
                            "create-size-pieces",
                            size = format::size(m.total_length),
                            pieces = m.piece_count(),
                            piece = format::size(m.piece_length)
                        ))
                        .size(TEXT)
                    ),
                    labelled(
                        fl!("create-saved-as"),
                        text(match saved {
                            Some(p) => p.display().to_string(),
                            None => fl!("create-not-saved"),
                        })
                        .size(TEXT)
                    ),
                ]
                .spacing(8);
                if *seeding {
                    c = c.push(text(fl!("create-seeding")).size(TEXT).style(theme::label));
                }
                c = c.push(problem(d));
                let mut buttons = row![space().width(Fill)].spacing(8);
                if saved.is_none() {
                    buttons = buttons
                        .push(action(
                            fl!("create-save-beside"),
                            SAVE_BESIDE_ID,
                            Some(CreateMessage::SaveBeside),
                        ))
                        .push(primary(
                            fl!("create-save"),
                            SAVE_ID,
                            Some(CreateMessage::SaveAs),
                        ));
                }
                buttons = buttons
                    .push(action(
                        fl!("create-copy-magnet"),
                        COPY_MAGNET_ID,
                        Some(CreateMessage::CopyMagnet),
                    ))
                    .push(action(
                        fl!("create-close"),
                        CLOSE_ID,
                        Some(CreateMessage::Close),
                    ));
                c.push(buttons).into()
            }
        };
        let dialog = container(body).padding(14).width(640).style(theme::modal);
        opaque(center(dialog).style(theme::backdrop))
    }
}

fn problem(d: &CreateDialog) -> Element<'_, Message> {
    match &d.problem {
        Some(p) => text(p.as_str()).size(TEXT).style(text::danger).into(),
        None => space().height(0).into(),
    }
}

/// Hashing progress, when the form is shown while hashing.
struct Hashing {
    done: u64,
    total: u64,
    cancelling: bool,
}

/// The form; read-only (with a progress bar instead of the buttons) while hashing.
fn form(d: &CreateDialog, hashing: Option<Hashing>) -> Element<'_, Message> {
    let editing = hashing.is_none();
    let on = |m: CreateMessage| editing.then_some(m);
    let scanned = match &d.scanned {
        None if d.source.trim().is_empty() => text(fl!("create-no-source")).style(theme::label),
        None => text(fl!("create-scanning")).style(theme::label),
        Some(Ok(s)) => text(fl!(
            "create-source-summary",
            files = s.files,
            size = format::size(s.total)
        )),
        Some(Err(e)) => text(e.as_str()).style(text::danger),
    };
    let pieces = match d.pieces() {
        Some((piece, count)) => fl!(
            "create-piece-count",
            pieces = count,
            piece = format::size(piece)
        ),
        None => String::new(),
    };
    let piece_size: Element<'_, Message> = if editing {
        pick_list(PieceSize::all(), Some(d.piece_size), |p| {
            msg(CreateMessage::PieceSize(p))
        })
        .text_size(TEXT)
        .into()
    } else {
        text(d.piece_size.to_string()).size(TEXT).into()
    };
    let mut trackers = text_editor(&d.trackers)
        .id(TRACKERS_ID)
        .placeholder("udp://tracker.example.org:1337/announce")
        .size(TEXT)
        .height(96);
    if editing {
        trackers = trackers.on_action(|a| msg(CreateMessage::Trackers(a)));
    }
    let mut source = text_input(&fl!("create-source-placeholder"), &d.source)
        .id(SOURCE_ID)
        .size(TEXT)
        .width(Fill);
    let mut comment = text_input("", &d.comment)
        .id(COMMENT_ID)
        .size(TEXT)
        .width(Fill);
    if editing {
        source = source.on_input(|s| msg(CreateMessage::Source(s)));
        comment = comment.on_input(|s| msg(CreateMessage::Comment(s)));
    }
    let mut private = checkbox(d.private)
        .label(fl!("create-private"))
        .text_size(TEXT);
    if editing {
        private = private.on_toggle(|b| msg(CreateMessage::Private(b)));
    }
    let can_create = matches!(d.scanned, Some(Ok(_)));
    let bottom: Element<'_, Message> = match hashing {
        None => column![
            problem(d),
            row![
                space().width(Fill),
                action(fl!("cancel"), CANCEL_ID, Some(CreateMessage::Cancel)),
                primary(
                    fl!("create-create"),
                    CREATE_ID,
                    can_create.then_some(CreateMessage::Create)
                ),
            ]
            .spacing(8),
        ]
        .spacing(8)
        .into(),
        Some(h) => progress(h),
    };
    column![
        text(if editing {
            fl!("create-title")
        } else {
            fl!("create-hashing-title")
        })
        .size(TEXT + 3.0),
        labelled(
            fl!("create-source"),
            row![
                source,
                action(
                    fl!("create-pick-file"),
                    PICK_FILE_ID,
                    on(CreateMessage::PickFile)
                ),
                action(
                    fl!("create-pick-folder"),
                    PICK_FOLDER_ID,
                    on(CreateMessage::PickFolder)
                ),
            ]
            .spacing(6)
            .align_y(Alignment::Center)
        ),
        labelled(String::new(), scanned.size(TEXT)),
        row![
            container(text(fl!("create-trackers")).size(TEXT).style(theme::label))
                .width(LABEL_WIDTH),
            column![
                trackers,
                text(fl!("create-trackers-hint"))
                    .size(12)
                    .style(theme::label),
            ]
            .spacing(2),
        ],
        labelled(
            fl!("create-piece-size"),
            row![piece_size, text(pieces).size(TEXT).style(theme::label)]
                .spacing(10)
                .align_y(Alignment::Center)
        ),
        labelled(fl!("create-comment"), comment),
        row![
            container(private).id(PRIVATE_ID),
            // Whether to seed can still change while hashing.
            container(
                checkbox(d.start_seeding)
                    .label(fl!("create-start-seeding"))
                    .text_size(TEXT)
                    .on_toggle(|b| msg(CreateMessage::StartSeeding(b)))
            )
            .id(START_SEEDING_ID),
        ]
        .spacing(20),
        bottom,
    ]
    .spacing(8)
    .into()
}

/// The progress bar, bytes hashed of the total, and Cancel.
fn progress<'a>(h: Hashing) -> Element<'a, Message> {
    let fraction = if h.total == 0 {
        0.0
    } else {
        (h.done as f64 / h.total as f64).clamp(0.0, 1.0) as f32
    };
    let status = if h.cancelling {
        fl!("create-cancelling")
    } else {
        fl!(
            "create-hashing-progress",
            done = format::size(h.done),
            total = format::size(h.total),
            percent = format!("{:.0}", fraction * 100.0)
        )
    };
    column![
        container(progress_bar(0.0..=1.0, fraction).girth(18)).id(PROGRESS_ID),
        row![
            text(status).size(TEXT).width(Fill),
            action(
                fl!("cancel"),
                CANCEL_ID,
                (!h.cancelling).then_some(CreateMessage::Cancel)
            ),
        ]
        .align_y(Alignment::Center),
    ]
    .spacing(8)
    .into()
}
