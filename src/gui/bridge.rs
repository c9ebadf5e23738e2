//! The engine's own tokio runtime inside the GUI process, and the bridge from its event channel
//! to iced messages.
//!
//! The engine never runs on iced's executor: a slow disk or a busy swarm must not stall the
//! window, and the window closing must not stall the engine's graceful shutdown.

use super::Message;
use super::ipfilter::FilterStatus;
use crate::engine::session::{self, Config, EventReceiver};
use iced::Task;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Starts a session; with `random_port`, a port that turns out to be taken gives way to any
/// free one (port 0), so a random choice never stops the engine from starting.
async fn start_session(
    config: Config,
    random_port: bool,
) -> Result<(crate::engine::session::EngineHandle, EventReceiver), crate::engine::api::EngineError>
{
    let fallback = random_port.then(|| Config {
        listen_port: 0,
        ..config.clone()
    });
    match (session::spawn(config).await, fallback) {
        (Err(crate::engine::api::EngineError::Listen { .. }), Some(config)) => {
            session::spawn(config).await
        }
        (started, _) => started,
    }
}

/// The runtime the engine lives on.
pub struct EngineRuntime {
    runtime: tokio::runtime::Runtime,
    events: Arc<Mutex<Option<EventReceiver>>>,
    /// How loading the IP filter list at start went, until the app takes it.
    filter_status: Arc<Mutex<Option<FilterStatus>>>,
}

impl EngineRuntime {
    /// Builds the runtime (two worker threads named `brooklet-engine`).
    pub fn new() -> Result<Self, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("brooklet-engine")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(EngineRuntime {
            runtime,
            events: Arc::new(Mutex::new(None)),
            filter_status: Arc::new(Mutex::new(None)),
        })
    }

    /// Starts the session on the runtime with the user's settings; resolves to its handle.
    /// The IP filter list, when on, is read first (on a blocking thread), so the session
    /// starts with it in force; a list that cannot be read is reported and the session starts
    /// without it.
    pub fn start(&self, settings: crate::settings::Settings) -> Task<Message> {
        let handle = self.runtime.handle().clone();
        let slot = self.events.clone();
        let status_slot = self.filter_status.clone();
        Task::perform(
            async move {
                let mut config = settings.engine_config(Config {
                    state_dir: crate::engine::session_state::default_data_dir(),
                    ..Config::default()
                });
                if let Some(path) = settings.ip_filter_file().map(std::path::PathBuf::from) {
                    let loaded = match handle.spawn(super::ipfilter::load(path)).await {
                        Ok(result) => result,
                        Err(e) => Err(e.to_string()),
                    };
                    if let Ok(mut s) = status_slot.lock() {
                        *s = Some(FilterStatus::of(&loaded));
                    }
                    config.ip_filter = loaded.ok();
                }
                let started = handle
                    .spawn(start_session(config, settings.random_port))
                    .await;
                match started {
                    Ok(Ok((engine, events))) => {
                        if let Ok(mut s) = slot.lock() {
                            *s = Some(events);
                        }
                        Ok(engine)
                    }
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(e) => Err(e.to_string()),
                }
            },
            Message::EngineStarted,
        )
    }

    /// How loading the IP filter at start went (once; `None` when no list was loaded).
    pub fn take_filter_status(&self) -> Option<FilterStatus> {
        self.filter_status.lock().ok().and_then(|mut s| s.take())
    }

    /// The engine's events as a stream of messages (once; later calls give nothing).
    pub fn events(&self) -> Task<Message> {
        let Some(rx) = self.events.lock().ok().and_then(|mut s| s.take()) else {
            return Task::none();
        };
        let stream = iced::futures::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|event| (event, rx))
        });
        Task::run(stream, Message::Engine)
    }

    /// Stops the runtime, giving its tasks a moment to finish.
    pub fn stop(self) {
        self.runtime.shutdown_timeout(Duration::from_secs(1));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn a_taken_random_port_falls_back_to_a_free_one_and_a_chosen_port_does_not() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let config = Config {
            listen_ip: std::net::Ipv4Addr::LOCALHOST.into(),
            loopback_only: true,
            dht: false,
            listen_port: port,
            ..Config::default()
        };
        let (engine, _events) = start_session(config.clone(), true).await.unwrap();
        assert_ne!(engine.listen_port(), port);
        assert_ne!(engine.listen_port(), 0);
        engine.shutdown().await;
        assert!(matches!(
            start_session(config, false).await,
            Err(crate::engine::api::EngineError::Listen { .. })
        ));
    }
}
