//! `expire_after` removes values of a bounded label: a family with enum labels only has nothing to expire.

use metrics_core::metrics;

metrics! {
    /// Calls by success.
    pub counter calls_total { ok: bool, expire_after = 10m }
}

fn main() {}
