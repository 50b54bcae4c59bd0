//! Every kind of objective, carried into the descriptor.
use metrics_core::{LabelValue, Outcome, Rule, Severity, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Breaker {
    Closed,
    Open,
}

const BOUNDS: [f64; 3] = [0.1, 0.25, 1.0];

metrics! {
    /// Checkouts by outcome.
    pub counter checkouts_total {
        outcome: Outcome,
        objectives = [success_rate(99.9%, over = 30d, runbook = "https://runbooks.example.invalid/checkout"), critical],
    }
    /// Checkout latency.
    pub histogram checkout_seconds { buckets = BOUNDS, objectives = [latency(95% under 0.25)] }
    /// Payment errors; every payment is a checkout.
    pub counter payment_errors_total { objectives = [success_rate(99%, total = checkout_seconds, severity = warning)] }
    /// Queue fill.
    pub gauge queue_fill_ratio: f64 { objectives = [above(0.8, for = 15m)] }
    /// Restarts.
    pub counter restarts_total { objectives = [increase(3, over = 15m)] }
    /// The breaker.
    pub stateset breaker: Breaker { objectives = [state(open, for = 1m)] }
}

fn main() {
    use metrics_core::Family;
    let checkouts = CHECKOUTS_TOTAL.descriptor().objectives;
    assert_eq!(checkouts.len(), 2);
    assert_eq!(checkouts[1].rule, Rule::Absent { for_secs: 300 });
    assert!(matches!(
        PAYMENT_ERRORS_TOTAL.descriptor().objectives[0].rule,
        Rule::SuccessRate { good: metrics_core::Good::FailuresOf { total: "checkout_seconds_count" }, .. }
    ));
    assert_eq!(PAYMENT_ERRORS_TOTAL.descriptor().objectives[0].severity, Severity::Warning);
    assert_eq!(BREAKER.descriptor().objectives[0].name, "state_open");
}
