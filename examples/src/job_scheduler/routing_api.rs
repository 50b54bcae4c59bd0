//! `GET /api/metrics/routing?service=chat`: the router's candidates with rank, score, health and price.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::llm_router::{LlmRouter, SERVICE};

/// The route, to merge beside the metrics endpoints (behind their guards).
pub fn routes(router: Arc<LlmRouter>) -> Router {
    Router::new()
        .route("/api/metrics/routing", get(routing))
        .with_state(router)
}

async fn routing(
    State(router): State<Arc<LlmRouter>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    match params.get("service").map(String::as_str) {
        Some(SERVICE) => Json(router.view()).into_response(),
        Some(other) => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": format!("unknown service `{other}`; known: [\"{SERVICE}\"]") })),
        )
            .into_response(),
        None => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": format!("missing `service`; known: [\"{SERVICE}\"]") })),
        )
            .into_response(),
    }
}
