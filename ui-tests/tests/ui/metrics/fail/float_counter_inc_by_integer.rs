//! A float counter adds `f64`s: an integer literal is an error suggesting `1.0`.

metrics_core::metrics! {
    /// Money spent, in US dollars.
    pub counter cost_usd_total: f64;
}

pub fn record() {
    COST_USD_TOTAL.inc_by(1);
}

fn main() {}
