//! The seven process families and how each reads its value.

use metrics_core::{Descriptor, MetricKind, Number, Sample, Series, SeriesSink, source_location};

use super::procfs;
use crate::scrape::ScrapeFamily;

/// One label-less series, when the value could be read.
fn emit(sink: &mut dyn SeriesSink, sample: Option<Sample<'_>>) {
    if let Some(sample) = sample {
        sink.series(&Series::new(&[]), &sample);
    }
}

fn gauge(value: Option<u64>) -> Option<Sample<'static>> {
    value.map(|v| Sample::Gauge(Number::I64(i64::try_from(v).unwrap_or(i64::MAX))))
}

static CPU_SECONDS_DESCRIPTOR: Descriptor = Descriptor::new(
    "process_cpu_seconds_total",
    "Total user and system CPU time spent in seconds.",
    MetricKind::Counter,
    source_location!(),
)
.with_unit("seconds");

/// `process_cpu_seconds_total`: user plus system CPU time.
pub static CPU_SECONDS: ScrapeFamily = ScrapeFamily::new(&CPU_SECONDS_DESCRIPTOR, |sink| {
    let (ticks, _) = procfs::ticks_and_page_size();
    emit(
        sink,
        procfs::stat().map(|s| Sample::Counter(Number::F64(s.cpu_ticks as f64 / ticks as f64))),
    );
});

static RESIDENT_MEMORY_DESCRIPTOR: Descriptor = Descriptor::new(
    "process_resident_memory_bytes",
    "Resident memory size in bytes.",
    MetricKind::Gauge,
    source_location!(),
)
.with_unit("bytes");

/// `process_resident_memory_bytes`: the resident set size.
pub static RESIDENT_MEMORY: ScrapeFamily = ScrapeFamily::new(&RESIDENT_MEMORY_DESCRIPTOR, |sink| {
    let (_, page) = procfs::ticks_and_page_size();
    emit(
        sink,
        gauge(procfs::stat().map(|s| s.resident_pages.saturating_mul(page))),
    );
});

static VIRTUAL_MEMORY_DESCRIPTOR: Descriptor = Descriptor::new(
    "process_virtual_memory_bytes",
    "Virtual memory size in bytes.",
    MetricKind::Gauge,
    source_location!(),
)
.with_unit("bytes");

/// `process_virtual_memory_bytes`: the virtual memory size.
pub static VIRTUAL_MEMORY: ScrapeFamily = ScrapeFamily::new(&VIRTUAL_MEMORY_DESCRIPTOR, |sink| {
    emit(sink, gauge(procfs::stat().map(|s| s.virtual_bytes)));
});

static OPEN_FDS_DESCRIPTOR: Descriptor = Descriptor::new(
    "process_open_fds",
    "Number of open file descriptors.",
    MetricKind::Gauge,
    source_location!(),
);

/// `process_open_fds`: open file descriptors.
pub static OPEN_FDS: ScrapeFamily = ScrapeFamily::new(&OPEN_FDS_DESCRIPTOR, |sink| {
    emit(sink, gauge(procfs::open_fds()));
});

static MAX_FDS_DESCRIPTOR: Descriptor = Descriptor::new(
    "process_max_fds",
    "Maximum number of open file descriptors.",
    MetricKind::Gauge,
    source_location!(),
);

/// `process_max_fds`: the soft limit on open file descriptors (left out when unlimited).
pub static MAX_FDS: ScrapeFamily = ScrapeFamily::new(&MAX_FDS_DESCRIPTOR, |sink| {
    emit(sink, gauge(procfs::max_fds()));
});

static START_TIME_DESCRIPTOR: Descriptor = Descriptor::new(
    "process_start_time_seconds",
    "Start time of the process since unix epoch in seconds.",
    MetricKind::Gauge,
    source_location!(),
)
.with_unit("seconds");

/// `process_start_time_seconds`: when the process started, in seconds since the epoch.
pub static START_TIME: ScrapeFamily = ScrapeFamily::new(&START_TIME_DESCRIPTOR, |sink| {
    emit(
        sink,
        procfs::start_time_seconds().map(|t| Sample::Gauge(Number::F64(t))),
    );
});

static THREADS_DESCRIPTOR: Descriptor = Descriptor::new(
    "process_threads",
    "Number of OS threads in the process.",
    MetricKind::Gauge,
    source_location!(),
);

/// `process_threads`: OS threads in the process.
pub static THREADS: ScrapeFamily = ScrapeFamily::new(&THREADS_DESCRIPTOR, |sink| {
    emit(sink, gauge(procfs::stat().map(|s| s.threads)));
});
