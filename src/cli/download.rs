//! `brooklet download` and `brooklet seed`: the engine driven headless.
//!
//! download <FILE.torrent|MAGNET> [-o DIR] [--port N] [--peer HOST:PORT]... [--seed] [--sequential]
//!          [--dht-bootstrap HOST:PORT]... [--no-dht] [--max-down RATE] [--max-up RATE]
//!          [--ip-filter FILE]
//!     exits 0 once every wanted piece is verified; with --seed goes on seeding until
//!     SIGINT/SIGTERM, then announces `stopped` and exits 0.
//! seed <FILE.torrent> <DATA_DIR> [--port N] [--peer HOST:PORT]... [--max-down RATE] [--max-up RATE]
//!      [--ip-filter FILE]
//!     checks the data, then seeds until SIGINT/SIGTERM.
//!
//! `--ip-filter FILE` (both) blocks the ranges of an eMule `ipfilter.dat` or PeerGuardian `.p2p`
//! list; a file that cannot be used ends the command at once with one line and exit code 1.
//!
//! `--max-down`/`--max-up` take bytes per second, strictly a whole number with an optional unit
//! (`500K`, `1M`, `1MiB`; 0 is no limit); anything else is a usage error.
//!
//! Both print `listening on port N` on stdout first, so scripts and tests can find the port.
//!
//! `download` keeps resume data under the data folder (`BROOKLET_HOME/data`, else the platform's),
//! like the desktop app: run again after a crash or a kill, it starts from the pieces it had
//! verified and synced, without hashing them again, and says so on stdout. `seed` always checks
//! its data.

use super::{CliError, CliResult, parse_number, required_value, say};
use crate::engine::api::{AddTorrent, Event, TorrentSource, TorrentState, TorrentStats};
use crate::engine::ipfilter::IpFilter;
use crate::engine::limits::RateLimits;
use crate::engine::session::{self, Config};
use crate::engine::session_state::default_data_dir;
use crate::engine::storage::resume::RESUME_DIR;
use crate::{fl, format};
use lexopt::prelude::*;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

struct Options {
    source: OsString,
    dir: PathBuf,
    port: u16,
    peers: Vec<String>,
    keep_seeding: bool,
    sequential: bool,
    seed_only: bool,
    /// DHT nodes to join through (`--dht-bootstrap`); empty keeps the engine's default.
    dht_bootstrap: Vec<String>,
    /// `--no-dht`: no DHT node at all.
    no_dht: bool,
    /// `--max-down RATE`, `--max-up RATE`: global limits in bytes per second (0: none).
    limits: RateLimits,
    /// `--ip-filter FILE`: an eMule `ipfilter.dat` or PeerGuardian `.p2p` list to block.
    ip_filter: Option<PathBuf>,
}

pub(super) fn run_download(parser: &mut lexopt::Parser) -> CliResult {
    let mut source = None;
    let mut opts = Options {
        source: OsString::new(),
        dir: PathBuf::from("."),
        port: 0,
        peers: Vec::new(),
        keep_seeding: false,
        sequential: false,
        seed_only: false,
        dht_bootstrap: Vec::new(),
        no_dht: false,
        limits: RateLimits::UNLIMITED,
        ip_filter: None,
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Short('o') | Long("output") => opts.dir = parser.value()?.into(),
            Long("port") => opts.port = parse_port(parser.value()?)?,
            Long("peer") => opts
                .peers
                .push(parser.value()?.to_string_lossy().into_owned()),
            Long("dht-bootstrap") => opts
                .dht_bootstrap
                .push(parser.value()?.to_string_lossy().into_owned()),
            Long("no-dht") => opts.no_dht = true,
            Long("max-down") => opts.limits.download = parse_number(parser.value()?, "--max-down")?,
            Long("max-up") => opts.limits.upload = parse_number(parser.value()?, "--max-up")?,
            Long("ip-filter") => opts.ip_filter = Some(parser.value()?.into()),
            Long("seed") => opts.keep_seeding = true,
            Long("sequential") => opts.sequential = true,
            Short('h') | Long("help") => {
                say!("{}", super::usage());
                return Ok(ExitCode::SUCCESS);
            }
            Value(v) if source.is_none() => source = Some(v),
            _ => return Err(arg.unexpected().into()),
        }
    }
    opts.source = required_value(source, "FILE.torrent|MAGNET")?;
    run(opts)
}

pub(super) fn run_seed(parser: &mut lexopt::Parser) -> CliResult {
    let mut source = None;
    let mut dir = None;
    let mut opts = Options {
        source: OsString::new(),
        dir: PathBuf::new(),
        port: 0,
        peers: Vec::new(),
        keep_seeding: true,
        sequential: false,
        seed_only: true,
        dht_bootstrap: Vec::new(),
        no_dht: false,
        limits: RateLimits::UNLIMITED,
        ip_filter: None,
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Long("port") => opts.port = parse_port(parser.value()?)?,
            Long("peer") => opts
                .peers
                .push(parser.value()?.to_string_lossy().into_owned()),
            Long("dht-bootstrap") => opts
                .dht_bootstrap
                .push(parser.value()?.to_string_lossy().into_owned()),
            Long("no-dht") => opts.no_dht = true,
            Long("max-down") => opts.limits.download = parse_number(parser.value()?, "--max-down")?,
            Long("max-up") => opts.limits.upload = parse_number(parser.value()?, "--max-up")?,
            Long("ip-filter") => opts.ip_filter = Some(parser.value()?.into()),
            Short('h') | Long("help") => {
                say!("{}", super::usage());
                return Ok(ExitCode::SUCCESS);
            }
            Value(v) if source.is_none() => source = Some(v),
            Value(v) if dir.is_none() => dir = Some(v),
            _ => return Err(arg.unexpected().into()),
        }
    }
    opts.source = required_value(source, "FILE.torrent")?;
    opts.dir = required_value(dir, "DATA_DIR")?.into();
    run(opts)
}

fn parse_port(v: OsString) -> Result<u16, CliError> {
    let n = parse_number(v, "--port")?;
    u16::try_from(n).map_err(|_| CliError::usage(fl!("cli-bad-port", value = n.to_string())))
}

fn run(opts: Options) -> CliResult {
    // The engine's async work on this one thread, hashing and disk I/O on blocking threads
    // (see `gui::bridge` for why one thread).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failed(e.to_string()))?;
    let result = runtime.block_on(drive(opts));
    // A disk job still running must not hold the exit up (the session has flushed its data).
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    result
}

async fn resolve_peers(peers: &[String], loopback_only: bool) -> Result<Vec<SocketAddr>, CliError> {
    let mut out = Vec::new();
    for p in peers {
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host(p.as_str())
            .await
            .map_err(|e| {
                CliError::usage(fl!(
                    "cli-bad-peer",
                    peer = p.as_str(),
                    reason = e.to_string()
                ))
            })?
            .collect();
        let Some(addr) = addrs.first().copied() else {
            return Err(CliError::usage(fl!(
                "cli-bad-peer",
                peer = p.as_str(),
                reason = "no address"
            )));
        };
        if loopback_only && !addr.ip().is_loopback() {
            return Err(CliError::usage(fl!(
                "cli-peer-not-loopback",
                peer = p.as_str()
            )));
        }
        out.push(addr);
    }
    Ok(out)
}

/// Reads the `--ip-filter` list on a blocking thread; a list that cannot be used is one line
/// and exit code 1.
async fn load_ip_filter(path: Option<&PathBuf>) -> Result<Option<Arc<IpFilter>>, CliError> {
    let Some(path) = path.cloned() else {
        return Ok(None);
    };
    let filter = tokio::task::spawn_blocking(move || IpFilter::load(&path))
        .await
        .map_err(|e| CliError::failed(e.to_string()))?
        .map_err(|e| CliError::failed(fl!("cli-bad-ip-filter", reason = e.to_string())))?;
    Ok(Some(Arc::new(filter)))
}

async fn drive(opts: Options) -> CliResult {
    let ip_filter = load_ip_filter(opts.ip_filter.as_ref()).await?;
    let mut config = Config {
        ip_filter: ip_filter.clone(),
        listen_port: opts.port,
        resume_dir: if opts.seed_only {
            None
        } else {
            default_data_dir().map(|d| d.join(RESUME_DIR))
        },
        limits: opts.limits,
        ..Config::default()
    };
    if opts.no_dht {
        config.dht = false;
    }
    if !opts.dht_bootstrap.is_empty() {
        // Checked like `--peer`: a name that does not resolve, or one off loopback in
        // loopback-only mode, is a command-line mistake rather than a silent no-op.
        resolve_peers(&opts.dht_bootstrap, config.loopback_only).await?;
        config.dht_bootstrap = opts.dht_bootstrap.clone();
    }
    let peers = resolve_peers(&opts.peers, config.loopback_only).await?;
    let text = opts.source.to_string_lossy().into_owned();
    let source = if super::is_magnet(&text) {
        TorrentSource::Magnet(text)
    } else {
        TorrentSource::Path(PathBuf::from(&opts.source))
    };
    if !opts.seed_only {
        std::fs::create_dir_all(&opts.dir).map_err(|e| {
            CliError::failed(fl!(
                "cli-cannot-write",
                path = opts.dir.display().to_string(),
                reason = e.to_string()
            ))
        })?;
    }
    let (engine, mut events) = session::spawn(config)
        .await
        .map_err(|e| CliError::failed(e.to_string()))?;
    say!("{}", fl!("cli-listening", port = engine.listen_port()));
    if let Some(filter) = &ip_filter {
        say!(
            "{}",
            fl!(
                "cli-ip-filter-loaded",
                ranges = filter.ranges(),
                bad = filter.bad_lines()
            )
        );
    }
    let mut add = AddTorrent::new(source, opts.dir.clone());
    add.peers = peers;
    add.sequential = opts.sequential;
    add.seed_only = opts.seed_only;
    let info_hash = match engine.add_torrent(add).await {
        Ok(h) => h,
        Err(e) => {
            engine.shutdown().await;
            return Err(CliError::failed(e.to_string()));
        }
    };
    let started = Instant::now();
    let mut bar = Bar::new(opts.seed_only);
    let mut finished = false;
    let mut last: Option<TorrentStats> = None;
    let mut told_start = false;
    loop {
        tokio::select! {
            ev = events.recv() => match ev {
                Some(Event::Snapshot(s)) => {
                    if let Some(t) = s.torrents.iter().find(|t| t.info_hash == info_hash) {
                        bar.draw(t);
                        if !told_start && !opts.seed_only && !matches!(
                            t.state,
                            TorrentState::Checking | TorrentState::FetchingMetadata
                        ) {
                            told_start = true;
                            tell_start(&mut bar, t);
                            // Complete from the start (resume data or checked files): no
                            // `TorrentFinished` will come.
                            if t.state == TorrentState::Seeding {
                                finished = true;
                                say_done(&mut bar, t, started);
                                if !opts.keep_seeding {
                                    engine.shutdown().await;
                                    return Ok(ExitCode::SUCCESS);
                                }
                            }
                        }
                        if opts.seed_only && t.state == TorrentState::Seeding && !finished {
                            finished = true;
                            bar.clear();
                            say!("{}", fl!("seed-ready", name = t.name.as_str()));
                        }
                        if opts.seed_only && matches!(t.state, TorrentState::Downloading) {
                            bar.clear();
                            let missing = t.pieces_total - t.pieces_have;
                            engine.shutdown().await;
                            return Err(CliError::failed(fl!("seed-incomplete", missing = missing)));
                        }
                        last = Some(t.clone());
                    }
                }
                Some(Event::TorrentFinished { info_hash: h }) if h == info_hash && !opts.seed_only && !finished => {
                    finished = true;
                    if let Some(t) = &last {
                        say_done(&mut bar, t, started);
                    }
                    if !opts.keep_seeding {
                        engine.shutdown().await;
                        return Ok(ExitCode::SUCCESS);
                    }
                }
                Some(Event::TorrentError { info_hash: h, message }) if h == info_hash => {
                    bar.clear();
                    engine.shutdown().await;
                    return Err(CliError::failed(message));
                }
                Some(Event::PeerBanned { addr, .. }) => {
                    bar.clear();
                    eprintln!("{}", fl!("peer-banned", addr = addr.to_string()));
                }
                Some(_) => {}
                None => return Err(CliError::failed(fl!("engine-stopped"))),
            },
            () = crate::platform::shutdown_requested() => {
                bar.clear();
                eprintln!("{}", fl!("cli-stopping"));
                engine.shutdown().await;
                return if finished {
                    Ok(ExitCode::SUCCESS)
                } else {
                    Err(CliError::failed(fl!("cli-interrupted")))
                };
            }
        }
    }
}

/// Says where a download starts from: its resume data (no hash check) or checked files.
fn tell_start(bar: &mut Bar, t: &TorrentStats) {
    if t.checked_bytes == 0 && t.pieces_have > 0 {
        bar.clear();
        say!(
            "{}",
            fl!(
                "download-resumed",
                have = t.pieces_have,
                total = t.pieces_total
            )
        );
    } else if t.checked_bytes > 0 {
        bar.clear();
        say!(
            "{}",
            fl!(
                "download-checked",
                have = t.pieces_have,
                total = t.pieces_total
            )
        );
    }
}

/// Says the download is complete.
fn say_done(bar: &mut Bar, t: &TorrentStats, started: Instant) {
    bar.clear();
    let secs = started.elapsed().as_secs_f64().max(1e-3);
    say!(
        "{}",
        fl!(
            "download-done",
            name = t.name.as_str(),
            size = format::size(t.wanted_bytes),
            seconds = format!("{secs:.1}"),
            rate = format::rate((t.wanted_bytes as f64 / secs) as u64)
        )
    );
}

/// The one-line progress display on a terminal.
struct Bar {
    tty: bool,
    seeding: bool,
    drawn: bool,
}

impl Bar {
    fn new(seeding: bool) -> Bar {
        Bar {
            tty: std::io::stderr().is_terminal(),
            seeding,
            drawn: false,
        }
    }

    fn draw(&mut self, t: &TorrentStats) {
        if !self.tty {
            return;
        }
        let line = match &t.state {
            TorrentState::FetchingMetadata => fl!("bar-metadata", peers = t.peers),
            TorrentState::Checking => fl!(
                "bar-checking",
                percent = format!("{:.0}", t.check_progress * 100.0)
            ),
            TorrentState::Seeding if self.seeding || t.done_bytes == t.wanted_bytes => fl!(
                "bar-seeding",
                up = format::rate(t.upload_rate),
                uploaded = format::size(t.uploaded),
                peers = t.peers
            ),
            _ => {
                let fraction = t.done_bytes as f64 / t.wanted_bytes.max(1) as f64;
                let filled = (fraction * 24.0) as usize;
                fl!(
                    "bar-downloading",
                    bar = format!("{}{}", "#".repeat(filled), "-".repeat(24 - filled.min(24))),
                    percent = format!("{:.0}", fraction * 100.0),
                    done = format::size(t.done_bytes),
                    total = format::size(t.wanted_bytes),
                    down = format::rate(t.download_rate),
                    peers = t.peers,
                    eta = format::eta(t.eta)
                )
            }
        };
        eprint!("\r\x1b[2K{line}");
        let _ = std::io::stderr().flush();
        self.drawn = true;
    }

    fn clear(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
            self.drawn = false;
        }
    }
}
