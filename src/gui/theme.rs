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
