//! `brooklet info <FILE.torrent|MAGNET> [--json]`: what a torrent or magnet link holds.

use super::{CliError, CliResult, required_value, say};
use crate::engine::bencode::Limits;
use crate::engine::magnet::MagnetLink;
use crate::engine::metainfo::Metainfo;
use crate::{fl, format};
use lexopt::prelude::*;
use serde_json::json;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(parser: &mut lexopt::Parser) -> CliResult {
    let mut target = None;
    let mut as_json = false;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("json") => as_json = true,
            Value(v) if target.is_none() => target = Some(v),
            Short('h') | Long("help") => {
                say!("{}", super::usage());
                return Ok(ExitCode::SUCCESS);
            }
            _ => return Err(arg.unexpected().into()),
        }
    }
    let target = required_value(target, "FILE.torrent|MAGNET")?;
    let text = target.to_string_lossy();
    if super::is_magnet(&text) {
        let link = MagnetLink::parse(&text)
            .map_err(|e| CliError::failed(fl!("cli-bad-magnet", reason = e.to_string())))?;
        if as_json {
            say!("{}", magnet_json(&link));
        } else {
            print_magnet(&link);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let path = Path::new(&target);
    let meta = load_torrent(path)?;
    if as_json {
        say!("{}", torrent_json(&meta));
    } else {
        print_torrent(&meta);
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads and parses a `.torrent`, refusing files over the size limit before reading them whole.
pub(super) fn load_torrent(path: &Path) -> Result<Metainfo, CliError> {
    let shown = path.display().to_string();
    let fail = |reason: String| {
        CliError::failed(fl!(
            "cli-cannot-read",
            path = shown.as_str(),
            reason = reason
        ))
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let max = Limits::TORRENT.max_size as u64;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > max {
        return Err(fail(fl!("cli-torrent-too-large")));
    }
    Metainfo::from_bytes(&bytes).map_err(|e| {
        CliError::failed(fl!(
            "cli-bad-torrent",
            path = shown.as_str(),
            reason = e.to_string()
        ))
    })
}

fn row(label: String, value: impl std::fmt::Display) {
    say!("{:<14} {value}", format!("{label}:"));
}

fn print_torrent(m: &Metainfo) {
    row(fl!("info-name"), &m.name);
    row(fl!("info-hash"), m.info_hash);
    row(fl!("info-magnet"), m.to_magnet());
    let real_files = m.files.iter().filter(|f| !f.pad).count();
    row(
        fl!("info-size"),
        fl!(
            "info-size-value",
            size = format::size(m.data_length()),
            bytes = m.data_length(),
            files = real_files
        ),
    );
    row(
        fl!("info-pieces"),
        fl!(
            "info-pieces-value",
            count = m.piece_count(),
            size = format::size(m.piece_length)
        ),
    );
    row(
        fl!("info-private"),
        if m.private { fl!("yes") } else { fl!("no") },
    );
    if m.hybrid {
        row(fl!("info-version"), fl!("info-hybrid"));
    }
    for (n, tier) in m.trackers.iter().enumerate() {
        let tier_number = n + 1;
        for url in tier {
            row(fl!("info-tracker", tier = tier_number), url);
        }
    }
    for url in &m.web_seeds {
        row(fl!("info-web-seed"), url);
    }
    if let Some(c) = &m.comment {
        row(fl!("info-comment"), c.replace(['\n', '\r'], " "));
    }
    if let Some(c) = &m.created_by {
        row(fl!("info-created-by"), c);
    }
    if let Some(d) = m.creation_date {
        row(fl!("info-created-on"), format::utc_date(d));
    }
    say!("{}:", fl!("info-files"));
    for f in m.files.iter().filter(|f| !f.pad) {
        say!("  {:>10}  {}", format::size(f.length), f.display_path());
    }
}

fn torrent_json(m: &Metainfo) -> serde_json::Value {
    json!({
        "name": m.name,
        "info_hash": m.info_hash.to_hex(),
        "magnet": m.to_magnet().to_uri(),
        "total_length": m.data_length(),
        "piece_length": m.piece_length,
        "piece_count": m.piece_count(),
        "private": m.private,
        "hybrid": m.hybrid,
        "trackers": m.trackers,
        "web_seeds": m.web_seeds,
        "comment": m.comment,
        "created_by": m.created_by,
        "creation_date": m.creation_date,
        "files": m.files.iter().filter(|f| !f.pad).map(|f| json!({
            "path": f.display_path(),
            "length": f.length,
            "offset": f.offset,
        })).collect::<Vec<_>>(),
    })
}

fn print_magnet(l: &MagnetLink) {
    row(fl!("info-hash"), l.info_hash);
    if let Some(n) = &l.display_name {
        row(fl!("info-name"), n);
    }
    for t in &l.trackers {
        row(fl!("info-tracker", tier = 1), t);
    }
    for p in &l.peers {
        row(fl!("info-peer"), p);
    }
    for w in &l.web_seeds {
        row(fl!("info-web-seed"), w);
    }
    if !l.select_only.is_empty() {
        row(fl!("info-selected-files"), l.selection_text());
    }
    say!("{}", fl!("info-magnet-no-metadata"));
}

fn magnet_json(l: &MagnetLink) -> serde_json::Value {
    json!({
        "info_hash": l.info_hash.to_hex(),
        "name": l.display_name,
        "trackers": l.trackers,
        "peers": l.peers.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "web_seeds": l.web_seeds,
        "select_only": l.select_only.iter().map(|r| [*r.start(), *r.end()]).collect::<Vec<_>>(),
        "magnet": l.to_uri(),
    })
}
