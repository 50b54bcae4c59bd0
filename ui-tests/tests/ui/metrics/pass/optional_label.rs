//! A label declared `optional` is recorded as usual, exposed as declared by default, and summed away by a registry
//! that switches it off.

use metrics_core::{Format, LabelValue, Outcome, Registry, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Tenant {
    Acme,
    Globex,
}

metrics! {
    /// Jobs by tenant and outcome.
    pub counter jobs_total { tenant: Tenant, outcome: Outcome, optional = [tenant] }
    /// Job latency by tenant.
    pub histogram job_seconds { tenant: Tenant, buckets = [1.0], optional = tenant }
}

fn main() {
    JOBS_TOTAL.labels(Tenant::Acme, Outcome::Success).inc();
    JOBS_TOTAL.labels(Tenant::Globex, Outcome::Success).inc();
    JOB_SECONDS.labels(Tenant::Acme).observe(0.5);
    let declared = Registry::global().expect("valid").encode_to_string(Format::Text004).expect("encodes");
    assert!(declared.contains("jobs_total{tenant=\"acme\",outcome=\"success\"} 1\n"), "{declared}");
    let summed = Registry::builder()
        .linked()
        .optional_label("tenant", false)
        .build()
        .expect("valid")
        .encode_to_string(Format::Text004)
        .expect("encodes");
    assert!(summed.contains("jobs_total{outcome=\"success\"} 2\n"), "{summed}");
    assert!(summed.contains("job_seconds_count 1\n"), "{summed}");
}
