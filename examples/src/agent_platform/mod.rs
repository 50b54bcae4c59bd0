//! The agent platform of seed 003 (`AgentOS`), simulated end to end: a gateway that rate-limits requests per
//! workspace, answers from a response cache when it can, and otherwise calls an agent over A2A, routing model
//! work through the CCR model router; the seed's metric set on `/metrics` of a custom registry (the platform's
//! families and the server's own, no process metrics, as the seed chose).
//!
//! Run it with `cargo run -p examples --example agent_platform`; [`Settings::from_env`] lists the variables.
//! `examples/src/agent_platform/README.md` maps each seed requirement to its code and its test.
//!
//! | metric | where | how |
//! |---|---|---|
//! | `a2a_request_duration_seconds`, `a2a_requests_total`, `a2a_active_tasks`, `a2a_response_size_bytes` | [`services::Services::a2a_call`] | `#[measure(count, duration(.., status(outcome)), in_flight, value(returned))]`, exemplars from the call's trace |
//! | `cache_operations_total`, `cache_latency_seconds` | [`services::Services::cache_get`], `cache_set` | `#[measure(duration)]`, the result by hand |
//! | `rate_limit_hits_total` | [`services::Services::admit`] | by hand, bounded `workspace_id` |
//! | `ccr_requests_total`, `ccr_latency_seconds`, `ccr_tokens_total` | [`services::Services::ccr_route`] | `#[measure(count(.., status(outcome)), duration, value(returned))]` |
//! | `agentos_info` | [`AgentPlatform::start`] | set once |

pub mod catalog;
pub mod metrics;
pub mod services;

use crate::settings::{parse, positive, probability};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use metrics_core::{Registry, RegistryBuilder};
use opentelemetry_sdk::trace::SdkTracerProvider;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::instrument::WithSubscriber as _;

use metrics::{
    AGENTOS_INFO, Agent, AgentosInfoLabels, Decision, Endpoint, Operation, Provider, TaskType,
};
use services::Services;

use crate::job_scheduler::rng::Rng;

/// The default address: the other examples serve on 9464 and 9465.
pub const DEFAULT_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 9466);

/// How the platform runs; every field has a default, so `cargo run` needs no variable.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Requests the load generator sends per second; `AGENTOS_REQUESTS_PER_SECOND`, default 50.
    pub requests_per_second: f64,
    /// Multiplies every simulated latency; `AGENTOS_TIME_SCALE`, default 1. Tests run at 0.1.
    pub time_scale: f64,
    /// Probability that an A2A call or a CCR route fails; `AGENTOS_FAILURE_RATE`, default 0.05.
    pub failure_rate: f64,
    /// Simulated workspaces (more than [`metrics::MAX_WORKSPACES`] shows the label's bound);
    /// `AGENTOS_WORKSPACES`, default 40.
    pub workspaces: u32,
    /// Requests each workspace may make per window; `AGENTOS_RATE_LIMIT`, default 20.
    pub rate_limit: u32,
    /// The rate-limit window, in real seconds (the request rate is not scaled either);
    /// `AGENTOS_RATE_WINDOW_SECONDS`, default 1.
    pub rate_window: f64,
    /// Seed of the simulation's random choices; `AGENTOS_SEED`, default 0.
    pub seed: u64,
    /// Stop after this long; `AGENTOS_RUN_SECONDS`, default: until Ctrl-C or SIGTERM.
    pub run_for: Option<Duration>,
    /// `agentos_info{version}`; `AGENTOS_VERSION`, default the crate's version.
    pub version: String,
    /// `agentos_info{environment}`; `AGENTOS_ENVIRONMENT`, default `development`.
    pub environment: String,
    /// The server: `METRICS_ADDR` (default [`DEFAULT_ADDR`]) and the other `METRICS_*` variables.
    pub http: metrics_http::Config,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            requests_per_second: 50.0,
            time_scale: 1.0,
            failure_rate: 0.05,
            workspaces: 40,
            rate_limit: 20,
            rate_window: 1.0,
            seed: 0,
            run_for: None,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            environment: "development".to_owned(),
            http: metrics_http::Config::default().addr(DEFAULT_ADDR),
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
        let mut http = metrics_http::Config::from_lookup(&lookup).map_err(|e| e.to_string())?;
        if lookup("METRICS_ADDR").is_none() {
            http = http.addr(DEFAULT_ADDR);
        }
        let settings = Self {
            requests_per_second: parse(&lookup, "AGENTOS_REQUESTS_PER_SECOND", "a rate")?
                .unwrap_or(d.requests_per_second),
            time_scale: parse(&lookup, "AGENTOS_TIME_SCALE", "a factor")?.unwrap_or(d.time_scale),
            failure_rate: parse(&lookup, "AGENTOS_FAILURE_RATE", "a probability")?
                .unwrap_or(d.failure_rate),
            workspaces: parse(&lookup, "AGENTOS_WORKSPACES", "a count")?.unwrap_or(d.workspaces),
            rate_limit: parse(&lookup, "AGENTOS_RATE_LIMIT", "a count")?.unwrap_or(d.rate_limit),
            rate_window: parse(&lookup, "AGENTOS_RATE_WINDOW_SECONDS", "seconds")?
                .unwrap_or(d.rate_window),
            seed: parse(&lookup, "AGENTOS_SEED", "an integer")?.unwrap_or(d.seed),
            run_for: parse(&lookup, "AGENTOS_RUN_SECONDS", "seconds")?.map(Duration::from_secs_f64),
            version: lookup("AGENTOS_VERSION").unwrap_or(d.version),
            environment: lookup("AGENTOS_ENVIRONMENT").unwrap_or(d.environment),
            http,
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
            "AGENTOS_REQUESTS_PER_SECOND",
            self.requests_per_second,
            10_000.0,
        )?;
        positive("AGENTOS_TIME_SCALE", self.time_scale, 100.0)?;
        positive("AGENTOS_RATE_WINDOW_SECONDS", self.rate_window, 86_400.0)?;
        probability("AGENTOS_FAILURE_RATE", self.failure_rate)?;
        if self.workspaces == 0 || self.rate_limit == 0 {
            return Err(
                "AGENTOS_WORKSPACES and AGENTOS_RATE_LIMIT: expected more than 0".to_owned(),
            );
        }
        for (name, value) in [
            ("AGENTOS_VERSION", &self.version),
            ("AGENTOS_ENVIRONMENT", &self.environment),
        ] {
            if value.is_empty() || value.chars().any(char::is_control) {
                return Err(format!("{name}: expected a label value, got {value:?}"));
            }
        }
        if self.run_for.is_some_and(|d| d.is_zero()) {
            return Err("AGENTOS_RUN_SECONDS: expected more than 0".to_owned());
        }
        Ok(())
    }
}

/// The served registry: the families declared under this module and the server's own, nothing else (the seed's
/// custom registry). Built once per process.
///
/// # Errors
///
/// When it does not validate.
pub fn registry() -> Result<&'static Registry, String> {
    static SERVED: OnceLock<Result<Registry, String>> = OnceLock::new();
    SERVED
        .get_or_init(|| {
            metrics_http::families()
                .into_iter()
                .fold(
                    Registry::builder().linked_under(module_path!()),
                    RegistryBuilder::register,
                )
                .build()
                .map_err(|error| error.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A running platform and its server.
#[derive(Debug)]
pub struct AgentPlatform {
    addr: SocketAddr,
    services: Arc<Services>,
    stop_load: watch::Sender<bool>,
    load: Option<tokio::task::JoinHandle<()>>,
    stop: watch::Sender<bool>,
    windows: tokio::task::JoinHandle<()>,
    server: tokio::task::JoinHandle<()>,
    _tracer: SdkTracerProvider,
}

impl AgentPlatform {
    /// Validates `settings`, sets `agentos_info`, binds `/metrics` and starts the load generator and the
    /// rate-limit windows on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// Invalid settings, a registry that does not build, or a bind failure.
    pub async fn start(settings: Settings) -> Result<Self, String> {
        settings.validate()?;
        let registry = registry()?;
        AGENTOS_INFO.set(AgentosInfoLabels {
            version: &settings.version,
            environment: &settings.environment,
        });
        let services = Arc::new(Services::new(
            settings.time_scale,
            settings.failure_rate,
            settings.rate_limit,
        ));
        let http = settings.http.clone().registry(registry);
        let bind = http.bind_addr();
        let app = metrics_http::router(http).map_err(|error| error.to_string())?;
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|error| format!("cannot bind {bind}: {error}"))?;
        let addr = listener.local_addr().map_err(|error| error.to_string())?;
        let (stop, stopped) = watch::channel(false);
        let mut server_stop = stopped.clone();
        let server = tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<SocketAddr>();
            let _ = axum::serve(listener, service)
                .with_graceful_shutdown(async move {
                    let _ = server_stop.wait_for(|stop| *stop).await;
                })
                .await;
        });
        // The calls' spans get OpenTelemetry trace ids from this subscriber, attached to the request tasks
        // rather than installed globally, so the platform can run inside a test binary beside others.
        let (subscriber, tracer) = crate::traced::subscriber();
        let dispatch = tracing::Dispatch::new(subscriber);
        let (stop_load, load_stopped) = watch::channel(false);
        let load = tokio::spawn(generate(
            Arc::clone(&services),
            settings.clone(),
            dispatch,
            load_stopped,
        ));
        let windows = tokio::spawn(rate_windows(
            Arc::clone(&services),
            settings.rate_window,
            stopped,
        ));
        Ok(Self {
            addr,
            services,
            stop_load,
            load: Some(load),
            stop,
            windows,
            server,
            _tracer: tracer,
        })
    }

    /// The address `/metrics` is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The services (their issued trace ids).
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Stops the load generator and waits for the requests in progress to finish: the active-task gauges are
    /// back to 0 after this. The server keeps serving.
    pub async fn stop_load(&mut self) {
        let _ = self.stop_load.send(true);
        if let Some(load) = self.load.take() {
            let _ = load.await;
        }
    }

    /// Stops the load (see [`AgentPlatform::stop_load`]), the rate-limit windows and the server.
    pub async fn shutdown(mut self) {
        self.stop_load().await;
        let _ = self.stop.send(true);
        let _ = self.windows.await;
        let _ = self.server.await;
    }
}

/// One gateway request: the rate limiter, then the cache, then (on a miss) CCR for model work and the A2A call,
/// whose answer is cached.
async fn handle(services: Arc<Services>, mut rng: Rng, workspace: u32) {
    let agent = [Agent::Navi, Agent::Herald, Agent::Approval, Agent::Sage][rng.below(4)];
    let operation = if rng.chance(0.6) {
        Operation::Query
    } else {
        Operation::Run
    };
    let endpoint = if agent == Agent::Approval && operation == Operation::Run {
        Endpoint::ApprovalRuns
    } else {
        Endpoint::AgentQuery
    };
    if services.admit(endpoint, workspace) == Decision::Denied {
        return;
    }
    // Queries repeat over a small key space, so the cache warms up; runs never hit it.
    let key = (agent as u64) << 32 | rng.below(300) as u64;
    if operation == Operation::Query && services.cache_get(key, &mut rng).await.is_some() {
        return;
    }
    if operation == Operation::Run || agent == Agent::Sage {
        let provider = [Provider::Claude, Provider::Openai, Provider::Gemini][rng.below(3)];
        let task_type = if rng.chance(0.7) {
            TaskType::Reasoning
        } else {
            TaskType::Summary
        };
        if services
            .ccr_route(provider, task_type, &mut rng)
            .await
            .is_err()
        {
            return;
        }
    }
    if let Ok(response) = services.a2a_call(agent, operation, &mut rng).await
        && operation == Operation::Query
    {
        services.cache_set(key, response.bytes, &mut rng).await;
    }
}

/// The load generator: requests at the configured rate, half of them from workspace 0 (so it hits the rate
/// limit), the rest spread over the other workspaces. Waits for the requests in progress when stopped.
async fn generate(
    services: Arc<Services>,
    settings: Settings,
    dispatch: tracing::Dispatch,
    mut stop: watch::Receiver<bool>,
) {
    let mut rng = Rng::new(settings.seed);
    let mut ticks =
        tokio::time::interval(Duration::from_secs_f64(1.0 / settings.requests_per_second));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut requests = JoinSet::new();
    while !*stop.borrow() {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => continue,
        }
        while requests.try_join_next().is_some() {}
        let workspace = if rng.chance(0.5) || settings.workspaces == 1 {
            0
        } else {
            1 + rng.below(settings.workspaces as usize - 1) as u32
        };
        let request = handle(Arc::clone(&services), Rng::new(rng.next_u64()), workspace);
        requests.spawn(request.with_subscriber(dispatch.clone()));
    }
    while requests.join_next().await.is_some() {}
}

/// Starts a new rate-limit window every `window` seconds.
async fn rate_windows(services: Arc<Services>, window: f64, mut stop: watch::Receiver<bool>) {
    let period = Duration::from_secs_f64(window);
    while !*stop.borrow() {
        tokio::select! {
            () = tokio::time::sleep(period) => services.reset_windows(),
            _ = stop.changed() => {}
        }
    }
}

/// Runs the platform until `settings.run_for` has passed, or Ctrl-C or SIGTERM. On the way out, names any
/// family of the platform's that was defined but never recorded (the seed review's finding about its gauge).
///
/// # Errors
///
/// As [`AgentPlatform::start`].
pub async fn run(settings: Settings) -> Result<(), String> {
    let run_for = settings.run_for;
    let platform = AgentPlatform::start(settings).await?;
    println!(
        "agent platform: serving http://{addr}/metrics",
        addr = platform.local_addr()
    );
    crate::stop::until_stopped(run_for).await;
    // Checked before the load stops: the check reads current values, and an idle gauge reads as never moved.
    // The server's own families are not the platform's.
    let server: Vec<&str> = metrics_http::families()
        .iter()
        .map(|family| family.descriptor().name)
        .collect();
    if let Err(unrecorded) = metrics_core::testing::check_recorded(registry()?, &server) {
        eprintln!("agent platform: defined but never recorded: {unrecorded}");
    }
    platform.shutdown().await;
    Ok(())
}
