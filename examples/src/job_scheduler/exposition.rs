//! The served registry, built once at start-up from the label policy: which families are exposed, and whether
//! the job-path families show their `tenant` label.
//!
//! # Why a view and not two families
//!
//! Families are statics linked into the binary, so "a family with `tenant` and one without" would be two
//! families of one name, and the global registry would refuse the clash. Instead each job-path family is
//! declared once, with a leading `tenant` label (a closed enum, so bounded), and recording code always names the
//! job's tenant. The registry this example serves is built explicitly:
//!
//! - `METRICS_LABEL_TENANT=true`: the families as declared, `tenant` included;
//! - otherwise: [`WithoutTenant`] views, which expose the same family without its `tenant` label, each series
//!   the sum over tenants (counters add, histogram buckets and sums add). No exposed series carries `tenant`,
//!   and the totals are the same either way.
//!
//! `cogo_router_rank_score` is registered only with `ROUTER_SCORE_V2=true`.

use std::sync::OnceLock;

use metrics_core::{Descriptor, Family, Number, Registry, Sample, Series, SeriesSink};

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
    static SERVED: OnceLock<(Policy, Result<&'static Registry, String>)> = OnceLock::new();
    let (chosen, registry) = SERVED.get_or_init(|| (policy, build(policy)));
    if *chosen != policy {
        return Err(format!(
            "the served registry was already built for {chosen:?}; {policy:?} needs a new process"
        ));
    }
    registry.clone()
}

fn build(policy: Policy) -> Result<&'static Registry, String> {
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
    let mut builder = Registry::builder();
    for family in job_path {
        builder = builder.register(if policy.label_tenant {
            family
        } else {
            WithoutTenant::leak(family)
        });
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
    let registry = builder.build().map_err(|error| error.to_string())?;
    Ok(Box::leak(Box::new(registry)))
}

/// A family declared with a leading `tenant` label, exposed without it: each series sums its tenants' series.
pub struct WithoutTenant {
    inner: &'static dyn Family,
    descriptor: &'static Descriptor,
}

impl std::fmt::Debug for WithoutTenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithoutTenant")
            .field("family", &self.descriptor.name)
            .finish_non_exhaustive()
    }
}

impl WithoutTenant {
    /// The view of `inner`, leaked: registries hold `'static` families, and a view is made once per process.
    ///
    /// # Panics
    ///
    /// When `inner`'s first label is not `tenant`: a declaration that broke the policy's convention.
    pub fn leak(inner: &'static dyn Family) -> &'static dyn Family {
        let declared = inner.descriptor();
        assert_eq!(
            declared.labels.first().map(|label| label.name),
            Some("tenant"),
            "{} must declare `tenant` as its first label",
            declared.name
        );
        let descriptor = Box::leak(Box::new(declared.with_labels(&declared.labels[1..])));
        Box::leak(Box::new(Self { inner, descriptor }))
    }
}

/// One series' running sum over tenants.
enum Sum {
    Counter(Number),
    Gauge(Number),
    Histogram { cumulative: Vec<u64>, sum: f64 },
}

fn add(a: Number, b: Number) -> Number {
    match (a, b) {
        (Number::U64(a), Number::U64(b)) => Number::U64(a.saturating_add(b)),
        (Number::I64(a), Number::I64(b)) => Number::I64(a.saturating_add(b)),
        (a, b) => Number::F64(a.as_f64() + b.as_f64()),
    }
}

impl Sum {
    fn new(sample: &Sample<'_>) -> Option<Self> {
        match *sample {
            Sample::Counter(n) => Some(Self::Counter(n)),
            Sample::Gauge(n) => Some(Self::Gauge(n)),
            Sample::Histogram { cumulative, sum } => Some(Self::Histogram {
                cumulative: cumulative.to_vec(),
                sum,
            }),
            // The job-path families are counters and histograms; nothing else sums meaningfully.
            Sample::Info | Sample::StateSet { .. } => None,
        }
    }

    fn add(&mut self, sample: &Sample<'_>) {
        match (self, *sample) {
            (Self::Counter(total), Sample::Counter(n)) | (Self::Gauge(total), Sample::Gauge(n)) => {
                *total = add(*total, n);
            }
            (
                Self::Histogram { cumulative, sum },
                Sample::Histogram {
                    cumulative: more,
                    sum: more_sum,
                },
            ) => {
                for (bucket, count) in cumulative.iter_mut().zip(more) {
                    *bucket += count;
                }
                *sum += more_sum;
            }
            _ => {}
        }
    }

    fn sample(&self) -> Sample<'_> {
        match self {
            Self::Counter(n) => Sample::Counter(*n),
            Self::Gauge(n) => Sample::Gauge(*n),
            Self::Histogram { cumulative, sum } => Sample::Histogram {
                cumulative,
                sum: *sum,
            },
        }
    }
}

impl Family for WithoutTenant {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        // First-seen order of the remaining labels: tenant is the leading label, so this is the order the
        // family would have without it.
        let mut sums: Vec<(Vec<String>, Sum)> = Vec::new();
        self.inner
            .collect(&mut |series: &Series<'_>, sample: &Sample<'_>| {
                let rest = &series.values()[1..];
                match sums
                    .iter_mut()
                    .find(|(labels, _)| labels.iter().map(String::as_str).eq(rest.iter().copied()))
                {
                    Some((_, sum)) => sum.add(sample),
                    None => {
                        if let Some(sum) = Sum::new(sample) {
                            sums.push((rest.iter().map(|v| (*v).to_owned()).collect(), sum));
                        }
                    }
                }
            });
        for (labels, sum) in &sums {
            let values: Vec<&str> = labels.iter().map(String::as_str).collect();
            sink.series(&Series::new(&values), &sum.sample());
        }
    }

    fn label_overflows(&self, report: &mut dyn FnMut(&'static str, u64)) {
        self.inner.label_overflows(report);
    }
}
