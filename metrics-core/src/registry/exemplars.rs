//! The built-in family that says when a family dropped an exemplar for breaking the OpenMetrics label-set rule.

use crate::family::{Descriptor, Family, LabelDescriptor, LabelValues, MetricKind};
use crate::series::{Number, Sample, Series, SeriesSink};

pub(super) static DESCRIPTOR: Descriptor = Descriptor::new(
    "metrics_exemplars_dropped_total",
    "Exemplars dropped whole because their label names and values held more than 128 characters, or a name was not a label name, by family.",
    MetricKind::Counter,
    crate::source_location!(),
)
.with_labels(&[LabelDescriptor::new("family", LabelValues::Text)]);

/// One series per family that carries exemplars, present at 0 from start-up.
pub(super) struct ExemplarsDroppedFamily {
    carrying: Vec<&'static dyn Family>,
}

impl ExemplarsDroppedFamily {
    pub(super) fn for_families(families: &[&'static dyn Family]) -> Option<Self> {
        let carrying: Vec<_> = families
            .iter()
            .copied()
            .filter(|family| family.exemplars_dropped().is_some())
            .collect();
        (!carrying.is_empty()).then_some(Self { carrying })
    }
}

impl Family for ExemplarsDroppedFamily {
    fn descriptor(&self) -> &'static Descriptor {
        &DESCRIPTOR
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        for family in &self.carrying {
            let count = family.exemplars_dropped().unwrap_or(0);
            sink.series(
                &Series::new(&[family.descriptor().name]),
                &Sample::Counter(Number::U64(count)),
            );
        }
    }
}
