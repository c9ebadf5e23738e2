//! Light and dark: the main window drawn by iced_test's renderer (at 200 % scale) in each
//! theme, checked pixel by pixel — the background is light or dark as asked, and a fair share
//! of the window (text, borders, bars) stands out clearly from it, so nothing is drawn in a
//! colour that vanishes in one of the themes.

use super::*;

/// Relative luminance (0 black … 1 white) of an sRGB pixel, without gamma: enough to tell
/// light from dark and text from background.
fn luminance(p: &[u8]) -> f64 {
    (0.2126 * f64::from(p[0]) + 0.7152 * f64::from(p[1]) + 0.0722 * f64::from(p[2])) / 255.0
}

/// The window in `theme` as RGBA pixels (through a PNG the snapshot writes), with its width.
fn pixels(app: &App, theme: &iced::Theme, name: &str) -> (Vec<u8>, u32) {
    let dir = tempfile::tempdir().unwrap();
    let mut ui = simulator(app.view(window::Id::unique()));
    let snapshot = ui.snapshot(theme).unwrap();
    assert!(snapshot.matches_image(dir.path().join(name)).unwrap());
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .expect("the snapshot wrote no PNG");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    buf.truncate(info.buffer_size());
    (buf, info.width)
}

/// The background's luminance (that of the most common colour) and the share of pixels at
/// least `contrast` away from it.
fn background_and_contrast(rgba: &[u8], contrast: f64) -> (f64, f64) {
    let mut counts: HashMap<[u8; 3], usize> = HashMap::new();
    for p in rgba.chunks_exact(4) {
        *counts.entry([p[0], p[1], p[2]]).or_default() += 1;
    }
    let (bg, _) = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .expect("an empty picture");
    let bg = luminance(bg);
    let total = rgba.len() / 4;
    let standing_out = rgba
        .chunks_exact(4)
        .filter(|p| (luminance(p) - bg).abs() >= contrast)
        .count();
    (bg, standing_out as f64 / total as f64)
}

#[test]
fn the_main_window_reads_well_in_light_and_in_dark() {
    let (mut app, _rx) = app();
    click(&mut app, "row-0");
    for (theme, dark) in [(iced::Theme::Light, false), (iced::Theme::Dark, true)] {
        let (rgba, width) = pixels(&app, &theme, if dark { "dark" } else { "light" });
        assert!(width >= 2000, "not drawn at 200 %: {width} px wide");
        let (bg, share) = background_and_contrast(&rgba, 0.45);
        eprintln!(
            "{theme}: background {bg:.2}, {:.1} % stands out",
            share * 100.0
        );
        if dark {
            assert!(bg < 0.3, "the dark theme's background is light ({bg:.2})");
        } else {
            assert!(bg > 0.7, "the light theme's background is dark ({bg:.2})");
        }
        assert!(
            share > 0.01,
            "{theme}: only {:.2} % of the window stands out from the background",
            share * 100.0
        );
    }
}
