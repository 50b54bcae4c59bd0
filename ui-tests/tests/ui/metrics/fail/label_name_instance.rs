//! `instance` is attached by Prometheus to every scraped series, like `job`.

metrics_core::metrics! {
    /// Requests by instance.
    pub counter requests_total { instance: metrics_core::BoundedStr<8> }
}

fn main() {}
