//! The Debian package: `cargo deb` (cargo-deb, from the metadata in Cargo.toml) packs the binary
//! this test run built, and the package holds what the README promises — a binary that runs,
//! the desktop entry that claims `.torrent` files and `magnet:` links, the AppStream metainfo,
//! the icons in every hicolor size — with sound control fields. The package is unpacked into a
//! temporary folder (`dpkg-deb -x`), never installed on the machine.
//!
//! Needs cargo-deb (`cargo install cargo-deb`) and dpkg-deb.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

#[test]
fn the_deb_package_holds_a_working_binary_the_handlers_and_the_icons() {
    if !require_tool("cargo-deb", "cargo-deb (cargo install cargo-deb)")
        || !require_tool("dpkg-deb", "dpkg")
    {
        return;
    }
    let out_dir = tempfile::tempdir().unwrap();
    // The binary of this test run (target/debug), not a release build: packing is what is
    // tested here, and a release build would take minutes.
    let built = run_with_timeout(
        Command::new(env!("CARGO"))
            .args(["deb", "--no-build", "--no-strip", "--profile", "dev", "-o"])
            .arg(out_dir.path())
            .current_dir(env!("CARGO_MANIFEST_DIR")),
        300,
    );
    assert!(
        built.status.success(),
        "cargo deb failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let deb = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .expect("no .deb written");

    let info = run_with_timeout(Command::new("dpkg-deb").arg("--info").arg(&deb), 60);
    let control = String::from_utf8_lossy(&info.stdout);
    for field in [
        "Package: brooklet",
        "Architecture: amd64",
        "Section: net",
        "Depends: libc6",
    ] {
        assert!(control.contains(field), "no {field:?} in:\n{control}");
    }

    let root = tempfile::tempdir().unwrap();
    let unpacked = run_with_timeout(
        Command::new("dpkg-deb")
            .arg("-x")
            .arg(&deb)
            .arg(root.path()),
        120,
    );
    assert!(unpacked.status.success(), "dpkg-deb -x failed");
    let root = root.path();

    // The packed binary is the one that was built, and it runs.
    let bin = root.join("usr/bin/brooklet");
    assert_eq!(
        std::fs::read(&bin).unwrap(),
        std::fs::read(env!("CARGO_BIN_EXE_brooklet")).unwrap(),
        "the package holds another binary"
    );
    let help = run_with_timeout(
        Command::new(&bin)
            .arg("--help")
            .env("BROOKLET_LANG", "en")
            .env("BROOKLET_LOOPBACK_ONLY", "1"),
        30,
    );
    assert!(help.status.success(), "the packed binary does not run");
    assert!(String::from_utf8_lossy(&help.stdout).contains("download"));

    let desktop =
        std::fs::read_to_string(root.join("usr/share/applications/org.brooklet.Brooklet.desktop"))
            .unwrap();
    assert!(desktop.contains("application/x-bittorrent"), "{desktop}");
    assert!(desktop.contains("x-scheme-handler/magnet"), "{desktop}");
    assert!(desktop.contains("Exec=brooklet %U"), "{desktop}");
    assert!(
        root.join("usr/share/metainfo/org.brooklet.Brooklet.metainfo.xml")
            .is_file()
    );
    let icons = root.join("usr/share/icons/hicolor");
    assert!(
        icons
            .join("scalable/apps/org.brooklet.Brooklet.svg")
            .is_file()
    );
    for size in [16, 32, 48, 64, 128, 256] {
        let png = icons.join(format!("{size}x{size}/apps/org.brooklet.Brooklet.png"));
        assert_eq!(png_size(&png), (size, size), "{}", png.display());
    }
}

/// Width and height from a PNG's header.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}
