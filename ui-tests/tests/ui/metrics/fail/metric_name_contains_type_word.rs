//! A metric name must not repeat its own type (`counter`, `gauge`, ...).

metrics_core::metrics! {
    /// Queue length.
    pub gauge queue_gauge;
}

fn main() {}
