//! `GET /api/metrics/schema`: the catalog of every registered family, as JSON.
//!
//! The JSON shape is documented in the crate docs.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use metrics_core::{Descriptor, LabelValues, Registry};
use serde::Serialize;

use super::json::{json_error, json_response};
use crate::bounded;
use crate::state::Shared;

/// The handler.
pub(crate) async fn schema(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let registry = match shared.config.resolve_registry() {
        Ok(registry) => registry,
        Err(error) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
    };
    match bounded::run(&shared, &headers, move || catalog(registry)).await {
        Ok(Ok(body)) => json_response(StatusCode::OK, body),
        Ok(Err(error)) => json_error(StatusCode::INTERNAL_SERVER_ERROR, error),
        Err(refusal) => refusal.into_response(),
    }
}

/// The catalog JSON of `registry`.
pub(crate) fn catalog(registry: &Registry) -> Result<String, String> {
    let families = registry
        .families()
        .into_iter()
        .map(|family| FamilySchema::of(family.descriptor()))
        .collect();
    serde_json::to_string(&Catalog { families }).map_err(|error| error.to_string())
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
    source: Source,
}

impl FamilySchema {
    fn of(descriptor: &'static Descriptor) -> Self {
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
