//! A family with one bounded label declared `removable = true` or `expire_after` removes values (and expires idle
//! ones); any kind that records can. It records and reads through closures.

use std::time::{Duration, Instant};

use metrics_core::{BoundedStr, LabelValue, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum Phase {
    Queued,
    Running,
}

metrics! {
    /// Jobs per worker and phase.
    pub counter worker_jobs_total { worker: BoundedStr<64>, phase: Phase, expire_after = 10m }
    /// Queue depth per tenant.
    pub gauge tenant_depth { tenant: BoundedStr<8>, expire_after = 90s }
    /// Latency per route.
    pub histogram route_latency_seconds { route: BoundedStr<32>, buckets = latency, expire_after = 1d }
    /// Requests per client, removed by hand only.
    pub counter client_requests_total { client: BoundedStr<16>, removable = true }
    /// Requests per region, never removed: references stay valid.
    pub counter region_requests_total { region: BoundedStr<16>, removable = false }
}

fn main() {
    WORKER_JOBS_TOTAL.record("w1", Phase::Running, |series| series.inc());
    TENANT_DEPTH.record("acme", |series| series.set(3));
    let recorded: bool = ROUTE_LATENCY_SECONDS.record("/a", |series| series.observe(0.2));
    assert!(recorded);
    CLIENT_REQUESTS_TOTAL.record("c1", |series| series.inc());
    assert_eq!(CLIENT_REQUESTS_TOTAL.read("c1", |series| series.get()), Some(1));
    let removed: bool = CLIENT_REQUESTS_TOTAL.remove("c1");
    assert!(removed);
    assert_eq!(CLIENT_REQUESTS_TOTAL.read("c1", |series| series.get()), None);
    let expired: usize = WORKER_JOBS_TOTAL.sweep(Instant::now() + Duration::from_secs(3600));
    assert_eq!(expired, 0, "first seen by this sweep");
    assert!(TENANT_DEPTH.remove("acme"));
    let _ = ROUTE_LATENCY_SECONDS.sweep(Instant::now());
    let kept = REGION_REQUESTS_TOTAL.labels("eu");
    kept.inc();
    assert_eq!(REGION_REQUESTS_TOTAL.find_labels("eu").map(|series| series.get()), Some(1));
}
