//! The gateway: sessions, messages (budget check, then the enqueue to the WAL and the worker), attachments and
//! SSE clients, and the HTTP routes that call them. The load generator calls the same methods.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use metrics_core::{ErrorReason, LabelValue as _, measure};
use serde::Deserialize;
use tokio::sync::mpsc;

use super::Shared;
use super::metrics::{
    ATTACHMENT_UPLOAD_SECONDS, ATTACHMENTS_UPLOADED_TOTAL, CHAT_ENQUEUE_SECONDS,
    CHAT_MESSAGES_IN_TOTAL, REDIS_ERRORS_TOTAL, Role, SESSIONS_CREATED_TOTAL,
    SESSIONS_DELETED_TOTAL, SSE_CLIENTS, SSE_STREAM_ERRORS_TOTAL, Source, SseErrorReason,
};
use super::worker::Message;
use crate::job_scheduler::rng::Rng;

/// The gateway.
#[derive(Debug)]
pub struct Gateway {
    shared: Arc<Shared>,
    queue: mpsc::Sender<Message>,
    sessions: Mutex<BTreeSet<u64>>,
    next_id: AtomicU64,
    rng: Mutex<Rng>,
}

/// Why a message was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ErrorReason)]
pub enum PostError {
    /// The tenant's token budget is spent for this window (HTTP 429).
    OverBudget,
    /// The worker's queue is full or closed (HTTP 503).
    Unavailable,
}

/// Why an upload failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ErrorReason)]
pub enum UploadError {
    /// The object store refused it.
    StoreError,
}

impl Gateway {
    /// A gateway handing messages to `queue`.
    pub fn new(shared: Arc<Shared>, queue: mpsc::Sender<Message>) -> Self {
        let rng = Rng::new(shared.settings.seed ^ 0x6A7E);
        Self {
            shared,
            queue,
            sessions: Mutex::new(BTreeSet::new()),
            next_id: AtomicU64::new(1),
            rng: Mutex::new(rng),
        }
    }

    /// The pipeline's settings.
    pub fn settings(&self) -> &super::Settings {
        &self.shared.settings
    }

    fn draw<T>(&self, f: impl FnOnce(&mut Rng) -> T) -> T {
        f(&mut self.rng.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Opens a session and returns its id (never a label).
    pub fn create_session(&self) -> u64 {
        let id = self.id();
        self.sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id);
        SESSIONS_CREATED_TOTAL.inc();
        id
    }

    /// Deletes session `id`; false when there is no such session.
    pub fn delete_session(&self, id: u64) -> bool {
        let removed = self
            .sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
        if removed {
            SESSIONS_DELETED_TOTAL.inc();
        }
        removed
    }

    /// The oldest open session, if any (the load generator's pick to delete).
    pub fn oldest_session(&self) -> Option<u64> {
        self.sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .first()
            .copied()
    }

    /// Accepts a message of tenant `tenant` (index in the budgets) and hands it to the worker.
    ///
    /// # Errors
    ///
    /// The tenant's budget is spent, or the worker's queue is full.
    pub async fn post_message(
        &self,
        tenant: usize,
        role: Role,
        source: Source,
        prompt_tokens: u64,
    ) -> Result<u64, PostError> {
        let received = Instant::now();
        CHAT_MESSAGES_IN_TOTAL.labels(role, source).inc();
        if !self.shared.budgets.admit(tenant) {
            return Err(PostError::OverBudget);
        }
        let message = Message {
            id: self.id(),
            tenant,
            role,
            prompt_tokens,
            received,
        };
        self.enqueue(message).await?;
        Ok(message.id)
    }

    /// Appends the message to the WAL's Redis stream (retrying Redis errors) and hands it to the worker.
    #[measure(duration(CHAT_ENQUEUE_SECONDS))]
    async fn enqueue(&self, message: Message) -> Result<(), PostError> {
        loop {
            let (latency, fails) = self.draw(|rng| {
                (
                    self.shared.world.latency(rng, 8),
                    self.shared.world.fails(rng),
                )
            });
            tokio::time::sleep(latency).await;
            if !fails {
                break;
            }
            REDIS_ERRORS_TOTAL.inc();
        }
        self.queue
            .try_send(message)
            .map_err(|_| PostError::Unavailable)
    }

    /// Uploads an attachment of `bytes`; counted once stored.
    ///
    /// # Errors
    ///
    /// The object store's refusal.
    pub async fn upload(&self, bytes: u64) -> Result<(), UploadError> {
        let result = self.store_attachment(bytes).await;
        if result.is_ok() {
            ATTACHMENTS_UPLOADED_TOTAL.inc();
        }
        result
    }

    #[measure(duration(ATTACHMENT_UPLOAD_SECONDS))]
    async fn store_attachment(&self, bytes: u64) -> Result<(), UploadError> {
        let (latency, fails) = self.draw(|rng| {
            (
                self.shared.world.latency(rng, 80 + bytes / 20_000),
                self.shared.world.fails(rng),
            )
        });
        tokio::time::sleep(latency).await;
        if fails {
            Err(UploadError::StoreError)
        } else {
            Ok(())
        }
    }

    /// An SSE client connected for `lifetime`, ending with `error` if given. `sse_clients` is held up while it is
    /// connected, by a guard that also comes down when the connection's task is cancelled.
    #[measure(in_flight(SSE_CLIENTS))]
    pub async fn sse_client(&self, lifetime: Duration, error: Option<SseErrorReason>) {
        tokio::time::sleep(lifetime).await;
        if let Some(reason) = error {
            SSE_STREAM_ERRORS_TOTAL.labels(reason).inc();
        }
    }
}

/// The body of `POST /v1/messages`.
#[derive(Debug, Deserialize)]
struct PostMessage {
    tenant: String,
    text: String,
    #[serde(default)]
    system: bool,
}

/// The gateway's routes: `POST /v1/sessions`, `DELETE /v1/sessions/{id}`, `POST /v1/messages`,
/// `POST /v1/attachments` and `GET /v1/health` (every dependency checked now, as JSON).
pub fn routes(gateway: Arc<Gateway>) -> Router {
    Router::new()
        .route(
            "/v1/sessions",
            post(|State(gateway): State<Arc<Gateway>>| async move {
                (StatusCode::CREATED, gateway.create_session().to_string())
            }),
        )
        .route(
            "/v1/sessions/{id}",
            delete(
                |State(gateway): State<Arc<Gateway>>, Path(id): Path<u64>| async move {
                    if gateway.delete_session(id) {
                        StatusCode::NO_CONTENT
                    } else {
                        StatusCode::NOT_FOUND
                    }
                },
            ),
        )
        .route("/v1/messages", post(post_message))
        .route(
            "/v1/attachments",
            post(
                |State(gateway): State<Arc<Gateway>>, body: axum::body::Bytes| async move {
                    match gateway.upload(body.len() as u64).await {
                        Ok(()) => StatusCode::CREATED,
                        Err(_) => StatusCode::BAD_GATEWAY,
                    }
                },
            ),
        )
        .route("/v1/health", get(health))
        .with_state(gateway)
}

async fn post_message(
    State(gateway): State<Arc<Gateway>>,
    Json(body): Json<PostMessage>,
) -> (StatusCode, String) {
    let Some(tenant) = gateway.shared.budgets.find(&body.tenant) else {
        return (StatusCode::FORBIDDEN, "unknown tenant\n".to_owned());
    };
    let role = if body.system {
        Role::System
    } else {
        Role::User
    };
    // About four characters a token.
    let tokens = (body.text.len() as u64 / 4).max(1);
    match gateway
        .post_message(tenant, role, Source::Api, tokens)
        .await
    {
        Ok(id) => (StatusCode::ACCEPTED, format!("{id}\n")),
        Err(PostError::OverBudget) => (
            StatusCode::TOO_MANY_REQUESTS,
            "token budget spent\n".to_owned(),
        ),
        Err(PostError::Unavailable) => (StatusCode::SERVICE_UNAVAILABLE, "busy\n".to_owned()),
    }
}

async fn health(State(gateway): State<Arc<Gateway>>) -> (StatusCode, Json<serde_json::Value>) {
    let mut rng = gateway.draw(|rng| Rng::new(rng.next_u64()));
    let results = super::health::check_all(&gateway.shared.world, &mut rng).await;
    let healthy = results.iter().all(|(_, result)| *result == "ok");
    let body = results
        .into_iter()
        .map(|(component, result)| (component.as_str().to_owned(), result.into()))
        .collect::<serde_json::Map<_, _>>();
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body.into()))
}
