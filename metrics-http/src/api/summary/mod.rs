//! `GET /api/metrics/summary?from=..&to=..&family=..`: what every series did over a window, as JSON.
//!
//! The JSON shape is documented in the crate docs. Values come from the snapshot ring, plus a snapshot taken at
//! request time when the window reaches the present, so a summary is never staler than the request.

mod quantile;
mod ring;
mod sampler;
mod window;

use std::collections::{BTreeMap, HashMap};

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::Response;
use metrics_core::{Descriptor, MetricKind, Registry};
use serde::{Deserialize, Serialize};

use super::json::{json_error, json_response};
use crate::offload::{Failure, Offload};
use quantile::histogram_quantile;
use ring::{Ring, Snapshot, Value, unix_now};
pub(crate) use sampler::Sampler;
use window::{Window, parse_window, rfc3339};

/// The query parameters.
#[derive(Debug, Deserialize)]
pub(crate) struct SummaryQuery {
    from: Option<String>,
    to: Option<String>,
    family: Option<String>,
}

/// The handler.
pub(crate) async fn summary(
    query: Result<Query<SummaryQuery>, QueryRejection>,
    offload: Offload,
) -> Response {
    let Ok(Query(query)) = query else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "the query string cannot be parsed: use from=..&to=..&family=.., each at most once"
                .into(),
        );
    };
    let window = match parse_window(query.from.as_deref(), query.to.as_deref(), unix_now()) {
        Ok(window) => window,
        Err(error) => return json_error(StatusCode::BAD_REQUEST, error),
    };
    offload
        .answer(json_error, move |shared, registry| {
            summarize(
                shared.summary.ring(),
                registry,
                window,
                query.family.as_deref(),
            )
            .map(|body| json_response(StatusCode::OK, body))
        })
        .await
}

/// The summary JSON of `window`, for every family or just the one named `family`.
fn summarize(
    ring: &Ring,
    registry: &Registry,
    window: Window,
    family: Option<&str>,
) -> Result<String, Failure> {
    let families = registry.families();
    let wanted = |descriptor: &Descriptor| {
        family.is_none_or(|name| name == descriptor.name || name == descriptor.family_name())
    };
    if let Some(name) = family
        && !families.iter().any(|f| wanted(f.descriptor()))
    {
        return Err(Failure::bad_request(format!(
            "no metric family is named {}; /api/metrics/schema lists them",
            crate::excerpt::excerpt(name)
        )));
    }
    let mut state = ring.lock();
    let live = window.open_end.then(|| state.capture(registry));
    let snapshots: Vec<&Snapshot> = state
        .snapshots
        .iter()
        .filter(|s| s.at >= window.from && s.at <= window.to)
        .chain(live.as_ref())
        .collect();

    let mut seen: HashMap<u32, Seen> = HashMap::new();
    let mut order: Vec<u32> = Vec::new();
    for (index, snapshot) in snapshots.iter().enumerate() {
        for point in &snapshot.points {
            let number = match point.value {
                Value::Number(v) => v,
                _ => 0.0,
            };
            seen.entry(point.series)
                .and_modify(|s| {
                    s.last = (index, point.value);
                    s.min = s.min.min(number);
                    s.max = s.max.max(number);
                })
                .or_insert_with(|| {
                    order.push(point.series);
                    Seen {
                        first: (index, point.value),
                        last: (index, point.value),
                        min: number,
                        max: number,
                    }
                });
        }
    }

    let mut by_family: Vec<Vec<u32>> = vec![Vec::new(); families.len()];
    for id in order {
        let family = state.keys.key(id).family;
        if let Some(list) = by_family.get_mut(family) {
            list.push(id);
        }
    }
    let span = match (snapshots.first(), snapshots.last()) {
        (Some(first), Some(last)) if snapshots.len() > 1 => Some((first.at, last.at)),
        _ => None,
    };
    let mut out = Vec::new();
    for (source, ids) in families.iter().zip(&by_family) {
        let descriptor = source.descriptor();
        if !wanted(descriptor) {
            continue;
        }
        let series = ids
            .iter()
            .map(|id| {
                let key = state.keys.key(*id);
                let labels = descriptor
                    .labels
                    .iter()
                    .zip(key.labels.iter())
                    .map(|(label, value)| (label.name, &**value))
                    .collect();
                let values = values(descriptor, &seen[id], &snapshots, span);
                SeriesSummary { labels, values }
            })
            .collect();
        out.push(FamilySummary {
            name: descriptor.name,
            kind: descriptor.kind.as_str(),
            help: descriptor.help,
            unit: descriptor.unit,
            exemplars: descriptor.exemplars,
            series,
        });
    }
    let to = live
        .as_ref()
        .map_or(window.to, |live| live.at.max(window.to));
    let body = Summary {
        from: rfc3339(window.from),
        to: rfc3339(to),
        from_unix: window.from,
        to_unix: to,
        interval_seconds: ring.interval().as_secs_f64(),
        samples: snapshots.len(),
        first_sample_unix: snapshots.first().map(|s| s.at),
        last_sample_unix: snapshots.last().map(|s| s.at),
        families: out,
    };
    serde_json::to_string(&body).map_err(Failure::internal)
}

/// Where a series was first and last seen in the window's snapshots (by index), and its numeric extremes.
#[derive(Debug, Clone, Copy)]
struct Seen {
    first: (usize, Value),
    last: (usize, Value),
    min: f64,
    max: f64,
}

/// The window statistics of one series.
fn values(
    descriptor: &Descriptor,
    seen: &Seen,
    snapshots: &[&Snapshot],
    span: Option<(f64, f64)>,
) -> Values {
    // A series missing from the first snapshot appeared during the window: it started from zero.
    let from_start = seen.first.0 == 0;
    match descriptor.kind {
        MetricKind::Counter => {
            let Some((first_at, last_at)) = span else {
                return Values::Counter {
                    delta: None,
                    rate: None,
                };
            };
            let start = if from_start {
                number(seen.first.1)
            } else {
                0.0
            };
            let delta = number(seen.last.1) - start;
            let rate = (last_at > first_at).then(|| delta / (last_at - first_at));
            Values::Counter {
                delta: Some(delta),
                rate,
            }
        }
        MetricKind::Gauge => Values::Gauge {
            last: number(seen.last.1),
            min: seen.min,
            max: seen.max,
        },
        MetricKind::Histogram => {
            let len = descriptor.buckets.len() + 1;
            let (
                Some(_),
                Value::Histogram {
                    start: last_start,
                    sum: last_sum,
                },
            ) = (span, seen.last.1)
            else {
                return Values::Histogram {
                    count: None,
                    sum: None,
                    p50: None,
                    p95: None,
                    p99: None,
                };
            };
            let last = snapshots[seen.last.0].histogram(last_start, len);
            let (first, first_sum) = match seen.first.1 {
                Value::Histogram { start, sum } if from_start => {
                    (snapshots[0].histogram(start, len), sum)
                }
                _ => (&[][..], 0.0),
            };
            let delta: Vec<u64> = (0..len)
                .map(|i| {
                    last.get(i)
                        .copied()
                        .unwrap_or(0)
                        .saturating_sub(first.get(i).copied().unwrap_or(0))
                })
                .collect();
            let quantile = |q| histogram_quantile(q, descriptor.buckets, &delta);
            Values::Histogram {
                count: delta.last().copied(),
                sum: Some(last_sum - first_sum),
                p50: quantile(0.5),
                p95: quantile(0.95),
                p99: quantile(0.99),
            }
        }
        MetricKind::StateSet => Values::StateSet {
            state: match seen.last.1 {
                Value::State(index) => descriptor.states.get(index as usize).copied(),
                _ => None,
            },
        },
        MetricKind::Info => Values::Info {},
    }
}

fn number(value: Value) -> f64 {
    match value {
        Value::Number(v) => v,
        _ => 0.0,
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    from: String,
    to: String,
    from_unix: f64,
    to_unix: f64,
    interval_seconds: f64,
    samples: usize,
    first_sample_unix: Option<f64>,
    last_sample_unix: Option<f64>,
    families: Vec<FamilySummary<'a>>,
}

#[derive(Serialize)]
struct FamilySummary<'a> {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    help: &'static str,
    unit: Option<&'static str>,
    exemplars: bool,
    series: Vec<SeriesSummary<'a>>,
}

#[derive(Serialize)]
struct SeriesSummary<'a> {
    labels: BTreeMap<&'static str, &'a str>,
    #[serde(flatten)]
    values: Values,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Values {
    Counter {
        delta: Option<f64>,
        rate: Option<f64>,
    },
    Gauge {
        last: f64,
        min: f64,
        max: f64,
    },
    Histogram {
        count: Option<u64>,
        sum: Option<f64>,
        p50: Option<f64>,
        p95: Option<f64>,
        p99: Option<f64>,
    },
    StateSet {
        state: Option<&'static str>,
    },
    Info {},
}
