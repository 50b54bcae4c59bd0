//! A bounded label takes a `&str` at the call site: a `String` is an error that suggests borrowing it.

metrics_core::metrics! {
    /// Tokens by model.
    pub counter tokens_total { model: metrics_core::BoundedStr<32> }
}

pub fn record(model: String) {
    TOKENS_TOTAL.labels(model).inc_by(3);
}

fn main() {}
