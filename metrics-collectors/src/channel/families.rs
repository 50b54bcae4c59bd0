//! The four channel families, read from the slots at scrape time.

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError, Weak};

use metrics_core::{
    Descriptor, Family, LabelDescriptor, LabelValues, Metric, MetricKind, Number, RegistryBuilder,
    Sample, SampleScratch, Series, SeriesSink, source_location,
};

use super::{MAX_CHANNELS, OVERFLOWS, SLOTS, Shared, Slot, WAIT_BUCKETS};
use crate::scrape::ScrapeFamily;

static LABELS: [LabelDescriptor; 1] = [LabelDescriptor::new(
    "channel",
    LabelValues::Bounded { cap: MAX_CHANNELS },
)];

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
