//! The tokio runtime collector: tokio's own runtime metrics, read at scrape time, one series per registered runtime
//! under the bounded `runtime` label.
//!
//! Stable metrics (any tokio build):
//!
//! | family | type | from `RuntimeMetrics` |
//! |---|---|---|
//! | `tokio_runtime_workers` | gauge | `num_workers` |
//! | `tokio_runtime_alive_tasks` | gauge | `num_alive_tasks` |
//! | `tokio_runtime_global_queue_depth` | gauge | `global_queue_depth` |
//! | `tokio_runtime_worker_busy_seconds_total` | counter | `worker_total_busy_duration`, summed over workers (targets with 64-bit atomics) |
//! | `tokio_runtime_worker_parks_total` | counter | `worker_park_count`, summed over workers (targets with 64-bit atomics) |
//!
//! With `RUSTFLAGS="--cfg tokio_unstable"` (tokio's own switch for its unstable API) these are added:
//!
//! | family | type | from `RuntimeMetrics` |
//! |---|---|---|
//! | `tokio_runtime_blocking_threads` | gauge | `num_blocking_threads` |
//! | `tokio_runtime_idle_blocking_threads` | gauge | `num_idle_blocking_threads` |
//! | `tokio_runtime_blocking_queue_depth` | gauge | `blocking_queue_depth` |
//! | `tokio_runtime_spawned_tasks_total` | counter | `spawned_tasks_count` |
//! | `tokio_runtime_remote_schedules_total` | counter | `remote_schedule_count` |
//! | `tokio_runtime_budget_forced_yields_total` | counter | `budget_forced_yield_count` |
//! | `tokio_runtime_worker_polls_total` | counter | `worker_poll_count`, summed |
//! | `tokio_runtime_worker_steals_total` | counter | `worker_steal_count`, summed |
//! | `tokio_runtime_worker_local_queue_depth` | gauge | `worker_local_queue_depth`, summed |
//!
//! Per-worker values are summed so the series count stays one per runtime whatever the worker count.
//!
//! ```
//! metrics_collectors::tokio_runtime_collector!();
//!
//! let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).build().unwrap();
//! metrics_collectors::runtime::register("main", runtime.handle()).unwrap();
//! let text = metrics_core::Registry::global().unwrap().encode_to_string(metrics_core::Format::Text004).unwrap();
//! assert!(text.contains("tokio_runtime_workers{runtime=\"main\"} 2\n"));
//! ```

use std::fmt;
use std::sync::{PoisonError, RwLock};

use metrics_core::{
    Descriptor, Family, LabelDescriptor, LabelValues, MetricKind, Number, RegistryBuilder, Sample,
    Series, SeriesSink, source_location,
};
use tokio::runtime::{Handle, RuntimeMetrics};

use crate::scrape::ScrapeFamily;

/// The most runtimes one process can register: the cap of the `runtime` label.
pub const MAX_RUNTIMES: usize = 16;

static RUNTIMES: RwLock<Vec<(Box<str>, RuntimeMetrics)>> = RwLock::new(Vec::new());
static REFUSED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Why a runtime was not registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterError {
    /// Another runtime is already registered under this name.
    Duplicate(String),
    /// [`MAX_RUNTIMES`] runtimes are registered already.
    Full,
    /// The name is not a valid label value (empty, or a control character).
    InvalidName(String),
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Duplicate(name) => {
                write!(f, "a tokio runtime named `{name}` is already registered")
            }
            Self::Full => write!(f, "at most {MAX_RUNTIMES} tokio runtimes can be registered"),
            Self::InvalidName(reason) => write!(f, "invalid runtime name: {reason}"),
        }
    }
}

impl std::error::Error for RegisterError {}

/// Exposes the runtime behind `handle` under `runtime="<name>"`. Refused names are counted in
/// `metrics_label_overflow_total{family=.., label="runtime"}`.
///
/// # Errors
///
/// When the name is taken, invalid, or [`MAX_RUNTIMES`] runtimes are registered.
pub fn register(name: &str, handle: &Handle) -> Result<(), RegisterError> {
    let refuse = |error| {
        REFUSED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Err(error)
    };
    if let Err(error) = metrics_rules::label::check_label_value(name) {
        return refuse(RegisterError::InvalidName(error.to_string()));
    }
    let mut runtimes = RUNTIMES.write().unwrap_or_else(PoisonError::into_inner);
    if runtimes.iter().any(|(n, _)| &**n == name) {
        return refuse(RegisterError::Duplicate(name.to_owned()));
    }
    if runtimes.len() >= MAX_RUNTIMES {
        return refuse(RegisterError::Full);
    }
    runtimes.push((name.into(), handle.metrics()));
    Ok(())
}

/// Stops exposing the runtime registered as `name`; returns whether there was one. Its name can then be reused.
pub fn deregister(name: &str) -> bool {
    let mut runtimes = RUNTIMES.write().unwrap_or_else(PoisonError::into_inner);
    let before = runtimes.len();
    runtimes.retain(|(n, _)| &**n != name);
    runtimes.len() != before
}

static LABELS: [LabelDescriptor; 1] = [LabelDescriptor::new(
    "runtime",
    LabelValues::Bounded { cap: MAX_RUNTIMES },
)];

/// Calls `sink` once per registered runtime with `read`'s value.
fn each_runtime(sink: &mut dyn SeriesSink, read: impl Fn(&RuntimeMetrics) -> Sample<'static>) {
    let runtimes = RUNTIMES.read().unwrap_or_else(PoisonError::into_inner);
    for (name, metrics) in runtimes.iter() {
        sink.series(&Series::new(&[name]), &read(metrics));
    }
}

fn refused() -> u64 {
    REFUSED.load(std::sync::atomic::Ordering::Relaxed)
}

fn gauge(value: usize) -> Sample<'static> {
    Sample::Gauge(Number::I64(i64::try_from(value).unwrap_or(i64::MAX)))
}

fn counter(value: u64) -> Sample<'static> {
    Sample::Counter(Number::U64(value))
}

#[cfg(any(target_has_atomic = "64", tokio_unstable))]
fn sum_workers<T: std::iter::Sum>(metrics: &RuntimeMetrics, read: impl Fn(usize) -> T) -> T {
    (0..metrics.num_workers()).map(read).sum()
}

/// Declares one runtime family: its descriptor, its static and how a runtime's value is read.
macro_rules! runtime_family {
    ($(#[$cfg:meta])* $static:ident, $name:literal, $kind:ident, $help:literal, |$m:ident| $read:expr) => {
        $(#[$cfg])*
        #[doc = concat!("`", $name, "`: ", $help)]
        pub static $static: ScrapeFamily = ScrapeFamily::new(
            {
                static DESCRIPTOR: Descriptor =
                    Descriptor::new($name, $help, MetricKind::$kind, source_location!()).with_labels(&LABELS);
                &DESCRIPTOR
            },
            |sink| each_runtime(sink, |$m| $read),
        )
        .with_overflows(refused);
    };
}

runtime_family!(
    WORKERS,
    "tokio_runtime_workers",
    Gauge,
    "Worker threads of the runtime.",
    |m| gauge(m.num_workers())
);
runtime_family!(
    ALIVE_TASKS,
    "tokio_runtime_alive_tasks",
    Gauge,
    "Tasks spawned and not yet finished.",
    |m| { gauge(m.num_alive_tasks()) }
);
runtime_family!(
    GLOBAL_QUEUE_DEPTH,
    "tokio_runtime_global_queue_depth",
    Gauge,
    "Tasks waiting in the runtime's global (injection) queue.",
    |m| gauge(m.global_queue_depth())
);
runtime_family!(
    #[cfg(target_has_atomic = "64")]
    WORKER_BUSY_SECONDS,
    "tokio_runtime_worker_busy_seconds_total",
    Counter,
    "Time the workers spent busy, summed over workers, in seconds.",
    |m| Sample::Counter(Number::F64(
        sum_workers(m, |w| m.worker_total_busy_duration(w)).as_secs_f64()
    ))
);
runtime_family!(
    #[cfg(target_has_atomic = "64")]
    WORKER_PARKS,
    "tokio_runtime_worker_parks_total",
    Counter,
    "Times the workers parked, summed over workers.",
    |m| counter(sum_workers(m, |w| m.worker_park_count(w)))
);
runtime_family!(
    #[cfg(tokio_unstable)]
    BLOCKING_THREADS,
    "tokio_runtime_blocking_threads",
    Gauge,
    "Threads of the blocking pool (tokio_unstable).",
    |m| gauge(m.num_blocking_threads())
);
runtime_family!(
    #[cfg(tokio_unstable)]
    IDLE_BLOCKING_THREADS,
    "tokio_runtime_idle_blocking_threads",
    Gauge,
    "Idle threads of the blocking pool (tokio_unstable).",
    |m| gauge(m.num_idle_blocking_threads())
);
runtime_family!(
    #[cfg(tokio_unstable)]
    BLOCKING_QUEUE_DEPTH,
    "tokio_runtime_blocking_queue_depth",
    Gauge,
    "Tasks waiting for a blocking-pool thread (tokio_unstable).",
    |m| gauge(m.blocking_queue_depth())
);
runtime_family!(
    #[cfg(tokio_unstable)]
    SPAWNED_TASKS,
    "tokio_runtime_spawned_tasks_total",
    Counter,
    "Tasks spawned on the runtime (tokio_unstable).",
    |m| counter(m.spawned_tasks_count())
);
runtime_family!(
    #[cfg(tokio_unstable)]
    REMOTE_SCHEDULES,
    "tokio_runtime_remote_schedules_total",
    Counter,
    "Tasks scheduled from outside the runtime (tokio_unstable).",
    |m| counter(m.remote_schedule_count())
);
runtime_family!(
    #[cfg(tokio_unstable)]
    BUDGET_FORCED_YIELDS,
    "tokio_runtime_budget_forced_yields_total",
    Counter,
    "Times a task was forced to yield after exhausting its budget (tokio_unstable).",
    |m| counter(m.budget_forced_yield_count())
);
runtime_family!(
    #[cfg(tokio_unstable)]
    WORKER_POLLS,
    "tokio_runtime_worker_polls_total",
    Counter,
    "Task polls, summed over workers (tokio_unstable).",
    |m| counter(sum_workers(m, |w| m.worker_poll_count(w)))
);
runtime_family!(
    #[cfg(tokio_unstable)]
    WORKER_STEALS,
    "tokio_runtime_worker_steals_total",
    Counter,
    "Tasks stolen from other workers, summed over workers (tokio_unstable).",
    |m| counter(sum_workers(m, |w| m.worker_steal_count(w)))
);
runtime_family!(
    #[cfg(tokio_unstable)]
    WORKER_LOCAL_QUEUE_DEPTH,
    "tokio_runtime_worker_local_queue_depth",
    Gauge,
    "Tasks waiting in the workers' local queues, summed over workers (tokio_unstable).",
    |m| gauge(sum_workers(m, |w| m.worker_local_queue_depth(w)))
);

/// Every runtime family this build has (see the module docs for which).
pub fn families() -> Vec<&'static dyn Family> {
    let mut families: Vec<&'static dyn Family> = vec![&WORKERS, &ALIVE_TASKS, &GLOBAL_QUEUE_DEPTH];
    #[cfg(target_has_atomic = "64")]
    families.extend([&WORKER_BUSY_SECONDS as &dyn Family, &WORKER_PARKS]);
    #[cfg(tokio_unstable)]
    families.extend([
        &BLOCKING_THREADS as &dyn Family,
        &IDLE_BLOCKING_THREADS,
        &BLOCKING_QUEUE_DEPTH,
        &SPAWNED_TASKS,
        &REMOTE_SCHEDULES,
        &BUDGET_FORCED_YIELDS,
        &WORKER_POLLS,
        &WORKER_STEALS,
        &WORKER_LOCAL_QUEUE_DEPTH,
    ]);
    families
}

/// Adds the runtime families to an explicit registry.
#[must_use]
pub fn register_families(mut builder: RegistryBuilder) -> RegistryBuilder {
    for family in families() {
        builder = builder.register(family);
    }
    builder
}

/// Links the tokio runtime families into `Registry::global()`. Write it once, at module level; then
/// [`register`](crate::runtime::register) each runtime to expose.
#[macro_export]
macro_rules! tokio_runtime_collector {
    () => {
        $crate::__private::submit_families!(
            $crate::runtime::WORKERS,
            $crate::runtime::ALIVE_TASKS,
            $crate::runtime::GLOBAL_QUEUE_DEPTH,
        );
        $crate::__runtime_submit_64!();
        $crate::__runtime_submit_unstable!();
    };
}

#[cfg(target_has_atomic = "64")]
#[doc(hidden)]
#[macro_export]
macro_rules! __runtime_submit_64 {
    () => {
        $crate::__private::submit_families!(
            $crate::runtime::WORKER_BUSY_SECONDS,
            $crate::runtime::WORKER_PARKS
        );
    };
}

#[cfg(not(target_has_atomic = "64"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __runtime_submit_64 {
    () => {};
}

#[cfg(tokio_unstable)]
#[doc(hidden)]
#[macro_export]
macro_rules! __runtime_submit_unstable {
    () => {
        $crate::__private::submit_families!(
            $crate::runtime::BLOCKING_THREADS,
            $crate::runtime::IDLE_BLOCKING_THREADS,
            $crate::runtime::BLOCKING_QUEUE_DEPTH,
            $crate::runtime::SPAWNED_TASKS,
            $crate::runtime::REMOTE_SCHEDULES,
            $crate::runtime::BUDGET_FORCED_YIELDS,
            $crate::runtime::WORKER_POLLS,
            $crate::runtime::WORKER_STEALS,
            $crate::runtime::WORKER_LOCAL_QUEUE_DEPTH,
        );
    };
}

#[cfg(not(tokio_unstable))]
#[doc(hidden)]
#[macro_export]
macro_rules! __runtime_submit_unstable {
    () => {};
}
