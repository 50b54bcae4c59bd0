//! Families whose values are read when Prometheus scrapes: a callback reports each series' value.
//!
//! Declared in `metrics!` with `observe = path::to::fn` on a counter or gauge whose labels are enums (or none).
//! The callback runs inside the scrape, on the scrape's thread, so it sees the same deadline as the rest of the
//! scrape. What it cannot do is break the scrape:
//!
//! - a panic is caught: the family is left out of that scrape and counted (`reason="panic"`);
//! - a callback still running from an earlier scrape (a slow database) is not waited for: the family is left out of
//!   the new scrape and counted (`reason="busy"`), so one stuck callback holds at most one scrape;
//! - a counter value that is NaN, negative or smaller than the one exposed before is refused and counted
//!   (`reason="refused"`): the series keeps its previous value (or is absent if it had none), so a counter
//!   never goes down in what Prometheus stores.
//!
//! The counts are the `metrics_observation_failures_total{family,reason}` family, which the registry adds when any
//! family is observable.

use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::odometer::Odometer;
use super::{Descriptor, Family, MetricKind};
use crate::label::EnumLabels;
use crate::series::{Number, Sample, Series, SeriesSink};

/// What an observable family's callback fills: the value of each series it reports in this scrape.
///
/// A series the callback does not report is absent from the scrape (a gauge with nothing to say); reporting the
/// same labels twice keeps the last value.
///
/// ```
/// use metrics_core::{LabelValue, Observer, Registry, Format, metrics};
///
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
/// #[metrics(rename_all = "snake_case")]
/// pub enum Queue { Fast, Slow }
///
/// metrics! {
///     /// Jobs waiting, read from the queue at scrape time.
///     pub gauge observer_doc_queue_depth { queue: Queue, observe = read_depths }
/// }
///
/// fn read_depths(out: &mut Observer<'_, ObserverDocQueueDepthLabels, i64>) {
///     out.observe(ObserverDocQueueDepthLabels { queue: Queue::Fast }, 3);
///     out.observe(ObserverDocQueueDepthLabels { queue: Queue::Slow }, 12);
/// }
///
/// let text = Registry::global().unwrap().encode_to_string(Format::Text004).unwrap();
/// assert!(text.contains("observer_doc_queue_depth{queue=\"slow\"} 12\n"));
/// ```
pub struct Observer<'a, L, V> {
    slots: &'a mut [Option<Number>],
    /// `fn(L, V)`: the observer takes labels and values, it holds neither.
    marker: PhantomData<fn(L, V)>,
}

/// A value an observer of a family of `V` takes: `V` itself. A trait rather than a `V` parameter so that another
/// number type (`0.75` for an integer gauge) is an error that says to declare the family `: f64`; with one
/// implementation per `V`, a literal still infers.
#[diagnostic::on_unimplemented(
    message = "this observable family reports `{V}` values, not `{Self}`: declare the family `: f64` for fractions, or convert the value to `{V}`",
    label = "not a `{V}`"
)]
pub trait ObservedValue<V> {
    /// The value as the family's number type.
    fn into_value(self) -> V;
}

impl ObservedValue<u64> for u64 {
    #[inline]
    fn into_value(self) -> u64 {
        self
    }
}

impl ObservedValue<i64> for i64 {
    #[inline]
    fn into_value(self) -> i64 {
        self
    }
}

impl ObservedValue<f64> for f64 {
    #[inline]
    fn into_value(self) -> f64 {
        self
    }
}

impl<L: EnumLabels, V: Into<Number>> Observer<'_, L, V> {
    /// Reports `value` (a `V`) for the series of `labels` in this scrape.
    #[inline]
    pub fn observe<N: ObservedValue<V>>(&mut self, labels: L, value: N) {
        if let Some(slot) = self.slots.get_mut(labels.index()) {
            *slot = Some(value.into_value().into());
        }
    }
}

impl<V: Into<Number>> Observer<'_, (), V> {
    /// Reports the value (a `V`) of a family without labels.
    #[inline]
    pub fn set<N: ObservedValue<V>>(&mut self, value: N) {
        self.observe((), value);
    }
}

impl<L, V> std::fmt::Debug for Observer<'_, L, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Observer")
            .field("series", &self.slots.len())
            .finish()
    }
}

/// A counter or gauge family with `N` series (its enum label combinations) whose values a callback reports at
/// every scrape. Built by `metrics!` for a family declared with `observe = ..`; see [`Observer`].
pub struct ObservableFamily<L, V, const N: usize> {
    descriptor: &'static Descriptor,
    callback: fn(&mut Observer<'_, L, V>),
    values: Mutex<Values<N>>,
    panics: AtomicU64,
    refused: AtomicU64,
    busy: AtomicU64,
}

/// What the callback reported this scrape, and what each series last exposed (a counter's floor).
struct Values<const N: usize> {
    current: [Option<Number>; N],
    exposed: [Option<Number>; N],
}

impl<L, V, const N: usize> ObservableFamily<L, V, N> {
    /// A family whose series `callback` reports.
    pub const fn new(
        descriptor: &'static Descriptor,
        callback: fn(&mut Observer<'_, L, V>),
    ) -> Self {
        Self {
            descriptor,
            callback,
            values: Mutex::new(Values {
                current: [None; N],
                exposed: [None; N],
            }),
            panics: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            busy: AtomicU64::new(0),
        }
    }
}

impl<L, V, const N: usize> std::fmt::Debug for ObservableFamily<L, V, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObservableFamily")
            .field("name", &self.descriptor.name)
            .finish_non_exhaustive()
    }
}

/// Whether `value` may follow `before` on a counter: a number, not negative, not smaller.
fn counter_accepts(value: Number, before: Option<Number>) -> bool {
    let v = value.as_f64();
    !v.is_nan() && v >= 0.0 && before.is_none_or(|before| v >= before.as_f64())
}

impl<L, V, const N: usize> Family for ObservableFamily<L, V, N>
where
    L: Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        let mut values = match self.values.try_lock() {
            Ok(values) => values,
            // A panic is caught below, so the lock is only poisoned if a sink panicked: the values are whole.
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                self.busy.fetch_add(1, Ordering::Relaxed);
                return;
            }
        };
        let Values { current, exposed } = &mut *values;
        *current = [None; N];
        let mut observer = Observer {
            slots: current,
            marker: PhantomData,
        };
        if catch_unwind(AssertUnwindSafe(|| (self.callback)(&mut observer))).is_err() {
            self.panics.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let counter = self.descriptor.kind == MetricKind::Counter;
        let mut odometer = Odometer::new(self.descriptor.labels);
        for (reported, before) in current.iter().zip(exposed.iter_mut()) {
            let value = match *reported {
                Some(value) if counter && !counter_accepts(value, *before) => {
                    self.refused.fetch_add(1, Ordering::Relaxed);
                    *before
                }
                Some(value) => {
                    *before = Some(value);
                    Some(value)
                }
                None => None,
            };
            if let Some(value) = value {
                let sample = if counter {
                    Sample::Counter(value)
                } else {
                    Sample::Gauge(value)
                };
                let series = Series::with_positions(odometer.values(), odometer.positions());
                sink.series(&series, &sample);
            }
            odometer.advance();
        }
    }

    fn observation_failures(&self, report: &mut dyn FnMut(&'static str, u64)) {
        report("busy", self.busy.load(Ordering::Relaxed));
        report("panic", self.panics.load(Ordering::Relaxed));
        report("refused", self.refused.load(Ordering::Relaxed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::{LabelDescriptor, LabelValues};

    static GAUGE: Descriptor = Descriptor::new(
        "observable_test_depth",
        "Depth.",
        MetricKind::Gauge,
        crate::source_location!(),
    );

    static COUNTER: Descriptor = Descriptor::new(
        "observable_test_total",
        "Total.",
        MetricKind::Counter,
        crate::source_location!(),
    )
    .with_labels(&[LabelDescriptor::new(
        "flag",
        LabelValues::Enum(&["false", "true"]),
    )]);

    #[derive(Clone, Copy)]
    struct Flag(bool);

    impl EnumLabels for Flag {
        const CARDINALITY: usize = 2;
        fn index(self) -> usize {
            usize::from(self.0)
        }
    }

    fn collected(family: &dyn Family) -> Vec<(Vec<String>, Number)> {
        let mut seen = Vec::new();
        family.collect(&mut |series: &Series<'_>, sample: &Sample<'_>| {
            let (Sample::Counter(value) | Sample::Gauge(value)) = *sample else {
                panic!("only counters and gauges are observable");
            };
            let labels = series.values().iter().map(|v| (*v).to_owned()).collect();
            seen.push((labels, value));
        });
        seen
    }

    fn failures(family: &dyn Family) -> Vec<(&'static str, u64)> {
        let mut seen = Vec::new();
        family.observation_failures(&mut |reason, count| seen.push((reason, count)));
        seen
    }

    #[test]
    fn a_panicking_callback_leaves_the_family_out_and_is_counted() {
        static FAMILY: ObservableFamily<(), i64, 1> =
            ObservableFamily::new(&GAUGE, |_| panic!("the database is gone"));
        assert!(collected(&FAMILY).is_empty());
        assert!(collected(&FAMILY).is_empty());
        assert!(failures(&FAMILY).contains(&("panic", 2)));
    }

    #[test]
    fn a_counter_never_goes_down_nan_or_negative() {
        use std::sync::atomic::AtomicUsize;
        static CALL: AtomicUsize = AtomicUsize::new(0);
        static FAMILY: ObservableFamily<Flag, f64, 2> = ObservableFamily::new(&COUNTER, |out| {
            let script = [[5.0, 1.0], [4.0, 2.0], [f64::NAN, -1.0], [6.0, 3.0]];
            let [a, b] = script[CALL.fetch_add(1, Ordering::Relaxed) % 4];
            out.observe(Flag(false), a);
            out.observe(Flag(true), b);
        });
        let value = |scrape: &[(Vec<String>, Number)], i: usize| scrape[i].1.as_f64();
        let first = collected(&FAMILY);
        assert_eq!((value(&first, 0), value(&first, 1)), (5.0, 1.0));
        let second = collected(&FAMILY);
        assert_eq!(
            (value(&second, 0), value(&second, 1)),
            (5.0, 2.0),
            "4 < 5 is refused"
        );
        let third = collected(&FAMILY);
        assert_eq!(
            (value(&third, 0), value(&third, 1)),
            (5.0, 2.0),
            "NaN and -1 are refused"
        );
        let fourth = collected(&FAMILY);
        assert_eq!((value(&fourth, 0), value(&fourth, 1)), (6.0, 3.0));
        assert!(failures(&FAMILY).contains(&("refused", 3)));
        assert_eq!(fourth[1].0, ["true"]);
    }

    #[test]
    fn a_callback_still_running_is_not_waited_for() {
        use std::sync::mpsc;
        static STARTED: Mutex<Option<mpsc::Sender<()>>> = Mutex::new(None);
        static RELEASE: Mutex<Option<mpsc::Receiver<()>>> = Mutex::new(None);
        static FAMILY: ObservableFamily<(), i64, 1> = ObservableFamily::new(&GAUGE, |out| {
            if let Some(started) = STARTED.lock().unwrap().take() {
                started.send(()).unwrap();
                let release = RELEASE.lock().unwrap().take().unwrap();
                release.recv().unwrap();
            }
            out.set(7);
        });
        let (started_tx, started_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel();
        *STARTED.lock().unwrap() = Some(started_tx);
        *RELEASE.lock().unwrap() = Some(release_rx);
        let slow = std::thread::spawn(|| collected(&FAMILY));
        started_rx.recv().unwrap();
        assert!(
            collected(&FAMILY).is_empty(),
            "the second scrape does not wait"
        );
        assert!(failures(&FAMILY).contains(&("busy", 1)));
        release_tx.send(()).unwrap();
        assert_eq!(slow.join().unwrap().len(), 1);
        assert_eq!(collected(&FAMILY)[0].1, Number::I64(7));
    }
}
