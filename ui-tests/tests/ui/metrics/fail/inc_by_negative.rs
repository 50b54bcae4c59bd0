//! A counter never goes down: `inc_by(-1)` is an error on the literal (a gauge has `dec`).

metrics_core::metrics! {
    /// Jobs waiting.
    pub counter jobs_waiting_total;
}

pub fn record() {
    JOBS_WAITING_TOTAL.inc_by(-1);
}

fn main() {}
