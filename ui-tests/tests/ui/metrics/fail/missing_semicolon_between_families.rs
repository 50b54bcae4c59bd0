//! A family without labels ends with `;`.

metrics_core::metrics! {
    /// Jobs running now.
    pub gauge jobs_in_flight
    /// Jobs waiting.
    pub gauge jobs_waiting;
}

fn main() {}
