//! Named styles for the app's widgets, derived from the active iced theme so light and dark both
//! work. Views pick a style by name; no colour is written inline in a view.

use iced::widget::{button, container};
use iced::{Background, Border, Theme};

/// The toolbar strip.
pub fn toolbar(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.weak.color)),
        ..container::Style::default()
    }
}

/// The sidebar.
pub fn sidebar(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.weakest.color)),
        ..container::Style::default()
    }
}

/// The status bar.
pub fn status_bar(theme: &Theme) -> container::Style {
    toolbar(theme)
}

/// The list's header row.
pub fn header(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.weak.color)),
        border: Border {
            color: p.background.strong.color,
            width: 0.0,
            radius: 0.0.into(),
        },
        ..container::Style::default()
    }
}

/// A selected row.
pub fn row_selected(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.primary.weak.color)),
        text_color: Some(p.primary.weak.text),
        ..container::Style::default()
    }
}

/// Every other unselected row, for readability.
pub fn row_striped(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.weakest.color)),
        ..container::Style::default()
    }
}

/// An unselected row.
pub fn row_plain(_theme: &Theme) -> container::Style {
    container::Style::default()
}

/// The error banner.
pub fn banner_error(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.danger.weak.color)),
        text_color: Some(p.danger.weak.text),
        ..container::Style::default()
    }
}

/// The box of a modal question.
pub fn modal(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.base.color)),
        border: Border {
            color: p.background.strong.color,
            width: 1.0,
            radius: 6.0.into(),
        },
        ..container::Style::default()
    }
}

/// The dimmed backdrop behind a modal question.
pub fn backdrop(_theme: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(iced::Color {
            a: 0.45,
            ..iced::Color::BLACK
        })),
        ..container::Style::default()
    }
}

/// A flat toolbar or sidebar button.
pub fn flat_button(theme: &Theme, status: button::Status) -> button::Style {
    let p = theme.extended_palette();
    let background = match status {
        button::Status::Hovered => Some(Background::Color(p.background.strong.color)),
        button::Status::Pressed => Some(Background::Color(p.primary.weak.color)),
        _ => None,
    };
    button::Style {
        background,
        text_color: if status == button::Status::Disabled {
            p.background.strong.color
        } else {
            p.background.base.text
        },
        border: Border {
            radius: 4.0.into(),
            ..Border::default()
        },
        ..button::Style::default()
    }
}

/// The sidebar entry of the category shown.
pub fn sidebar_active(theme: &Theme, _status: button::Status) -> button::Style {
    let p = theme.extended_palette();
    button::Style {
        background: Some(Background::Color(p.primary.weak.color)),
        text_color: p.primary.weak.text,
        border: Border {
            radius: 4.0.into(),
            ..Border::default()
        },
        ..button::Style::default()
    }
}

/// The destructive choice of a question.
pub fn danger_button(theme: &Theme, status: button::Status) -> button::Style {
    button::danger(theme, status)
}

/// A context menu's box.
pub fn menu(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.base.color)),
        text_color: Some(p.background.base.text),
        border: Border {
            color: p.background.strong.color,
            width: 1.0,
            radius: 3.0.into(),
        },
        shadow: iced::Shadow {
            color: iced::Color {
                a: 0.3,
                ..iced::Color::BLACK
            },
            offset: iced::Vector::new(2.0, 2.0),
            blur_radius: 6.0,
        },
        ..container::Style::default()
    }
}

/// An entry of a context menu.
pub fn menu_item(theme: &Theme, status: button::Status) -> button::Style {
    let p = theme.extended_palette();
    let (background, text_color) = match status {
        button::Status::Hovered | button::Status::Pressed => (
            Some(Background::Color(p.primary.base.color)),
            p.primary.base.text,
        ),
        button::Status::Disabled => (None, p.background.strong.color),
        button::Status::Active => (None, p.background.base.text),
    };
    button::Style {
        background,
        text_color,
        ..button::Style::default()
    }
}

/// A separator line in a menu.
pub fn separator(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.strong.color)),
        ..container::Style::default()
    }
}

/// A tab of the details panel (the shown one stands out).
pub fn tab(active: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |theme, status| {
        let p = theme.extended_palette();
        let background = if active {
            Some(Background::Color(p.background.base.color))
        } else if status == button::Status::Hovered {
            Some(Background::Color(p.background.strong.color))
        } else {
            None
        };
        button::Style {
            background,
            text_color: p.background.base.text,
            border: Border {
                color: p.background.strong.color,
                width: if active { 1.0 } else { 0.0 },
                radius: iced::border::top(3.0),
            },
            ..button::Style::default()
        }
    }
}

/// The bar above the details panel that resizes it, and the header cells' resize edges.
pub fn splitter(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.strong.color)),
        ..container::Style::default()
    }
}

/// Secondary text: labels in the details panel, hints.
pub fn label(theme: &Theme) -> iced::widget::text::Style {
    iced::widget::text::Style {
        color: Some(
            theme
                .extended_palette()
                .background
                .base
                .text
                .scale_alpha(0.65),
        ),
    }
}

/// Colour of a verified piece in the piece map.
pub fn piece_have(theme: &Theme) -> iced::Color {
    theme.extended_palette().primary.base.color
}

/// Colour of a piece being downloaded.
pub fn piece_downloading(theme: &Theme) -> iced::Color {
    theme.extended_palette().success.base.color
}

/// Colour of a missing piece.
pub fn piece_missing(theme: &Theme) -> iced::Color {
    theme.extended_palette().background.strong.color
}

/// Background of the speed graphs.
pub fn graph_background(theme: &Theme) -> iced::Color {
    theme.extended_palette().background.weak.color
}

/// Grid lines of the speed graphs.
pub fn graph_grid(theme: &Theme) -> iced::Color {
    theme
        .extended_palette()
        .background
        .strong
        .color
        .scale_alpha(0.6)
}

/// The download line of the speed graphs (and its legend).
pub fn rate_down(theme: &Theme) -> iced::Color {
    piece_have(theme)
}

/// The upload line of the speed graphs (and its legend).
pub fn rate_up(theme: &Theme) -> iced::Color {
    piece_downloading(theme)
}

/// An hour of the alternative-limits schedule: filled when on.
pub fn schedule_cell(on: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |theme, status| {
        let p = theme.extended_palette();
        let background = match (on, status) {
            (true, _) => p.primary.base.color,
            (false, button::Status::Hovered) => p.background.strong.color,
            (false, _) => p.background.weak.color,
        };
        button::Style {
            background: Some(Background::Color(background)),
            text_color: p.background.base.text,
            border: Border {
                color: p.background.strong.color,
                width: 1.0,
                radius: 1.0.into(),
            },
            ..button::Style::default()
        }
    }
}

/// The status bar's alternative-limits switch: stands out while on.
pub fn switch(on: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |theme, status| {
        let p = theme.extended_palette();
        let (background, text_color) = if on {
            (p.primary.base.color, p.primary.base.text)
        } else if status == button::Status::Hovered {
            (p.background.strong.color, p.background.base.text)
        } else {
            (p.background.weak.color, p.background.base.text)
        };
        button::Style {
            background: Some(Background::Color(background)),
            text_color,
            border: Border {
                color: p.background.strong.color,
                width: 1.0,
                radius: 3.0.into(),
            },
            ..button::Style::default()
        }
    }
}

/// The hint shown while files are dragged over the window.
pub fn drop_hint(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.base.color)),
        text_color: Some(p.background.base.text),
        border: Border {
            color: p.primary.strong.color,
            width: 2.0,
            radius: 8.0.into(),
        },
        ..container::Style::default()
    }
}
