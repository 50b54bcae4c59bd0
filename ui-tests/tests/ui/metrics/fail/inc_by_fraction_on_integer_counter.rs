//! An integer counter adds whole numbers: `inc_by(0.5)` says to declare the counter `: f64`.

metrics_core::metrics! {
    /// Money spent on model calls, in US dollars.
    pub counter llm_cost_usd_total;
}

pub fn record() {
    LLM_COST_USD_TOTAL.inc_by(0.013);
}

fn main() {}
