//! The one shape every collector's families share: a fixed descriptor and a function that reads the series.

use metrics_core::{Descriptor, Family, SeriesSink};

/// A collector family: its series are read when the registry is scraped.
///
/// One type for every collector family, so that reading a value at scrape time is written once; the collectors
/// differ only in their descriptors and reading functions. The statics of this type are registered by the
/// collector macros or the `register` functions; there is nothing to call on them.
pub struct ScrapeFamily {
    descriptor: &'static Descriptor,
    collect: fn(&mut dyn SeriesSink),
    /// For families with a bounded label: how many values went to the overflow series.
    overflows: Option<fn() -> u64>,
}

impl ScrapeFamily {
    pub(crate) const fn new(
        descriptor: &'static Descriptor,
        collect: fn(&mut dyn SeriesSink),
    ) -> Self {
        Self {
            descriptor,
            collect,
            overflows: None,
        }
    }

    #[cfg(feature = "tokio")]
    /// The same family, reporting `overflows` for its first (bounded) label.
    pub(crate) const fn with_overflows(mut self, overflows: fn() -> u64) -> Self {
        self.overflows = Some(overflows);
        self
    }
}

impl std::fmt::Debug for ScrapeFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScrapeFamily")
            .field("name", &self.descriptor.name)
            .finish_non_exhaustive()
    }
}

impl Family for ScrapeFamily {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        (self.collect)(sink);
    }

    fn label_overflows(&self, report: &mut dyn FnMut(&'static str, u64)) {
        if let (Some(overflows), Some(label)) = (self.overflows, self.descriptor.labels.first()) {
            report(label.name, overflows());
        }
    }
}
