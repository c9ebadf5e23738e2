//! `brooklet verify <FILE.torrent> <DATA_DIR> [--threads N]`: hash-check data on disk.
//! Exits 0 only when every piece verifies.

use super::info::load_torrent;
use super::{CliError, CliResult, parse_number, progress, required_value, say};
use crate::engine::storage::check::{HashProgress, default_threads, verify};
use crate::engine::storage::{Storage, StorageMode};
use crate::{fl, format};
use lexopt::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub(super) fn run(parser: &mut lexopt::Parser) -> CliResult {
    let mut torrent: Option<PathBuf> = None;
    let mut dir: Option<PathBuf> = None;
    let mut threads = default_threads();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("threads") => {
                threads = parse_number(parser.value()?, "--threads")?.max(1) as usize
            }
            Short('h') | Long("help") => {
                say!("{}", super::usage());
                return Ok(ExitCode::SUCCESS);
            }
            Value(v) if torrent.is_none() => torrent = Some(v.into()),
            Value(v) if dir.is_none() => dir = Some(v.into()),
            _ => return Err(arg.unexpected().into()),
        }
    }
    let torrent: PathBuf = required_value(torrent.map(Into::into), "FILE.torrent")?.into();
    let dir: PathBuf = required_value(dir.map(Into::into), "DATA_DIR")?.into();
    let meta = load_torrent(&torrent)?;
    let storage = Storage::for_torrent(&dir, &meta, StorageMode::ReadOnly)
        .map_err(|e| CliError::failed(e.to_string()))?;
    let progress = HashProgress::default();
    let started = Instant::now();
    let result = progress::with_bar(
        &fl!("progress-checking"),
        meta.total_length,
        &progress,
        || verify(&storage, &meta, threads, &progress),
    )
    .map_err(|e| CliError::failed(e.to_string()))?;
    let elapsed = started.elapsed().as_secs_f64().max(1e-9);
    for (piece, e) in &result.errors {
        eprintln!(
            "{}",
            fl!("verify-read-error", piece = piece, reason = e.to_string())
        );
    }
    let have = result.have.count();
    let total = meta.piece_count();
    say!(
        "{}",
        fl!(
            "verify-summary",
            have = have,
            total = total,
            rate = format::rate((meta.total_length as f64 / elapsed) as u64)
        )
    );
    if have == total {
        Ok(ExitCode::SUCCESS)
    } else {
        let missing = total - have;
        Err(CliError::failed(fl!(
            "verify-incomplete",
            missing = missing
        )))
    }
}
