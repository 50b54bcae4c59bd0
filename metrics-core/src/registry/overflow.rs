//! The built-in family that says when a bounded string label hit its cap.

use crate::family::{Descriptor, Family, LabelDescriptor, LabelValues, MetricKind};
use crate::series::{Number, Sample, Series, SeriesSink};

pub(super) static DESCRIPTOR: Descriptor = Descriptor::new(
    "metrics_label_overflow_total",
    "Values recorded under the overflow value because a bounded label reached its cap, by family and label.",
    MetricKind::Counter,
    crate::source_location!(),
)
.with_labels(&[
    LabelDescriptor::new("family", LabelValues::Text),
    LabelDescriptor::new("label", LabelValues::Text),
]);

/// One series per bounded label of every family that has one, present at 0 from start-up.
pub(super) struct LabelOverflowFamily {
    bounded: Vec<&'static dyn Family>,
}

impl LabelOverflowFamily {
    pub(super) fn for_families(families: &[&'static dyn Family]) -> Option<Self> {
        let bounded: Vec<_> = families
            .iter()
            .copied()
            .filter(|f| {
                f.descriptor()
                    .labels
                    .iter()
                    .any(|l| matches!(l.values, LabelValues::Bounded { .. }))
            })
            .collect();
        (!bounded.is_empty()).then_some(Self { bounded })
    }
}

impl Family for LabelOverflowFamily {
    fn descriptor(&self) -> &'static Descriptor {
        &DESCRIPTOR
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        for family in &self.bounded {
            let name = family.descriptor().name;
            family.label_overflows(&mut |label, count| {
                sink.series(
                    &Series::new(&[name, label]),
                    &Sample::Counter(Number::U64(count)),
                );
            });
        }
    }
}
