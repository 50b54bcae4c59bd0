//! A crate under `#![forbid(unsafe_code)]` declaring a family: pins what rustc says about linkme's registration.
#![forbid(unsafe_code)]

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total;
}

fn main() {
    JOBS_TOTAL.inc();
    let registry = metrics_core::Registry::global().expect("the linked families are valid");
    assert_eq!(registry.families()[0].descriptor().name, "jobs_total");
}
