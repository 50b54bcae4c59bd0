//! Generated code names everything by absolute path: a module that shadows the prelude, `std`, `core`,
//! primitive types and common macros still declares and uses families of every kind.
#![allow(non_camel_case_types, dead_code, unused_macros)]

mod shadowed {
    // Items named like what generated code might otherwise pick up from the prelude.
    pub struct Result;
    pub struct Option;
    pub struct Some;
    pub struct None;
    pub struct Ok;
    pub struct Err;
    pub struct Vec;
    pub struct Box;
    pub struct String;
    pub struct Default;
    pub struct Clone;
    pub struct Copy;
    pub struct Debug;
    pub struct Send;
    pub struct Sync;
    pub struct Sized;
    pub struct FnMut;
    pub struct Deref;
    pub struct usize;
    pub struct u64;
    pub struct u128;
    pub struct i64;
    pub struct f64;
    pub struct str;
    pub mod std {}
    pub mod core {}
    pub mod metrics_core {}
    pub mod linkme {}

    macro_rules! assert {
        ($($t:tt)*) => {
            compile_error!("generated code used the caller's `assert!`")
        };
    }
    macro_rules! panic {
        ($($t:tt)*) => {
            compile_error!("generated code used the caller's `panic!`")
        };
    }
    macro_rules! file {
        () => {
            compile_error!("generated code used the caller's `file!`")
        };
    }
    macro_rules! line {
        () => {
            compile_error!("generated code used the caller's `line!`")
        };
    }

    #[derive(
        ::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::metrics_core::LabelValue,
    )]
    #[metrics(rename_all = "snake_case")]
    pub enum Phase {
        Queue,
        Run,
    }

    ::metrics_core::metrics! {
        namespace = "hygiene";

        /// A counter.
        pub counter claims_total { phase: Phase, cached: ::core::primitive::bool }
        /// A float counter with a bounded label.
        pub counter cost_usd_total: f64 { model: ::metrics_core::BoundedStr<8>, phase: Phase }
        /// A gauge.
        pub gauge in_flight;
        /// A float gauge.
        pub gauge fill_ratio: f64 { phase: Phase }
        /// A histogram.
        pub histogram wait_seconds { phase: Phase, buckets = [0.1, 1] }
        /// A stateset.
        pub stateset current: Phase;
        /// An info family.
        pub info build_info { version: String }

        /// A preset of every job role.
        pub preset claims: job {
            runs = claims_total { cached = true },
            duration = wait_seconds,
            in_flight = in_flight,
        }
        /// An LLM preset.
        pub preset costs: llm { cost = cost_usd_total, failures = claims_total { cached = false } }
    }

    /// Recorded through the preset, in the shadowed module too.
    #[::metrics_core::instrument_job(preset = CLAIMS, labels(phase = Phase::Run))]
    pub fn claim() {}

    pub fn record() {
        claim();
        CLAIMS_TOTAL.labels(Phase::Run, true).inc();
        COST_USD_TOTAL.labels("gpt", Phase::Queue).inc_by(0.5);
        IN_FLIGHT.inc();
        FILL_RATIO
            .with(FillRatioLabels { phase: Phase::Run })
            .set(0.5);
        WAIT_SECONDS.labels(Phase::Queue).observe(0.2);
        CURRENT.set(Phase::Run);
        BUILD_INFO.set(BuildInfoLabels { version: "1" });
    }
}

fn main() {
    shadowed::record();
    let registry = ::metrics_core::Registry::global().expect("the linked families are valid");
    let declared = registry
        .families()
        .iter()
        .filter(|f| f.descriptor().name.starts_with("hygiene_"))
        .count();
    ::core::assert_eq!(declared, 7);
}
