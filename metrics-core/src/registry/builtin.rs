//! The built-in families that report on the program's families: label overflows, observation failures, dropped
//! exemplars. Each is a counter with one series per (family, key) that a family reports, present at 0 from
//! start-up, and added to a registry only when some family reports anything.

use crate::family::{Descriptor, Family, LabelDescriptor, LabelValues, MetricKind};
use crate::series::{Number, Sample, Series, SeriesSink};

/// How a family reports its counts: `(key, count)` per key, or `(None, count)` for a single count.
type Report = fn(&dyn Family, &mut dyn FnMut(Option<&'static str>, u64));

/// A built-in counter family about other families.
pub(super) struct AboutFamilies {
    descriptor: &'static Descriptor,
    report: Report,
    families: Vec<&'static dyn Family>,
}

impl AboutFamilies {
    /// The family of `descriptor` over those of `families` that report anything, or `None` when none does.
    fn of(
        descriptor: &'static Descriptor,
        report: Report,
        families: &[&'static dyn Family],
    ) -> Option<Self> {
        let reporting: Vec<_> = families
            .iter()
            .copied()
            .filter(|family| {
                let mut reports = false;
                report(*family, &mut |_, _| reports = true);
                reports
            })
            .collect();
        (!reporting.is_empty()).then_some(Self {
            descriptor,
            report,
            families: reporting,
        })
    }

    /// All three, each when some family reports to it.
    pub(super) fn for_families(families: &[&'static dyn Family]) -> impl Iterator<Item = Self> {
        [
            Self::of(
                &LABEL_OVERFLOW,
                |family, report| {
                    family.label_overflows(&mut |label, count| report(Some(label), count));
                },
                families,
            ),
            Self::of(
                &OBSERVATION_FAILURES,
                |family, report| {
                    family.observation_failures(&mut |reason, count| report(Some(reason), count));
                },
                families,
            ),
            Self::of(
                &EXEMPLARS_DROPPED,
                |family, report| {
                    if let Some(count) = family.exemplars_dropped() {
                        report(None, count);
                    }
                },
                families,
            ),
        ]
        .into_iter()
        .flatten()
    }
}

impl Family for AboutFamilies {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        for family in &self.families {
            let name = family.descriptor().name;
            (self.report)(*family, &mut |key, count| {
                let sample = Sample::Counter(Number::U64(count));
                match key {
                    Some(key) => sink.series(&Series::new(&[name, key]), &sample),
                    None => sink.series(&Series::new(&[name]), &sample),
                }
            });
        }
    }
}

static LABEL_OVERFLOW: Descriptor = Descriptor::new(
    "metrics_label_overflow_total",
    "Values recorded under the overflow value because a bounded label reached its cap, by family and label.",
    MetricKind::Counter,
    crate::source_location!(),
)
.with_labels(&[
    LabelDescriptor::new("family", LabelValues::Text),
    LabelDescriptor::new("label", LabelValues::Text),
]);

static OBSERVATION_FAILURES: Descriptor = Descriptor::new(
    "metrics_observation_failures_total",
    "Scrapes that left out an observable family (its callback panicked, or was still running from an earlier scrape) or refused one of its counter values (NaN, negative, or below the last one exposed), by family and reason.",
    MetricKind::Counter,
    crate::source_location!(),
)
.with_labels(&[
    LabelDescriptor::new("family", LabelValues::Text),
    LabelDescriptor::new("reason", LabelValues::Enum(&["busy", "panic", "refused"])),
]);

static EXEMPLARS_DROPPED: Descriptor = Descriptor::new(
    "metrics_exemplars_dropped_total",
    "Exemplars dropped whole because their label names and values held more than 128 characters, or a name was not a label name, by family.",
    MetricKind::Counter,
    crate::source_location!(),
)
.with_labels(&[LabelDescriptor::new("family", LabelValues::Text)]);
