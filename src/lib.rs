//! Brooklet: a fast, light BitTorrent client.
//!
//! The crate is one library with three front doors over a single engine:
//! - [`engine`]: the BitTorrent engine (metainfo, storage, torrent creation, and later the peer
//!   wire protocol, trackers and DHT). It depends on no GUI crate and could be published alone.
//! - [`cli`]: the headless `brooklet info|create|verify|…` commands used by scripts, tests and
//!   benchmarks.
//! - [`gui`]: the desktop app (iced), on the same engine.
//! - [`platform`]: the desktop shell around it: a second launch handing its torrents to the
//!   running app (single instance).
//!
//! [`i18n`] serves every user-visible string from the Fluent files under `i18n/`; [`settings`]
//! holds the user's preferences.

pub mod cli;
pub mod engine;
pub mod format;
pub mod gui;
pub mod i18n;
pub mod platform;
pub mod settings;
