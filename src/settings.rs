//! The user's settings: what the Preferences window edits and what the app starts with.
//!
//! Plain data with documented defaults, kept as JSON in the config folder (`BROOKLET_HOME/config`
//! when set, else the platform's config folder from `directories`) and written atomically (temp
//! file, fsync, rename; the previous version kept as `.bak`). A missing or unreadable file means
//! the defaults — never a crash, and a damaged file falls back to its `.bak`. Values out of range
//! are clamped on load, so nothing read from the file can make the engine misbehave. This module
//! knows nothing of the GUI; it turns the settings into an engine [`Config`] for the session.

use crate::engine::ipfilter::access::MAX_BANS;
use crate::engine::limits::RateLimits;
use crate::engine::limits::schedule::WeekSchedule;
use crate::engine::session::Config;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// The file the settings live in, inside the config folder.
pub const FILE_NAME: &str = "settings.json";
/// Bounds of the connection limits offered (the engine needs at least one connection).
pub const MAX_CONNECTIONS_LIMIT: usize = 10_000;
/// Largest seeding ratio goal offered.
pub const MAX_SEED_RATIO: f64 = 1000.0;
/// Longest seeding time goal offered, in minutes (a year).
pub const MAX_SEED_MINUTES: u64 = 525_600;
/// Most torrents of one kind the queue limits offer.
pub const MAX_QUEUE_SLOTS: usize = 10_000;

/// Most labels kept.
pub const MAX_LABELS: usize = 200;

/// A label the user made: its colour, and what a torrent given it gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelDef {
    /// Its name (as [`crate::engine::api::clean_label`] keeps it).
    pub name: String,
    /// Index into the window's label colours.
    #[serde(default)]
    pub colour: u8,
    /// New torrents with this label are saved here.
    #[serde(default)]
    pub save_path: Option<PathBuf>,
    /// A torrent given this label gets these limits (0: none).
    #[serde(default)]
    pub limits: RateLimits,
}

/// Which colours the window uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    /// Follow the desktop's light or dark setting.
    #[default]
    System,
    Light,
    Dark,
}

/// Everything the user can set. Missing keys in the file take their defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Interface language (`de`, `pt-BR` …); empty follows the system.
    pub language: String,
    /// Light, dark or the system's.
    pub theme: ThemeChoice,
    /// Where new torrents are saved; `None` is the user's Downloads folder.
    pub save_path: Option<PathBuf>,
    /// Show the add-torrent dialog (files, save folder) for every torrent added.
    pub show_add_dialog: bool,
    /// Ask before removing a torrent together with its data.
    pub confirm_remove_with_data: bool,
    /// TCP (and DHT UDP) port to listen on; 0 picks a free one at each start.
    pub listen_port: u16,
    /// Connections across all torrents.
    pub max_connections: usize,
    /// Connections per torrent.
    pub max_connections_per_torrent: usize,
    /// Run a DHT node to find peers without trackers (magnet links need it).
    pub dht: bool,
    /// A desktop notification when downloads finish, and when a magnet link's files arrive
    /// while the window is closed.
    pub notify_finished: bool,
    /// A desktop notification when a torrent stops with an error.
    pub notify_errors: bool,
    /// Closing the window hides it to the tray (when there is one) and transfers go on.
    pub close_to_tray: bool,
    /// Start with the window hidden in the tray (when there is one).
    pub start_minimized: bool,
    /// Global download and upload limits, bytes per second (0: none).
    pub speed_limits: RateLimits,
    /// The alternative ("turtle") limits.
    pub alt_speed_limits: RateLimits,
    /// The alternative limits are in force.
    pub alt_speed: bool,
    /// The weekly schedule switches the alternative limits on and off.
    pub alt_speed_scheduled: bool,
    /// Which hours of the week use the alternative limits (local time).
    pub alt_speed_schedule: WeekSchedule,
    /// The limits count protocol overhead (message headers, requests, haves) too, not only
    /// the data; read when the engine starts.
    pub limit_overhead: bool,
    /// Stop seeding a finished torrent at this share ratio (`None`: never).
    pub seed_ratio_limit: Option<f64>,
    /// Stop seeding a finished torrent after this many minutes of seeding (`None`: never).
    pub seed_time_limit_minutes: Option<u64>,
    /// The user's labels, in the order they were made.
    pub labels: Vec<LabelDef>,
    /// Only so many torrents run at once; the others wait their turn in the queue.
    pub queueing: bool,
    /// Downloads at once (with `queueing`).
    pub max_active_downloads: usize,
    /// Seeds at once.
    pub max_active_seeds: usize,
    /// Downloads and seeds together.
    pub max_active_torrents: usize,
    /// A torrent that has moved less than 2 KiB/s for a minute keeps running but frees its
    /// place for the next in the queue.
    pub queue_ignore_slow: bool,
    /// Stop seeding a finished torrent after this many minutes without uploading (`None`:
    /// never).
    pub seed_idle_limit_minutes: Option<u64>,
    /// What a torrent that reaches a seeding goal does: pause, or leave the list (data kept).
    pub seed_goal_action: crate::engine::api::GoalAction,
    /// The trackers last used in the create-torrent dialog: one URL a line, a blank line
    /// between tiers. Offered again the next time.
    pub create_trackers: String,
    /// Block the addresses listed in the IP filter at `ip_filter_path`.
    pub ip_filter_enabled: bool,
    /// The IP filter list: an eMule `ipfilter.dat` or a PeerGuardian `.p2p` file.
    pub ip_filter_path: Option<PathBuf>,
    /// Addresses banned for good ("Ban peer permanently"), as text; refused at every start.
    pub banned_peers: Vec<String>,
    /// Announce to every tracker of every tier at once instead of BEP 12's first tracker that
    /// answers (qBittorrent's "always announce to all trackers in a tier" and "to all tiers").
    pub announce_to_all_tiers: bool,
    /// Write downloads past the system's file cache where the file system allows it (less CPU;
    /// a download does not push other programs' files out of memory).
    pub direct_writes: bool,
    /// Move a download's data to `move_completed_path` when it finishes.
    pub move_completed: bool,
    /// Where finished downloads are moved (with `move_completed`).
    pub move_completed_path: Option<PathBuf>,
    /// Keep a copy of every `.torrent` added in `torrent_copies_path`.
    pub torrent_copies: bool,
    /// Where the copies of added `.torrent` files go (with `torrent_copies`).
    pub torrent_copies_path: Option<PathBuf>,
    /// Peer exchange (BEP 11): learn peers from peers, and tell them ours.
    pub pex: bool,
    /// Listen on a random port (in [`RANDOM_PORTS`]) chosen at each start, instead of
    /// `listen_port`.
    pub random_port: bool,
}

/// The ports a random listen port is chosen from: above the well-known and most registered
/// services' ports, below the range systems use for outgoing connections.
pub const RANDOM_PORTS: std::ops::RangeInclusive<u16> = 10_000..=65_000;

/// A random listen port from [`RANDOM_PORTS`].
pub fn random_listen_port(rng: &mut impl rand::Rng) -> u16 {
    rng.random_range(RANDOM_PORTS)
}

/// Default alternative limits: slow enough to leave the line to others, fast enough to go on.
pub const DEFAULT_ALT_LIMITS: RateLimits = RateLimits::new(512 * 1024, 128 * 1024);

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: String::new(),
            theme: ThemeChoice::System,
            save_path: None,
            show_add_dialog: true,
            confirm_remove_with_data: true,
            listen_port: 0,
            max_connections: 500,
            max_connections_per_torrent: 100,
            dht: true,
            notify_finished: true,
            notify_errors: true,
            close_to_tray: true,
            start_minimized: false,
            speed_limits: RateLimits::UNLIMITED,
            alt_speed_limits: DEFAULT_ALT_LIMITS,
            alt_speed: false,
            alt_speed_scheduled: false,
            alt_speed_schedule: WeekSchedule::default(),
            limit_overhead: false,
            seed_ratio_limit: None,
            seed_time_limit_minutes: None,
            seed_idle_limit_minutes: None,
            seed_goal_action: crate::engine::api::GoalAction::Pause,
            create_trackers: String::new(),
            // μTorrent's numbers: a few downloads at full speed rather than many crawling.
            labels: Vec::new(),
            queueing: true,
            max_active_downloads: 5,
            max_active_seeds: 5,
            max_active_torrents: 8,
            queue_ignore_slow: true,
            ip_filter_enabled: false,
            ip_filter_path: None,
            banned_peers: Vec::new(),
            announce_to_all_tiers: false,
            direct_writes: true,
            move_completed: false,
            move_completed_path: None,
            torrent_copies: false,
            torrent_copies_path: None,
            pex: true,
            random_port: false,
        }
    }
}

impl Settings {
    /// Reads the settings from `dir`, falling back to `settings.json.bak`, then to the
    /// defaults. Never fails: a damaged file must not stop the app from starting.
    pub fn load(dir: &Path) -> Settings {
        let main = dir.join(FILE_NAME);
        let bak = dir.join(format!("{FILE_NAME}.bak"));
        [main, bak]
            .iter()
            .find_map(|p| {
                let bytes = std::fs::read(p).ok()?;
                // A settings file is small; anything bigger is not ours.
                if bytes.len() > 1 << 20 {
                    return None;
                }
                serde_json::from_slice::<Settings>(&bytes).ok()
            })
            .map(Settings::clamped)
            .unwrap_or_default()
    }

    /// Writes the settings to `dir` atomically (creating the folder).
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        crate::engine::session_state::write_atomically(&dir.join(FILE_NAME), &json)
    }

    /// The same settings with every number inside the range the engine accepts.
    pub fn clamped(mut self) -> Settings {
        self.max_connections = self.max_connections.clamp(1, MAX_CONNECTIONS_LIMIT);
        self.max_connections_per_torrent = self
            .max_connections_per_torrent
            .clamp(1, self.max_connections);
        // Trackers typed by hand fit in a few kilobytes; a huge value is not ours.
        // A ratio must be a positive finite number; a file saying otherwise means "never".
        self.seed_ratio_limit = self
            .seed_ratio_limit
            .filter(|r| r.is_finite() && (0.01..=MAX_SEED_RATIO).contains(r));
        self.seed_time_limit_minutes = self
            .seed_time_limit_minutes
            .filter(|m| (1..=MAX_SEED_MINUTES).contains(m));
        self.max_active_downloads = self.max_active_downloads.min(MAX_QUEUE_SLOTS);
        self.max_active_seeds = self.max_active_seeds.min(MAX_QUEUE_SLOTS);
        self.max_active_torrents = self.max_active_torrents.min(MAX_QUEUE_SLOTS);
        let mut seen = std::collections::HashSet::new();
        self.labels = std::mem::take(&mut self.labels)
            .into_iter()
            .filter_map(|mut l| {
                l.name = crate::engine::api::clean_label(&l.name)?;
                l.save_path = l.save_path.filter(|p| p.is_absolute());
                seen.insert(l.name.clone()).then_some(l)
            })
            .take(MAX_LABELS)
            .collect();
        self.seed_idle_limit_minutes = self
            .seed_idle_limit_minutes
            .filter(|m| (1..=MAX_SEED_MINUTES).contains(m));
        if self.create_trackers.len() > 64 * 1024 {
            self.create_trackers.clear();
        }
        if self.language.len() > 35
            || !self
                .language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            self.language.clear();
        }
        self.alt_speed_schedule = self.alt_speed_schedule.clamped();
        // Only addresses, each once, and no more than the engine keeps.
        let mut seen = std::collections::HashSet::new();
        self.banned_peers
            .retain(|ip| ip.parse::<IpAddr>().is_ok_and(|ip| seen.insert(ip)));
        self.banned_peers.truncate(MAX_BANS);
        // Folders must be absolute: a relative one would depend on where the app started.
        self.move_completed_path = self.move_completed_path.filter(|p| p.is_absolute());
        self.torrent_copies_path = self.torrent_copies_path.filter(|p| p.is_absolute());
        self
    }

    /// Where finished downloads are moved: the folder, when the option is on and one is set.
    pub fn move_completed_folder(&self) -> Option<PathBuf> {
        self.move_completed_path
            .clone()
            .filter(|p| self.move_completed && p.is_absolute())
    }

    /// Where copies of added `.torrent` files go: the folder, when the option is on and one is
    /// set.
    pub fn torrent_copies_folder(&self) -> Option<PathBuf> {
        self.torrent_copies_path
            .clone()
            .filter(|p| self.torrent_copies && p.is_absolute())
    }

    /// The port to listen on at this start: a random one with `random_port`, else
    /// `listen_port`.
    pub fn start_port(&self) -> u16 {
        if self.random_port {
            random_listen_port(&mut rand::rng())
        } else {
            self.listen_port
        }
    }

    /// The permanently banned addresses (those that parse).
    pub fn banned_ips(&self) -> Vec<IpAddr> {
        self.banned_peers
            .iter()
            .filter_map(|ip| ip.parse().ok())
            .take(MAX_BANS)
            .collect()
    }

    /// The IP filter file to load: the path, when the filter is on and one is set.
    pub fn ip_filter_file(&self) -> Option<&Path> {
        self.ip_filter_path
            .as_deref()
            .filter(|p| self.ip_filter_enabled && !p.as_os_str().is_empty())
    }

    /// The engine configuration these settings ask for, on top of `base` (which carries what
    /// the environment decides: loopback-only mode, the data folder). `BROOKLET_PORT` and
    /// `BROOKLET_DHT=0`, when set, win over the settings, so tests and scripts stay in control.
    pub fn engine_config(&self, base: Config) -> Config {
        let port_from_env = std::env::var_os("BROOKLET_PORT").is_some();
        let dht_off_by_env = std::env::var("BROOKLET_DHT").is_ok_and(|v| v == "0");
        Config {
            listen_port: if port_from_env {
                base.listen_port
            } else {
                self.start_port()
            },
            max_connections: self.max_connections,
            max_connections_per_torrent: self.max_connections_per_torrent,
            dht: self.dht && !dht_off_by_env,
            limits: self.speed_limits,
            alt_limits: self.alt_speed_limits,
            alt_speed: self.alt_speed,
            limit_overhead: self.limit_overhead,
            seed_goals: self.seed_goals(),
            queue: self.queue_limits(),
            goal_action: self.seed_goal_action,
            banned_peers: self.banned_ips(),
            announce_to_all_tiers: self.announce_to_all_tiers,
            direct_writes: self.direct_writes,
            move_completed: self.move_completed_folder(),
            torrent_copies: self.torrent_copies_folder(),
            pex: self.pex,
            ..base
        }
    }

    /// The queue limits these settings ask for.
    pub fn queue_limits(&self) -> crate::engine::api::QueueLimits {
        use crate::engine::api::QueueLimits;
        if !self.queueing {
            return QueueLimits::OFF;
        }
        QueueLimits {
            downloads: Some(self.max_active_downloads),
            seeds: Some(self.max_active_seeds),
            active: Some(self.max_active_torrents),
            ignore_slow: self.queue_ignore_slow,
            ..QueueLimits::OFF
        }
    }

    /// The label called `name`, if the user made it.
    pub fn label(&self, name: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.name == name)
    }

    /// The seeding goals these settings ask for.
    pub fn seed_goals(&self) -> crate::engine::api::SeedGoals {
        crate::engine::api::SeedGoals {
            ratio: self.seed_ratio_limit,
            seeding_time: self
                .seed_time_limit_minutes
                .map(|m| std::time::Duration::from_secs(m.saturating_mul(60))),
            idle_time: self
                .seed_idle_limit_minutes
                .map(|m| std::time::Duration::from_secs(m.saturating_mul(60))),
        }
    }
}

/// The config folder: `BROOKLET_HOME/config` if set (portable mode; tests), else the
/// platform's (`~/.config/brooklet` on Linux).
pub fn default_config_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("BROOKLET_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home).join("config"));
    }
    directories::ProjectDirs::from("org", "Brooklet", "Brooklet")
        .map(|d| d.config_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn settings_round_trip_and_keep_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings {
            language: "de".into(),
            listen_port: 51413,
            ..Settings::default()
        };
        s.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()), s);
        let mut t = s.clone();
        t.dht = false;
        t.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()), t);
        // A torn main file falls back to the previous version.
        std::fs::write(dir.path().join(FILE_NAME), b"{\"language\": \"fr").unwrap();
        assert_eq!(Settings::load(dir.path()), s);
    }

    #[test]
    fn missing_or_hostile_files_give_sane_settings() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Settings::load(dir.path()), Settings::default());
        std::fs::write(
            dir.path().join(FILE_NAME),
            br#"{"max_connections": 0, "max_connections_per_torrent": 99999999, "language": "../../etc", "unknown": [1,2]}"#,
        )
        .unwrap();
        let s = Settings::load(dir.path());
        assert_eq!(s.max_connections, 1);
        assert_eq!(s.max_connections_per_torrent, 1);
        assert_eq!(s.language, "");
        std::fs::write(dir.path().join(FILE_NAME), [0xff, 0xfe, 0x00]).unwrap();
        let _ = std::fs::remove_file(dir.path().join(format!("{FILE_NAME}.bak")));
        assert_eq!(Settings::load(dir.path()), Settings::default());
    }

    #[test]
    fn notifications_are_on_by_default_and_survive_a_round_trip() {
        let d = Settings::default();
        assert!(d.notify_finished && d.notify_errors);
        let dir = tempfile::tempdir().unwrap();
        // A file from before the switches existed loads with them on.
        std::fs::write(
            dir.path().join(FILE_NAME),
            br#"{"language": "fr", "dht": false}"#,
        )
        .unwrap();
        let old = Settings::load(dir.path());
        assert_eq!(old.language, "fr");
        assert!(old.notify_finished && old.notify_errors);
        let off = Settings {
            notify_finished: false,
            notify_errors: false,
            ..Settings::default()
        };
        off.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()), off);
        let json = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(json.contains("\"notify_finished\": false"), "{json}");
    }

    #[test]
    fn speed_limits_and_schedule_round_trip_and_old_files_load() {
        let dir = tempfile::tempdir().unwrap();
        // A file from before the speed settings loads with no limits and an empty schedule.
        std::fs::write(dir.path().join(FILE_NAME), br#"{"language": "fr"}"#).unwrap();
        let old = Settings::load(dir.path());
        assert_eq!(old.speed_limits, RateLimits::UNLIMITED);
        assert_eq!(old.alt_speed_limits, DEFAULT_ALT_LIMITS);
        assert!(!old.alt_speed && !old.alt_speed_scheduled);
        assert!(old.alt_speed_schedule.is_empty());
        let mut s = Settings {
            speed_limits: RateLimits::new(1 << 20, 256 << 10),
            alt_speed_limits: RateLimits::new(100, 0),
            alt_speed: true,
            alt_speed_scheduled: true,
            ..Settings::default()
        };
        s.alt_speed_schedule.set(4, 18, true);
        s.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()), s);
        let c = s.engine_config(Config::default());
        assert_eq!(c.limits, s.speed_limits);
        assert_eq!(c.alt_limits, s.alt_speed_limits);
        assert!(c.alt_speed);
        // Stray hour bits from a hand-edited file are dropped.
        std::fs::write(
            dir.path().join(FILE_NAME),
            br#"{"alt_speed_schedule": {"days": [4294967295, 0, 0, 0, 0, 0, 0]}}"#,
        )
        .unwrap();
        assert_eq!(
            Settings::load(dir.path()).alt_speed_schedule.days[0],
            (1 << 24) - 1
        );
    }

    #[test]
    fn create_trackers_default_to_none_and_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        // A file from before the create dialog loads with no trackers.
        std::fs::write(dir.path().join(FILE_NAME), br#"{"language": "de"}"#).unwrap();
        assert_eq!(Settings::load(dir.path()).create_trackers, "");
        let s = Settings {
            create_trackers: "udp://a.example:1/announce\n\nhttp://b.example/announce".into(),
            ..Settings::default()
        };
        s.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()), s);
        // An absurdly long value is not kept.
        let huge = Settings {
            create_trackers: "x".repeat(100_000),
            ..Settings::default()
        };
        assert_eq!(huge.clamped().create_trackers, "");
    }

    #[test]
    fn engine_config_takes_the_limits_and_switches() {
        let s = Settings {
            max_connections: 80,
            max_connections_per_torrent: 20,
            dht: false,
            ..Settings::default()
        };
        let c = s.engine_config(Config::default());
        assert_eq!(c.limits, RateLimits::UNLIMITED);
        assert_eq!(c.alt_limits, DEFAULT_ALT_LIMITS);
        assert!(!c.alt_speed);
        assert_eq!(c.max_connections, 80);
        assert_eq!(c.max_connections_per_torrent, 20);
        assert!(!c.dht);
    }

    #[test]
    fn ip_filter_and_bans_default_off_and_only_addresses_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        // A file from before the IP filter loads with it off and no bans.
        std::fs::write(dir.path().join(FILE_NAME), br#"{"language": "de"}"#).unwrap();
        let old = Settings::load(dir.path());
        assert!(!old.ip_filter_enabled);
        assert_eq!(old.ip_filter_path, None);
        assert!(old.banned_peers.is_empty());
        assert_eq!(old.ip_filter_file(), None);
        let s = Settings {
            ip_filter_enabled: true,
            ip_filter_path: Some(PathBuf::from("/lists/level1.p2p")),
            banned_peers: vec!["10.0.0.1".into(), "2001:db8::1".into()],
            ..Settings::default()
        };
        s.save(dir.path()).unwrap();
        let back = Settings::load(dir.path());
        assert_eq!(back, s);
        assert_eq!(back.ip_filter_file(), Some(Path::new("/lists/level1.p2p")));
        let c = back.engine_config(Config::default());
        assert_eq!(c.banned_peers.len(), 2);
        // Junk and repeats in the list are dropped.
        let junk = Settings {
            banned_peers: vec!["10.0.0.1".into(), "nonsense".into(), "10.0.0.1".into()],
            ..Settings::default()
        };
        assert_eq!(junk.clamped().banned_peers, vec!["10.0.0.1".to_string()]);
    }

    #[test]
    fn the_new_options_default_sensibly_and_old_files_load() {
        let dir = tempfile::tempdir().unwrap();
        // A file from before these options loads with PEX on and the others off.
        std::fs::write(dir.path().join(FILE_NAME), br#"{"language": "de"}"#).unwrap();
        let old = Settings::load(dir.path());
        assert!(old.pex && !old.random_port && !old.move_completed && !old.torrent_copies);
        assert_eq!(old.move_completed_folder(), None);
        let c = old.engine_config(Config::default());
        assert!(c.pex);
        assert_eq!((c.move_completed, c.torrent_copies), (None, None));
        let s = Settings {
            move_completed: true,
            move_completed_path: Some(PathBuf::from("/done")),
            torrent_copies: true,
            torrent_copies_path: Some(PathBuf::from("/torrents")),
            pex: false,
            random_port: true,
            ..Settings::default()
        };
        s.save(dir.path()).unwrap();
        let back = Settings::load(dir.path());
        assert_eq!(back, s);
        let c = back.engine_config(Config::default());
        assert_eq!(c.move_completed, Some(PathBuf::from("/done")));
        assert_eq!(c.torrent_copies, Some(PathBuf::from("/torrents")));
        assert!(!c.pex);
        // A folder set but the option off means none; a relative folder is not kept.
        let off = Settings {
            move_completed: false,
            torrent_copies_path: Some(PathBuf::from("relative")),
            ..s
        };
        assert_eq!(off.move_completed_folder(), None);
        assert_eq!(off.clamped().torrent_copies_folder(), None);
    }

    #[test]
    fn a_random_port_is_chosen_in_range_at_each_start() {
        use rand::SeedableRng;
        let mut rng = rand::rngs::SmallRng::seed_from_u64(7);
        let ports: Vec<u16> = (0..2000).map(|_| random_listen_port(&mut rng)).collect();
        assert!(ports.iter().all(|p| RANDOM_PORTS.contains(p)));
        let distinct: std::collections::HashSet<_> = ports.iter().collect();
        assert!(distinct.len() > 1000, "not random: {}", distinct.len());
        let fixed = Settings {
            listen_port: 51413,
            ..Settings::default()
        };
        assert_eq!(fixed.start_port(), 51413);
        let random = Settings {
            random_port: true,
            ..fixed
        };
        assert!(RANDOM_PORTS.contains(&random.start_port()));
    }
}
