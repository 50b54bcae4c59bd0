//! The model proxy (an OpenAI-compatible proxy in front of an app-server model worker), simulated
//! end to end: RED metrics by route template, method, status family and optional model; error categories; the
//! worker supervisor's restart and backoff state and readiness; active streams; the `codex_tool_buffer_*`
//! counters; a maintenance flag; and `/metrics` switched by `PROXY_ENABLE_METRICS` and guarded by the loopback
//! rule or a bearer token.
//!
//! Run it with `cargo run -p examples --example model_proxy`; [`Settings::from_env`] lists the variables.
//! `examples/src/model_proxy/README.md` maps each requirement of the story to its code and its test.
//!
//! # Where each metric is recorded, and how
//!
//! | metric | where | how |
//! |---|---|---|
//! | `codex_http_requests_total`, `codex_http_request_duration_seconds` | every proxy route | `HttpMetricsLayer::recorder` ([`proxy::Red`]), `model` from the body via a middleware |
//! | `codex_http_errors_total` | the handlers ([`proxy`]) | by hand, where the category is known |
//! | `codex_active_streams` | the stream's response body ([`proxy`]) | a `track_inflight` guard held by the body |
//! | `codex_worker_ready`, `codex_worker_state`, `codex_worker_restarts_total`, `codex_worker_backoff_seconds`, `codex_maintenance_mode` | [`supervisor`] | `observe = ..`: the supervisor's snapshot at scrape time |
//! | `codex_tool_buffer_*_total` | the stream producer's tool buffer ([`proxy`]) | by hand; aborts counted on drop |
//!
//! # The `/metrics` guard
//!
//! `PROXY_ENABLE_METRICS=false` leaves `/metrics` (and the other `metrics-http` routes) off the router: 404.
//! When on, the routes are merged into the proxy's router and keep `metrics-http`'s guards: loopback peers
//! only, and with `PROXY_METRICS_TOKEN` set, a bearer token required of every peer (remote peers are then let in
//! with it).

pub mod catalog;
pub mod load;
pub mod metrics;
pub mod proxy;
pub mod supervisor;

use crate::settings::{flag, parse, probability};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use metrics_core::{Family, Registry, RegistryBuilder};
use metrics_http::BearerToken;
use tokio::sync::watch;
use tokio::task::JoinSet;

use proxy::Proxy;
use supervisor::{Snapshot, Supervisor};

/// How the proxy runs; every field has a default, so `cargo run` needs no variable.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The proxy's address; `PROXY_ADDR`, default 127.0.0.1:9465.
    pub addr: SocketAddr,
    /// Serve `/metrics` (and `/healthz`, `/api/metrics/*`); `PROXY_ENABLE_METRICS`, default true.
    pub enable_metrics: bool,
    /// The bearer token `/metrics` requires; `PROXY_METRICS_TOKEN`, default none (loopback peers only).
    pub metrics_token: Option<String>,
    /// Keep the `model` label (false sums it away); `PROXY_METRICS_MODEL_LABEL`, default true.
    pub model_label: bool,
    /// Start in maintenance; `PROXY_MAINTENANCE_MODE`, default false.
    pub maintenance: bool,
    /// Requests per second of the built-in load generator; `PROXY_REQUESTS_PER_SECOND`, default 20, 0 for none.
    pub requests_per_second: f64,
    /// Multiplies every simulated latency and the supervisor's timings; `PROXY_TIME_SCALE`, default 1.
    pub time_scale: f64,
    /// Probability that the worker crashes during a stream; `PROXY_WORKER_CRASH_RATE`, default 0.02.
    pub crash_rate: f64,
    /// Probability that a completion fails upstream; `PROXY_UPSTREAM_ERROR_RATE`, default 0.03.
    pub upstream_error_rate: f64,
    /// Seed of the simulation's random choices; `PROXY_SEED`, default 0.
    pub seed: u64,
    /// Stop after this long; `PROXY_RUN_SECONDS`, default: until Ctrl-C or SIGTERM.
    pub run_for: Option<Duration>,
    /// The metrics routes' settings (`METRICS_*`: summary window, limits, ...); the address is `addr`'s.
    pub http: metrics_http::Config,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 9465)),
            enable_metrics: true,
            metrics_token: None,
            model_label: true,
            maintenance: false,
            requests_per_second: 20.0,
            time_scale: 1.0,
            crash_rate: 0.02,
            upstream_error_rate: 0.03,
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
            addr: parse(&lookup, "PROXY_ADDR", "an address such as 127.0.0.1:9465")?
                .unwrap_or(d.addr),
            enable_metrics: flag(&lookup, "PROXY_ENABLE_METRICS", d.enable_metrics)?,
            metrics_token: lookup("PROXY_METRICS_TOKEN").filter(|t| !t.is_empty()),
            model_label: flag(&lookup, "PROXY_METRICS_MODEL_LABEL", d.model_label)?,
            maintenance: flag(&lookup, "PROXY_MAINTENANCE_MODE", d.maintenance)?,
            requests_per_second: parse(&lookup, "PROXY_REQUESTS_PER_SECOND", "a rate")?
                .unwrap_or(d.requests_per_second),
            time_scale: parse(&lookup, "PROXY_TIME_SCALE", "a factor")?.unwrap_or(d.time_scale),
            crash_rate: parse(&lookup, "PROXY_WORKER_CRASH_RATE", "a probability")?
                .unwrap_or(d.crash_rate),
            upstream_error_rate: parse(&lookup, "PROXY_UPSTREAM_ERROR_RATE", "a probability")?
                .unwrap_or(d.upstream_error_rate),
            seed: parse(&lookup, "PROXY_SEED", "an integer")?.unwrap_or(d.seed),
            run_for: parse(&lookup, "PROXY_RUN_SECONDS", "seconds")?.map(Duration::from_secs_f64),
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
        if !(0.0..=10_000.0).contains(&self.requests_per_second) {
            return Err(format!(
                "PROXY_REQUESTS_PER_SECOND: expected 0 to 10000, got {}",
                self.requests_per_second
            ));
        }
        if !(self.time_scale > 0.0 && self.time_scale <= 100.0) {
            return Err(format!(
                "PROXY_TIME_SCALE: expected a factor in (0, 100], got {}",
                self.time_scale
            ));
        }
        for (name, p) in [
            ("PROXY_WORKER_CRASH_RATE", self.crash_rate),
            ("PROXY_UPSTREAM_ERROR_RATE", self.upstream_error_rate),
        ] {
            probability(name, p)?;
        }
        if let Some(token) = &self.metrics_token {
            BearerToken::new(token).map_err(|error| format!("PROXY_METRICS_TOKEN: {error}"))?;
        }
        if self.run_for.is_some_and(|d| d.is_zero()) {
            return Err("PROXY_RUN_SECONDS: expected more than 0".to_owned());
        }
        Ok(())
    }
}

/// The served registry, for the `model` label policy. Built once per process: the families are
/// process-global, so a second policy would contradict the first.
///
/// # Errors
///
/// When a different policy was already chosen, or the registry does not validate.
pub fn registry(model_label: bool) -> Result<&'static Registry, String> {
    static SERVED: OnceLock<(bool, Result<Registry, String>)> = OnceLock::new();
    let (chosen, registry) = SERVED.get_or_init(|| {
        let builder = Registry::builder()
            .optional_label("model", model_label)
            .linked_under(module_path!());
        // The scrape server's own families (scrapes, rejections); not the built-in HTTP RED families, which the
        // proxy replaces with its own.
        let server: [&'static dyn Family; 4] = [
            &metrics_http::SCRAPES_TOTAL,
            &metrics_http::SCRAPE_ENCODE_DURATION_SECONDS,
            &metrics_http::SCRAPES_IN_FLIGHT,
            &metrics_http::REJECTED_REQUESTS_TOTAL,
        ];
        let builder = server.into_iter().fold(builder, RegistryBuilder::register);
        let registry = metrics_collectors::process::register(builder)
            .build()
            .map_err(|error| error.to_string());
        (model_label, registry)
    });
    if *chosen != model_label {
        return Err(format!(
            "the served registry was already built with the model label {}; a new process is needed",
            if *chosen { "on" } else { "off" }
        ));
    }
    registry.as_ref().map_err(Clone::clone)
}

/// A running proxy.
#[derive(Debug)]
pub struct ModelProxy {
    addr: SocketAddr,
    supervisor: Arc<Supervisor>,
    paused: Arc<AtomicBool>,
    stop: watch::Sender<bool>,
    tasks: JoinSet<()>,
    server: tokio::task::JoinHandle<()>,
}

impl ModelProxy {
    /// Validates `settings`, binds the proxy's router (with the metrics routes merged in when enabled) and
    /// starts the supervisor and the load generator on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// Invalid settings, a registry that does not build, or a bind failure.
    pub async fn start(settings: Settings) -> Result<Self, String> {
        settings.validate()?;
        let supervisor = Supervisor::install(settings.time_scale, settings.maintenance);
        let proxy = Arc::new(Proxy::new(
            Arc::clone(&supervisor),
            settings.time_scale,
            settings.crash_rate,
            settings.upstream_error_rate,
            settings.seed,
        ));
        let routes = proxy::routes(proxy);
        let app = if settings.enable_metrics {
            let mut http = settings
                .http
                .clone()
                .registry(registry(settings.model_label)?);
            if let Some(token) = &settings.metrics_token {
                let token = BearerToken::new(token).map_err(|error| error.to_string())?;
                http = http.bearer_token(token).allow_remote(true);
            }
            routes
                .clone()
                .merge(metrics_http::router(http).map_err(|error| error.to_string())?)
        } else {
            routes.clone()
        };
        let listener = tokio::net::TcpListener::bind(settings.addr)
            .await
            .map_err(|error| format!("cannot bind {}: {error}", settings.addr))?;
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
        tasks.spawn(Arc::clone(&supervisor).run(stopped.clone()));
        let paused = Arc::new(AtomicBool::new(false));
        if settings.requests_per_second > 0.0 {
            tasks.spawn(load::generate(
                routes,
                settings.requests_per_second,
                settings.seed,
                Arc::clone(&paused),
                stopped,
            ));
        }
        Ok(Self {
            addr,
            supervisor,
            paused,
            stop,
            tasks,
            server,
        })
    }

    /// The address the proxy is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The supervisor's state now.
    pub fn snapshot(&self) -> Snapshot {
        self.supervisor.snapshot()
    }

    /// Turns maintenance on or off.
    pub fn set_maintenance(&self, on: bool) {
        self.supervisor.set_maintenance(on);
    }

    /// Pauses or resumes the load generator (requests in progress finish).
    pub fn pause_load(&self, paused: bool) {
        self.paused.store(paused, Ordering::Relaxed);
    }

    /// Stops the load generator, the supervisor and the server.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        while self.tasks.join_next().await.is_some() {}
        let _ = self.server.await;
        self.supervisor.uninstall();
    }
}

/// Runs the proxy until `settings.run_for` has passed, or Ctrl-C or SIGTERM.
///
/// # Errors
///
/// As [`ModelProxy::start`].
pub async fn run(settings: Settings) -> Result<(), String> {
    let run_for = settings.run_for;
    let metrics = settings.enable_metrics;
    let proxy = ModelProxy::start(settings).await?;
    if metrics {
        println!(
            "model proxy: serving http://{addr}/v1/chat/completions and http://{addr}/metrics",
            addr = proxy.local_addr()
        );
    } else {
        println!(
            "model proxy: serving http://{addr}/v1/chat/completions (metrics off)",
            addr = proxy.local_addr()
        );
    }
    crate::stop::until_stopped(run_for).await;
    proxy.shutdown().await;
    Ok(())
}
