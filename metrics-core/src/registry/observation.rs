//! The built-in family that says when a family read at scrape time could not be used.

use crate::family::{Descriptor, Family, LabelDescriptor, LabelValues, MetricKind};
use crate::series::{Number, Sample, Series, SeriesSink};

pub(super) static DESCRIPTOR: Descriptor = Descriptor::new(
    "metrics_observation_failures_total",
    "Scrapes that left out an observable family (its callback panicked, or was still running from an earlier scrape) or refused one of its counter values (NaN, negative, or below the last one exposed), by family and reason.",
    MetricKind::Counter,
    crate::source_location!(),
)
.with_labels(&[
    LabelDescriptor::new("family", LabelValues::Text),
    LabelDescriptor::new("reason", LabelValues::Enum(&["busy", "panic", "refused"])),
]);

/// One series per reason of every observable family, present at 0 from start-up.
pub(super) struct ObservationFailuresFamily {
    observable: Vec<&'static dyn Family>,
}

impl ObservationFailuresFamily {
    pub(super) fn for_families(families: &[&'static dyn Family]) -> Option<Self> {
        let observable: Vec<_> = families
            .iter()
            .copied()
            .filter(|family| {
                let mut reports = false;
                family.observation_failures(&mut |_, _| reports = true);
                reports
            })
            .collect();
        (!observable.is_empty()).then_some(Self { observable })
    }
}

impl Family for ObservationFailuresFamily {
    fn descriptor(&self) -> &'static Descriptor {
        &DESCRIPTOR
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        for family in &self.observable {
            let name = family.descriptor().name;
            family.observation_failures(&mut |reason, count| {
                sink.series(
                    &Series::new(&[name, reason]),
                    &Sample::Counter(Number::U64(count)),
                );
            });
        }
    }
}
