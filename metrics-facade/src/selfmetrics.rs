//! What the bridge counts about itself: registrations it refused, names it rewrote.

use std::sync::atomic::{AtomicU64, Ordering};

use metrics_core::{
    Descriptor, Family, LabelDescriptor, LabelValues, MetricKind, Number, Sample, Series,
    SeriesSink, source_location,
};

/// Why a registration or a value was refused: the `reason` label of `metrics_facade_refused_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A metric or label name no rewrite makes valid (empty, `__`-prefixed, `le`, `quantile`).
    InvalidName,
    /// An empty label value.
    InvalidLabelValue,
    /// The name was first registered as another kind (a counter, then a gauge).
    KindMismatch,
    /// The name was first registered with another set of label names.
    LabelMismatch,
    /// The name would expose a sample name another family exposes (ours or the facade's).
    Clash,
    /// The bridge holds its maximum number of families.
    TooManyFamilies,
    /// A NaN observation, or a negative one into a histogram whose bounds are all non-negative.
    InvalidValue,
}

impl Reason {
    /// Every reason, in label order.
    pub const ALL: [Self; 7] = [
        Self::InvalidName,
        Self::InvalidLabelValue,
        Self::KindMismatch,
        Self::LabelMismatch,
        Self::Clash,
        Self::TooManyFamilies,
        Self::InvalidValue,
    ];

    /// The label value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidName => "invalid_name",
            Self::InvalidLabelValue => "invalid_label_value",
            Self::KindMismatch => "kind_mismatch",
            Self::LabelMismatch => "label_mismatch",
            Self::Clash => "clash",
            Self::TooManyFamilies => "too_many_families",
            Self::InvalidValue => "invalid_value",
        }
    }
}

const REASONS: [&str; 7] = {
    let mut out = [""; 7];
    let mut i = 0;
    while i < Reason::ALL.len() {
        out[i] = Reason::ALL[i].as_str();
        i += 1;
    }
    out
};

/// The bridge's own counters.
#[derive(Debug, Default)]
pub(crate) struct SelfMetrics {
    refused: [AtomicU64; 7],
    sanitised: AtomicU64,
}

impl SelfMetrics {
    pub(crate) fn refuse(&self, reason: Reason) {
        self.refused[reason as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn sanitised(&self) {
        self.sanitised.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn refused(&self, reason: Reason) -> u64 {
        self.refused[reason as usize].load(Ordering::Relaxed)
    }

    pub(crate) fn sanitised_count(&self) -> u64 {
        self.sanitised.load(Ordering::Relaxed)
    }
}

static REFUSED_DESCRIPTOR: Descriptor = Descriptor::new(
    "metrics_facade_refused_total",
    "Registrations and values from the metrics facade that were refused, by reason.",
    MetricKind::Counter,
    source_location!(),
)
.with_labels(&[LabelDescriptor::new("reason", LabelValues::Enum(&REASONS))]);

/// `metrics_facade_refused_total{reason}`, every reason present from the start.
#[derive(Debug)]
pub(crate) struct RefusedFamily(pub(crate) &'static SelfMetrics);

impl Family for RefusedFamily {
    fn descriptor(&self) -> &'static Descriptor {
        &REFUSED_DESCRIPTOR
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        for (position, reason) in Reason::ALL.into_iter().enumerate() {
            sink.series(
                &Series::with_positions(&[reason.as_str()], &[position as u32]),
                &Sample::Counter(Number::U64(self.0.refused(reason))),
            );
        }
    }
}

static SANITISED_DESCRIPTOR: Descriptor = Descriptor::new(
    "metrics_facade_sanitised_total",
    "Metric names, label names and label values from the metrics facade rewritten to be valid.",
    MetricKind::Counter,
    source_location!(),
);

/// `metrics_facade_sanitised_total`.
#[derive(Debug)]
pub(crate) struct SanitisedFamily(pub(crate) &'static SelfMetrics);

impl Family for SanitisedFamily {
    fn descriptor(&self) -> &'static Descriptor {
        &SANITISED_DESCRIPTOR
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        sink.series(
            &Series::new(&[]),
            &Sample::Counter(Number::U64(self.0.sanitised_count())),
        );
    }
}
