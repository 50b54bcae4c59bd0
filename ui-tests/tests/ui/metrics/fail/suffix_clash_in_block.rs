//! Two families of one block that write the same sample name are refused at compile time, not at start-up.

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total;
    /// Jobs waiting: would write `jobs`, the counter's OpenMetrics family name.
    pub gauge jobs;

    /// Request latency.
    pub histogram x_seconds;
    /// Would write `x_seconds_count`, the histogram's count sample.
    pub gauge x_seconds_count;
}

fn main() {}
