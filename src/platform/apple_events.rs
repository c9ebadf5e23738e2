//! macOS: `.torrent` files and `magnet:` links opened while Brooklet runs (or that launch it)
//! arrive as Apple Events, not as arguments: "open documents" (`aevt`/`odoc`) with the files,
//! and "get URL" (`GURL`/`GURL`) with the link. This module installs handlers for both with
//! `NSAppleEventManager` and passes what they carry to `deliver`, which feeds the same queue
//! as a second launch's hand-off (so each item ends in the add flow).
//!
//! AppKit installs its own "open documents" handler while the app finishes launching, so ours
//! is installed again on `NSApplicationWillFinishLaunchingNotification` — the moment Apple's
//! documentation names for it — without touching the window library's app delegate. The
//! "get URL" event has no AppKit handler and is installed at once.
//!
//! The only unsafe code is Objective-C messaging, each call with its `SAFETY` note. Not
//! compiled or tested on the Linux machines the project is built on; type-checked for
//! `x86_64-apple-darwin` by compiling this file alone against objc2 (see the closing note of
//! the session that added it).

#![allow(unsafe_code)]

use objc2::rc::Retained;
use objc2::runtime::NSObject;
use objc2::{DefinedClass, MainThreadMarker, MainThreadOnly, define_class, msg_send, sel};
use objc2_foundation::{
    NSAppleEventDescriptor, NSAppleEventManager, NSNotification, NSNotificationCenter, NSString,
};

/// Where the items of an event go (absolute paths and magnet links).
pub type Deliver = Box<dyn Fn(Vec<String>)>;

const fn four_cc(code: &[u8; 4]) -> u32 {
    u32::from_be_bytes(*code)
}

/// kCoreEventClass.
const CORE_EVENT_CLASS: u32 = four_cc(b"aevt");
/// kAEOpenDocuments.
const OPEN_DOCUMENTS: u32 = four_cc(b"odoc");
/// kInternetEventClass.
const INTERNET_EVENT_CLASS: u32 = four_cc(b"GURL");
/// kAEGetURL.
const GET_URL: u32 = four_cc(b"GURL");
/// keyDirectObject.
const DIRECT_OBJECT: u32 = four_cc(b"----");
/// The most items one event may carry (the rest are dropped).
const MAX_ITEMS: isize = 1000;

/// The handler object's state.
pub struct Ivars {
    deliver: Deliver,
}

define_class!(
    // SAFETY:
    // - The superclass NSObject has no subclassing requirements.
    // - `EventHandler` does not implement `Drop`.
    #[unsafe(super(NSObject))]
    #[thread_kind = MainThreadOnly]
    #[name = "BrookletAppleEventHandler"]
    #[ivars = Ivars]
    pub struct EventHandler;

    impl EventHandler {
        #[unsafe(method(willFinishLaunching:))]
        fn will_finish_launching(&self, _note: &NSNotification) {
            self.install(true);
        }

        #[unsafe(method(handleOpenDocuments:withReplyEvent:))]
        fn open_documents(&self, event: &NSAppleEventDescriptor, _reply: &NSAppleEventDescriptor) {
            let items = direct_items(event)
                .iter()
                .filter_map(|d| d.fileURLValue())
                .filter_map(|url| url.path())
                .map(|p| p.to_string())
                .collect::<Vec<_>>();
            if !items.is_empty() {
                (self.ivars().deliver)(items);
            }
        }

        #[unsafe(method(handleGetURL:withReplyEvent:))]
        fn get_url(&self, event: &NSAppleEventDescriptor, _reply: &NSAppleEventDescriptor) {
            let items = direct_items(event)
                .iter()
                .filter_map(|d| d.stringValue())
                .map(|s| s.to_string())
                .collect::<Vec<_>>();
            if !items.is_empty() {
                (self.ivars().deliver)(items);
            }
        }
    }
);

impl EventHandler {
    /// Makes this object the handler of "get URL" and, with `documents`, "open documents".
    fn install(&self, documents: bool) {
        let manager = NSAppleEventManager::sharedAppleEventManager();
        // SAFETY: `self` lives for the whole process (leaked in `install`) and answers both
        // selectors with the signature `(NSAppleEventDescriptor*, NSAppleEventDescriptor*)`;
        // event class and id are FourCharCodes (unsigned 32-bit), as the method declares.
        unsafe {
            let _: () = msg_send![
                &*manager,
                setEventHandler: self,
                andSelector: sel!(handleGetURL:withReplyEvent:),
                forEventClass: INTERNET_EVENT_CLASS,
                andEventID: GET_URL
            ];
            if documents {
                let _: () = msg_send![
                    &*manager,
                    setEventHandler: self,
                    andSelector: sel!(handleOpenDocuments:withReplyEvent:),
                    forEventClass: CORE_EVENT_CLASS,
                    andEventID: OPEN_DOCUMENTS
                ];
            }
        }
    }
}

/// The descriptors in an event's direct object: the items of a list, or the one descriptor.
fn direct_items(event: &NSAppleEventDescriptor) -> Vec<Retained<NSAppleEventDescriptor>> {
    // SAFETY: `paramDescriptorForKeyword:` takes an AEKeyword (unsigned 32-bit) and returns a
    // descriptor or nil.
    let direct: Option<Retained<NSAppleEventDescriptor>> =
        unsafe { msg_send![event, paramDescriptorForKeyword: DIRECT_OBJECT] };
    let Some(direct) = direct else {
        return Vec::new();
    };
    let count = direct.numberOfItems();
    if count <= 0 {
        return vec![direct];
    }
    // Apple Event lists count from 1.
    (1..=count.min(MAX_ITEMS))
        .filter_map(|i| direct.descriptorAtIndex(i))
        .collect()
}

/// Installs the handlers; call once, on the main thread, before the window library starts the
/// application. Without the main thread it does nothing.
pub fn install(deliver: Deliver) {
    let Some(mtm) = MainThreadMarker::new() else {
        return;
    };
    let this = EventHandler::alloc(mtm).set_ivars(Ivars { deliver });
    // SAFETY: NSObject's `init` on a freshly allocated object whose ivars are set.
    let this: Retained<EventHandler> = unsafe { msg_send![super(this), init] };
    this.install(false);
    let name = NSString::from_str("NSApplicationWillFinishLaunchingNotification");
    // SAFETY: `this` answers `willFinishLaunching:` with one NSNotification argument, and it
    // is never deallocated (leaked below), so the center never messages a dead observer.
    unsafe {
        NSNotificationCenter::defaultCenter().addObserver_selector_name_object(
            &this,
            sel!(willFinishLaunching:),
            Some(&name),
            None,
        );
    }
    // The event manager and the notification center do not keep their handler alive.
    std::mem::forget(this);
}
