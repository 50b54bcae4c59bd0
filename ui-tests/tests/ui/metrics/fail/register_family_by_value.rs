//! `RegistryBuilder::register` takes a reference to the static.

metrics_core::metrics! {
    /// Jobs finished.
    pub counter jobs_total;
}

pub fn registry() -> metrics_core::Registry {
    metrics_core::Registry::builder()
        .register(JOBS_TOTAL)
        .build()
        .unwrap()
}

fn main() {}
