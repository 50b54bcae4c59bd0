//! A family name is declared once per block.

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total;

    /// Jobs done, again.
    pub counter jobs_total;
}

fn main() {}
