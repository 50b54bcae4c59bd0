//! A bounded label is `metrics_core::BoundedStr`, not another type that happens to share its name.

pub struct BoundedStr<const CAP: usize>;

metrics_core::metrics! {
    /// Tokens spent per model.
    pub counter tokens_total { model: BoundedStr<32> }
}

fn main() {}
