//! A library instrumented with the `metrics` facade only, as many crates in the ecosystem are: it knows nothing of
//! `metrics-core`. The `metrics-facade` tests call it to prove that such a crate's metrics reach our registry.

/// Records one fetch of `source` taking `seconds`, and the queue length left: one counter, one histogram and one
/// gauge through the facade's macros, with a described counter.
pub fn record_fetch(source: &'static str, seconds: f64, queued: f64) {
    metrics::describe_counter!(
        "fixture_fetches_total",
        "Fetches made by the fixture library."
    );
    metrics::counter!("fixture_fetches_total", "source" => source).increment(1);
    metrics::histogram!("fixture.fetch.duration_seconds", "source" => source).record(seconds);
    metrics::gauge!("fixture_queue_length").set(queued);
}
