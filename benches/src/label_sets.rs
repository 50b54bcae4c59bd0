//! The label sets of the peers that key a family by a struct: one struct per shape, usable by prometheus-client
//! (derived `EncodeLabelSet`), measured (derived `LabelGroup`) and fastmetrics (hand-written, as its docs show
//! without the `derive` feature). Our families need none: `metrics!` generates their labels struct.

use crate::labels::{Digit, Job, Status};

/// `{task, status}`: scenarios B to E.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    prometheus_client::encoding::EncodeLabelSet,
    measured::LabelGroup,
)]
#[label(set = JobStatusSet)]
pub(crate) struct JobStatus {
    /// The task (not `job`, which Prometheus attaches to every scraped series itself).
    pub(crate) task: Job,
    /// The status.
    pub(crate) status: Status,
}

/// `{a, b}` with ten values each: the 100 histogram series of scenario F.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    prometheus_client::encoding::EncodeLabelSet,
    measured::LabelGroup,
)]
#[label(set = TwoDigitsSet)]
pub(crate) struct TwoDigits {
    /// Tens.
    pub(crate) a: Digit,
    /// Units.
    pub(crate) b: Digit,
}

impl TwoDigits {
    /// The labels of series `n` (0 to 99).
    pub(crate) fn of(n: usize) -> Self {
        Self {
            a: Digit::of(n, 1),
            b: Digit::of(n, 0),
        }
    }
}

/// `{a, b, c, d}` with ten values each: scenario G's 10,000 enum series.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    prometheus_client::encoding::EncodeLabelSet,
    measured::LabelGroup,
)]
#[label(set = FourDigitsSet)]
pub(crate) struct FourDigits {
    /// Thousands.
    pub(crate) a: Digit,
    /// Hundreds.
    pub(crate) b: Digit,
    /// Tens.
    pub(crate) c: Digit,
    /// Units.
    pub(crate) d: Digit,
}

impl FourDigits {
    /// The labels of series `n` (0 to 9999).
    pub(crate) fn of(n: usize) -> Self {
        Self {
            a: Digit::of(n, 3),
            b: Digit::of(n, 2),
            c: Digit::of(n, 1),
            d: Digit::of(n, 0),
        }
    }
}

/// `{tenant}` as an owned string: the open-valued label of scenarios F and G for the crates that key by value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, prometheus_client::encoding::EncodeLabelSet)]
pub(crate) struct Tenant {
    /// The tenant's name.
    pub(crate) tenant: String,
}

/// `{tenant}` for measured: the string is interned in a `lasso::ThreadedRodeo` that grows on demand.
#[derive(Clone, Copy, Debug, PartialEq, measured::LabelGroup)]
#[label(set = TenantSet)]
pub(crate) struct TenantRef<'a> {
    /// The tenant's name.
    #[label(dynamic_with = measured::lasso::ThreadedRodeo, default)]
    pub(crate) tenant: &'a str,
}

/// The name of tenant `n`, the same for every library: `tenant-0042`.
pub(crate) fn tenant_name(n: usize) -> String {
    format!("tenant-{n:04}")
}

/// fastmetrics' `LabelSetSchema` and `EncodeLabelSet`, field by field.
macro_rules! fastmetrics_label_set {
    ($ty:ty { $($field:ident),* }) => {
        impl fastmetrics::raw::LabelSetSchema for $ty {
            fn names() -> Option<&'static [&'static str]> {
                Some(&[$(stringify!($field)),*])
            }
        }

        impl fastmetrics::encoder::EncodeLabelSet for $ty {
            fn encode(
                &self,
                encoder: &mut dyn fastmetrics::encoder::LabelSetEncoder,
            ) -> fastmetrics::error::Result<()> {
                $(encoder.encode(&(stringify!($field), &self.$field))?;)*
                Ok(())
            }
        }
    };
}

fastmetrics_label_set!(JobStatus { task, status });
fastmetrics_label_set!(TwoDigits { a, b });
fastmetrics_label_set!(FourDigits { a, b, c, d });
fastmetrics_label_set!(Tenant { tenant });
