//! `crate = path` in `metrics!` and `#[metrics(crate = path)]` on the derive find `metrics_core` under another
//! name or path, as a crate that re-exports it needs; the families still link into the global registry.

extern crate metrics_core as renamed;

/// A facade module, as a re-exporting crate would have.
mod telemetry {
    pub use ::metrics_core as metrics;
}

#[derive(Clone, Copy, Debug, renamed::LabelValue)]
#[metrics(crate = renamed, rename_all = "snake_case")]
pub enum Stage {
    Parse,
    Run,
}

#[derive(Clone, Copy, Debug, telemetry::metrics::LabelValue)]
#[metrics(crate = crate::telemetry::metrics)]
pub enum Tier {
    Free,
    Paid,
}

renamed::metrics! {
    crate = renamed;

    /// Stages run.
    pub counter stages_total { stage: Stage }
}

telemetry::metrics::metrics! {
    crate = crate::telemetry::metrics;
    namespace = "facade";

    /// Requests by tier.
    pub counter requests_total { tier: Tier, model: telemetry::metrics::BoundedStr<2> }
    /// Queue depth.
    pub gauge queue_depth;
}

fn main() {
    STAGES_TOTAL.labels(Stage::Run).inc();
    REQUESTS_TOTAL.labels(Tier::Paid, "small").inc();
    QUEUE_DEPTH.set(2);

    let registry = renamed::Registry::global().expect("the linked families are valid");
    // The registry adds its own `metrics_*` families beside the declared ones.
    let mut names: Vec<_> = registry
        .families()
        .iter()
        .map(|f| f.descriptor().name)
        .filter(|name| !name.starts_with("metrics_"))
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "facade_queue_depth",
            "facade_requests_total",
            "stages_total"
        ]
    );
    let text = registry
        .encode_to_string(renamed::Format::Text004)
        .expect("encodes");
    assert!(text.contains("stages_total{stage=\"run\"} 1\n"), "{text}");
    assert!(
        text.contains("facade_requests_total{tier=\"Paid\",model=\"small\"} 1\n"),
        "{text}"
    );
}
