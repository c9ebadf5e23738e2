//! A progress bar on stderr for long work, drawn only when stderr is a terminal (quiet on a pipe).

use crate::engine::storage::check::HashProgress;
use crate::format;
use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Runs `work` on a scoped thread while the calling thread draws a bar for `progress.bytes`
/// against `total`, labelled `label`. Returns what `work` returns.
pub fn with_bar<T: Send>(
    label: &str,
    total: u64,
    progress: &HashProgress,
    work: impl FnOnce() -> T + Send,
) -> T {
    let tty = std::io::stderr().is_terminal();
    std::thread::scope(|scope| {
        // The worker says when it is done, so the bar never adds a polling delay to the work.
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let handle = scope.spawn(move || {
            let value = work();
            let _ = done_tx.send(());
            value
        });
        let started = Instant::now();
        loop {
            if tty {
                draw(
                    label,
                    progress.bytes.load(Ordering::Relaxed),
                    total,
                    started.elapsed(),
                );
            }
            match done_rx.recv_timeout(Duration::from_millis(100)) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                // Done, or the worker panicked (the sender was dropped): join reports which.
                _ => break,
            }
        }
        if tty {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        }
        match handle.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

fn draw(label: &str, done: u64, total: u64, elapsed: Duration) {
    const WIDTH: usize = 30;
    let fraction = if total == 0 {
        1.0
    } else {
        (done as f64 / total as f64).min(1.0)
    };
    let filled = (fraction * WIDTH as f64) as usize;
    let secs = elapsed.as_secs_f64().max(0.001);
    let rate = (done as f64 / secs) as u64;
    let eta = total
        .saturating_sub(done)
        .checked_div(rate)
        .map_or_else(|| "∞".into(), format::duration);
    eprint!(
        "\r\x1b[2K{label} [{}{}] {:>3.0}% {}/{} {} {eta}",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
        fraction * 100.0,
        format::size(done),
        format::size(total),
        format::rate(rate),
    );
    let _ = std::io::stderr().flush();
}
