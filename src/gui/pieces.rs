//! The piece map of the details panel: one small square per piece — verified, being downloaded,
//! or missing — drawn on a canvas. When a torrent has more pieces than squares fit, each square
//! stands for a run of pieces, so drawing stays bounded by the panel's size, not the torrent's.

use super::theme;
use iced::widget::canvas::{self, Frame, Geometry};
use iced::{Point, Rectangle, Renderer, Size, Theme, mouse};

/// Side of one square, and the gap between squares.
const CELL: f32 = 7.0;
const GAP: f32 = 1.0;

/// What one square shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Every piece in it is verified.
    Have,
    /// Some are verified.
    Partial,
    /// One of them is being downloaded.
    Downloading,
    /// None is here.
    Missing,
}

/// Groups `have` (one bool per piece) into at most `capacity` squares.
pub fn cells(have: &[bool], downloading: &[u32], capacity: usize) -> Vec<Cell> {
    if have.is_empty() || capacity == 0 {
        return Vec::new();
    }
    let per_cell = have.len().div_ceil(capacity);
    let mut busy = vec![false; have.len()];
    for &i in downloading {
        if let Some(b) = busy.get_mut(i as usize) {
            *b = true;
        }
    }
    have.chunks(per_cell)
        .zip(busy.chunks(per_cell))
        .map(|(h, b)| {
            if b.iter().any(|&x| x) {
                Cell::Downloading
            } else if h.iter().all(|&x| x) {
                Cell::Have
            } else if h.iter().any(|&x| x) {
                Cell::Partial
            } else {
                Cell::Missing
            }
        })
        .collect()
}

/// The canvas program drawing one torrent's pieces.
pub struct PieceMap<'a> {
    /// One bool per piece: verified.
    pub have: &'a [bool],
    /// Pieces being downloaded.
    pub downloading: &'a [u32],
}

impl<Message> canvas::Program<Message> for PieceMap<'_> {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let step = CELL + GAP;
        let per_row = ((bounds.width + GAP) / step).floor().max(1.0) as usize;
        let rows = ((bounds.height + GAP) / step).floor().max(1.0) as usize;
        let (have, partial, busy, missing) = (
            theme::piece_have(theme),
            theme::piece_have(theme).scale_alpha(0.45),
            theme::piece_downloading(theme),
            theme::piece_missing(theme),
        );
        for (n, cell) in cells(self.have, self.downloading, per_row * rows)
            .into_iter()
            .enumerate()
        {
            let colour = match cell {
                Cell::Have => have,
                Cell::Partial => partial,
                Cell::Downloading => busy,
                Cell::Missing => missing,
            };
            let (x, y) = ((n % per_row) as f32 * step, (n / per_row) as f32 * step);
            frame.fill_rectangle(Point::new(x, y), Size::new(CELL, CELL), colour);
        }
        vec![frame.into_geometry()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_square_per_piece_when_they_fit() {
        let have = [true, false, true, false];
        assert_eq!(
            cells(&have, &[1], 100),
            [Cell::Have, Cell::Downloading, Cell::Have, Cell::Missing]
        );
    }

    #[test]
    fn runs_of_pieces_share_a_square_when_they_do_not_fit() {
        let have: Vec<bool> = (0..10).map(|i| i < 5).collect();
        let c = cells(&have, &[99], 4);
        assert_eq!(c, [Cell::Have, Cell::Partial, Cell::Missing, Cell::Missing]);
        assert!(cells(&[], &[], 10).is_empty());
    }
}
