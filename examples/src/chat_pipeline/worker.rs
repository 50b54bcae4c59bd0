//! The conversation worker, the WAL publisher and consumer, the outbox replicator and the degraded-buffer replay.
//!
//! A message's path: context build (memory recall through the breaker; degraded when it fails), the LLM call
//! (the fallback provider when the primary fails), the tenant's token charge, the memory write (outbox when
//! normal, degraded buffer when degraded), the WAL publish, and the consumer emitting the answer.

use std::sync::Arc;
use std::time::Instant;

use metrics_core::{ErrorReason, measure};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use super::Shared;
use super::deps::{RecallError, complete};
use super::metrics::{
    ASSISTANT_EMITTED_TOTAL, CONTEXT_BUILD_SECONDS, CallResult, EVENT_TO_RESPONSE_SECONDS,
    EmitMode, KAFKA_ERRORS_TOTAL, Mode, OUTBOX_REPLICATIONS_TOTAL, POSTGRES_ERRORS_TOTAL, Provider,
    REDIS_ERRORS_TOTAL, ReplicationResult, Role, SOMABRAIN_BYPASS_TOTAL, SOMABRAIN_CALLS_TOTAL,
    WAL_CONSUME_SECONDS, WAL_PUBLISH_ERRORS_TOTAL, WAL_PUBLISH_SECONDS,
};
use super::store::MemoryWrite;
use crate::job_scheduler::rng::Rng;

/// A message accepted by the gateway.
#[derive(Clone, Copy, Debug)]
pub struct Message {
    /// Its id (never a label).
    pub id: u64,
    /// The tenant's index in the budgets.
    pub tenant: usize,
    /// Who wrote it.
    pub role: Role,
    /// Prompt size in tokens.
    pub prompt_tokens: u64,
    /// When the gateway received it: the start of `event_to_response_seconds`.
    pub received: Instant,
}

/// An answer published to the WAL, for the consumer.
#[derive(Clone, Copy, Debug)]
pub struct Published {
    received: Instant,
    mode: Mode,
}

/// Why a WAL publish failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ErrorReason)]
pub enum WalError {
    /// Kafka refused the write.
    BrokerError,
}

/// Runs the conversation worker: each message on its own task, at most 16 at once, until `stop` (the messages
/// in progress are then dropped, as a worker process being stopped drops them).
pub async fn converse(
    shared: Arc<Shared>,
    mut messages: mpsc::Receiver<Message>,
    published: mpsc::Sender<Published>,
    mut stop: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(16));
    let mut running = JoinSet::new();
    loop {
        let message = tokio::select! {
            message = messages.recv() => message,
            _ = stop.wait_for(|stop| *stop) => None,
        };
        let Some(message) = message else {
            break;
        };
        while running.try_join_next().is_some() {}
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            break;
        };
        let shared = Arc::clone(&shared);
        let published = published.clone();
        running.spawn(async move {
            let mut rng = Rng::new(shared.settings.seed ^ message.id.wrapping_mul(0x9E37));
            if let Some(answer) = answer(&shared, message, &mut rng).await {
                let _ = published.send(answer).await;
            }
            drop(slot);
        });
    }
    running.shutdown().await;
}

/// One message through the worker; `None` when it could not be answered (both providers failed, or the WAL).
async fn answer(shared: &Shared, message: Message, rng: &mut Rng) -> Option<Published> {
    let (mode, recall) = build_context(shared, message, rng).await;
    SOMABRAIN_CALLS_TOTAL.labels(recall).inc();
    if mode == Mode::DegradedBypassSomabrain {
        SOMABRAIN_BYPASS_TOTAL.inc();
    }
    let settings = &shared.settings;
    let world = &shared.world;
    let prompt = message.prompt_tokens;
    let completion =
        match complete(world, Provider::Openai, &settings.model, mode, prompt, rng).await {
            Ok(completion) => completion,
            Err(_) => complete(
                world,
                Provider::Anthropic,
                &settings.fallback_model,
                mode,
                prompt,
                rng,
            )
            .await
            .ok()?,
        };
    shared
        .budgets
        .spend(message.tenant, completion.input + completion.output);
    remember(shared, message, mode, rng).await;
    for attempt in 1..=3 {
        match wal_publish(shared, rng).await {
            Ok(()) => break,
            Err(_) if attempt < 3 => KAFKA_ERRORS_TOTAL.inc(),
            Err(_) => {
                KAFKA_ERRORS_TOTAL.inc();
                return None;
            }
        }
    }
    Some(Published {
        received: message.received,
        mode,
    })
}

/// Builds the prompt's context: the memory recall (skipped for system messages) and the prompt assembly.
#[measure(duration(CONTEXT_BUILD_SECONDS))]
async fn build_context(shared: &Shared, message: Message, rng: &mut Rng) -> (Mode, CallResult) {
    let result = if message.role == Role::System {
        CallResult::Skipped
    } else {
        match shared.world.recall(rng).await {
            Ok(()) => CallResult::Success,
            Err(RecallError::Timeout) => CallResult::Timeout,
            Err(RecallError::CircuitOpen) => CallResult::CircuitOpen,
        }
    };
    tokio::time::sleep(shared.world.latency(rng, 15)).await;
    let mode = match result {
        CallResult::Success | CallResult::Skipped => Mode::Normal,
        CallResult::Timeout | CallResult::CircuitOpen => Mode::DegradedBypassSomabrain,
    };
    (mode, result)
}

/// Stores the turn's memory write: an outbox row (Postgres) when normal, a degraded-buffer entry (Redis) when
/// Somabrain was bypassed. Each store retries its own errors.
async fn remember(shared: &Shared, message: Message, mode: Mode, rng: &mut Rng) {
    let write = MemoryWrite {
        message: message.id,
    };
    let (errors, latency): (&metrics_core::Counter, u64) = match mode {
        Mode::Normal => (&POSTGRES_ERRORS_TOTAL, 6),
        Mode::DegradedBypassSomabrain => (&REDIS_ERRORS_TOTAL, 2),
    };
    loop {
        tokio::time::sleep(shared.world.latency(rng, latency)).await;
        if !shared.world.fails(rng) {
            break;
        }
        errors.inc();
    }
    match mode {
        Mode::Normal => shared.stores.outbox_insert(write),
        Mode::DegradedBypassSomabrain => shared.stores.degraded_push(write),
    }
}

/// Publishes an answer to the WAL (Kafka).
#[measure(duration(WAL_PUBLISH_SECONDS), errors(WAL_PUBLISH_ERRORS_TOTAL))]
async fn wal_publish(shared: &Shared, rng: &mut Rng) -> Result<(), WalError> {
    tokio::time::sleep(shared.world.latency(rng, 12)).await;
    if shared.world.fails(rng) {
        Err(WalError::BrokerError)
    } else {
        Ok(())
    }
}

/// Reads one answer from the WAL.
#[measure(duration(WAL_CONSUME_SECONDS))]
async fn wal_consume(shared: &Shared, rng: &mut Rng) {
    tokio::time::sleep(shared.world.latency(rng, 8)).await;
}

/// The WAL consumer: emits each published answer to its session.
pub async fn consume(
    shared: Arc<Shared>,
    mut published: mpsc::Receiver<Published>,
    mut stop: watch::Receiver<bool>,
) {
    let mut rng = Rng::new(shared.settings.seed ^ 0xC0);
    loop {
        let answer = tokio::select! {
            answer = published.recv() => answer,
            _ = stop.wait_for(|stop| *stop) => None,
        };
        let Some(answer) = answer else {
            return;
        };
        wal_consume(&shared, &mut rng).await;
        let mode = match answer.mode {
            Mode::Normal => EmitMode::Normal,
            Mode::DegradedBypassSomabrain => EmitMode::Degraded,
        };
        ASSISTANT_EMITTED_TOTAL.labels(mode).inc();
        EVENT_TO_RESPONSE_SECONDS.observe_duration(answer.received.elapsed());
    }
}

/// The outbox replicator: sends outbox rows to the memory service in batches of up to 50 while its breaker is
/// closed.
pub async fn replicate(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut rng = Rng::new(shared.settings.seed ^ 0x0B);
    while !*stop.borrow() {
        let batch = shared.stores.outbox_batch(50);
        if batch > 0 && shared.world.breaker_closed() {
            let result = if shared.world.somabrain_call(&mut rng).await {
                shared.stores.outbox_remove(batch);
                ReplicationResult::Success
            } else {
                ReplicationResult::Error
            };
            OUTBOX_REPLICATIONS_TOTAL
                .labels(result)
                .inc_by(batch as u64);
        }
        tokio::select! {
            () = tokio::time::sleep(shared.world.period(0.05)) => {}
            _ = stop.changed() => {}
        }
    }
}

/// The degraded-buffer replay: once the breaker is closed again, replays parked writes into the memory service
/// in batches of up to 20, so the buffer drains after a recovery (slower than it filled: the replay must not
/// flood a service that just came back).
pub async fn replay(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut rng = Rng::new(shared.settings.seed ^ 0xDE);
    while !*stop.borrow() {
        if shared.world.breaker_closed() {
            let writes = shared.stores.degraded_take(20);
            if !writes.is_empty() && !shared.world.somabrain_call(&mut rng).await {
                shared.stores.degraded_return(writes);
            }
        }
        tokio::select! {
            () = tokio::time::sleep(shared.world.period(0.1)) => {}
            _ = stop.changed() => {}
        }
    }
}
