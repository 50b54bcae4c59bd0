//! The proxy's routes: health, readiness, the model list and chat completions (JSON or a stream), in front of
//! the simulated app-server worker, with the RED layer recording every request into the `codex_http_*`
//! families.
//!
//! The `model` label comes from the request body: a middleware reads the JSON body's `model` before the RED layer
//! runs, maps it to the closed [`Model`] set and leaves it in the request's extensions, where the layer's
//! [`RecordRequest`] reads it. The route is the matched template (`/v1/models/{model}`), never the path.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body::Frame;
use metrics_core::{InflightGuard, LabelValue as _};
use metrics_http::{Finished, HttpMetricsLayer, RecordRequest, RequestHead};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::mpsc;

use super::metrics::{
    ACTIVE_STREAMS, AbortReason, ErrorCategory, HTTP_ERRORS_TOTAL, HTTP_REQUEST_DURATION_SECONDS,
    HTTP_REQUESTS_TOTAL, Method as MethodLabel, Model, OutputMode, TOOL_BUFFER_ABORTED_TOTAL,
    TOOL_BUFFER_FLUSHED_TOTAL, TOOL_BUFFER_STARTED_TOTAL,
};
use super::supervisor::Supervisor;
use crate::job_scheduler::rng::Rng;

/// What the routes share.
#[derive(Debug)]
pub struct Proxy {
    /// The worker's supervisor.
    pub supervisor: Arc<Supervisor>,
    /// Multiplies every simulated latency.
    pub time_scale: f64,
    /// Probability that the worker crashes during a stream.
    pub crash_rate: f64,
    /// Probability that a completion fails upstream (half timeouts, half errors).
    pub upstream_error_rate: f64,
    rng: Mutex<Rng>,
}

impl Proxy {
    /// The shared state.
    pub fn new(
        supervisor: Arc<Supervisor>,
        time_scale: f64,
        crash_rate: f64,
        upstream_error_rate: f64,
        seed: u64,
    ) -> Self {
        Self {
            supervisor,
            time_scale,
            crash_rate,
            upstream_error_rate,
            rng: Mutex::new(Rng::new(seed ^ 0x9A0C)),
        }
    }

    fn draw<T>(&self, f: impl FnOnce(&mut Rng) -> T) -> T {
        f(&mut self.rng.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn latency(&self, millis: u64) -> Duration {
        self.draw(|rng| rng.jitter_ms(millis))
            .mul_f64(self.time_scale)
    }
}

/// Records a failed request's category and answers it.
fn fail(route: &str, category: ErrorCategory, status: StatusCode) -> Response {
    HTTP_ERRORS_TOTAL.labels(route, category).inc();
    (
        status,
        Json(json!({ "error": { "type": category.as_str() } })),
    )
        .into_response()
}

/// The RED recorder: the layer's route, method and status class, and the model the middleware found.
#[derive(Clone, Copy, Debug)]
pub struct Red;

impl RecordRequest for Red {
    type Extracted = Model;

    fn extract(&self, head: &RequestHead<'_>) -> Model {
        head.extensions
            .get::<Model>()
            .copied()
            .unwrap_or(Model::None)
    }

    fn finish(&self, done: &Finished<'_>, model: Model) {
        let (route, method, status) = (
            done.route,
            MethodLabel::from(done.method),
            done.status_class,
        );
        HTTP_REQUESTS_TOTAL
            .labels(route, method, status, model)
            .inc();
        HTTP_REQUEST_DURATION_SECONDS
            .labels(route, method, status, model)
            .observe_duration(done.elapsed);
    }
}

/// The proxy's routes, with the RED layer and the model middleware.
pub fn routes(proxy: Arc<Proxy>) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/v1/models", get(models))
        .route("/v1/models/{model}", get(model))
        .route("/v1/chat/completions", post(chat))
        .with_state(proxy)
        .layer(HttpMetricsLayer::new().recorder(Red))
        .layer(middleware::from_fn(read_model))
}

#[derive(Debug, Deserialize)]
struct ModelField {
    model: Option<String>,
}

/// Reads a POST body's `model` into the request's extensions (as a [`Model`]), for the RED layer.
async fn read_model(request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    // A body that cannot be read goes on empty: the handler answers 400 and the layer records it.
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    if let Some(name) = serde_json::from_slice::<ModelField>(&bytes)
        .ok()
        .and_then(|field| field.model)
    {
        parts.extensions.insert(Model::from_name(&name));
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

async fn readyz(State(proxy): State<Arc<Proxy>>) -> (StatusCode, Json<serde_json::Value>) {
    let snapshot = proxy.supervisor.snapshot();
    let status = if proxy.supervisor.ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "worker_state": snapshot.state.as_str(),
        "restarts": snapshot.restarts,
        "backoff_seconds": snapshot.backoff.as_secs_f64(),
        "maintenance": snapshot.maintenance,
    });
    (status, Json(body))
}

async fn models(State(proxy): State<Arc<Proxy>>) -> Json<serde_json::Value> {
    tokio::time::sleep(proxy.latency(5)).await;
    let data: Vec<_> = Model::SERVED
        .iter()
        .map(|model| json!({ "id": model.as_str(), "object": "model" }))
        .collect();
    Json(json!({ "object": "list", "data": data }))
}

async fn model(
    State(proxy): State<Arc<Proxy>>,
    route: MatchedPath,
    Path(name): Path<String>,
) -> Response {
    tokio::time::sleep(proxy.latency(5)).await;
    match Model::from_name(&name) {
        Model::Other | Model::None => fail(
            route.as_str(),
            ErrorCategory::BadRequest,
            StatusCode::NOT_FOUND,
        ),
        model => Json(json!({ "id": model.as_str(), "object": "model" })).into_response(),
    }
}

/// The body of a chat completion request (the fields the proxy reads).
#[derive(Debug, Deserialize)]
struct ChatRequest {
    model: String,
    #[serde(default)]
    stream: bool,
    /// Whether the model may call tools (the stream then carries a tool call through the tool buffer).
    #[serde(default)]
    tools: bool,
    #[serde(default)]
    output_mode: Option<String>,
    #[serde(default)]
    max_tokens: Option<u64>,
}

async fn chat(State(proxy): State<Arc<Proxy>>, route: MatchedPath, body: Bytes) -> Response {
    let route = route.as_str();
    let Ok(request) = serde_json::from_slice::<ChatRequest>(&body) else {
        return fail(route, ErrorCategory::BadRequest, StatusCode::BAD_REQUEST);
    };
    if Model::from_name(&request.model) == Model::Other {
        return fail(route, ErrorCategory::BadRequest, StatusCode::NOT_FOUND);
    }
    let snapshot = proxy.supervisor.snapshot();
    if snapshot.maintenance {
        return fail(
            route,
            ErrorCategory::Maintenance,
            StatusCode::SERVICE_UNAVAILABLE,
        );
    }
    if !proxy.supervisor.ready() {
        return fail(
            route,
            ErrorCategory::WorkerUnavailable,
            StatusCode::SERVICE_UNAVAILABLE,
        );
    }
    let tokens = request.max_tokens.unwrap_or(256).min(4096);
    if request.stream {
        return stream(&proxy, route, &request, tokens).await;
    }
    let upstream = proxy.draw(|rng| {
        rng.chance(proxy.upstream_error_rate)
            .then(|| rng.chance(0.5))
    });
    match upstream {
        Some(true) => {
            // The worker's deadline.
            tokio::time::sleep(Duration::from_secs_f64(5.0 * proxy.time_scale)).await;
            fail(
                route,
                ErrorCategory::UpstreamTimeout,
                StatusCode::GATEWAY_TIMEOUT,
            )
        }
        Some(false) => {
            tokio::time::sleep(proxy.latency(100)).await;
            fail(route, ErrorCategory::UpstreamError, StatusCode::BAD_GATEWAY)
        }
        None => {
            tokio::time::sleep(proxy.latency(300 + tokens)).await;
            Json(json!({
                "object": "chat.completion",
                "model": request.model,
                "choices": [{ "index": 0, "message": { "role": "assistant", "content": "..." } }],
                "usage": { "completion_tokens": tokens },
            }))
            .into_response()
        }
    }
}

/// Starts a stream: the first byte after the worker's think time, then chunks from a producer task standing for
/// the app-server worker. The `codex_active_streams` guard lives in the response body, so the gauge comes down
/// however the stream ends: completed, dropped by a client that went away, or cut short by a worker crash (the
/// producer panics, its channel closes, the body ends).
async fn stream(proxy: &Arc<Proxy>, route: &str, request: &ChatRequest, tokens: u64) -> Response {
    let active = ACTIVE_STREAMS.track_inflight();
    tokio::time::sleep(proxy.latency(150)).await;
    let chunks = 10 + tokens / 16;
    let crash_at = proxy.draw(|rng| {
        rng.chance(proxy.crash_rate)
            .then(|| rng.next_u64() % chunks)
    });
    let mode = match request.output_mode.as_deref() {
        Some("obsidian_xml") => OutputMode::ObsidianXml,
        _ => OutputMode::OpenaiJson,
    };
    let (sender, receiver) = mpsc::channel(4);
    let producer = Producer {
        proxy: Arc::clone(proxy),
        route: route.to_owned(),
        chunks,
        crash_at,
        tools: request.tools.then_some(mode),
        sender,
    };
    tokio::spawn(producer.run());
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .body(Body::new(StreamBody {
            receiver,
            _active: active,
        }))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// A stream's body: the producer's chunks, holding the active-streams guard until it is dropped.
#[derive(Debug)]
struct StreamBody {
    receiver: mpsc::Receiver<Bytes>,
    _active: InflightGuard<'static>,
}

impl http_body::Body for StreamBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.receiver
            .poll_recv(cx)
            .map(|chunk| chunk.map(|bytes| Ok(Frame::data(bytes))))
    }
}

/// The simulated app-server worker producing one stream.
struct Producer {
    proxy: Arc<Proxy>,
    route: String,
    chunks: u64,
    crash_at: Option<u64>,
    tools: Option<OutputMode>,
    sender: mpsc::Sender<Bytes>,
}

impl Producer {
    async fn run(self) {
        let mut buffer = self.tools.map(ToolBuffer::new);
        for n in 0..self.chunks {
            tokio::time::sleep(self.proxy.latency(40)).await;
            if self.crash_at == Some(n) {
                HTTP_ERRORS_TOTAL
                    .labels(&self.route, ErrorCategory::StreamAborted)
                    .inc();
                self.proxy.supervisor.crash();
                // The worker dies mid-stream: a real unwind through this task (the open tool buffer counts its
                // abort as it drops), without the panic hook's message.
                std::panic::resume_unwind(Box::new("simulated app-server worker crash"));
            }
            let chunk = match buffer.as_mut() {
                Some(buffer) if n == self.chunks / 3 => {
                    buffer.start();
                    continue;
                }
                Some(buffer) if n == 2 * self.chunks / 3 => {
                    buffer.flush();
                    Bytes::from_static(b"data: {\"tool_call\":\"...\"}\n\n")
                }
                _ => Bytes::from_static(b"data: {\"delta\":\"...\"}\n\n"),
            };
            if self.sender.send(chunk).await.is_err() {
                if let Some(buffer) = buffer.as_mut() {
                    buffer.abort(AbortReason::ClientCancelled);
                }
                return;
            }
        }
        let _ = self
            .sender
            .send(Bytes::from_static(b"data: [DONE]\n\n"))
            .await;
    }
}

/// A tool call being buffered until it is whole: `codex_tool_buffer_started_total` when opened,
/// `codex_tool_buffer_flushed_total` when flushed, `codex_tool_buffer_aborted_total{reason}` when dropped open.
#[derive(Debug)]
struct ToolBuffer {
    mode: OutputMode,
    open: bool,
}

impl ToolBuffer {
    fn new(mode: OutputMode) -> Self {
        Self { mode, open: false }
    }

    fn start(&mut self) {
        TOOL_BUFFER_STARTED_TOTAL.labels(self.mode).inc();
        self.open = true;
    }

    fn flush(&mut self) {
        if self.open {
            TOOL_BUFFER_FLUSHED_TOTAL.labels(self.mode).inc();
            self.open = false;
        }
    }

    fn abort(&mut self, reason: AbortReason) {
        if self.open {
            TOOL_BUFFER_ABORTED_TOTAL.labels(self.mode, reason).inc();
            self.open = false;
        }
    }
}

impl Drop for ToolBuffer {
    fn drop(&mut self) {
        // Still open when dropped: unwinding, the worker crashed mid-buffer; otherwise the producer task was
        // dropped with the proxy, which cuts the client's stream.
        let reason = if std::thread::panicking() {
            AbortReason::WorkerCrash
        } else {
            AbortReason::ClientCancelled
        };
        self.abort(reason);
    }
}
