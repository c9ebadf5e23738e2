//! Small widgets the window needs and iced does not have.
//!
//! [`pointer_layer`] tells where a mouse button went down, in window coordinates, before the
//! widgets under it handle the press: iced's `mouse_area` says *that* a row was right-clicked,
//! not *where*, and inside a scrollable its positions are shifted by the scroll offset. A
//! transparent canvas laid over the whole window gives context menus and drags a position
//! without a message for every mouse move; it draws nothing and captures nothing, so every
//! press still reaches the widgets below. [`windowed`] builds only the rows of a long list that
//! are on screen.

use iced::widget::canvas::{self, Action, Event, Geometry};
use iced::widget::{Space, canvas as canvas_widget, column};
use iced::{Element, Fill, Point, Rectangle, Renderer, Size, Theme, mouse};

/// Publishes `on_press(position, window_size)` on every mouse button press.
struct PointerLayer<Message> {
    on_press: fn(Point, Size) -> Message,
}

impl<Message> canvas::Program<Message> for PointerLayer<Message> {
    type State = ();

    fn update(
        &self,
        _state: &mut (),
        event: &Event,
        bounds: Rectangle,
        cursor: mouse::Cursor,
    ) -> Option<Action<Message>> {
        match (event, cursor.position()) {
            (Event::Mouse(mouse::Event::ButtonPressed(_)), Some(at)) => {
                Some(Action::publish((self.on_press)(at, bounds.size())))
            }
            _ => None,
        }
    }

    fn draw(
        &self,
        _state: &(),
        _renderer: &Renderer,
        _theme: &Theme,
        _bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        Vec::new()
    }
}

/// The top layer of the window's stack: reports where each mouse press happens.
pub fn pointer_layer<'a, Message: 'a>(
    on_press: fn(Point, Size) -> Message,
) -> Element<'a, Message> {
    canvas_widget(PointerLayer { on_press })
        .width(Fill)
        .height(Fill)
        .into()
}

/// Where a scrolled list is: its scroll offset and the height of its viewport.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Viewport {
    /// Pixels scrolled from the top.
    pub offset: f32,
    /// Height of the visible part (0 before the first scroll event: then a screenful is built).
    pub height: f32,
}

impl Viewport {
    /// The rows of height `row_height` (out of `total`) that are on screen, with one extra.
    pub fn rows(self, total: usize, row_height: f32) -> std::ops::Range<usize> {
        let height = if self.height > 0.0 {
            self.height
        } else {
            1200.0
        };
        let first = ((self.offset.max(0.0) / row_height) as usize).min(total);
        let count = (height / row_height).ceil() as usize + 2;
        first..(first + count).min(total)
    }
}

/// A column of `total` rows of `row_height` where only the rows on screen are built, with empty
/// space standing in for the others (so the scrollbar stays true).
pub fn windowed<'a, Message: 'a>(
    total: usize,
    row_height: f32,
    viewport: Viewport,
    row: impl Fn(usize) -> Element<'a, Message>,
) -> Element<'a, Message> {
    let range = viewport.rows(total, row_height);
    let mut col = column![Space::new().height(range.start as f32 * row_height)];
    for n in range.clone() {
        col = col.push(row(n));
    }
    col.push(Space::new().height(total.saturating_sub(range.end) as f32 * row_height))
        .into()
}

#[cfg(test)]
mod tests {
    use super::Viewport;

    #[test]
    fn a_viewport_covers_the_rows_on_screen_and_no_more() {
        let v = Viewport {
            offset: 200.0,
            height: 100.0,
        };
        assert_eq!(v.rows(1000, 20.0), 10..17);
        assert_eq!(v.rows(12, 20.0), 10..12);
        assert_eq!(Viewport::default().rows(3, 20.0), 0..3);
    }
}
