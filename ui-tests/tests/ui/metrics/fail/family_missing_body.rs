//! A family name is followed by `{ labels and options }` or `;`.

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total (outcome: Outcome)
}

fn main() {}
