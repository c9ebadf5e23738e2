#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `brooklet --register-handlers` / `--unregister-handlers` on a freedesktop.org system, and the
//! shipped desktop entry and AppStream metainfo against the freedesktop validators.
//!
//! Every run of the real binary gets a throwaway `HOME`, `XDG_DATA_HOME` and `XDG_CONFIG_HOME`,
//! and no desktop-environment variables, so `xdg-mime` takes its generic path
//! (`mimeapps.list`) and nothing of the user's own desktop is read or changed.
//!
//! The outside tools (`xdg-mime` from xdg-utils, `desktop-file-validate` from
//! desktop-file-utils, `appstreamcli` from appstream): when env `CI` is set a missing tool is a
//! failure, otherwise the test says what to install and skips.
#![cfg(all(unix, not(target_os = "macos")))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BROOKLET: &str = env!("CARGO_BIN_EXE_brooklet");
const DESKTOP_ID: &str = "org.brooklet.Brooklet.desktop";
const HANDLED: [&str; 2] = ["application/x-bittorrent", "x-scheme-handler/magnet"];
const DESKTOP_ENVIRONMENT_VARS: [&str; 5] = [
    "XDG_CURRENT_DESKTOP",
    "DESKTOP_SESSION",
    "KDE_FULL_SESSION",
    "KDE_SESSION_VERSION",
    "GNOME_DESKTOP_SESSION_ID",
];

fn packaging(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("packaging/linux")
        .join(name)
}

/// True when `name` is an executable on `PATH`; otherwise fails under CI or skips with a note.
fn require_tool(name: &str, package: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()));
    if found {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{name} is not installed, but CI must install it (apt-get install {package})"
    );
    eprintln!("skipping: {name} not installed (apt-get install {package})");
    false
}

/// A throwaway home with its own XDG folders.
struct Home {
    _dir: tempfile::TempDir,
    home: PathBuf,
    data: PathBuf,
    config: PathBuf,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let data = dir.path().join("xdg-data");
        let config = dir.path().join("xdg-config");
        for folder in [&home, &data, &config] {
            std::fs::create_dir_all(folder).unwrap();
        }
        Home {
            _dir: dir,
            home,
            data,
            config,
        }
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env("HOME", &self.home)
            .env("XDG_DATA_HOME", &self.data)
            .env("XDG_CONFIG_HOME", &self.config)
            .env("BROOKLET_LANG", "en");
        for var in DESKTOP_ENVIRONMENT_VARS {
            command.env_remove(var);
        }
        command
    }

    fn brooklet(&self, option: &str) -> Output {
        self.command(BROOKLET).arg(option).output().unwrap()
    }

    fn default_for(&self, kind: &str) -> String {
        let out = self
            .command("xdg-mime")
            .args(["query", "default", kind])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    fn desktop_file(&self) -> PathBuf {
        self.data.join("applications").join(DESKTOP_ID)
    }

    fn installed_files(&self) -> Vec<PathBuf> {
        let mut files = vec![
            self.desktop_file(),
            self.data
                .join("metainfo/org.brooklet.Brooklet.metainfo.xml"),
            self.data
                .join("icons/hicolor/scalable/apps/org.brooklet.Brooklet.svg"),
        ];
        for size in [16, 32, 48, 64, 128, 256] {
            files.push(self.data.join(format!(
                "icons/hicolor/{size}x{size}/apps/org.brooklet.Brooklet.png"
            )));
        }
        files
    }
}

fn show(out: &Output) -> String {
    format!(
        "status {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn register_makes_brooklet_the_default_and_unregister_undoes_only_that() {
    if !require_tool("xdg-mime", "xdg-utils") {
        return;
    }
    let home = Home::new();
    // Another application's association, which neither step may touch.
    std::fs::write(
        home.config.join("mimeapps.list"),
        "[Default Applications]\ntext/plain=editor.desktop\n",
    )
    .unwrap();

    let out = home.brooklet("--register-handlers");
    assert!(out.status.success(), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for kind in HANDLED {
        assert!(
            stdout.contains(&format!("Brooklet now opens {kind}")),
            "{}",
            show(&out)
        );
        assert_eq!(home.default_for(kind), DESKTOP_ID, "default for {kind}");
    }
    for file in home.installed_files() {
        assert!(file.is_file(), "{} not installed", file.display());
        assert!(
            stdout.contains(&file.display().to_string()),
            "no line for {}: {}",
            file.display(),
            show(&out)
        );
    }
    let entry = std::fs::read_to_string(home.desktop_file()).unwrap();
    let exe = std::fs::canonicalize(BROOKLET).unwrap();
    let exec: Vec<&str> = entry.lines().filter(|l| l.starts_with("Exec=")).collect();
    assert_eq!(exec, [format!("Exec={} %U", exe.display())], "{entry}");

    // Registering twice is fine (an upgrade re-registers).
    let again = home.brooklet("--register-handlers");
    assert!(again.status.success(), "{}", show(&again));

    // A file Brooklet did not write, where Brooklet would put its own: kept.
    let foreign_icon = home
        .data
        .join("icons/hicolor/16x16/apps/org.brooklet.Brooklet.png");
    std::fs::write(&foreign_icon, b"the user's own icon").unwrap();

    let out = home.brooklet("--unregister-handlers");
    assert!(out.status.success(), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for kind in HANDLED {
        assert!(
            stdout.contains(&format!("Brooklet no longer opens {kind}")),
            "{}",
            show(&out)
        );
        assert_ne!(home.default_for(kind), DESKTOP_ID, "default for {kind}");
    }
    for file in home.installed_files() {
        if file == foreign_icon {
            assert!(file.is_file(), "a foreign file was removed");
        } else {
            assert!(!file.exists(), "{} left behind", file.display());
        }
    }
    let list = std::fs::read_to_string(home.config.join("mimeapps.list")).unwrap();
    assert!(list.contains("text/plain=editor.desktop"), "{list}");
    assert!(!list.contains(DESKTOP_ID), "{list}");

    // Nothing left to undo: still a success, and nothing removed.
    std::fs::remove_file(&foreign_icon).unwrap();
    let out = home.brooklet("--unregister-handlers");
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("removed"),
        "{}",
        show(&out)
    );
}

#[test]
fn handler_options_take_no_arguments() {
    let home = Home::new();
    let out = home
        .command(BROOKLET)
        .args(["--register-handlers", "extra"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    assert!(!home.desktop_file().exists());
}

#[test]
fn register_without_a_home_fails_with_one_line() {
    let home = Home::new();
    let out = home
        .command(BROOKLET)
        .arg("--register-handlers")
        .env_remove("HOME")
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("HOME"), "{stderr}");
}

#[test]
fn shipped_desktop_entry_passes_desktop_file_validate() {
    if !require_tool("desktop-file-validate", "desktop-file-utils") {
        return;
    }
    let out = Command::new("desktop-file-validate")
        .arg(packaging(DESKTOP_ID))
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "{}",
        show(&out)
    );
}

#[test]
fn shipped_metainfo_passes_appstreamcli_validate() {
    if !require_tool("appstreamcli", "appstream") {
        return;
    }
    let out = Command::new("appstreamcli")
        .args(["validate", "--no-net"])
        .arg(packaging("org.brooklet.Brooklet.metainfo.xml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
}
