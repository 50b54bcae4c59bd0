//! `observe` reads a counter or a gauge at scrape time; a histogram's observations cannot be read back.
use metrics_core::metrics;

metrics! {
    /// Latency.
    pub histogram latency_seconds { observe = read_latency }
}

fn read_latency() {}

fn main() {}
