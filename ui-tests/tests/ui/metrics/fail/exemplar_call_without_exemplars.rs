//! Exemplars are kept only by families declared `exemplars = true`: the method does not exist otherwise.

metrics_core::metrics! {
    /// Checkout latency.
    pub histogram checkout_seconds { buckets = [0.1, 0.5] }
}

pub fn record() {
    CHECKOUT_SECONDS.observe_with_exemplar(0.3, &[("trace_id", "abc")]);
}

fn main() {}
