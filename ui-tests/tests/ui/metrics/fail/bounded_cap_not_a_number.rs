//! A bounded label writes its cap as a number literal.

const MODELS: usize = 32;

metrics_core::metrics! {
    /// Tokens spent per model.
    pub counter tokens_total { model: metrics_core::BoundedStr<MODELS> }
}

fn main() {}
