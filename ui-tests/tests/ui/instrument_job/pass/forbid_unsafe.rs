//! A crate under `#![forbid(unsafe_code)]` instruments functions: the linkme registration the attribute emits
//! does not trip the lint.
#![forbid(unsafe_code)]

#[metrics_core::instrument_job]
fn job() {}

fn main() {
    job();
    let text = metrics_core::Registry::global()
        .expect("the linked families are valid")
        .encode_to_string(metrics_core::Format::Text004)
        .expect("encodes");
    assert!(
        text.contains(&format!(
            "job_runs_total{{function=\"job\",module=\"{}\",outcome=\"success\"}} 1\n",
            module_path!()
        )),
        "{text}"
    );
}
