//! Handlers on Windows, for the current user only (`HKEY_CURRENT_USER`, no administrator).
//!
//! Registering writes:
//! - `Software\Classes\Brooklet.Torrent`: the ProgID for `.torrent` files (icon, `open` command);
//! - `Software\Classes\.torrent`: its default value `Brooklet.Torrent`, its content type and an
//!   `OpenWithProgids` entry, so "Open with" lists Brooklet;
//! - `Software\Classes\magnet`: the `magnet:` URL protocol (`URL Protocol`, `open` command) and
//!   `Software\Classes\Brooklet.Magnet`, the ProgID the capabilities name for it;
//! - `Software\Brooklet\Capabilities` and its `RegisteredApplications` entry, so Settings →
//!   Default apps lists Brooklet for both.
//!
//! Windows 10 and later keep the user's own choice (`UserChoice`, which no program may write)
//! above these keys: when the user has picked another program, Settings is where they switch.
//!
//! Unregistering deletes Brooklet's own keys, and the `.torrent` default value and the `magnet`
//! key only when they still name Brooklet.

use super::{HandlerError, Step};
use std::io::ErrorKind;
use std::path::Path;
use winreg::RegKey;
use winreg::enums::HKEY_CURRENT_USER;

/// The ProgID of `.torrent` files.
pub const TORRENT_PROG_ID: &str = "Brooklet.Torrent";
/// The ProgID of `magnet:` links (named by the capabilities' `URLAssociations`).
pub const MAGNET_PROG_ID: &str = "Brooklet.Magnet";

const CLASSES: &str = r"Software\Classes";
const APP_KEY: &str = r"Software\Brooklet";
const CAPABILITIES: &str = r"Software\Brooklet\Capabilities";
const REGISTERED_APPLICATIONS: &str = r"Software\RegisteredApplications";
/// A value Brooklet puts in the `magnet` key, so unregistering knows the key is its own.
const OWNER_VALUE: &str = "BrookletRegistered";

/// Writes the keys (see the module documentation).
pub fn register(exe: &Path, report: &mut dyn FnMut(Step)) -> Result<(), HandlerError> {
    let exe = exe.display().to_string();
    let open = format!("\"{exe}\" \"%1\"");
    let icon = format!("\"{exe}\",0");
    let user = RegKey::predef(HKEY_CURRENT_USER);

    for (prog_id, description, is_url) in [
        (TORRENT_PROG_ID, "BitTorrent file", false),
        (MAGNET_PROG_ID, "URL:Magnet link", true),
    ] {
        let path = format!(r"{CLASSES}\{prog_id}");
        write_class(&user, &path, description, is_url, &icon, &open)?;
        report(Step::RegistryWrote(format!(r"HKCU\{path}")));
    }

    let torrent = format!(r"{CLASSES}\.torrent");
    let key = create(&user, &torrent)?;
    set(&key, &torrent, "", TORRENT_PROG_ID)?;
    set(&key, &torrent, "Content Type", "application/x-bittorrent")?;
    let with = format!(r"{torrent}\OpenWithProgids");
    set(&create(&user, &with)?, &with, TORRENT_PROG_ID, "")?;
    report(Step::RegistryWrote(format!(r"HKCU\{torrent}")));

    let magnet = format!(r"{CLASSES}\magnet");
    write_class(&user, &magnet, "URL:Magnet link", true, &icon, &open)?;
    set(&create(&user, &magnet)?, &magnet, OWNER_VALUE, "1")?;
    report(Step::RegistryWrote(format!(r"HKCU\{magnet}")));

    let capabilities = create(&user, CAPABILITIES)?;
    set(&capabilities, CAPABILITIES, "ApplicationName", "Brooklet")?;
    set(
        &capabilities,
        CAPABILITIES,
        "ApplicationDescription",
        "A fast, light BitTorrent client",
    )?;
    set(&capabilities, CAPABILITIES, "ApplicationIcon", &icon)?;
    let files = format!(r"{CAPABILITIES}\FileAssociations");
    set(&create(&user, &files)?, &files, ".torrent", TORRENT_PROG_ID)?;
    let urls = format!(r"{CAPABILITIES}\URLAssociations");
    set(&create(&user, &urls)?, &urls, "magnet", MAGNET_PROG_ID)?;
    report(Step::RegistryWrote(format!(r"HKCU\{CAPABILITIES}")));

    let registered = create(&user, REGISTERED_APPLICATIONS)?;
    set(
        &registered,
        REGISTERED_APPLICATIONS,
        "Brooklet",
        CAPABILITIES,
    )?;
    report(Step::RegistryWrote(format!(
        r"HKCU\{REGISTERED_APPLICATIONS}\Brooklet"
    )));
    report(Step::DefaultSet(".torrent".into()));
    report(Step::DefaultSet("magnet:".into()));
    Ok(())
}

/// Deletes what [`register`] wrote, and only that.
pub fn unregister(report: &mut dyn FnMut(Step)) -> Result<(), HandlerError> {
    let user = RegKey::predef(HKEY_CURRENT_USER);

    let torrent = format!(r"{CLASSES}\.torrent");
    if let Some(key) = open(&user, &torrent)? {
        if key.get_value::<String, _>("").ok().as_deref() == Some(TORRENT_PROG_ID) {
            delete_value(&key, &torrent, "")?;
            report(Step::DefaultUnset(".torrent".into()));
        }
        let with = format!(r"{torrent}\OpenWithProgids");
        if let Some(key) = open(&user, &with)?
            && delete_value(&key, &with, TORRENT_PROG_ID)?
        {
            report(Step::RegistryRemoved(format!(
                r"HKCU\{with}\{TORRENT_PROG_ID}"
            )));
        }
    }

    let magnet = format!(r"{CLASSES}\magnet");
    if let Some(key) = open(&user, &magnet)?
        && key.get_value::<String, _>(OWNER_VALUE).is_ok()
        && delete_tree(&user, &magnet)?
    {
        report(Step::RegistryRemoved(format!(r"HKCU\{magnet}")));
        report(Step::DefaultUnset("magnet:".into()));
    }

    for path in [
        format!(r"{CLASSES}\{TORRENT_PROG_ID}"),
        format!(r"{CLASSES}\{MAGNET_PROG_ID}"),
        APP_KEY.to_owned(),
    ] {
        if delete_tree(&user, &path)? {
            report(Step::RegistryRemoved(format!(r"HKCU\{path}")));
        }
    }
    if let Some(key) = open(&user, REGISTERED_APPLICATIONS)?
        && delete_value(&key, REGISTERED_APPLICATIONS, "Brooklet")?
    {
        report(Step::RegistryRemoved(format!(
            r"HKCU\{REGISTERED_APPLICATIONS}\Brooklet"
        )));
    }
    Ok(())
}

/// A class key with a description, an icon and an `open` command; `is_url` marks a URL
/// protocol.
fn write_class(
    user: &RegKey,
    path: &str,
    description: &str,
    is_url: bool,
    icon: &str,
    open: &str,
) -> Result<(), HandlerError> {
    let key = create(user, path)?;
    set(&key, path, "", description)?;
    if is_url {
        set(&key, path, "URL Protocol", "")?;
    }
    let icon_path = format!(r"{path}\DefaultIcon");
    set(&create(user, &icon_path)?, &icon_path, "", icon)?;
    let command = format!(r"{path}\shell\open\command");
    set(&create(user, &command)?, &command, "", open)?;
    Ok(())
}

fn registry_error(path: &str, source: std::io::Error) -> HandlerError {
    HandlerError::Registry {
        key: format!(r"HKCU\{path}"),
        source,
    }
}

fn create(user: &RegKey, path: &str) -> Result<RegKey, HandlerError> {
    user.create_subkey(path)
        .map(|(key, _)| key)
        .map_err(|e| registry_error(path, e))
}

fn set(key: &RegKey, path: &str, name: &str, value: &str) -> Result<(), HandlerError> {
    key.set_value(name, &value)
        .map_err(|e| registry_error(path, e))
}

/// The key, or `None` when it does not exist.
fn open(user: &RegKey, path: &str) -> Result<Option<RegKey>, HandlerError> {
    match user.open_subkey_with_flags(path, winreg::enums::KEY_READ | winreg::enums::KEY_WRITE) {
        Ok(key) => Ok(Some(key)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(registry_error(path, e)),
    }
}

/// Deletes a value; `false` when it was not there.
fn delete_value(key: &RegKey, path: &str, name: &str) -> Result<bool, HandlerError> {
    match key.delete_value(name) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(registry_error(path, e)),
    }
}

/// Deletes a key and everything under it; `false` when it was not there.
fn delete_tree(user: &RegKey, path: &str) -> Result<bool, HandlerError> {
    match user.delete_subkey_all(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(registry_error(path, e)),
    }
}
