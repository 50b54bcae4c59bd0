//! A tokio bounded mpsc channel that exports its capacity, depth, full events and send wait time under a bounded
//! `channel` label: saturation of named channels, read at scrape time.
//!
//! | family | type | meaning |
//! |---|---|---|
//! | `channel_capacity{channel}` | gauge | the bound, summed over the open channels of that name |
//! | `channel_depth{channel}` | gauge | messages sent and not yet received, summed likewise |
//! | `channel_full_total{channel}` | counter | sends that found the channel full (`send` then waited, `try_send` failed) |
//! | `channel_send_wait_seconds{channel}` | histogram | how long each `send` waited for room (0 when there was room) |
//!
//! Create the channel with [`channel`] instead of `tokio::sync::mpsc::channel`; [`Sender`] and [`Receiver`] have
//! the same methods. Switch the families on with one line at module level:
//!
//! ```
//! metrics_collectors::channel_collector!();
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let (tx, mut rx) = metrics_collectors::channel::channel::<u32>("doc_jobs", 8);
//! tx.send(1).await.unwrap();
//! let text = metrics_core::Registry::global().unwrap().encode_to_string(metrics_core::Format::Text004).unwrap();
//! assert!(text.contains("channel_depth{channel=\"doc_jobs\"} 1\n"));
//! assert_eq!(rx.recv().await, Some(1));
//! # });
//! ```
//!
//! Channels created with the same name share their series (their capacities and depths add up). At most
//! [`MAX_CHANNELS`] names are kept; channels created under further names, or under a name that is not a valid label
//! value, are recorded under `channel="__overflow__"` and counted in `metrics_label_overflow_total`. A channel stops
//! counting towards capacity and depth when its receiver is dropped; its counters stay.

mod families;
mod halves;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use metrics_core::{Histogram, OVERFLOW_VALUE};
use tokio::sync::mpsc;

pub use families::{CAPACITY, DEPTH, FAMILIES, FULL, SEND_WAIT, register_families};
pub use halves::{Receiver, Sender};

/// The most channel names kept: the cap of the `channel` label.
pub const MAX_CHANNELS: usize = 64;

/// The bounds of `channel_send_wait_seconds`: from 100 µs (a send that found room is 0) to 5 s.
pub const WAIT_BUCKETS: [f64; 10] = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0];

/// One `channel` label value: the channels of that name and what they counted.
#[derive(Debug)]
struct Slot {
    name: Box<str>,
    channels: Mutex<Vec<Weak<Shared>>>,
    full: AtomicU64,
    wait: Histogram<{ WAIT_BUCKETS.len() + 1 }>,
}

/// What a channel's senders and receiver share.
#[derive(Debug)]
struct Shared {
    slot: Arc<Slot>,
    capacity: usize,
    sent: AtomicU64,
    received: AtomicU64,
    open: AtomicBool,
}

impl Shared {
    /// Messages sent and not yet received. A send is counted after it lands and a receive after it returns, so a
    /// scrape between the two may see one fewer; never a negative depth.
    fn depth(&self) -> u64 {
        self.sent
            .load(Ordering::Relaxed)
            .saturating_sub(self.received.load(Ordering::Relaxed))
    }
}

#[derive(Debug, Default)]
struct Slots {
    named: Vec<Arc<Slot>>,
    overflow: Option<Arc<Slot>>,
}

static SLOTS: Mutex<Slots> = Mutex::new(Slots {
    named: Vec::new(),
    overflow: None,
});
static OVERFLOWS: AtomicU64 = AtomicU64::new(0);

fn new_slot(name: &str) -> Arc<Slot> {
    Arc::new(Slot {
        name: name.into(),
        channels: Mutex::new(Vec::new()),
        full: AtomicU64::new(0),
        wait: Histogram::new(&WAIT_BUCKETS),
    })
}

/// The slot of `name`: its own, or the overflow slot when the name is invalid or the cap is reached.
fn slot(name: &str) -> Arc<Slot> {
    let mut slots = SLOTS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(slot) = slots.named.iter().find(|s| &*s.name == name) {
        return Arc::clone(slot);
    }
    let valid = metrics_rules::label::check_label_value(name).is_ok() && name != OVERFLOW_VALUE;
    if valid && slots.named.len() < MAX_CHANNELS {
        let slot = new_slot(name);
        slots.named.push(Arc::clone(&slot));
        return slot;
    }
    OVERFLOWS.fetch_add(1, Ordering::Relaxed);
    Arc::clone(
        slots
            .overflow
            .get_or_insert_with(|| new_slot(OVERFLOW_VALUE)),
    )
}

/// A bounded channel like `tokio::sync::mpsc::channel(capacity)`, exported as `channel="<name>"`.
///
/// # Panics
///
/// When `capacity` is 0, as tokio's does.
pub fn channel<T>(name: &str, capacity: usize) -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = mpsc::channel(capacity);
    let slot = slot(name);
    let shared = Arc::new(Shared {
        slot: Arc::clone(&slot),
        capacity,
        sent: AtomicU64::new(0),
        received: AtomicU64::new(0),
        open: AtomicBool::new(true),
    });
    let mut channels = slot.channels.lock().unwrap_or_else(PoisonError::into_inner);
    channels.retain(|c| c.strong_count() > 0);
    channels.push(Arc::downgrade(&shared));
    drop(channels);
    (
        Sender {
            inner: tx,
            shared: Arc::clone(&shared),
        },
        Receiver { inner: rx, shared },
    )
}
