//! `GET /api/metrics/schema`: the catalog of every registered family, as JSON.
//!
//! The JSON shape is documented in the crate docs.

use axum::http::StatusCode;
use axum::response::Response;
use metrics_core::{Descriptor, LabelValues, Registry};
use serde::Serialize;

use super::json::{json_error, json_response};
use crate::offload::{Failure, Offload};

/// The handler.
pub(crate) async fn schema(offload: Offload) -> Response {
    offload
        .answer(json_error, |_, registry| {
            catalog(registry).map(|body| json_response(StatusCode::OK, body))
        })
        .await
}

/// The catalog JSON of `registry`.
fn catalog(registry: &Registry) -> Result<String, Failure> {
    let unrecorded = registry.unrecorded();
    let families = registry
        .families()
        .into_iter()
        .map(|family| {
            let descriptor = family.descriptor();
            FamilySchema::of(descriptor, !unrecorded.contains(&descriptor.name))
        })
        .collect();
    serde_json::to_string(&Catalog { families }).map_err(Failure::internal)
}

#[derive(Serialize)]
struct Catalog {
    families: Vec<FamilySchema>,
}

#[derive(Serialize)]
struct FamilySchema {
    name: &'static str,
    family: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    help: &'static str,
    unit: Option<&'static str>,
    labels: Vec<LabelSchema>,
    buckets: &'static [f64],
    states: &'static [&'static str],
    max_series: usize,
    exemplars: bool,
    recorded: bool,
    /// `expire_after` of a family whose bounded label's idle values are removed; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    expire_after_seconds: Option<f64>,
    source: Source,
}

impl FamilySchema {
    fn of(descriptor: &'static Descriptor, recorded: bool) -> Self {
        Self {
            name: descriptor.name,
            family: descriptor.family_name(),
            kind: descriptor.kind.as_str(),
            help: descriptor.help,
            unit: descriptor.unit,
            labels: descriptor
                .labels
                .iter()
                .map(|label| LabelSchema {
                    name: label.name,
                    values: match label.values {
                        LabelValues::Enum(values) => Values::Enum { values },
                        LabelValues::Bounded { cap } => Values::Bounded { cap },
                        LabelValues::Text => Values::Text,
                    },
                })
                .collect(),
            buckets: descriptor.buckets,
            states: descriptor.states,
            max_series: descriptor.max_series(),
            exemplars: descriptor.exemplars,
            recorded,
            expire_after_seconds: descriptor.expire_after.map(|after| after.as_secs_f64()),
            source: Source {
                file: descriptor.location.file,
                line: descriptor.location.line,
                column: descriptor.location.column,
                module_path: descriptor.location.module_path,
            },
        }
    }
}

#[derive(Serialize)]
struct LabelSchema {
    name: &'static str,
    #[serde(flatten)]
    values: Values,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Values {
    Enum { values: &'static [&'static str] },
    Bounded { cap: usize },
    Text,
}

#[derive(Serialize)]
struct Source {
    file: &'static str,
    line: u32,
    column: u32,
    module_path: &'static str,
}
