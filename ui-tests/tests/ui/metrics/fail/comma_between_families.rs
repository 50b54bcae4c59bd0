//! Families are separated by `;` (or their braces), not by commas.

metrics_core::metrics! {
    /// Jobs finished.
    pub counter jobs_total,
    /// Jobs failed.
    pub counter jobs_failed_total;
}

fn main() {}
