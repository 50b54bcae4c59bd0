//! Counters (integer and float) and histograms keep exemplars when declared with `exemplars = true`; `false` is
//! the default, written out.
use metrics_core::{BoundedStr, Family, LabelValue, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Route {
    Home,
    Checkout,
}

metrics! {
    /// Requests by route, with the trace of the latest.
    pub counter requests_total { route: Route, exemplars = true }

    /// Money spent per model, with the trace of the latest call.
    pub counter spend_usd_total: f64 { model: BoundedStr<4>, unit = usd, exemplars = true }

    /// Request latency, with the trace of the latest request per bucket.
    pub histogram request_seconds { buckets = [0.1, 1.0], exemplars = true }

    /// Plain, as without the option.
    pub counter plain_total { exemplars = false }
}

fn main() {
    let trace = [("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")];
    REQUESTS_TOTAL.labels(Route::Home).inc_with_exemplar(&trace);
    REQUESTS_TOTAL.labels(Route::Checkout).inc();
    assert!(SPEND_USD_TOTAL.labels("small").inc_by_with_exemplar(0.25, &trace));
    assert!(REQUEST_SECONDS.observe_with_exemplar(0.5, &trace));
    let plain: &metrics_core::Counter = &PLAIN_TOTAL;
    plain.inc();
    assert!(REQUEST_SECONDS.descriptor().exemplars);
    assert!(!PLAIN_TOTAL.descriptor().exemplars);
}
