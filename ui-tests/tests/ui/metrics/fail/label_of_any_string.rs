//! A label typed `String` would make every distinct value a series: one error on the type, pointing to
//! `BoundedStr<CAP>`, and no follow-on errors at the call site.
use metrics_core::metrics;

metrics! {
    /// Jobs by tenant.
    pub counter jobs_total { tenant: String }
}

fn main() {
    JOBS_TOTAL.labels("acme").inc();
}
