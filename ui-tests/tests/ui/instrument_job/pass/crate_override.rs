//! `crate = path` on the attributes and `#[metrics(crate = path)]` on the derive find `metrics_core` under another
//! name, as a crate that re-exports it needs; the functions still link into the global registry.

extern crate metrics_core as renamed;

mod telemetry {
    pub use ::metrics_core as metrics;
}

#[derive(Debug, renamed::ErrorReason)]
#[metrics(crate = renamed)]
enum Failure {
    Timeout,
}

#[renamed::instrument_job(crate = renamed)]
fn job() -> Result<(), Failure> {
    Err(Failure::Timeout)
}

#[telemetry::metrics::instrument_tool(crate = crate::telemetry::metrics, name = "lookup")]
fn tool() {}

fn main() {
    let _ = job();
    tool();
    let text = renamed::Registry::global()
        .expect("the linked families are valid")
        .encode_to_string(renamed::Format::Text004)
        .expect("encodes");
    assert!(
        text.contains(&format!(
            "job_failures_total{{function=\"job\",module=\"{}\",reason=\"timeout\"}} 1\n",
            module_path!()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "tool_calls_total{{function=\"lookup\",module=\"{}\",outcome=\"success\"}} 1\n",
            module_path!()
        )),
        "{text}"
    );
}
