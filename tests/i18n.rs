#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The translations under `i18n/<locale>/brooklet.ftl` against the English reference.
//!
//! 1. Every locale has exactly the English keys and uses no variable the English message lacks
//!    (checked with the small Fluent reader below, so a mistake is reported by key and line).
//! 2. The real loader (i18n-embed, which parses with fluent-syntax) keeps every message and every
//!    line of text: a syntax error silently turns the rest of a message into junk and the loader
//!    then falls back to English for that key, so nothing else would notice.
//! 3. The `brooklet` binary really uses each locale: `--help` is translated (and keeps the command
//!    syntax), and an error is one translated line on stderr.

use i18n_embed::LanguageLoader;
use i18n_embed::fluent::FluentLanguageLoader;
use i18n_embed::unic_langid::LanguageIdentifier;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The locales Brooklet ships; more may appear, none of these may go missing.
const EXPECTED_LOCALES: [&str; 8] = ["en", "de", "fr", "es", "pt-BR", "ru", "zh-CN", "ja"];
const REFERENCE: &str = "en";
const FILE_NAME: &str = "brooklet.ftl";

/// The same files the binary embeds, read through the same loader type.
#[derive(rust_embed::RustEmbed)]
#[folder = "i18n/"]
struct Localizations;

// ---------------------------------------------------------------------------------------------
// A small Fluent reader: enough of the syntax to list keys, variables and lines of plain text.
// ---------------------------------------------------------------------------------------------

/// A message, a term (`-name`) or an attribute (`message.attribute`).
#[derive(Debug, Default)]
struct Entry {
    /// 1-based line of the key.
    line: usize,
    /// `$identifiers` used inside placeables.
    variables: BTreeSet<String>,
    /// Lines of plain text (outside any placeable, with no brace on them): each must come out
    /// of the real parser unchanged.
    plain_lines: Vec<String>,
    /// The command syntax in the text: `brooklet <command>`, `--options`, `<PLACEHOLDERS>`
    /// and `ENVIRONMENT_VARIABLES`.
    syntax: BTreeSet<String>,
}

#[derive(Debug, Default)]
struct FtlFile {
    entries: BTreeMap<String, Entry>,
    /// Lines the reader could not place.
    problems: Vec<String>,
}

/// `key = …` (or `-term = …`) at the start of a line: the key and the text after `=`.
fn entry_start(line: &str) -> Option<(&str, &str)> {
    let (key, rest) = line.split_once('=')?;
    let key = key.trim_end();
    let name = key.strip_prefix('-').unwrap_or(key);
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (first_ok && rest_ok).then_some((key, rest))
}

/// `    .attribute = …` on an indented line: the attribute name and the text after `=`.
fn attribute_start(line: &str) -> Option<(&str, &str)> {
    let (name, rest) = entry_start(line.trim_start().strip_prefix('.')?)?;
    (!name.starts_with('-')).then_some((name, rest))
}

/// Scans one line of a pattern: keeps track of placeable depth (string literals inside
/// placeables may hold braces) and collects the `$variables` used inside placeables.
fn scan_placeables(text: &str, depth: &mut usize, variables: &mut BTreeSet<String>) {
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '{' => *depth += 1,
            '}' => *depth = depth.saturating_sub(1),
            '"' if *depth > 0 => in_string = true,
            '$' if *depth > 0 => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    let ok = if name.is_empty() {
                        n.is_ascii_alphabetic()
                    } else {
                        n.is_ascii_alphanumeric() || n == '_' || n == '-'
                    };
                    if !ok {
                        break;
                    }
                    name.push(n);
                    chars.next();
                }
                if !name.is_empty() {
                    variables.insert(name);
                }
            }
            _ => {}
        }
    }
}

/// Command syntax in a line of text (see [`Entry::syntax`]).
fn syntax_words(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    if let [first, second, ..] = words.as_slice()
        && *first == "brooklet"
        && second.starts_with(|c: char| c.is_ascii_lowercase())
    {
        found.insert(format!("brooklet {second}"));
    }
    for word in words {
        let word = word.trim_matches(['[', ']', '(', ')', ',', ';', '.']);
        let option = word.len() > 1
            && word.starts_with('-')
            && word[1..].starts_with(|c: char| c == '-' || c.is_ascii_alphabetic());
        let placeholder = word.starts_with('<') && word.ends_with('>');
        let variable = word.starts_with("BROOKLET_");
        if option || placeholder || variable {
            found.insert(word.to_owned());
        }
    }
    found
}

/// Reads a Fluent file: keys are lines matching `^-?[a-zA-Z][a-zA-Z0-9_-]* *=`, attributes
/// indented `.name =` lines, continuation lines start with whitespace, comments with `#`. Inside
/// an open placeable a line may also start at column 0 with `}`, `[` or `*[` (Fluent allows it).
fn parse_ftl(text: &str) -> FtlFile {
    let mut file = FtlFile::default();
    let mut message: Option<String> = None;
    let mut current: Option<String> = None;
    let mut depth = 0usize;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        let closes_or_selects = depth > 0 && line.starts_with(['}', '[', '*']);
        let (value, new_key) = if indented || closes_or_selects {
            let Some(parent) = &message else {
                file.problems.push(format!(
                    "line {number}: indented text outside any message: {line:?}"
                ));
                continue;
            };
            match attribute_start(line).filter(|_| depth == 0) {
                Some((attribute, rest)) => (rest, Some(format!("{parent}.{attribute}"))),
                None => (line, None),
            }
        } else {
            if depth > 0 {
                let key = current.as_deref().unwrap_or("?");
                file.problems
                    .push(format!("line {number}: `{key}` leaves a `{{` unclosed"));
                depth = 0;
            }
            message = None;
            current = None;
            if line.starts_with('#') {
                continue;
            }
            let Some((key, rest)) = entry_start(line) else {
                file.problems.push(format!(
                    "line {number}: neither a `key =` line, a comment nor a continuation: {line:?}"
                ));
                continue;
            };
            message = Some(key.to_owned());
            (rest, Some(key.to_owned()))
        };
        if let Some(key) = new_key {
            if file.entries.contains_key(&key) {
                file.problems
                    .push(format!("line {number}: `{key}` is defined twice"));
            }
            let entry = Entry {
                line: number,
                ..Entry::default()
            };
            file.entries.insert(key.clone(), entry);
            current = Some(key);
        }
        let key = current.as_deref().expect("a message is open here");
        let entry = file.entries.get_mut(key).expect("inserted with its key");
        let inside_placeable = depth > 0;
        scan_placeables(value, &mut depth, &mut entry.variables);
        let plain = value.trim();
        if !inside_placeable && !plain.is_empty() && !plain.contains(['{', '}']) {
            entry.plain_lines.push(plain.to_owned());
        }
        entry.syntax.extend(syntax_words(value));
    }
    if depth > 0 {
        let key = current.as_deref().unwrap_or("?");
        file.problems
            .push(format!("end of file: `{key}` leaves a `{{` unclosed"));
    }
    file
}

/// What is wrong with `other` (the file of `locale`) measured against `english`.
fn compare(locale: &str, english: &FtlFile, other: &FtlFile) -> Vec<String> {
    let mut problems: Vec<String> = other
        .problems
        .iter()
        .map(|p| format!("{locale}: {p}"))
        .collect();
    for key in english.entries.keys() {
        if !other.entries.contains_key(key) {
            problems.push(format!("{locale}: `{key}` is missing"));
        }
    }
    for (key, entry) in &other.entries {
        let Some(reference) = english.entries.get(key) else {
            problems.push(format!(
                "{locale}: line {}: `{key}` is not in the English file",
                entry.line
            ));
            continue;
        };
        for variable in entry.variables.difference(&reference.variables) {
            problems.push(format!(
                "{locale}: line {}: `{key}` uses `${variable}`, which the English message does \
                 not pass (it has {:?})",
                entry.line, reference.variables
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// The files on disk
// ---------------------------------------------------------------------------------------------

fn i18n_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n")
}

/// Every folder under `i18n/`, sorted; asserts that the expected locales are among them.
fn locales() -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(i18n_dir())
        .expect("i18n/ is readable")
        .map(|e| e.expect("i18n/ entry"))
        .filter(|e| e.file_type().expect("file type").is_dir())
        .map(|e| {
            e.file_name()
                .into_string()
                .expect("UTF-8 locale folder name")
        })
        .collect();
    found.sort();
    for expected in EXPECTED_LOCALES {
        assert!(
            found.iter().any(|l| l == expected),
            "i18n/{expected}/ is missing (found {found:?})"
        );
    }
    found
}

fn read_ftl(locale: &str) -> String {
    let path = i18n_dir().join(locale).join(FILE_NAME);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn report(what: &str, problems: &[String]) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

// ---------------------------------------------------------------------------------------------
// 1. Keys and variables
// ---------------------------------------------------------------------------------------------

#[test]
fn every_locale_has_the_english_keys_and_no_other_variables() {
    let english = parse_ftl(&read_ftl(REFERENCE));
    for key in ["yes", "cli-usage", "verify-incomplete"] {
        assert!(
            english.entries.contains_key(key),
            "the test's reader finds no `{key}` in i18n/en: {:?}",
            english.entries.keys()
        );
    }
    let mut problems = Vec::new();
    for locale in locales() {
        let file = parse_ftl(&read_ftl(&locale));
        problems.extend(compare(&locale, &english, &file));
    }
    report("translations out of step with i18n/en", &problems);
}

/// The checks above are only worth something if they catch mistakes.
#[test]
fn the_checker_catches_missing_extra_and_foreign_variables() {
    let english = parse_ftl(
        "# reference\n\
         plain = Plain\n\
         counted = { $n ->\n    [one] one thing\n   *[other] { $n } things\n}\n\
         labelled = Label\n    .tooltip = Tip for { $name }\n",
    );
    assert!(english.problems.is_empty(), "{:?}", english.problems);
    assert_eq!(
        english.entries.keys().collect::<Vec<_>>(),
        ["counted", "labelled", "labelled.tooltip", "plain"]
    );
    assert_eq!(
        english.entries["counted"].variables,
        BTreeSet::from(["n".to_owned()])
    );
    assert_eq!(english.entries["plain"].plain_lines, ["Plain"]);

    let good = parse_ftl(
        "counted = { $n ->\n   *[other] { $n } Dinge\n}\nplain = Schlicht\n\
         labelled = Etikett\n    .tooltip = Tipp für { $name }\n",
    );
    assert_eq!(compare("xx", &english, &good), Vec::<String>::new());

    let bad = parse_ftl(
        "counted = { $count ->\n   *[other] { $count } Dinge\n}\n\
         extra = Extra\nlabelled = Etikett { \"$notavariable\" }\n   stray\n!junk\n",
    );
    let problems = compare("xx", &english, &bad).join("\n");
    for expected in [
        "`plain` is missing",
        "`labelled.tooltip` is missing",
        "`extra` is not in the English file",
        "`counted` uses `$count`",
        "line 7: neither a `key =` line",
    ] {
        assert!(
            problems.contains(expected),
            "no {expected:?} in:\n{problems}"
        );
    }
    assert!(!problems.contains("notavariable"), "{problems}");

    let unclosed = parse_ftl("a = { $x\nb = B\n");
    assert_eq!(unclosed.problems.len(), 1, "{:?}", unclosed.problems);
}

// ---------------------------------------------------------------------------------------------
// 2. The real loader
// ---------------------------------------------------------------------------------------------

#[test]
fn every_file_loads_whole_with_the_real_loader() {
    let mut problems = Vec::new();
    for locale in locales() {
        let id: LanguageIdentifier = match locale.parse() {
            Ok(id) => id,
            Err(e) => {
                problems.push(format!("{locale}: not a language identifier: {e}"));
                continue;
            }
        };
        let loader = FluentLanguageLoader::new("brooklet", REFERENCE.parse().unwrap());
        if let Err(e) = loader.load_languages(&Localizations, std::slice::from_ref(&id)) {
            problems.push(format!("{locale}: the loader refuses it: {e}"));
            continue;
        }
        loader.set_use_isolating(false);

        // What fluent-syntax made of the file: messages and their attributes.
        let loaded: BTreeSet<String> = loader.with_message_iter(&id, |messages| {
            messages
                .flat_map(|m| {
                    let name = m.id.name;
                    std::iter::once(name.to_owned()).chain(
                        m.attributes
                            .iter()
                            .map(move |a| format!("{name}.{}", a.id.name)),
                    )
                })
                .collect()
        });
        let source = parse_ftl(&read_ftl(&locale));
        for (key, entry) in source.entries.iter().filter(|(k, _)| !k.starts_with('-')) {
            if !loaded.contains(key) {
                problems.push(format!(
                    "{locale}: line {}: Fluent cannot parse `{key}` (it would show in English)",
                    entry.line
                ));
                continue;
            }
            let text = match key.split_once('.') {
                Some((message, attribute)) => loader.get_attr(message, attribute),
                None => loader.get(key),
            };
            for line in &entry.plain_lines {
                if !text.contains(line.as_str()) {
                    problems.push(format!(
                        "{locale}: `{key}` (line {}) loses the text {line:?}: a syntax error \
                         ends the message before it (e.g. a text line starting with `[`, `*` or \
                         `.`, which must be written {{\"[\"}} …)",
                        entry.line
                    ));
                }
            }
        }
        for key in loaded.iter().filter(|k| !source.entries.contains_key(*k)) {
            problems.push(format!(
                "{locale}: Fluent sees `{key}`, the test's reader does not"
            ));
        }
    }
    report("files the real loader does not take whole", &problems);
}

// ---------------------------------------------------------------------------------------------
// 3. The binary
// ---------------------------------------------------------------------------------------------

fn brooklet(locale: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brooklet"))
        .args(args)
        .env("BROOKLET_LANG", locale)
        .output()
        .expect("run brooklet")
}

/// A line of `--help` that is command syntax, the same in every language: a command line
/// (`  brooklet …`), or a line of options only (`[--piece-length BYTES] [--private] …`): once
/// the `--option` words are gone no lower-case letter is left (URL, BYTES, N are upper case).
/// Blank lines count too.
fn is_command_syntax(line: &str) -> bool {
    line.starts_with("  brooklet ")
        || line
            .split_whitespace()
            .filter(|w| !w.trim_start_matches('[').starts_with('-'))
            .all(|w| !w.chars().any(char::is_lowercase))
}

#[test]
fn the_binary_speaks_every_locale() {
    let english_source = parse_ftl(&read_ftl(REFERENCE));
    let syntax = &english_source.entries["cli-usage"].syntax;
    assert!(
        syntax.contains("--json") && syntax.contains("brooklet verify"),
        "the test's reader found no command syntax in the English usage: {syntax:?}"
    );

    let english_help = brooklet(REFERENCE, &["--help"]);
    let english_error = brooklet(REFERENCE, &["info", "/nonexistent"]);
    let english_help_text = String::from_utf8_lossy(&english_help.stdout).into_owned();
    let english_error_text = String::from_utf8_lossy(&english_error.stderr).into_owned();
    let english_lines: BTreeSet<&str> = english_help_text.lines().collect();

    let mut problems = Vec::new();
    for locale in locales() {
        let help = brooklet(&locale, &["--help"]);
        let text = String::from_utf8_lossy(&help.stdout);
        if !help.status.success() {
            problems.push(format!("{locale}: `--help` exits with {}", help.status));
        }
        if text.trim().is_empty() || !text.contains("brooklet info") {
            problems.push(format!("{locale}: `--help` prints no usage: {text:?}"));
        }
        // Commands, options, placeholders and variable names stay as they are.
        for word in syntax {
            if !text.contains(word.as_str()) {
                problems.push(format!("{locale}: `--help` does not show `{word}`"));
            }
        }
        if locale != REFERENCE {
            if text == english_help_text {
                problems.push(format!("{locale}: `--help` is the English text"));
            }
            // Every translated line differs from English, so a line still in English means the
            // usage text fell back (or was left untranslated).
            for line in text.lines() {
                if english_lines.contains(line) && !is_command_syntax(line) {
                    problems.push(format!(
                        "{locale}: `--help` line still in English: {line:?}"
                    ));
                }
            }
            // The command syntax itself is not translated: its lines come out exactly as in
            // English, indentation included (Fluent drops the indentation in front of a
            // placeable that starts a line, so `{"["}` alone would lose it).
            let lines: BTreeSet<&str> = text.lines().collect();
            for line in english_help_text.lines() {
                if !line.trim().is_empty() && is_command_syntax(line) && !lines.contains(line) {
                    problems.push(format!(
                        "{locale}: `--help` lacks the English command line {line:?}"
                    ));
                }
            }
        }

        let error = brooklet(&locale, &["info", "/nonexistent"]);
        let stderr = String::from_utf8_lossy(&error.stderr);
        if error.status.code() != Some(1) {
            problems.push(format!(
                "{locale}: `info /nonexistent` exits with {}",
                error.status
            ));
        }
        let one_line = stderr.ends_with('\n') && stderr.lines().count() == 1;
        if !one_line || !stderr.starts_with("brooklet: ") || !stderr.contains("/nonexistent") {
            problems.push(format!(
                "{locale}: `info /nonexistent` should print one `brooklet: ` line naming the \
                 file on stderr, not {stderr:?}"
            ));
        }
        if locale != REFERENCE && stderr == english_error_text {
            problems.push(format!(
                "{locale}: the error is the English text: {stderr:?}"
            ));
        }
    }
    report("locales the binary does not use properly", &problems);
}

#[test]
fn command_syntax_lines_are_told_from_prose() {
    assert!(is_command_syntax(
        "  brooklet info <FILE.torrent|MAGNET> [--json]"
    ));
    assert!(is_command_syntax(
        "                  [--piece-length BYTES] [--private] [--comment TEXT] [--threads N]"
    ));
    assert!(is_command_syntax(""));
    assert!(!is_command_syntax("Usage:"));
    assert!(!is_command_syntax(
        "  BROOKLET_LANG           language to use (e.g. de, fr, ja); default: the system's"
    ));
    assert!(!is_command_syntax(
        "      Show what a torrent file or magnet link holds."
    ));
    assert_eq!(
        syntax_words("  brooklet create <PATH> -o <OUT.torrent> [--tracker URL]..."),
        BTreeSet::from(
            [
                "brooklet create",
                "<PATH>",
                "-o",
                "<OUT.torrent>",
                "--tracker"
            ]
            .map(String::from)
        )
    );
}
