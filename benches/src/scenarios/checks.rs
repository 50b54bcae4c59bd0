//! What the scenario tests assert: a contender's own exposition, read before and after a run, changed by
//! exactly what the run's inputs say.

use metrics_core::LabelValue;

use crate::contender::Contender;
use crate::exposition::value;
use crate::inputs;
use crate::labels::{Job, Status};

/// The labels of series `series` (job major), as the expositions write them.
pub(crate) fn series_labels(series: usize) -> [(&'static str, &'static str); 2] {
    [
        ("task", Job::ALL[series / Status::CARDINALITY].as_str()),
        ("status", Status::ALL[series % Status::CARDINALITY].as_str()),
    ]
}

/// How many of the calls `start..start + n` fall on each series.
pub(crate) fn expected_counts(start: usize, n: usize) -> [f64; 12] {
    let mut counts = [0.0; 12];
    for call in inputs::window(start, n) {
        counts[call.series] += 1.0;
    }
    counts
}

/// Runs `n` operations from `start` and returns how much each `{job, status}` sample named `name` grew (a
/// series missing before the run counts from zero).
pub(crate) fn counter_deltas(
    contender: &mut Contender,
    name: &str,
    start: usize,
    n: usize,
) -> [f64; 12] {
    let before = read_series(contender, name, &[]);
    contender.run(start, n);
    let after = read_series(contender, name, &[]);
    std::array::from_fn(|series| after[series] - before[series])
}

/// The value of each `{job, status}` sample named `name` that also carries the `extra` labels (`le`), zero
/// when the library has not created the series.
pub(crate) fn read_series(contender: &Contender, name: &str, extra: &[(&str, &str)]) -> [f64; 12] {
    let text = (contender.read)();
    std::array::from_fn(|series| {
        let mut labels = series_labels(series).to_vec();
        labels.extend_from_slice(extra);
        value(&text, name, &labels).unwrap_or(0.0)
    })
}
