//! `brooklet create <PATH> -o <OUT.torrent> [--tracker URL]... [--web-seed URL]...
//! [--piece-length BYTES] [--private] [--comment TEXT] [--threads N]`

use super::{CliError, CliResult, parse_number, progress, required_value, say};
use crate::engine::create::{CreateOptions, collect_files, create_from};
use crate::engine::storage::check::HashProgress;
use crate::{fl, format};
use lexopt::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub(super) fn run(parser: &mut lexopt::Parser) -> CliResult {
    let mut source: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut options = CreateOptions::new(PathBuf::new());
    while let Some(arg) = parser.next()? {
        match arg {
            Short('o') | Long("output") => out = Some(parser.value()?.into()),
            // Each --tracker is a tier of its own; commas put several URLs in one tier.
            Short('t') | Long("tracker") => {
                let v = parser.value()?.to_string_lossy().into_owned();
                let tier: Vec<String> = v
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect();
                if !tier.is_empty() {
                    options.trackers.push(tier);
                }
            }
            Short('w') | Long("web-seed") => {
                options
                    .web_seeds
                    .push(parser.value()?.to_string_lossy().into_owned());
            }
            Short('l') | Long("piece-length") => {
                options.piece_length = Some(parse_number(parser.value()?, "--piece-length")?);
            }
            Short('p') | Long("private") => options.private = true,
            Short('c') | Long("comment") => {
                options.comment = Some(parser.value()?.to_string_lossy().into_owned());
            }
            Long("threads") => {
                options.threads = parse_number(parser.value()?, "--threads")? as usize
            }
            Short('h') | Long("help") => {
                say!("{}", super::usage());
                return Ok(ExitCode::SUCCESS);
            }
            Value(v) if source.is_none() => source = Some(v.into()),
            _ => return Err(arg.unexpected().into()),
        }
    }
    let source = required_value(source.map(Into::into), "PATH")?;
    let out: PathBuf = required_value(out.map(Into::into), "-o OUT.torrent")?.into();
    options.source = source.into();

    let files = collect_files(&options.source).map_err(|e| CliError::failed(e.to_string()))?;
    let progress = HashProgress::default();
    let started = Instant::now();
    let created = progress::with_bar(
        &fl!("progress-hashing"),
        files.total_length,
        &progress,
        || create_from(&options, &files, &progress),
    )
    .map_err(|e| CliError::failed(e.to_string()))?;
    let elapsed = started.elapsed().as_secs_f64().max(1e-9);

    crate::engine::session_state::write_atomically(&out, &created.bytes).map_err(|e| {
        CliError::failed(fl!(
            "cli-cannot-write",
            path = out.display().to_string(),
            reason = e.to_string()
        ))
    })?;
    let m = &created.metainfo;
    eprintln!(
        "{}",
        fl!(
            "create-done",
            path = out.display().to_string(),
            size = format::size(m.total_length),
            pieces = m.piece_count(),
            piece_size = format::size(m.piece_length),
            rate = format::rate((m.total_length as f64 / elapsed) as u64)
        )
    );
    say!("{}", m.info_hash);
    Ok(ExitCode::SUCCESS)
}
