//! Recording and alerting rules, each alert with the `promtool test rules` cases that prove it.
//!
//! Recorded series (named `level:metric:operation`, as Prometheus' naming practice says):
//!
//! - `instance:<counter without _total>:rate<w>` and `instance:<histogram>_{bucket,count,sum}:rate<w>`: per series,
//!   nothing summed, so a dashboard can still filter by `instance` and sum across instances itself;
//! - `job:<family>:error_ratio_rate<w>{objective="<name>"}`: each success-rate and latency objective's error
//!   ratio, summed across instances, over every window its burn-rate alerts read.
//!
//! Burn-rate alerts follow the SRE workbook's multi-window, multi-burn-rate pairs: 1 h and 5 m at 14.4x, 6 h and
//! 30 m at 6x (the objective's severity), 3 d and 6 h at 1x (one severity lower). A pair whose threshold is not
//! below an error ratio of 1 (a 90 % objective at 14.4x) can never fire and is left out.

use metrics_core::encode::canonical_float;
use metrics_core::{Good, LabelValues, MetricKind, Objective, Rule, Severity};

use crate::duration;
use crate::model::{Catalog, Entry, pascal};

/// The burn-rate pairs: long window, short window (ms), burn rate, and the alert name's suffix.
pub(crate) const BURN_PAIRS: [(u64, u64, f64, &str); 3] = [
    (3_600_000, 300_000, 14.4, "BurnFast"),
    (21_600_000, 1_800_000, 6.0, "BurnMedium"),
    (259_200_000, 21_600_000, 1.0, "BurnSlow"),
];

/// A recording rule.
#[derive(Debug, Clone)]
pub(crate) struct Recording {
    /// The rule group: `None` for the dashboards' rates, the objective's own group otherwise.
    pub(crate) group: Option<String>,
    pub(crate) record: String,
    pub(crate) expr: String,
    pub(crate) labels: Vec<(String, String)>,
}

/// An alerting rule and its test.
#[derive(Debug, Clone)]
pub(crate) struct Alert {
    /// The rule group: an objective's, after its recording rules, so that each evaluation reads the ratios it
    /// just recorded (across groups the order is not fixed, and a ratio recorded one interval ago may already be
    /// stale); `None` for the threshold and absent alerts.
    pub(crate) group: Option<String>,
    pub(crate) name: String,
    pub(crate) expr: String,
    pub(crate) for_ms: u64,
    pub(crate) labels: Vec<(String, String)>,
    pub(crate) annotations: Vec<(String, String)>,
    pub(crate) test: AlertTest,
}

/// One input series of a promtool test: its selector text and its values, one per step.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    pub(crate) series: String,
    pub(crate) values: Vec<f64>,
}

/// The two cases each alert is tested with.
#[derive(Debug, Clone)]
pub(crate) struct AlertTest {
    /// The step between input values and between evaluations, in ms.
    pub(crate) step_ms: u64,
    /// Series that make the alert fire.
    pub(crate) firing: Vec<Input>,
    /// When it must not be firing yet (ms after the start).
    pub(crate) quiet_at_ms: u64,
    /// When it must be firing.
    pub(crate) fire_at_ms: u64,
    /// The firing alert's labels, besides `alertname`.
    pub(crate) labels: Vec<(String, String)>,
    /// Series close to the threshold on the good side: the alert must never fire.
    pub(crate) calm: Vec<Input>,
    /// When the calm case is checked.
    pub(crate) calm_at_ms: u64,
}

/// Everything the rules file holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules {
    pub(crate) recording: Vec<Recording>,
    pub(crate) alerts: Vec<Alert>,
}

const TEST_JOB: &str = "catalog_test";
const TEST_INSTANCE: &str = "localhost:9464";

pub(crate) fn rules(catalog: &Catalog) -> Rules {
    let mut out = Rules::default();
    let window = duration::format(catalog.settings.rate_window_ms);
    for entry in &catalog.families {
        match entry.kind() {
            MetricKind::Counter => out.recording.push(Recording {
                group: None,
                record: format!("instance:{}:rate{window}", entry.base()),
                expr: format!("rate({}[{window}])", entry.name),
                labels: Vec::new(),
            }),
            MetricKind::Histogram => {
                for suffix in ["bucket", "count", "sum"] {
                    out.recording.push(Recording {
                        group: None,
                        record: format!("instance:{}_{suffix}:rate{window}", entry.name),
                        expr: format!("rate({}_{suffix}[{window}])", entry.name),
                        labels: Vec::new(),
                    });
                }
            }
            _ => {}
        }
        for objective in &entry.objectives {
            objective_rules(catalog, entry, objective, &mut out);
        }
    }
    out
}

/// `{a="b",c="d"}` from pairs, or nothing.
pub(crate) fn selector(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", quote(v)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

/// A PromQL (and YAML) double-quoted string.
pub(crate) fn quote(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn matchers(objective: &Objective) -> Vec<(&'static str, String)> {
    objective
        .matchers
        .iter()
        .map(|(k, v)| (*k, (*v).to_owned()))
        .collect()
}

/// The recorded error-ratio series of an objective over `window_ms`.
pub(crate) fn error_ratio_name(entry: &Entry, window_ms: u64) -> String {
    format!(
        "job:{}:error_ratio_rate{}",
        entry.base(),
        duration::format(window_ms)
    )
}

/// The error ratio over `w` (bad events over all events, summed by `job`).
fn error_ratio_expr(entry: &Entry, objective: &Objective, w: &str) -> Option<String> {
    let m = matchers(objective);
    match objective.rule {
        Rule::SuccessRate {
            good: Good::Label { label, values },
            ..
        } => {
            let mut bad = m.clone();
            bad.push((label, String::new()));
            let bad_sel = selector(&m).trim_end_matches('}').to_owned();
            let bad_matcher = format!("{label}!~{}", quote(&values.join("|")));
            let bad_sel = if bad_sel.is_empty() {
                format!("{{{bad_matcher}}}")
            } else {
                format!("{bad_sel},{bad_matcher}}}")
            };
            Some(format!(
                "sum by (job) (rate({name}{bad_sel}[{w}])) / sum by (job) (rate({name}{all}[{w}]))",
                name = entry.name,
                all = selector(&m)
            ))
        }
        Rule::SuccessRate {
            good: Good::FailuresOf { total },
            ..
        } => {
            let sel = selector(&m);
            // Failures of a bounded label exist only once recorded: `or` a zero of the same shape keeps the
            // ratio defined (0) while nothing has failed.
            Some(format!(
                "(sum by (job) (rate({name}{sel}[{w}])) or 0 * sum by (job) (rate({total}{sel}[{w}]))) / sum by (job) (rate({total}{sel}[{w}]))",
                name = entry.name
            ))
        }
        Rule::Latency { threshold, .. } => {
            let mut fast = m.clone();
            fast.push(("le", canonical_float(threshold)));
            Some(format!(
                "1 - sum by (job) (rate({name}_bucket{fast}[{w}])) / sum by (job) (rate({name}_count{all}[{w}]))",
                name = entry.name,
                fast = selector(&fast),
                all = selector(&m)
            ))
        }
        _ => None,
    }
}

fn objective_rules(catalog: &Catalog, entry: &Entry, objective: &Objective, out: &mut Rules) {
    let settings = &catalog.settings;
    let alert_base = format!("{}{}", pascal(entry.base()), pascal(objective.name));
    let group = format!("{}-{}", entry.base(), objective.name).replace('_', "-");
    let m = matchers(objective);
    let mut labels = vec![(
        "severity".to_owned(),
        objective.severity.as_str().to_owned(),
    )];
    labels.push(("objective".to_owned(), objective.name.to_owned()));
    let help = entry.descriptor.help.trim_end_matches('.');
    let texts = |summary: String, description: String| {
        let mut annotations = vec![
            (
                "summary".to_owned(),
                if objective.summary.is_empty() {
                    summary
                } else {
                    objective.summary.to_owned()
                },
            ),
            (
                "description".to_owned(),
                if objective.description.is_empty() {
                    description
                } else {
                    objective.description.to_owned()
                },
            ),
        ];
        if !objective.runbook_url.is_empty() {
            annotations.push(("runbook_url".to_owned(), objective.runbook_url.to_owned()));
        }
        annotations
    };
    match objective.rule {
        Rule::SuccessRate {
            target,
            window_secs,
            ..
        }
        | Rule::Latency {
            target,
            window_secs,
            ..
        } => {
            let mut windows: Vec<u64> = BURN_PAIRS
                .iter()
                .flat_map(|(long, short, _, _)| [*long, *short])
                .map(|w| settings.scaled(w))
                .collect();
            windows.sort_unstable();
            windows.dedup();
            for w in &windows {
                let Some(expr) = error_ratio_expr(entry, objective, &duration::format(*w)) else {
                    continue;
                };
                out.recording.push(Recording {
                    group: Some(group.clone()),
                    record: error_ratio_name(entry, *w),
                    expr,
                    labels: vec![("objective".to_owned(), objective.name.to_owned())],
                });
            }
            let budget = 1.0 - target;
            let what = match objective.rule {
                Rule::Latency { threshold, .. } => format!(
                    "{} % of `{}` at most {}{}",
                    percent(target),
                    entry.name,
                    canonical_float(threshold),
                    entry
                        .descriptor
                        .unit
                        .map(|u| format!(" {u}"))
                        .unwrap_or_default()
                ),
                _ => format!("{} % of `{}` successful", percent(target), entry.name),
            };
            for (long, short, burn, suffix) in BURN_PAIRS {
                if burn * budget >= 1.0 {
                    continue;
                }
                let (long, short) = (settings.scaled(long), settings.scaled(short));
                let objective_sel = selector(&[("objective", objective.name.to_owned())]);
                let threshold = format!("({} * (1 - {}))", fmt_num(burn), fmt_num(target));
                let expr = format!(
                    "{} > {threshold} and {} > {threshold}",
                    format_args!("{}{objective_sel}", error_ratio_name(entry, long)),
                    format_args!("{}{objective_sel}", error_ratio_name(entry, short)),
                );
                let severity = if suffix == "BurnSlow" {
                    lower(objective.severity)
                } else {
                    objective.severity
                };
                let mut alert_labels = labels.clone();
                severity.as_str().clone_into(&mut alert_labels[0].1);
                let test = burn_test(
                    entry,
                    objective,
                    budget,
                    burn,
                    long,
                    short,
                    settings.scaled(window_secs * 1000),
                );
                let mut test_labels = vec![("job".to_owned(), TEST_JOB.to_owned())];
                test_labels.extend(alert_labels.iter().cloned());
                out.alerts.push(Alert {
                    group: Some(group.clone()),
                    name: format!("{alert_base}{suffix}"),
                    expr,
                    for_ms: 0,
                    labels: alert_labels,
                    annotations: texts(
                        format!("{help}: the error budget burns {}x too fast", fmt_num(burn)),
                        format!(
                            "Objective `{}`: {what} over {}. The error ratio over the last {} and {} is above {} times the budget ({}).",
                            objective.name,
                            duration::words(settings.scaled(window_secs * 1000)),
                            duration::words(long),
                            duration::words(short),
                            fmt_num(burn),
                            fmt_num(budget),
                        ),
                    ),
                    test: AlertTest {
                        labels: test_labels,
                        ..test
                    },
                });
            }
        }
        Rule::Above { value, for_secs } | Rule::Below { value, for_secs } => {
            let above = matches!(objective.rule, Rule::Above { .. });
            let op = if above { ">" } else { "<" };
            let for_ms = settings.scaled(for_secs * 1000);
            let series = test_series(entry, &m, None);
            let of = (!objective.of.is_empty())
                .then(|| crate::model::of_entry(&catalog.families, objective.of))
                .flatten();
            if let Some(of) = of {
                ratio_alert(
                    entry, of, objective, value, above, for_ms, &labels, &texts, out,
                );
                return;
            }
            let expr = format!("{}{} {op} {}", entry.name, selector(&m), fmt_num(value));
            let (bad, good) = if above {
                (
                    value + value.abs().max(1.0),
                    value - value.abs().max(1.0) / 2.0,
                )
            } else {
                (
                    value - value.abs().max(1.0),
                    value + value.abs().max(1.0) / 2.0,
                )
            };
            let test = hold_test(&series, good, bad, for_ms, &labels, entry, &m, None);
            out.alerts.push(Alert {
                group: None,
                name: alert_base,
                expr,
                for_ms,
                labels: labels.clone(),
                annotations: texts(
                    format!(
                        "{help}: {} {}",
                        if above { "above" } else { "below" },
                        fmt_num(value)
                    ),
                    format!(
                        "`{}` has been {} {} for {}.",
                        entry.name,
                        if above { "above" } else { "below" },
                        fmt_num(value),
                        duration::words(for_ms)
                    ),
                ),
                test,
            });
        }
        Rule::State { state, for_secs } => {
            let for_ms = settings.scaled(for_secs * 1000);
            let mut sel = m.clone();
            sel.push((entry.descriptor.name, state.to_owned()));
            let expr = format!("{}{} == 1", entry.name, selector(&sel));
            let series = test_series(entry, &m, Some(state));
            let test = hold_test(&series, 0.0, 1.0, for_ms, &labels, entry, &m, Some(state));
            out.alerts.push(Alert {
                group: None,
                name: alert_base,
                expr,
                for_ms,
                labels: labels.clone(),
                annotations: texts(
                    format!("{help}: {state}"),
                    format!(
                        "`{}` has been `{state}` for {}.",
                        entry.name,
                        duration::words(for_ms)
                    ),
                ),
                test,
            });
        }
        Rule::Increase { value, for_secs } => {
            let for_ms = settings.scaled(for_secs * 1000);
            let w = duration::format(for_ms);
            let expr = format!(
                "increase({}{}[{w}]) > {}",
                entry.name,
                selector(&m),
                fmt_num(value)
            );
            let series = test_series(entry, &m, None);
            let test = increase_test(&series, value, for_ms, &labels, entry, &m);
            out.alerts.push(Alert {
                group: None,
                name: alert_base,
                expr,
                for_ms: 0,
                labels: labels.clone(),
                annotations: texts(
                    format!(
                        "{help}: more than {} in {}",
                        fmt_num(value),
                        duration::words(for_ms)
                    ),
                    format!(
                        "`{}` increased by more than {} within {}.",
                        entry.name,
                        fmt_num(value),
                        duration::words(for_ms)
                    ),
                ),
                test,
            });
        }
        Rule::Absent { for_secs } => {
            let for_ms = settings.scaled(for_secs * 1000);
            let sel = selector(&m);
            let expr = format!("absent({}{sel})", entry.presence_sample());
            let step = step_for(for_ms);
            let mut test_labels: Vec<(String, String)> = m
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect();
            test_labels.extend(labels.iter().cloned());
            test_labels.sort();
            let present = test_series(entry, &m, None);
            let n = steps(3 * for_ms + 4 * step, step);
            out.alerts.push(Alert {
                group: None,
                name: alert_base,
                expr,
                for_ms,
                labels: labels.clone(),
                annotations: texts(
                    format!("{help}: no series"),
                    format!(
                        "No `{}` series has been scraped for {}: the target is down or the family is gone.",
                        entry.presence_sample(),
                        duration::words(for_ms)
                    ),
                ),
                test: AlertTest {
                    step_ms: step,
                    // Another series only: the family is missing from the start.
                    firing: vec![Input {
                        series: format!("up{{job=\"{TEST_JOB}\",instance=\"{TEST_INSTANCE}\"}}"),
                        values: vec![1.0; n],
                    }],
                    quiet_at_ms: 0,
                    fire_at_ms: for_ms + step,
                    labels: test_labels,
                    calm: vec![Input {
                        series: present.clone(),
                        values: (0..n).map(|i| i as f64).collect(),
                    }],
                    calm_at_ms: for_ms + 2 * step,
                },
            });
        }
    }
}

/// `entry{m} / of{m'}`, matched on the labels they share: `ignoring` the judged family's own labels with
/// `group_left` when it has more (several depths per capacity), so the result keeps every label of `entry`.
pub(crate) fn ratio_expr(entry: &Entry, of: &Entry, m: &[(&str, String)]) -> String {
    let of_labels = of.label_names();
    let of_m: Vec<(&str, String)> = m
        .iter()
        .filter(|(k, _)| of_labels.contains(k))
        .cloned()
        .collect();
    let extra: Vec<&str> = entry
        .label_names()
        .into_iter()
        .filter(|l| !of_labels.contains(l))
        .collect();
    let matching = if extra.is_empty() {
        String::new()
    } else {
        format!("ignoring ({}) group_left ", extra.join(", "))
    };
    format!(
        "{}{} / {matching}{}{}",
        entry.name,
        selector(m),
        of.name,
        selector(&of_m)
    )
}

/// A threshold on `entry` divided by `of`: the denominator held at 100 in the tests, the numerator crossing.
#[allow(clippy::too_many_arguments)]
fn ratio_alert(
    entry: &Entry,
    of: &Entry,
    objective: &Objective,
    value: f64,
    above: bool,
    for_ms: u64,
    labels: &[(String, String)],
    texts: &dyn Fn(String, String) -> Vec<(String, String)>,
    out: &mut Rules,
) {
    let m = matchers(objective);
    let op = if above { ">" } else { "<" };
    let ratio = ratio_expr(entry, of, &m);
    let expr = format!("{ratio} {op} {}", fmt_num(value));
    // Ratios live in 0..1 most often: cross half-way to 1 (or 0), come back to half of the distance.
    let span = if (0.0..1.0).contains(&value) {
        if above { 1.0 - value } else { value }
    } else {
        value.abs().max(1.0)
    };
    let (bad, good) = if above {
        (value + span / 2.0, value - span / 2.0)
    } else {
        (value - span / 2.0, value + span / 2.0)
    };
    let series = test_series(entry, &m, None);
    let denominator = 100.0;
    let mut test = hold_test(
        &series,
        good * denominator,
        bad * denominator,
        for_ms,
        labels,
        entry,
        &m,
        None,
    );
    // The denominator's series: the numerator's values of the labels they share, same job and instance.
    let of_labels = of.label_names();
    let shared: Vec<(String, String)> = series_labels(&series, &[])
        .into_iter()
        .filter(|(k, _)| of_labels.contains(&k.as_str()) || k == "job" || k == "instance")
        .collect();
    let pairs: Vec<(&str, String)> = shared
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    let of_series = format!("{}{}", of.name, selector(&pairs));
    for inputs in [&mut test.firing, &mut test.calm] {
        let n = inputs[0].values.len();
        inputs.push(Input {
            series: of_series.clone(),
            values: vec![denominator; n],
        });
    }
    let word = if above { "above" } else { "below" };
    let help = entry.descriptor.help.trim_end_matches('.');
    out.alerts.push(Alert {
        group: None,
        name: format!("{}{}", pascal(entry.base()), pascal(objective.name)),
        expr,
        for_ms,
        labels: labels.to_vec(),
        annotations: texts(
            format!("{help}: over `{}` {word} {}", of.name, fmt_num(value)),
            format!(
                "`{}` divided by `{}` has been {word} {} for {}.",
                entry.name,
                of.name,
                fmt_num(value),
                duration::words(for_ms)
            ),
        ),
        test,
    });
}

/// One step lower: a slow burn opens a ticket where a fast one pages.
fn lower(severity: Severity) -> Severity {
    match severity {
        Severity::Critical => Severity::Warning,
        Severity::Warning | Severity::Info => Severity::Info,
    }
}

/// `0.999` as `99.9`.
fn percent(target: f64) -> String {
    fmt_num((target * 100_000.0).round() / 1000.0)
}

/// A number as PromQL and people read it: `14.4`, `6`, `0.001`.
pub(crate) fn fmt_num(v: f64) -> String {
    let rounded = (v * 1e9).round() / 1e9;
    format!("{rounded}")
}

/// The step of a test's input series and evaluations: a minute, or finer for the short durations of a scaled
/// catalog.
fn step_for(shortest_ms: u64) -> u64 {
    (shortest_ms / 5 / 1000 * 1000).clamp(1000, 60_000)
}

/// The step of a burn-rate test's input series: a fifth of its short window, at most 15 minutes (the slow pair's
/// six hours of 1-minute samples under a three-day `rate` made promtool take minutes).
fn burn_step(short_ms: u64) -> u64 {
    (short_ms / 5 / 1000 * 1000).clamp(1000, 900_000)
}

fn steps(span_ms: u64, step_ms: u64) -> usize {
    (span_ms / step_ms) as usize + 1
}

/// The selector of a test series of `entry`: the objective's matchers, then a value for each other label
/// (the first enum value, `x` for a bounded label), `job` and `instance`; for a state set, the state label.
fn test_series(entry: &Entry, m: &[(&str, String)], state: Option<&str>) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for label in entry.descriptor.labels {
        if let Some((_, v)) = m.iter().find(|(k, _)| *k == label.name) {
            pairs.push((label.name, v.clone()));
        } else {
            let value = match label.values {
                LabelValues::Enum(values) => values.first().copied().unwrap_or("x").to_owned(),
                _ => "x".to_owned(),
            };
            pairs.push((label.name, value));
        }
    }
    for (k, v) in m {
        if !pairs.iter().any(|(key, _)| key == k) {
            pairs.push((k, v.clone()));
        }
    }
    if let Some(state) = state {
        pairs.push((entry.descriptor.name, state.to_owned()));
    }
    pairs.push(("job", TEST_JOB.to_owned()));
    pairs.push(("instance", TEST_INSTANCE.to_owned()));
    let name = match entry.kind() {
        MetricKind::Histogram => format!("{}_count", entry.name),
        _ => entry.name.clone(),
    };
    format!("{name}{}", selector(&pairs))
}

/// The labels of a series selector written by [`test_series`], without its name, plus `extra`.
fn series_labels(series: &str, extra: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = series
        .split_once('{')
        .map(|(_, rest)| rest.trim_end_matches('}'))
        .unwrap_or_default()
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| {
            (
                k.to_owned(),
                serde_json::from_str::<String>(v).unwrap_or_default(),
            )
        })
        .collect();
    for (k, v) in extra {
        out.retain(|(key, _)| key != k);
        out.push((k.clone(), v.clone()));
    }
    out.sort();
    out
}

/// A gauge (or state) at `good`, then at `bad` from a third of the way on: quiet while pending, firing after
/// `for`; the calm case crosses to `bad` for less than `for` and comes back.
#[allow(clippy::too_many_arguments)]
fn hold_test(
    series: &str,
    good: f64,
    bad: f64,
    for_ms: u64,
    labels: &[(String, String)],
    _entry: &Entry,
    _m: &[(&str, String)],
    _state: Option<&str>,
) -> AlertTest {
    let step = step_for(for_ms);
    let onset = 2 * step;
    let n = steps(onset + for_ms + 4 * step, step);
    let onset_index = (onset / step) as usize;
    let firing = (0..n)
        .map(|i| if i >= onset_index { bad } else { good })
        .collect();
    // Bad for half of `for`, then good again: pending, never firing.
    let blip_end = onset_index + ((for_ms / 2) / step).max(1) as usize;
    let calm = (0..n)
        .map(|i| {
            if i >= onset_index && i < blip_end {
                bad
            } else {
                good
            }
        })
        .collect();
    AlertTest {
        step_ms: step,
        firing: vec![Input {
            series: series.to_owned(),
            values: firing,
        }],
        quiet_at_ms: onset,
        fire_at_ms: onset + for_ms + step,
        labels: series_labels(series, labels),
        calm: vec![Input {
            series: series.to_owned(),
            values: calm,
        }],
        calm_at_ms: (n as u64 - 1) * step,
    }
}

/// A counter flat, then rising by twice `value` per window; the calm case rises by half of `value`.
fn increase_test(
    series: &str,
    value: f64,
    window_ms: u64,
    labels: &[(String, String)],
    _entry: &Entry,
    _m: &[(&str, String)],
) -> AlertTest {
    let step = step_for(window_ms);
    let per_window = (window_ms / step).max(1) as f64;
    let onset = window_ms + step;
    let n = steps(onset + 3 * window_ms, step);
    let onset_index = (onset / step) as usize;
    let counter = |per_step: f64| -> Vec<f64> {
        (0..n)
            .map(|i| i.saturating_sub(onset_index) as f64 * per_step)
            .collect()
    };
    AlertTest {
        step_ms: step,
        firing: vec![Input {
            series: series.to_owned(),
            values: counter(2.0 * value.max(1.0) / per_window),
        }],
        quiet_at_ms: onset,
        fire_at_ms: onset + window_ms,
        labels: series_labels(series, labels),
        calm: vec![Input {
            series: series.to_owned(),
            values: counter(0.5 * value / per_window),
        }],
        calm_at_ms: (n as u64 - 1) * step,
    }
}

/// The error ratio seen over a window of `w` ms at time `t`, when the ratio is `r` from `onset` on (rates of
/// series that start at 0).
fn seen_ratio(r: f64, onset: u64, t: u64, w: u64) -> f64 {
    let start = t.saturating_sub(w);
    if t <= start {
        return 0.0;
    }
    let bad = t.saturating_sub(onset.max(start));
    r * bad as f64 / (t - start) as f64
}

/// A burn-rate alert's test: good events at a steady rate for a long window, then an error ratio of twice the
/// alert's threshold (or all errors when that is more). The alert must be quiet well before the time both
/// windows cross the threshold, and firing well after. The calm case holds the ratio at half the threshold.
fn burn_test(
    entry: &Entry,
    objective: &Objective,
    budget: f64,
    burn: f64,
    long: u64,
    short: u64,
    _window: u64,
) -> AlertTest {
    let step = burn_step(short);
    let threshold = burn * budget;
    let r = (2.0 * threshold).min(1.0);
    // Good events first (a full long window, at most six hours: promtool evaluates every rule at every step, and
    // three days of minutes take it minutes), so both windows start from an error ratio of 0.
    let onset = long.min(21_600_000).div_ceil(step) * step;
    let crosses = |t: u64| {
        seen_ratio(r, onset, t, long) > threshold && seen_ratio(r, onset, t, short) > threshold
    };
    let mut fire = onset;
    while !crosses(fire) {
        fire += step;
    }
    let margin = ((fire - onset) / 5).max(2 * step) / step * step;
    let quiet_at = fire.saturating_sub(margin).max(onset);
    let fire_at = fire + margin;
    let n = steps(fire_at + step, step);
    let onset_index = (onset / step) as usize;
    let m = matchers(objective);
    // Events per step: enough that a ratio of a thousandth is whole events.
    let per_step = 1000.0;
    let inputs = |ratio_after: f64| -> Vec<Input> {
        let cumulative = |per: &dyn Fn(usize) -> f64| -> Vec<f64> {
            let mut total = 0.0;
            (0..n)
                .map(|i| {
                    if i > 0 {
                        total += per(i);
                    }
                    (total * 1e6).round() / 1e6
                })
                .collect()
        };
        let bad_at = |i: usize| if i > onset_index { ratio_after } else { 0.0 };
        match objective.rule {
            Rule::SuccessRate {
                good: Good::Label { label, values },
                ..
            } => {
                let bad_value = entry
                    .descriptor
                    .labels
                    .iter()
                    .find(|l| l.name == label)
                    .and_then(|l| match l.values {
                        LabelValues::Enum(all) => all.iter().find(|v| !values.contains(v)).copied(),
                        _ => None,
                    })
                    .unwrap_or("failure");
                let mut good_m = m.clone();
                good_m.retain(|(k, _)| *k != label);
                let mut bad_m = good_m.clone();
                good_m.push((
                    label,
                    values.first().copied().unwrap_or("success").to_owned(),
                ));
                bad_m.push((label, bad_value.to_owned()));
                vec![
                    Input {
                        series: test_series(entry, &good_m, None),
                        values: cumulative(&|i| per_step * (1.0 - bad_at(i))),
                    },
                    Input {
                        series: test_series(entry, &bad_m, None),
                        values: cumulative(&|i| per_step * bad_at(i)),
                    },
                ]
            }
            Rule::SuccessRate {
                good: Good::FailuresOf { total },
                ..
            } => {
                let failures = test_series(entry, &m, None);
                let mut pairs = m.clone();
                pairs.push(("job", TEST_JOB.to_owned()));
                pairs.push(("instance", TEST_INSTANCE.to_owned()));
                vec![
                    Input {
                        series: failures,
                        values: cumulative(&|i| per_step * bad_at(i)),
                    },
                    Input {
                        series: format!("{total}{}", selector(&pairs)),
                        values: cumulative(&|_| per_step),
                    },
                ]
            }
            Rule::Latency { threshold, .. } => {
                let count = test_series(entry, &m, None);
                let mut fast = m.clone();
                fast.push(("le", canonical_float(threshold)));
                let bucket = test_series(entry, &fast, None).replacen("_count{", "_bucket{", 1);
                // `le` goes last in the generated selector; the order of a series' labels does not matter.
                vec![
                    Input {
                        series: bucket,
                        values: cumulative(&|i| per_step * (1.0 - bad_at(i))),
                    },
                    Input {
                        series: count,
                        values: cumulative(&|_| per_step),
                    },
                ]
            }
            _ => Vec::new(),
        }
    };
    AlertTest {
        step_ms: step,
        firing: inputs(r),
        quiet_at_ms: quiet_at,
        fire_at_ms: fire_at,
        labels: Vec::new(),
        calm: inputs(threshold / 2.0),
        calm_at_ms: fire_at,
    }
}
