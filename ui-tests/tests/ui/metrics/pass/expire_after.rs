//! A family with one bounded label removes values and expires idle ones; any kind that records can.

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
    pub counter client_requests_total { client: BoundedStr<16> }
}

fn main() {
    WORKER_JOBS_TOTAL.labels("w1", Phase::Running).inc();
    TENANT_DEPTH.labels("acme").set(3);
    ROUTE_LATENCY_SECONDS.labels("/a").observe(0.2);
    CLIENT_REQUESTS_TOTAL.labels("c1").inc();
    let removed: bool = CLIENT_REQUESTS_TOTAL.remove("c1");
    assert!(removed);
    let expired: usize = WORKER_JOBS_TOTAL.sweep(Instant::now() + Duration::from_secs(3600));
    assert_eq!(expired, 0, "first seen by this sweep");
    assert!(TENANT_DEPTH.remove("acme"));
    let _ = ROUTE_LATENCY_SECONDS.sweep(Instant::now());
}
