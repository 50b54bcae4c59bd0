//! The value type follows a `:`, as in a Rust declaration.

metrics_core::metrics! {
    /// Money spent, in US dollars.
    pub counter cost_usd_total = f64;
}

fn main() {}
