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

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::task::{Context, Poll};
use std::time::Instant;

use metrics_core::{
    Descriptor, Family, Histogram, LabelDescriptor, LabelValues, Metric, MetricKind, Number,
    OVERFLOW_VALUE, RegistryBuilder, Sample, SampleScratch, Series, SeriesSink, source_location,
};
use tokio::sync::mpsc::{self, error};

use crate::scrape::ScrapeFamily;

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

/// The sending half of an instrumented channel; clone it like tokio's.
#[derive(Debug)]
pub struct Sender<T> {
    inner: mpsc::Sender<T>,
    shared: Arc<Shared>,
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Sender<T> {
    /// Sends `value`, waiting for room: tokio's `send`, counting a full event and the wait when there was no room.
    ///
    /// # Errors
    ///
    /// When the receiver is gone, with the value.
    pub async fn send(&self, value: T) -> Result<(), error::SendError<T>> {
        let value = match self.inner.try_send(value) {
            Ok(()) => {
                self.sent(0.0);
                return Ok(());
            }
            Err(error::TrySendError::Closed(value)) => return Err(error::SendError(value)),
            Err(error::TrySendError::Full(value)) => value,
        };
        self.shared.slot.full.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        self.inner.send(value).await?;
        self.sent(started.elapsed().as_secs_f64());
        Ok(())
    }

    /// Sends `value` if there is room: tokio's `try_send`, counting a full event when there was none.
    ///
    /// # Errors
    ///
    /// As tokio's: full or closed, with the value.
    pub fn try_send(&self, value: T) -> Result<(), error::TrySendError<T>> {
        match self.inner.try_send(value) {
            Ok(()) => {
                self.sent(0.0);
                Ok(())
            }
            Err(error::TrySendError::Full(value)) => {
                self.shared.slot.full.fetch_add(1, Ordering::Relaxed);
                Err(error::TrySendError::Full(value))
            }
            Err(closed) => Err(closed),
        }
    }

    /// Sends from synchronous code, blocking the thread until there is room: tokio's `blocking_send`.
    ///
    /// # Errors
    ///
    /// When the receiver is gone, with the value.
    ///
    /// # Panics
    ///
    /// When called inside an async runtime, as tokio's does.
    pub fn blocking_send(&self, value: T) -> Result<(), error::SendError<T>> {
        let value = match self.inner.try_send(value) {
            Ok(()) => {
                self.sent(0.0);
                return Ok(());
            }
            Err(error::TrySendError::Closed(value)) => return Err(error::SendError(value)),
            Err(error::TrySendError::Full(value)) => value,
        };
        self.shared.slot.full.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        self.inner.blocking_send(value)?;
        self.sent(started.elapsed().as_secs_f64());
        Ok(())
    }

    fn sent(&self, waited: f64) {
        self.shared.sent.fetch_add(1, Ordering::Relaxed);
        let _ = self.shared.slot.wait.observe(waited);
    }

    /// Room left now (tokio's `capacity`).
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// The bound the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.inner.max_capacity()
    }

    /// Whether the receiver is gone.
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Completes when the receiver is gone.
    pub async fn closed(&self) {
        self.inner.closed().await;
    }
}

/// The receiving half of an instrumented channel.
#[derive(Debug)]
pub struct Receiver<T> {
    inner: mpsc::Receiver<T>,
    shared: Arc<Shared>,
}

impl<T> Receiver<T> {
    fn received<V>(&self, got: Option<V>) -> Option<V> {
        if got.is_some() {
            self.shared.received.fetch_add(1, Ordering::Relaxed);
        }
        got
    }

    /// The next message, or `None` once every sender is gone and the channel is empty: tokio's `recv`.
    pub async fn recv(&mut self) -> Option<T> {
        let got = self.inner.recv().await;
        self.received(got)
    }

    /// The next message if one is waiting: tokio's `try_recv`.
    ///
    /// # Errors
    ///
    /// As tokio's: empty or disconnected.
    pub fn try_recv(&mut self) -> Result<T, error::TryRecvError> {
        let got = self.inner.try_recv();
        if got.is_ok() {
            self.shared.received.fetch_add(1, Ordering::Relaxed);
        }
        got
    }

    /// Blocks the thread for the next message: tokio's `blocking_recv`.
    ///
    /// # Panics
    ///
    /// When called inside an async runtime, as tokio's does.
    pub fn blocking_recv(&mut self) -> Option<T> {
        let got = self.inner.blocking_recv();
        self.received(got)
    }

    /// Receives up to `limit` messages into `buffer`: tokio's `recv_many`.
    pub async fn recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        let count = self.inner.recv_many(buffer, limit).await;
        self.shared
            .received
            .fetch_add(count as u64, Ordering::Relaxed);
        count
    }

    /// Polls for the next message: tokio's `poll_recv`, for hand-written futures and streams.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match self.inner.poll_recv(cx) {
            Poll::Ready(got) => Poll::Ready(self.received(got)),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Closes the channel to new sends; waiting messages can still be received.
    pub fn close(&mut self) {
        self.inner.close();
    }

    /// Messages waiting now.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether no message is waiting.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The bound the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.inner.max_capacity()
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        // Waiting messages are dropped with the receiver: the channel no longer counts towards capacity or depth.
        self.shared.open.store(false, Ordering::Relaxed);
    }
}

static LABELS: [LabelDescriptor; 1] = [LabelDescriptor {
    name: "channel",
    values: LabelValues::Bounded { cap: MAX_CHANNELS },
}];

/// Every slot, named ones in creation order, then the overflow slot.
fn each_slot(
    sink: &mut dyn SeriesSink,
    read: impl Fn(&Slot, &mut SampleScratch, &mut dyn SeriesSink),
) {
    let slots: Vec<Arc<Slot>> = {
        let slots = SLOTS.lock().unwrap_or_else(PoisonError::into_inner);
        slots.named.iter().chain(&slots.overflow).cloned().collect()
    };
    let mut scratch = SampleScratch::new();
    for slot in &slots {
        read(slot, &mut scratch, sink);
    }
}

/// The sum of `read` over the open channels of `slot`.
fn open_sum(slot: &Slot, read: impl Fn(&Shared) -> u64) -> u64 {
    let channels = slot.channels.lock().unwrap_or_else(PoisonError::into_inner);
    channels
        .iter()
        .filter_map(Weak::upgrade)
        .filter(|c| c.open.load(Ordering::Relaxed))
        .map(|c| read(&c))
        .sum()
}

fn gauge(value: u64) -> Sample<'static> {
    Sample::Gauge(Number::I64(i64::try_from(value).unwrap_or(i64::MAX)))
}

fn overflows() -> u64 {
    OVERFLOWS.load(Ordering::Relaxed)
}

static CAPACITY_DESCRIPTOR: Descriptor = Descriptor::new(
    "channel_capacity",
    "Bound of the instrumented channels, summed over the open channels of each name.",
    MetricKind::Gauge,
    source_location!(),
)
.with_labels(&LABELS);

/// `channel_capacity{channel}`.
pub static CAPACITY: ScrapeFamily = ScrapeFamily::new(&CAPACITY_DESCRIPTOR, |sink| {
    each_slot(sink, |slot, _, sink| {
        sink.series(
            &Series::new(&[&slot.name]),
            &gauge(open_sum(slot, |c| c.capacity as u64)),
        );
    });
})
.with_overflows(overflows);

static DEPTH_DESCRIPTOR: Descriptor = Descriptor::new(
    "channel_depth",
    "Messages sent and not yet received, summed over the open channels of each name.",
    MetricKind::Gauge,
    source_location!(),
)
.with_labels(&LABELS);

/// `channel_depth{channel}`.
pub static DEPTH: ScrapeFamily = ScrapeFamily::new(&DEPTH_DESCRIPTOR, |sink| {
    each_slot(sink, |slot, _, sink| {
        sink.series(
            &Series::new(&[&slot.name]),
            &gauge(open_sum(slot, Shared::depth)),
        );
    });
})
.with_overflows(overflows);

static FULL_DESCRIPTOR: Descriptor = Descriptor::new(
    "channel_full_total",
    "Sends that found the channel full.",
    MetricKind::Counter,
    source_location!(),
)
.with_labels(&LABELS);

/// `channel_full_total{channel}`.
pub static FULL: ScrapeFamily = ScrapeFamily::new(&FULL_DESCRIPTOR, |sink| {
    each_slot(sink, |slot, _, sink| {
        sink.series(
            &Series::new(&[&slot.name]),
            &Sample::Counter(Number::U64(slot.full.load(Ordering::Relaxed))),
        );
    });
})
.with_overflows(overflows);

static SEND_WAIT_DESCRIPTOR: Descriptor = Descriptor::new(
    "channel_send_wait_seconds",
    "How long each send waited for room in the channel, in seconds.",
    MetricKind::Histogram,
    source_location!(),
)
.with_unit("seconds")
.with_labels(&LABELS)
.with_buckets(&WAIT_BUCKETS);

/// `channel_send_wait_seconds{channel}`.
pub static SEND_WAIT: ScrapeFamily = ScrapeFamily::new(&SEND_WAIT_DESCRIPTOR, |sink| {
    each_slot(sink, |slot, scratch, sink| {
        sink.series(&Series::new(&[&slot.name]), &slot.wait.sample(scratch));
    });
})
.with_overflows(overflows);

/// The channel families.
pub static FAMILIES: [&'static dyn Family; 4] = [&CAPACITY, &DEPTH, &FULL, &SEND_WAIT];

/// Adds the channel families to an explicit registry.
#[must_use]
pub fn register_families(mut builder: RegistryBuilder) -> RegistryBuilder {
    for family in FAMILIES {
        builder = builder.register(family);
    }
    builder
}

/// Links the channel families into `Registry::global()`. Write it once, at module level.
#[macro_export]
macro_rules! channel_collector {
    () => {
        $crate::__private::submit_families!(
            $crate::channel::CAPACITY,
            $crate::channel::DEPTH,
            $crate::channel::FULL,
            $crate::channel::SEND_WAIT,
        );
    };
}
