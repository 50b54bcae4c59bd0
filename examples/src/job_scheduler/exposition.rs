//! The served registry, built once at start-up from the label policy: which families are exposed, and whether
//! the job-path families show their `tenant` label.
//!
//! Each job-path family declares `tenant` (a closed enum, so bounded) as `optional` in `metrics!`, and recording
//! code always names the job's tenant. The registry is built with `optional_label("tenant", on)`:
//! `METRICS_LABEL_TENANT=true` exposes the families as declared; otherwise the registry sums tenants away at
//! encode time (counters add, histogram buckets and sums add), so no series carries `tenant` and the totals are
//! the same either way.
//!
//! `cogo_router_rank_score` is registered only with `ROUTER_SCORE_V2=true`.

use std::sync::OnceLock;

use metrics_core::{Family, Registry};

use super::metrics::{
    JOB_DLQ_TOTAL, JOB_FAILURES_TOTAL, JOB_LATENCY_SECONDS, JOB_LEASE_EXPIRED_TOTAL,
    JOB_LEASE_RENEW_TOTAL, JOB_RETRIES_TOTAL, LLM_COST_USD_TOTAL, LLM_TOKENS_TOTAL,
    ROUTER_FAILOVER_TOTAL, ROUTER_RANK_SCORE, SCHEDULER_CLAIM_CONFLICT_TOTAL,
    SCHEDULER_CLAIM_TOTAL, TOOL_ERRORS_TOTAL, TOOL_LATENCY_SECONDS, WORKER_INFLIGHT_JOBS,
};

/// The label policy the served registry follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Expose the `tenant` label of the job-path families.
    pub label_tenant: bool,
    /// Expose `cogo_router_rank_score`.
    pub router_score_v2: bool,
}

/// The registry for `policy`. Built once per process: the families are process-global, so a second policy
/// would contradict the first.
///
/// # Errors
///
/// When a different policy was already chosen, or the registry does not validate.
pub fn registry(policy: Policy) -> Result<&'static Registry, String> {
    static SERVED: OnceLock<(Policy, Result<Registry, String>)> = OnceLock::new();
    let (chosen, registry) = SERVED.get_or_init(|| (policy, build(policy)));
    if *chosen != policy {
        return Err(format!(
            "the served registry was already built for {chosen:?}; {policy:?} needs a new process"
        ));
    }
    registry.as_ref().map_err(Clone::clone)
}

/// A new registry of the families served under `policy` (the one [`registry`] keeps, built again): what the
/// catalog is derived from.
///
/// # Errors
///
/// The registry's problem, as text.
pub fn build(policy: Policy) -> Result<Registry, String> {
    let job_path: [&'static dyn Family; 8] = [
        &SCHEDULER_CLAIM_TOTAL,
        &SCHEDULER_CLAIM_CONFLICT_TOTAL,
        &JOB_LEASE_RENEW_TOTAL,
        &JOB_LEASE_EXPIRED_TOTAL,
        &JOB_LATENCY_SECONDS,
        &JOB_RETRIES_TOTAL,
        &JOB_FAILURES_TOTAL,
        &JOB_DLQ_TOTAL,
    ];
    let mut builder = Registry::builder().optional_label("tenant", policy.label_tenant);
    for family in job_path {
        builder = builder.register(family);
    }
    let others: [&'static dyn Family; 6] = [
        &WORKER_INFLIGHT_JOBS,
        &TOOL_LATENCY_SECONDS,
        &TOOL_ERRORS_TOTAL,
        &LLM_TOKENS_TOTAL,
        &LLM_COST_USD_TOTAL,
        &ROUTER_FAILOVER_TOTAL,
    ];
    for family in others.into_iter().chain(metrics_http::families()) {
        builder = builder.register(family);
    }
    if policy.router_score_v2 {
        builder = builder.register(&ROUTER_RANK_SCORE);
    }
    builder.build().map_err(|error| error.to_string())
}
