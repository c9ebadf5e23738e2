//! Every user-visible string comes from the Fluent files under `i18n/<locale>/brooklet.ftl`.
//!
//! The files are embedded in the binary; [`init`] picks the best locale for the system (or a
//! requested one) and falls back to English key by key. Use the crate's [`fl!`](crate::fl) macro:
//! it checks at compile time that the key exists in the English file. Bidi isolation marks are
//! off because they show up as boxes in terminals and in the GUI's renderer.

use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use i18n_embed::{DesktopLanguageRequester, LanguageLoader};
use rust_embed::RustEmbed;
use std::sync::LazyLock;

pub use i18n_embed::unic_langid::LanguageIdentifier;

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Localizations;

/// The loader behind [`fl!`](crate::fl); English until [`init`] picks another locale.
pub static LANGUAGE_LOADER: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    // The English file is compiled in: failing to load it is a build defect caught by tests.
    let _ = loader.load_fallback_language(&Localizations);
    loader.set_use_isolating(false);
    loader
});

/// Looks up a message by key, with optional `name = value` arguments.
#[macro_export]
macro_rules! fl {
    ($id:literal) => {
        i18n_embed_fl::fl!($crate::i18n::LANGUAGE_LOADER, $id)
    };
    ($id:literal, $($args:tt)*) => {
        i18n_embed_fl::fl!($crate::i18n::LANGUAGE_LOADER, $id, $($args)*)
    };
}

/// Selects the locale: `requested` if given (e.g. `"de"`), else `LANG`/the desktop's languages.
/// Unknown locales fall back to English.
pub fn init(requested: Option<&str>) {
    let mut wanted: Vec<LanguageIdentifier> = Vec::new();
    if let Some(id) = requested.and_then(|r| r.parse().ok()) {
        wanted.push(id);
    }
    wanted.extend(DesktopLanguageRequester::requested_languages());
    let _ = i18n_embed::select(&*LANGUAGE_LOADER, &Localizations, &wanted);
    // `select` rebuilds the bundles, which turns isolation back on.
    LANGUAGE_LOADER.set_use_isolating(false);
}

/// The locales shipped in the binary.
pub fn available_locales() -> Vec<LanguageIdentifier> {
    LANGUAGE_LOADER
        .available_languages(&Localizations)
        .unwrap_or_default()
}

/// The locale now in use.
pub fn current_locale() -> LanguageIdentifier {
    LANGUAGE_LOADER.current_language()
}
