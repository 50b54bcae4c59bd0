//! Generated items satisfy the lints a careful library enables: they are documented, `Debug`, and never more
//! visible than the family itself, whether the family is `pub` or `pub(crate)`.
#![deny(
    missing_docs,
    unreachable_pub,
    missing_debug_implementations,
    unused_qualifications
)]
#![deny(
    rust_2018_idioms,
    unused_results,
    trivial_casts,
    trivial_numeric_casts,
    single_use_lifetimes
)]

use metrics_core::{LabelValue, Outcome, metrics};

/// Public families, as a library exposes them.
pub mod public {
    use super::{LabelValue, Outcome, metrics};

    /// Job kinds.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
    pub enum JobType {
        /// Email.
        Email,
        /// Report.
        Report,
    }

    /// Breaker states.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
    pub enum BreakerState {
        /// Closed.
        Closed,
        /// Open.
        Open,
    }

    metrics! {
        /// Jobs claimed.
        pub counter claims_total { job_type: JobType, outcome: Outcome }
        /// Tokens per model.
        pub counter tokens_total { model: metrics_core::BoundedStr<8>, job_type: JobType }
        /// In flight.
        pub gauge in_flight;
        /// Latency.
        pub histogram latency_seconds { job_type: JobType }
        /// Breaker.
        pub stateset breaker: BreakerState { job_type: JobType }
        /// Build.
        pub info build_info { version: String }

        /// A preset: its type, arguments and run are documented, `Debug`, and as visible as it.
        pub preset claims: job { runs = claims_total { outcome }, in_flight = in_flight }
        /// A preset with borrowed arguments.
        pub preset tokens: llm { requests = tokens_total }
    }
}

/// Crate-private families in a private module.
mod private {
    use super::metrics;
    use super::public::JobType;

    metrics! {
        /// Jobs claimed, internally.
        pub(crate) counter internal_claims_total { job_type: JobType }
        /// Tokens per model, internally.
        pub(crate) counter internal_tokens_total { model: metrics_core::BoundedStr<8> }
        /// In flight, internally.
        pub(crate) gauge internal_in_flight;
        /// Build, internally.
        pub(crate) info internal_build_info { version: String }

        /// A crate-private preset.
        pub(crate) preset internal_claims: tool { runs = internal_claims_total }
    }

    pub(crate) fn record() {
        INTERNAL_CLAIMS_TOTAL.labels(JobType::Email).inc();
        INTERNAL_TOKENS_TOTAL.labels("small").inc();
        INTERNAL_IN_FLIGHT.inc();
        INTERNAL_BUILD_INFO.set(InternalBuildInfoLabels { version: "1" });
    }
}

fn main() {
    public::CLAIMS_TOTAL
        .labels(public::JobType::Email, Outcome::Success)
        .inc();
    public::TOKENS_TOTAL
        .labels("small", public::JobType::Report)
        .inc();
    public::IN_FLIGHT.inc();
    // `observe` says whether it recorded the value (it refuses NaN and, here, negatives); `unused_results` makes the
    // caller say it does not care.
    let _recorded = public::LATENCY_SECONDS
        .labels(public::JobType::Email)
        .observe(0.1);
    public::BREAKER
        .labels(public::JobType::Email)
        .set(public::BreakerState::Open);
    public::BUILD_INFO.set(public::BuildInfoLabels { version: "1" });
    private::record();
}
