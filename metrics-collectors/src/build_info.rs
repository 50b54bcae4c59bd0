//! `<namespace>_build_info{version, revision, rustc} 1`: which build is running, for joins in `PromQL`
//! (`* on (instance) group_left(version) myapp_build_info`).
//!
//! One line at module level in your binary's crate:
//!
//! ```
//! metrics_collectors::build_info!("myapp");
//! # let text = metrics_core::Registry::global().unwrap().encode_to_string(metrics_core::Format::Text004).unwrap();
//! # assert!(text.contains("myapp_build_info{version=\""));
//! ```
//!
//! It defines `BUILD_INFO` in that module and links it into `Registry::global()`. `version` is your crate's
//! `CARGO_PKG_VERSION`, captured when *your* crate compiles (the macro expands there). `revision` (the git commit)
//! and `rustc` (the compiler version) come from [`crate::build::emit`] in your `build.rs`; without it they are
//! `unknown`.

use metrics_core::{
    Descriptor, Family, LabelDescriptor, LabelValues, MetricKind, Sample, Series, SeriesSink,
    SourceLocation,
};

/// The value of `revision` and `rustc` when the build script did not provide one.
pub const UNKNOWN: &str = "unknown";

static LABELS: [LabelDescriptor; 3] = [
    LabelDescriptor::new("version", LabelValues::Text),
    LabelDescriptor::new("revision", LabelValues::Text),
    LabelDescriptor::new("rustc", LabelValues::Text),
];

/// The descriptor of a build info family called `name` (`<namespace>_build_info`).
pub const fn descriptor(name: &'static str, location: SourceLocation) -> Descriptor {
    Descriptor::new(
        name,
        "Build information: crate version, git revision and compiler version. Always 1.",
        MetricKind::Info,
        location,
    )
    .with_labels(&LABELS)
}

/// A build info family: one series of value 1 whose labels are fixed when your crate compiles.
#[derive(Debug)]
pub struct BuildInfo {
    descriptor: &'static Descriptor,
    values: [&'static str; 3],
}

impl BuildInfo {
    /// A build info family; [`build_info!`](crate::build_info!) fills it in. An empty value becomes
    /// [`UNKNOWN`], as an empty label value would read as a missing label.
    pub const fn new(
        descriptor: &'static Descriptor,
        version: &'static str,
        revision: Option<&'static str>,
        rustc: Option<&'static str>,
    ) -> Self {
        const fn or_unknown(value: Option<&'static str>) -> &'static str {
            match value {
                Some(v) if !v.is_empty() => v,
                _ => UNKNOWN,
            }
        }
        Self {
            descriptor,
            values: [
                or_unknown(Some(version)),
                or_unknown(revision),
                or_unknown(rustc),
            ],
        }
    }

    /// The label values: version, revision, rustc.
    pub fn values(&self) -> [&'static str; 3] {
        self.values
    }
}

impl Family for BuildInfo {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        sink.series(&Series::new(&self.values), &Sample::Info);
    }
}

/// Defines `BUILD_INFO`, the `<namespace>_build_info` family of the crate this is written in, and links it into
/// `Registry::global()`. See the [module docs](mod@crate::build_info).
///
/// ```
/// mod metrics {
///     metrics_collectors::build_info!("shop");
/// }
/// assert_eq!(metrics::BUILD_INFO.values()[0], env!("CARGO_PKG_VERSION"));
/// ```
#[macro_export]
macro_rules! build_info {
    ($namespace:literal) => {
        /// This crate's build information, as `<namespace>_build_info`.
        pub static BUILD_INFO: $crate::build_info::BuildInfo = $crate::build_info::BuildInfo::new(
            {
                static DESCRIPTOR: $crate::__private::Descriptor = $crate::build_info::descriptor(
                    ::core::concat!($namespace, "_build_info"),
                    $crate::__private::source_location!(),
                );
                &DESCRIPTOR
            },
            ::core::env!("CARGO_PKG_VERSION"),
            ::core::option_env!("METRICS_BUILD_REVISION"),
            ::core::option_env!("METRICS_BUILD_RUSTC"),
        );
        $crate::__private::submit_families!(BUILD_INFO);
    };
}
