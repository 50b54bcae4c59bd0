//! Generated code names everything by absolute path: a module that shadows the prelude, `std`, `core` and
//! `metrics_core` still instruments functions of every shape.
#![allow(non_camel_case_types, dead_code, unused_macros)]

mod shadowed {
    pub struct Result;
    pub struct Option;
    pub struct Some;
    pub struct None;
    pub struct Ok;
    pub struct Err;
    pub struct Box;
    pub struct Duration;
    pub struct From;
    pub struct FnMut;
    pub struct FnOnce;
    pub struct str;
    pub struct usize;
    pub mod std {}
    pub mod core {}
    pub mod metrics_core {}
    pub mod linkme {}

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

    #[derive(::core::fmt::Debug, ::metrics_core::ErrorReason)]
    pub enum Failure {
        Timeout,
        Rejected(::core::primitive::u16),
    }

    #[derive(
        ::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::metrics_core::LabelValue,
    )]
    pub enum Queue {
        Email,
    }

    ::metrics_core::metrics! {
        namespace = "hygiene";
        /// Runs.
        pub counter runs_total { queue: Queue, outcome: ::metrics_core::RunOutcome }
        /// Failures.
        pub counter failures_total { queue: Queue, reason: ::metrics_core::BoundedStr<4> }
        /// Latency.
        pub histogram run_seconds { queue: Queue }
        /// Running.
        pub gauge running { queue: Queue }
    }

    #[::metrics_core::instrument_job]
    pub fn sync_job(fail: bool) -> ::core::result::Result<::core::primitive::u32, Failure> {
        if fail {
            return ::core::result::Result::Err(Failure::Rejected(503));
        }
        ::core::result::Result::Ok(1)
    }

    #[::metrics_core::instrument_tool]
    pub async fn async_tool() -> ::core::result::Result<(), Failure> {
        ::core::result::Result::Err(Failure::Timeout)
    }

    #[::metrics_core::measure(
        count(RUNS_TOTAL, queue = queue, outcome),
        duration(RUN_SECONDS, queue = queue),
        in_flight(RUNNING, queue = queue),
        errors(FAILURES_TOTAL, queue = queue, reason),
    )]
    pub fn measured(queue: Queue) -> ::core::result::Result<(), Failure> {
        ::core::result::Result::Err(Failure::Timeout)
    }
}

fn main() {
    let _ = shadowed::sync_job(true);
    let _ = shadowed::measured(shadowed::Queue::Email);
    let text = ::metrics_core::Registry::global()
        .expect("the linked families are valid")
        .encode_to_string(::metrics_core::Format::Text004)
        .expect("encodes");
    ::core::assert!(
        text.contains(&::std::format!(
            "job_failures_total{{function=\"sync_job\",module=\"{}::shadowed\",reason=\"rejected\"}} 1\n",
            ::core::module_path!()
        )),
        "{text}"
    );
    ::core::assert!(
        text.contains(&::std::format!(
            "tool_calls_total{{function=\"async_tool\",module=\"{}::shadowed\",outcome=\"success\"}} 0\n",
            ::core::module_path!()
        )),
        "{text}"
    );
    ::core::assert!(
        text.contains("hygiene_failures_total{queue=\"Email\",reason=\"timeout\"} 1\n"),
        "{text}"
    );
}
