//! A bounded-string label counts its cap plus the overflow series against the budget.

metrics_core::metrics! {
    /// Tokens spent per model.
    pub counter tokens_total { model: metrics_core::BoundedStr<64>, budget = 10 }
}

fn main() {}
