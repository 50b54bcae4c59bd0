//! A bounded label's cap is at least 1.

metrics_core::metrics! {
    /// Tokens spent per model.
    pub counter tokens_total { model: metrics_core::BoundedStr<0> }
}

fn main() {}
