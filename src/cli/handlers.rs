//! `brooklet --register-handlers` and `--unregister-handlers`: one line per step of
//! [`platform::handlers`](crate::platform::handlers), one clear line on failure.

use super::{CliError, CliResult, say};
use crate::fl;
use crate::platform::handlers::{self, HandlerError, Step};
use std::process::ExitCode;

/// Which way to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Register,
    Unregister,
}

/// Runs the option; nothing may follow it on the command line.
pub fn run(direction: Direction, parser: &mut lexopt::Parser) -> CliResult {
    if let Some(arg) = parser.next()? {
        return Err(arg.unexpected().into());
    }
    let mut report = |step: Step| say!("{}", describe(&step));
    let done = match direction {
        Direction::Register => handlers::register(&mut report),
        Direction::Unregister => handlers::unregister(&mut report),
    };
    done.map(|()| ExitCode::SUCCESS)
        .map_err(|e| CliError::failed(explain(&e)))
}

/// The localised line for a step.
fn describe(step: &Step) -> String {
    let shown = |p: &std::path::Path| p.display().to_string();
    match step {
        Step::Wrote(path) => fl!("handlers-wrote", path = shown(path)),
        Step::Removed(path) => fl!("handlers-removed", path = shown(path)),
        Step::KeptForeign(path) => fl!("handlers-kept", path = shown(path)),
        Step::Ran(command) => fl!("handlers-ran", command = command.as_str()),
        Step::ToolMissing(tool) => fl!("handlers-tool-missing", tool = tool.as_str()),
        Step::ToolFailed { command, reason } => fl!(
            "handlers-tool-failed",
            command = command.as_str(),
            reason = reason.as_str()
        ),
        Step::DefaultSet(kind) => fl!("handlers-default-set", kind = kind.as_str()),
        Step::DefaultUnset(kind) => fl!("handlers-default-unset", kind = kind.as_str()),
        Step::RegistryWrote(key) => fl!("handlers-registry-wrote", key = key.as_str()),
        Step::RegistryRemoved(key) => fl!("handlers-registry-removed", key = key.as_str()),
        Step::NotNeeded => fl!("handlers-not-needed"),
    }
}

/// The localised line for a failure.
fn explain(error: &HandlerError) -> String {
    match error {
        HandlerError::CurrentExe(e) => fl!("handlers-error-exe", reason = e.to_string()),
        HandlerError::UnusablePath(path) => {
            fl!("handlers-error-path", path = path.display().to_string())
        }
        HandlerError::NoHome => fl!("handlers-error-no-home"),
        HandlerError::Write { path, source } => fl!(
            "cli-cannot-write",
            path = path.display().to_string(),
            reason = source.to_string()
        ),
        HandlerError::Remove { path, source } => fl!(
            "handlers-error-remove",
            path = path.display().to_string(),
            reason = source.to_string()
        ),
        HandlerError::ToolMissing { tool, package } => fl!(
            "handlers-error-tool-missing",
            tool = tool.as_str(),
            package = package.as_str()
        ),
        HandlerError::Command { command, reason } => fl!(
            "handlers-error-command",
            command = command.as_str(),
            reason = reason.as_str()
        ),
        HandlerError::Registry { key, source } => fl!(
            "handlers-error-registry",
            key = key.as_str(),
            reason = source.to_string()
        ),
    }
}
