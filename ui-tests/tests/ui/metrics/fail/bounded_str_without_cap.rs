//! `BoundedStr` needs its cap.

metrics_core::metrics! {
    /// Requests by tenant.
    pub counter requests_total { tenant: metrics_core::BoundedStr }
}

fn main() {}
