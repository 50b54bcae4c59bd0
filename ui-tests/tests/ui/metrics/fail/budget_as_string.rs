//! `budget` is a number.

metrics_core::metrics! {
    /// Requests by tenant.
    pub counter requests_total { tenant: metrics_core::BoundedStr<10>, budget = "100" }
}

fn main() {}
