//! Requests handed over by a second launch ([`crate::platform::instance`]): the subscription
//! that turns them into [`Message::Open`], and what the app does with one — raise the window
//! and ask about each item exactly as for the command line or the toolbar.

use super::{App, Message};
use crate::platform::instance::OpenRequest;
use iced::futures::stream::{self, Stream};
use iced::{Subscription, Task};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// Requests waiting in a bounded queue; the listener's thread fills it.
pub type Sender = mpsc::Sender<OpenRequest>;

/// The receiving end, shared with the subscription (which takes it once).
#[derive(Clone, Debug)]
pub struct Arrivals(Arc<Mutex<Option<mpsc::Receiver<OpenRequest>>>>);

impl Arrivals {
    /// A queue of `capacity` requests: the sender for the listener, the arrivals for the app.
    pub fn channel(capacity: usize) -> (Sender, Arrivals) {
        let (tx, rx) = mpsc::channel(capacity);
        (tx, Arrivals(Arc::new(Mutex::new(Some(rx)))))
    }
}

impl Hash for Arrivals {
    // One subscription for the app's life: its identity never changes.
    fn hash<H: Hasher>(&self, state: &mut H) {
        "brooklet-instance-arrivals".hash(state);
    }
}

fn arrivals(arrivals: &Arrivals) -> impl Stream<Item = OpenRequest> + use<> {
    let rx = arrivals.0.lock().ok().and_then(|mut r| r.take());
    stream::unfold(rx, |rx| async move {
        let mut rx = rx?;
        rx.recv().await.map(|request| (request, Some(rx)))
    })
}

/// The subscription delivering handed-over requests.
pub fn subscription(from: &Arrivals) -> Subscription<Message> {
    Subscription::run_with(from.clone(), arrivals).map(Message::Open)
}

impl App {
    /// A second launch asked for these items: the window comes forward (or opens again), and
    /// each item goes to the add flow — deferred until the engine runs, like argv items.
    pub(super) fn on_open(&mut self, request: OpenRequest) -> Task<Message> {
        let raise = self.show_window();
        if self.engine.is_none() {
            self.startup_items.extend(request.items);
            return raise;
        }
        let adds: Vec<Task<Message>> = request
            .items
            .into_iter()
            .map(|item| self.add_item(item))
            .collect();
        Task::batch(adds.into_iter().chain([raise]))
    }
}
