//! A `&str` label would let every distinct value become a series: the error says to use `BoundedStr<CAP>` or an
//! enum.

metrics_core::metrics! {
    /// Requests by tenant.
    pub counter requests_total { tenant: &'static str }
}

fn main() {}
