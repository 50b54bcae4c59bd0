//! The chat pipeline example, simulated end to end: a gateway (sessions, messages, uploads, SSE clients), a
//! conversation worker calling the memory service (Somabrain) through a circuit breaker and an LLM with a
//! fallback provider, an outbox replicator and a degraded-mode buffer, a WAL publisher and consumer, tenant
//! token budgets and health checks, with the roadmap's metric set on the app's own router.
//!
//! Run it with `cargo run -p examples --example chat_pipeline`; [`Settings::from_env`] lists the variables.
//! `examples/src/chat_pipeline/README.md` maps each roadmap requirement to its code and its test.
//!
//! # Degraded mode
//!
//! When the memory service is down, recalls time out, the breaker opens (`circuit_state`), messages are answered
//! without memory (`somabrain_bypass_total`, `somabrain_calls_total{result="timeout"|"circuit_open"}`,
//! `llm_requests_total{mode="degraded_bypass_somabrain"}`, `assistant_emitted_total{mode="degraded"}`) and their
//! memory writes are parked in the degraded buffer (`degraded_buffer_size` fills). After recovery a live recall
//! closes the breaker and the replay drains the buffer. When the primary LLM is down, its calls fail
//! (`llm_errors_total{provider="openai"}`) and the fallback provider answers (`llm_requests_total{provider=
//! "anthropic"}`).
//!
//! # Where each metric is recorded, and how
//!
//! | metric | where | how |
//! |---|---|---|
//! | `chat_messages_in_total`, `sessions_*_total`, `attachments_uploaded_total` | [`gateway`] | by hand |
//! | `chat_enqueue_seconds`, `attachment_upload_seconds` | [`gateway`] | `#[measure(duration)]` |
//! | `sse_clients`, `sse_stream_errors_total` | [`gateway::Gateway::sse_client`] | `#[measure(in_flight)]`, by hand |
//! | `context_build_seconds`, `wal_publish_seconds`, `wal_publish_errors_total`, `wal_consume_seconds` | [`worker`] | `#[measure(duration, errors)]` |
//! | `llm_requests_total`, `llm_latency_seconds`, `llm_errors_total`, `llm_tokens_total`, `llm_request_tokens` | [`deps::complete`] | `#[measure(count, duration, errors, value)]` |
//! | `somabrain_calls_total`, `somabrain_bypass_total`, `assistant_emitted_total`, `event_to_response_seconds` | [`worker`] | by hand |
//! | `circuit_state` | the breaker's transitions ([`deps`]) | by hand (a state set) |
//! | `degraded_buffer_size`, `outbox_pending` | [`store`] | `observe = ..`: read at scrape time |
//! | `outbox_replications_total`, `redis/kafka/postgres_errors_total` | [`worker`], [`gateway`] | by hand |
//! | `tenant_budget_tokens_*` | [`budget`] | by hand (bounded `tenant`) |
//! | `health_checks_total` | [`health`] | `#[measure(count(.., result(outcome)))]` |
//! | `process_cpu_seconds_total`, `process_resident_memory_bytes`, ... | `metrics_collectors::process` | the collector |
//! | `http_server_requests_total`, `http_server_request_duration_seconds` (not in the roadmap) | the gateway's routes | `metrics_http::HttpMetricsLayer` |

pub mod budget;
pub mod catalog;
pub mod deps;
pub mod gateway;
pub mod health;
pub mod metrics;
pub mod store;
pub mod worker;

use crate::settings::{parse, positive, probability};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use metrics_core::{Registry, RegistryBuilder};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use budget::Budgets;
use deps::{Dependency, World};
use gateway::Gateway;
use metrics::{Role, Source, SseErrorReason};
use store::Stores;

use crate::job_scheduler::rng::Rng;

/// How the pipeline runs; every field has a default, so `cargo run` needs no variable.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Messages the load generator posts per second; `CHAT_MESSAGES_PER_SECOND`, default 20.
    pub messages_per_second: f64,
    /// Multiplies every simulated latency and period (outages, breaker cooldown, budget window, health
    /// interval); `CHAT_TIME_SCALE`, default 1. Tests run at 0.1.
    pub time_scale: f64,
    /// Probability of each background failure (Redis, Kafka, Postgres, LLM 429); `CHAT_FAILURE_RATE`, default
    /// 0.02.
    pub failure_rate: f64,
    /// An outage every this many seconds (scaled), alternately of the memory service and of the primary LLM;
    /// `CHAT_OUTAGE_EVERY_SECONDS`, default 60, 0 for none.
    pub outage_every: f64,
    /// How long each outage lasts (scaled); `CHAT_OUTAGE_SECONDS`, default 15.
    pub outage_for: f64,
    /// Simulated tenants (1 to [`metrics::MAX_TENANTS`]); `CHAT_TENANTS`, default 6.
    pub tenants: usize,
    /// Tokens each tenant may use per window; `CHAT_TENANT_BUDGET_TOKENS`, default 100000.
    pub budget_tokens: u64,
    /// The budget window (scaled); `CHAT_BUDGET_WINDOW_SECONDS`, default 60.
    pub budget_window: f64,
    /// The primary provider's model; `CHAT_LLM_MODEL`, default `gpt-4o-mini`.
    pub model: String,
    /// The fallback provider's model; `CHAT_FALLBACK_MODEL`, default `claude-haiku`.
    pub fallback_model: String,
    /// Seed of the simulation's random choices; `CHAT_SEED`, default 0.
    pub seed: u64,
    /// Stop after this long; `CHAT_RUN_SECONDS`, default: until Ctrl-C or SIGTERM.
    pub run_for: Option<Duration>,
    /// The server: `METRICS_ADDR` (default 127.0.0.1:9464) and the other `METRICS_*` variables; `/metrics` is
    /// merged into the gateway's own router.
    pub http: metrics_http::Config,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            messages_per_second: 20.0,
            time_scale: 1.0,
            failure_rate: 0.02,
            outage_every: 60.0,
            outage_for: 15.0,
            tenants: 6,
            budget_tokens: 100_000,
            budget_window: 60.0,
            model: "gpt-4o-mini".to_owned(),
            fallback_model: "claude-haiku".to_owned(),
            seed: 0,
            run_for: None,
            http: metrics_http::Config::default(),
        }
    }
}

impl Settings {
    /// The settings from the environment: the variables named on each field.
    ///
    /// # Errors
    ///
    /// A variable that does not parse or is out of range, named in the message.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`Settings::from_env`], reading variables through `lookup`.
    ///
    /// # Errors
    ///
    /// As [`Settings::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let d = Self::default();
        let settings = Self {
            messages_per_second: parse(&lookup, "CHAT_MESSAGES_PER_SECOND", "a rate")?
                .unwrap_or(d.messages_per_second),
            time_scale: parse(&lookup, "CHAT_TIME_SCALE", "a factor")?.unwrap_or(d.time_scale),
            failure_rate: parse(&lookup, "CHAT_FAILURE_RATE", "a probability")?
                .unwrap_or(d.failure_rate),
            outage_every: parse(&lookup, "CHAT_OUTAGE_EVERY_SECONDS", "seconds")?
                .unwrap_or(d.outage_every),
            outage_for: parse(&lookup, "CHAT_OUTAGE_SECONDS", "seconds")?.unwrap_or(d.outage_for),
            tenants: parse(&lookup, "CHAT_TENANTS", "a tenant count")?.unwrap_or(d.tenants),
            budget_tokens: parse(&lookup, "CHAT_TENANT_BUDGET_TOKENS", "tokens")?
                .unwrap_or(d.budget_tokens),
            budget_window: parse(&lookup, "CHAT_BUDGET_WINDOW_SECONDS", "seconds")?
                .unwrap_or(d.budget_window),
            model: lookup("CHAT_LLM_MODEL").unwrap_or(d.model),
            fallback_model: lookup("CHAT_FALLBACK_MODEL").unwrap_or(d.fallback_model),
            seed: parse(&lookup, "CHAT_SEED", "an integer")?.unwrap_or(d.seed),
            run_for: parse(&lookup, "CHAT_RUN_SECONDS", "seconds")?.map(Duration::from_secs_f64),
            http: metrics_http::Config::from_lookup(&lookup).map_err(|error| error.to_string())?,
        };
        settings.validate()?;
        Ok(settings)
    }

    /// Checks the ranges.
    ///
    /// # Errors
    ///
    /// The first setting out of range.
    pub fn validate(&self) -> Result<(), String> {
        positive(
            "CHAT_MESSAGES_PER_SECOND",
            self.messages_per_second,
            10_000.0,
        )?;
        positive("CHAT_TIME_SCALE", self.time_scale, 100.0)?;
        positive("CHAT_OUTAGE_SECONDS", self.outage_for, 86_400.0)?;
        positive("CHAT_BUDGET_WINDOW_SECONDS", self.budget_window, 86_400.0)?;
        if !(0.0..=86_400.0).contains(&self.outage_every) {
            return Err(format!(
                "CHAT_OUTAGE_EVERY_SECONDS: expected 0 to 86400, got {}",
                self.outage_every
            ));
        }
        probability("CHAT_FAILURE_RATE", self.failure_rate)?;
        if !(1..=metrics::MAX_TENANTS).contains(&self.tenants) {
            return Err(format!(
                "CHAT_TENANTS: expected 1 to {}, got {}",
                metrics::MAX_TENANTS,
                self.tenants
            ));
        }
        for (name, model) in [
            ("CHAT_LLM_MODEL", &self.model),
            ("CHAT_FALLBACK_MODEL", &self.fallback_model),
        ] {
            if model.is_empty() || model.chars().any(char::is_control) {
                return Err(format!("{name}: expected a model name, got {model:?}"));
            }
        }
        if self.run_for.is_some_and(|d| d.is_zero()) {
            return Err("CHAT_RUN_SECONDS: expected more than 0".to_owned());
        }
        Ok(())
    }
}

/// What every task shares.
#[derive(Debug)]
pub struct Shared {
    /// The settings.
    pub settings: Settings,
    /// Dependencies, outages, the breaker.
    pub world: World,
    /// The outbox and the degraded buffer.
    pub stores: Arc<Stores>,
    /// Tenant budgets.
    pub budgets: Budgets,
}

/// The served registry: the roadmap's families, the process collector and the server's own families. Built
/// once per process (the families are process-global).
///
/// # Errors
///
/// When it does not validate.
pub fn registry() -> Result<&'static Registry, String> {
    static SERVED: OnceLock<Result<Registry, String>> = OnceLock::new();
    SERVED
        .get_or_init(|| {
            let builder = metrics_http::families().into_iter().fold(
                Registry::builder().linked_under(module_path!()),
                RegistryBuilder::register,
            );
            metrics_collectors::process::register(builder)
                .build()
                .map_err(|error| error.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A running pipeline and its server.
#[derive(Debug)]
pub struct ChatPipeline {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    tasks: JoinSet<()>,
    server: tokio::task::JoinHandle<()>,
}

impl ChatPipeline {
    /// Validates `settings`, binds the gateway's router (with `/metrics` merged into it) and starts the load
    /// generator, the worker, the consumer, the replicator, the replay, the health checks, the budget windows and
    /// the outage schedule on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// Invalid settings, a registry that does not build, or a bind failure.
    pub async fn start(settings: Settings) -> Result<Self, String> {
        settings.validate()?;
        let registry = registry()?;
        let shared = Arc::new(Shared {
            world: World::new(settings.time_scale, settings.failure_rate),
            stores: Stores::install(),
            budgets: Budgets::new(settings.tenants, settings.budget_tokens),
            settings,
        });
        let (messages, inbox) = mpsc::channel(1000);
        let (published, outbox) = mpsc::channel(1000);
        let gateway = Arc::new(Gateway::new(Arc::clone(&shared), messages));

        // `/metrics` (and `/healthz`, `/api/metrics/*`) on the gateway's own router: no new server or port. The
        // metrics routes keep their guards; the gateway's routes are the gateway's.
        let http = shared.settings.http.clone().registry(registry);
        let bind = http.bind_addr();
        let app = gateway::routes(Arc::clone(&gateway))
            // The gateway's own HTTP traffic, by route template, in the built-in RED families.
            .layer(metrics_http::HttpMetricsLayer::new())
            .merge(metrics_http::router(http).map_err(|error| error.to_string())?);
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|error| format!("cannot bind {bind}: {error}"))?;
        let addr = listener.local_addr().map_err(|error| error.to_string())?;
        let (stop, stopped) = watch::channel(false);
        let mut server_stop = stop.subscribe();
        let server = tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<SocketAddr>();
            let _ = axum::serve(listener, service)
                .with_graceful_shutdown(async move {
                    let _ = server_stop.wait_for(|stop| *stop).await;
                })
                .await;
        });

        let mut tasks = JoinSet::new();
        tasks.spawn(worker::converse(
            Arc::clone(&shared),
            inbox,
            published,
            stopped.clone(),
        ));
        tasks.spawn(worker::consume(
            Arc::clone(&shared),
            outbox,
            stopped.clone(),
        ));
        tasks.spawn(worker::replicate(Arc::clone(&shared), stopped.clone()));
        tasks.spawn(worker::replay(Arc::clone(&shared), stopped.clone()));
        tasks.spawn(health::run(Arc::clone(&shared), stopped.clone()));
        tasks.spawn(budget_windows(Arc::clone(&shared), stopped.clone()));
        tasks.spawn(outages(Arc::clone(&shared), stopped.clone()));
        tasks.spawn(generate(gateway, stopped));
        Ok(Self {
            addr,
            shared,
            stop,
            tasks,
            server,
        })
    }

    /// The address the gateway (and its `/metrics`) is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Takes `dependency` down, or brings it back (the tests' outages; the schedule does the same).
    pub fn set_down(&self, dependency: Dependency, down: bool) {
        self.shared.world.set_down(dependency, down);
    }

    /// Stops the generator, the worker (dropping the messages in progress) and the background tasks, then the
    /// server.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        while self.tasks.join_next().await.is_some() {}
        let _ = self.server.await;
        self.shared.stores.uninstall();
    }
}

/// The load generator: posts messages at the configured rate, and around them opens and deletes sessions,
/// uploads attachments and connects SSE clients. Tenant 1 sends four in ten messages, so it spends its budget
/// first.
async fn generate(gateway: Arc<Gateway>, mut stop: watch::Receiver<bool>) {
    let settings = gateway.settings().clone();
    let mut rng = Rng::new(settings.seed);
    let mut ticks =
        tokio::time::interval(Duration::from_secs_f64(1.0 / settings.messages_per_second));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut side = JoinSet::new();
    while !*stop.borrow() {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => continue,
        }
        while side.try_join_next().is_some() {}
        if rng.chance(0.05) {
            gateway.create_session();
        }
        if rng.chance(0.04)
            && let Some(id) = gateway.oldest_session()
        {
            gateway.delete_session(id);
        }
        if rng.chance(0.03) {
            let bytes = 10_000 + rng.next_u64() % 2_000_000;
            let gateway = Arc::clone(&gateway);
            side.spawn(async move {
                let _ = gateway.upload(bytes).await;
            });
        }
        if rng.chance(0.03) {
            let lifetime = Duration::from_secs_f64((1.0 + rng.unit() * 4.0) * settings.time_scale);
            let error = rng.chance(0.2).then(|| {
                if rng.chance(0.5) {
                    SseErrorReason::ClientGone
                } else {
                    SseErrorReason::WriteTimeout
                }
            });
            let gateway = Arc::clone(&gateway);
            side.spawn(async move { gateway.sse_client(lifetime, error).await });
        }
        let tenant = if rng.chance(0.4) {
            0
        } else {
            rng.below(settings.tenants)
        };
        let role = if rng.chance(0.1) {
            Role::System
        } else {
            Role::User
        };
        let source = if rng.chance(0.7) {
            Source::Web
        } else {
            Source::Api
        };
        let tokens = 100 + rng.next_u64() % 1500;
        let gateway = Arc::clone(&gateway);
        side.spawn(async move {
            let _ = gateway.post_message(tenant, role, source, tokens).await;
        });
    }
    // Cancelled SSE clients and uploads still bring their gauges down: their guards drop here.
    side.shutdown().await;
}

/// Resets the tenants' budgets every window (scaled).
async fn budget_windows(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let window = shared.world.period(shared.settings.budget_window);
    while !*stop.borrow() {
        tokio::select! {
            () = tokio::time::sleep(window) => shared.budgets.reset(),
            _ = stop.changed() => {}
        }
    }
}

/// The outage schedule: every `outage_every` seconds (scaled), an outage of `outage_for`, alternately of the
/// memory service and of the primary LLM.
async fn outages(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    if shared.settings.outage_every == 0.0 {
        return;
    }
    let every = shared.world.period(shared.settings.outage_every);
    let outage = shared.world.period(shared.settings.outage_for);
    for dependency in [Dependency::Somabrain, Dependency::PrimaryLlm]
        .into_iter()
        .cycle()
    {
        for (wait, down) in [(every, true), (outage, false)] {
            tokio::select! {
                () = tokio::time::sleep(wait) => shared.world.set_down(dependency, down),
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                shared.world.set_down(dependency, false);
                return;
            }
        }
    }
}

/// Runs the pipeline until `settings.run_for` has passed, or Ctrl-C or SIGTERM.
///
/// # Errors
///
/// As [`ChatPipeline::start`].
pub async fn run(settings: Settings) -> Result<(), String> {
    let run_for = settings.run_for;
    let pipeline = ChatPipeline::start(settings).await?;
    println!(
        "chat pipeline: serving http://{addr}/metrics and the gateway's /v1/* routes",
        addr = pipeline.local_addr()
    );
    crate::stop::until_stopped(run_for).await;
    pipeline.shutdown().await;
    Ok(())
}
