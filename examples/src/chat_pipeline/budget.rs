//! Tenant token budgets: each tenant may spend `allowed` tokens per window; a message arriving once its tenant's
//! budget is spent is refused and counted as an overrun.
//!
//! `tenant` is a bounded label (`BoundedStr<16>`): tenant ids come from requests upstream, an open set, so the
//! label keeps at most [`MAX_TENANTS`](super::metrics::MAX_TENANTS) values and sends the rest to `__overflow__`.
//! The gauges are set where the budget changes (an observable family takes enum labels only).

use std::sync::atomic::{AtomicU64, Ordering};

use super::metrics::{
    TENANT_BUDGET_TOKENS_ALLOWED, TENANT_BUDGET_TOKENS_OVERRUNS_TOTAL, TENANT_BUDGET_TOKENS_USED,
};

/// The budgets of every tenant.
#[derive(Debug)]
pub struct Budgets {
    allowed: u64,
    tenants: Vec<(String, AtomicU64)>,
}

impl Budgets {
    /// `count` tenants (`tenant-01`, ...), each allowed `allowed` tokens per window.
    pub fn new(count: usize, allowed: u64) -> Self {
        let tenants: Vec<_> = (1..=count)
            .map(|n| (format!("tenant-{n:02}"), AtomicU64::new(0)))
            .collect();
        let gauge = i64::try_from(allowed).unwrap_or(i64::MAX);
        for (name, _) in &tenants {
            TENANT_BUDGET_TOKENS_ALLOWED.labels(name).set(gauge);
            TENANT_BUDGET_TOKENS_USED.labels(name).set(0);
        }
        Self { allowed, tenants }
    }

    /// The tenants' ids.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tenants.iter().map(|(name, _)| name.as_str())
    }

    /// The index of tenant `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.tenants.iter().position(|(n, _)| n == name)
    }

    /// Whether tenant `tenant` may send a message now; counts an overrun when not.
    pub fn admit(&self, tenant: usize) -> bool {
        let (name, used) = &self.tenants[tenant];
        let admitted = used.load(Ordering::Relaxed) < self.allowed;
        if !admitted {
            TENANT_BUDGET_TOKENS_OVERRUNS_TOTAL.labels(name).inc();
        }
        admitted
    }

    /// Charges `tokens` to tenant `tenant`.
    pub fn spend(&self, tenant: usize, tokens: u64) {
        let (name, used) = &self.tenants[tenant];
        let now = used.fetch_add(tokens, Ordering::Relaxed) + tokens;
        TENANT_BUDGET_TOKENS_USED
            .labels(name)
            .set(i64::try_from(now).unwrap_or(i64::MAX));
    }

    /// Starts a new window: every tenant's usage back to 0.
    pub fn reset(&self) {
        for (name, used) in &self.tenants {
            used.store(0, Ordering::Relaxed);
            TENANT_BUDGET_TOKENS_USED.labels(name).set(0);
        }
    }
}
