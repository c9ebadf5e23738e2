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

/// The runtime the engine lives on: its async work (sockets, torrent tasks, the session) on one
/// thread of its own, named `brooklet-engine`, and hashing and disk I/O on the runtime's
/// blocking threads. One async thread is enough (a download at 700 MB/s keeps it busy a tenth
/// of the time) and cheaper than two: on a machine of two cores a second worker mostly adds
/// wake-ups between threads (the swarm benchmark's CPU per GiB fell by about 7 % without it),
/// and the cores stay free for hashing. libtorrent runs its network the same way.
pub struct EngineRuntime {
    runtime: Arc<tokio::runtime::Runtime>,
    /// Ends the engine thread's `block_on`.
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
    events: Arc<Mutex<Option<EventReceiver>>>,
    /// How loading the IP filter list at start went, until the app takes it.
    filter_status: Arc<Mutex<Option<FilterStatus>>>,
}

impl EngineRuntime {
    /// Builds the runtime and starts its thread.
    pub fn new() -> Result<Self, String> {
        let runtime = Arc::new(
            tokio::runtime::Builder::new_current_thread()
                .thread_name("brooklet-engine")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?,
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let driven = runtime.clone();
        let thread = std::thread::Builder::new()
            .name("brooklet-engine".to_owned())
            .spawn(move || {
                driven.block_on(async {
                    let _ = stopped.await;
                });
            })
            .map_err(|e| e.to_string())?;
        Ok(EngineRuntime {
            runtime,
            stop,
            thread,
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

    /// Stops the runtime, giving its blocking tasks a moment to finish.
    pub fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
        if let Ok(runtime) = Arc::try_unwrap(self.runtime) {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
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
