//! Every family kind and option the DSL accepts compiles, registers, and records.

use metrics_core::{BoundedStr, HttpMethod, LabelValue, Outcome, Registry, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum BreakerState {
    Closed,
    HalfOpen,
    Open,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Dependency {
    Database,
    Search,
}

/// Bounds from a user constant, built by a `const fn`.
const QUEUE_WAIT_BUCKETS: [f64; 4] = metrics_core::buckets::exponential(0.01, 10.0);

metrics! {
    namespace = "every";

    /// Requests by method and outcome.
    pub counter requests_total { method: HttpMethod, outcome: Outcome }
    /// Money spent per model, an open set of at most 4 models.
    pub counter llm_cost_usd_total: f64 { model: BoundedStr<4>, outcome: Outcome, unit = usd }
    /// Bytes sent, unit implied by the name.
    pub counter sent_bytes_total;
    /// Jobs running now.
    pub gauge jobs_in_flight;
    /// Fill ratio per dependency's pool.
    pub gauge pool_fill_ratio: f64 { dependency: Dependency }
    /// Default buckets.
    pub histogram default_seconds;
    /// A preset.
    pub histogram tool_latency_seconds { dependency: Dependency, buckets = latency }
    /// Another preset.
    pub histogram prompt_tokens { buckets = tokens }
    /// The Prometheus default, by name.
    pub histogram named_default_seconds { buckets = prometheus_default }
    /// A literal list.
    pub histogram list_seconds { buckets = [0.5, 1, 2.5] }
    /// An exponential builder.
    pub histogram exp_bytes { buckets = exponential(64, 4, 5) }
    /// A linear builder.
    pub histogram linear_seconds { buckets = linear(1, 1, 3), budget = 10 }
    /// A constant's path.
    pub histogram queue_wait_seconds { buckets = QUEUE_WAIT_BUCKETS }
    /// A crate constant's path.
    pub histogram crate_latency_seconds { buckets = metrics_core::buckets::LATENCY }
    /// Circuit breaker state per dependency.
    pub stateset breaker: BreakerState { dependency: Dependency }
    /// Build metadata.
    pub info build_info { version: String, commit: String }
    /// Label-less info.
    pub info started_info;
    /// Forwarded `#[cfg]`: compiled in.
    #[cfg(all())]
    pub counter enabled_total;
    /// Forwarded `#[cfg]`: compiled out, along with everything generated for it.
    #[cfg(any())]
    pub counter disabled_total { outcome: NotEvenAType }
}

fn main() {
    REQUESTS_TOTAL
        .labels(HttpMethod::Get, Outcome::Success)
        .inc();
    LLM_COST_USD_TOTAL
        .with(LlmCostUsdTotalLabels {
            model: "gpt",
            outcome: Outcome::Success,
        })
        .inc_by(0.25);
    SENT_BYTES_TOTAL.inc_by(10);
    JOBS_IN_FLIGHT.set(3);
    POOL_FILL_RATIO.labels(Dependency::Search).set(0.5);
    DEFAULT_SECONDS.observe(0.2);
    TOOL_LATENCY_SECONDS
        .labels(Dependency::Database)
        .observe(0.3);
    PROMPT_TOKENS.observe(100.0);
    NAMED_DEFAULT_SECONDS.observe(1.0);
    LIST_SECONDS.observe(2.0);
    EXP_BYTES.observe(1000.0);
    LINEAR_SECONDS.observe(2.0);
    QUEUE_WAIT_SECONDS.observe(0.05);
    CRATE_LATENCY_SECONDS.observe(0.05);
    BREAKER
        .labels(Dependency::Search)
        .set(BreakerState::HalfOpen);
    BUILD_INFO.set(BuildInfoLabels {
        version: "1.2.3",
        commit: "abc",
    });
    STARTED_INFO.set();
    ENABLED_TOTAL.inc();

    assert_eq!(EXP_BYTES.bounds(), &[64.0, 256.0, 1024.0, 4096.0, 16384.0]);
    assert_eq!(LINEAR_SECONDS.bounds(), &[1.0, 2.0, 3.0]);
    assert_eq!(QUEUE_WAIT_SECONDS.bounds(), &QUEUE_WAIT_BUCKETS);

    let registry = Registry::global().expect("the linked families are valid");
    let names: Vec<_> = registry
        .families()
        .iter()
        .map(|f| f.descriptor().name)
        .collect();
    let declared = names
        .iter()
        .filter(|name| name.starts_with("every_"))
        .count();
    assert_eq!(declared, 18, "{names:?}");
    assert!(!names.contains(&"every_disabled_total"), "{names:?}");
    let unit_of = |name: &str| {
        registry
            .families()
            .iter()
            .find(|f| f.descriptor().name == name)
            .and_then(|f| f.descriptor().unit)
    };
    assert_eq!(unit_of("every_llm_cost_usd_total"), Some("usd"));
    assert_eq!(unit_of("every_sent_bytes_total"), Some("bytes"));
    assert_eq!(unit_of("every_jobs_in_flight"), None);
}
