//! `expire_after` needs exactly one bounded label: its values are what expires.

use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Tokens by tenant and model.
    pub counter tokens_total { tenant: BoundedStr<8>, model: BoundedStr<16>, expire_after = 1h }
}

fn main() {}
