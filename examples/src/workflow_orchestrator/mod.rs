//! The workflow orchestrator of seed 004 (Tasker), simulated end to end: a web API behind a database circuit
//! breaker, an orchestrator that initialises tasks and enqueues their steps, workers that claim and execute
//! steps and submit completions behind a second breaker, and a result processor that finalises tasks, joined by
//! three named bounded channels. The seed's metrics, in their compliant form ([`metrics`]), are served on
//! `/metrics` and exported over OTLP/gRPC every interval, as the seed does.
//!
//! Run it with `cargo run -p examples --example workflow_orchestrator`; [`Settings::from_env`] lists the
//! variables. `examples/src/workflow_orchestrator/README.md` maps each seed requirement to its code and its test.

pub mod breaker;
pub mod catalog;
pub mod metrics;
pub mod pipeline;
pub mod state;

use crate::settings::{parse, positive, probability};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use metrics_core::{Registry, RegistryBuilder};
use metrics_push::otlp::{
    ExportError, ExportReport, ExporterHandle, OtlpConfig, OtlpExporter, Resource,
};
use opentelemetry_sdk::trace::SdkTracerProvider;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::instrument::WithSubscriber as _;

use metrics::TaskType;
use pipeline::{Channels, World};

use crate::job_scheduler::rng::Rng;

/// The default address: the other examples serve on 9464, 9465 and 9466.
pub const DEFAULT_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 9467);

/// How the orchestrator runs; every field has a default, so `cargo run` needs no variable.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Task requests per second; `TASKER_TASKS_PER_SECOND`, default 20.
    pub tasks_per_second: f64,
    /// Multiplies every simulated latency and period (outages, breaker cooldowns, the slow-send threshold);
    /// `TASKER_TIME_SCALE`, default 1. Tests run at 0.1.
    pub time_scale: f64,
    /// Probability of each synthetic failure (claims, handlers); `TASKER_FAILURE_RATE`, default 0.03.
    pub failure_rate: f64,
    /// Steps executed at once; `TASKER_WORKER_CONCURRENCY`, default 8.
    pub concurrency: usize,
    /// A database incident every this many seconds (scaled), alternately an outage and a slowdown;
    /// `TASKER_OUTAGE_EVERY_SECONDS`, default 120, 0 for none.
    pub outage_every: f64,
    /// How long each incident lasts (scaled); `TASKER_OUTAGE_SECONDS`, default 30.
    pub outage_for: f64,
    /// Seed of the simulation's random choices; `TASKER_SEED`, default 0.
    pub seed: u64,
    /// Stop after this long; `TASKER_RUN_SECONDS`, default: until Ctrl-C or SIGTERM.
    pub run_for: Option<Duration>,
    /// The OTLP export, from the standard `OTEL_*` variables, gRPC to `http://localhost:4317` every 60 s unless
    /// they say otherwise (the seed's settings); `None` with `TASKER_OTLP=false`.
    pub otlp: Option<OtlpConfig>,
    /// The server: `METRICS_ADDR` (default [`DEFAULT_ADDR`]) and the other `METRICS_*` variables.
    pub http: metrics_http::Config,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            tasks_per_second: 20.0,
            time_scale: 1.0,
            failure_rate: 0.03,
            concurrency: 8,
            outage_every: 120.0,
            outage_for: 30.0,
            seed: 0,
            run_for: None,
            otlp: None,
            http: metrics_http::Config::default().addr(DEFAULT_ADDR),
        }
    }
}

/// The seed's OTLP settings over the `OTEL_*` variables `lookup` gives: gRPC unless a protocol is set, and
/// `service.name` `tasker-core` unless one is set.
///
/// # Errors
///
/// A variable that does not parse, named in the message.
pub fn otlp_config(lookup: impl Fn(&str) -> Option<String>) -> Result<OtlpConfig, String> {
    let protocol_set = [
        "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
    ]
    .iter()
    .any(|name| lookup(name).is_some());
    let service_set = lookup("OTEL_SERVICE_NAME").is_some()
        || lookup("OTEL_RESOURCE_ATTRIBUTES").is_some_and(|a| a.contains("service.name="));
    // The protocol decides how the endpoint variable is read (HTTP appends `v1/metrics`), so gRPC is given as
    // if it were set, rather than switched to afterwards.
    let config = OtlpConfig::from_lookup(|name| match name {
        "OTEL_EXPORTER_OTLP_PROTOCOL" if !protocol_set => Some("grpc".to_owned()),
        _ => lookup(name),
    })
    .map_err(|error| error.to_string())?;
    Ok(if service_set {
        config
    } else {
        config.with_resource(Resource::new("tasker-core"))
    })
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
        let otlp = match lookup("TASKER_OTLP").as_deref().map(str::trim) {
            None | Some("1" | "true" | "yes") => Some(otlp_config(&lookup)?),
            Some("0" | "false" | "no") => None,
            Some(other) => {
                return Err(format!(
                    "TASKER_OTLP: expected true or false, got {other:?}"
                ));
            }
        };
        let settings = Self {
            tasks_per_second: parse(&lookup, "TASKER_TASKS_PER_SECOND", "a rate")?
                .unwrap_or(d.tasks_per_second),
            time_scale: parse(&lookup, "TASKER_TIME_SCALE", "a factor")?.unwrap_or(d.time_scale),
            failure_rate: parse(&lookup, "TASKER_FAILURE_RATE", "a probability")?
                .unwrap_or(d.failure_rate),
            concurrency: parse(&lookup, "TASKER_WORKER_CONCURRENCY", "a count")?
                .unwrap_or(d.concurrency),
            outage_every: parse(&lookup, "TASKER_OUTAGE_EVERY_SECONDS", "seconds")?
                .unwrap_or(d.outage_every),
            outage_for: parse(&lookup, "TASKER_OUTAGE_SECONDS", "seconds")?.unwrap_or(d.outage_for),
            seed: parse(&lookup, "TASKER_SEED", "an integer")?.unwrap_or(d.seed),
            run_for: parse(&lookup, "TASKER_RUN_SECONDS", "seconds")?.map(Duration::from_secs_f64),
            otlp,
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
        positive("TASKER_TASKS_PER_SECOND", self.tasks_per_second, 10_000.0)?;
        positive("TASKER_TIME_SCALE", self.time_scale, 100.0)?;
        positive("TASKER_OUTAGE_SECONDS", self.outage_for, 86_400.0)?;
        if !(0.0..=86_400.0).contains(&self.outage_every) {
            return Err(format!(
                "TASKER_OUTAGE_EVERY_SECONDS: expected 0 to 86400, got {}",
                self.outage_every
            ));
        }
        probability("TASKER_FAILURE_RATE", self.failure_rate)?;
        if !(1..=1024).contains(&self.concurrency) {
            return Err(format!(
                "TASKER_WORKER_CONCURRENCY: expected 1 to 1024, got {}",
                self.concurrency
            ));
        }
        if self.run_for.is_some_and(|d| d.is_zero()) {
            return Err("TASKER_RUN_SECONDS: expected more than 0".to_owned());
        }
        Ok(())
    }
}

/// The served and exported registry: the families declared under this module, the channel collector's, the
/// OTLP exporter's and the server's own. Built once per process.
///
/// # Errors
///
/// When it does not validate.
pub fn registry() -> Result<&'static Registry, String> {
    static SERVED: OnceLock<Result<Registry, String>> = OnceLock::new();
    SERVED
        .get_or_init(|| {
            let builder = metrics_http::families()
                .into_iter()
                .chain(metrics_push::otlp::families())
                .fold(
                    Registry::builder().linked_under(module_path!()),
                    RegistryBuilder::register,
                );
            metrics_collectors::channel::register_families(builder)
                .build()
                .map_err(|error| error.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A running orchestrator, its server and its exporter.
#[derive(Debug)]
pub struct Orchestrator {
    addr: SocketAddr,
    world: Arc<World>,
    simulation: JoinSet<()>,
    stop: watch::Sender<bool>,
    server: tokio::task::JoinHandle<()>,
    exporter: Option<ExporterHandle>,
    _tracer: SdkTracerProvider,
}

impl Orchestrator {
    /// Validates `settings`, binds `/metrics`, starts the OTLP exporter and the simulation (load generator,
    /// orchestrator, workers, result processor, outage schedule) on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// Invalid settings, a registry that does not build, an exporter that cannot be built, or a bind failure.
    pub async fn start(settings: Settings) -> Result<Self, String> {
        settings.validate()?;
        let registry = registry()?;
        let http = settings.http.clone().registry(registry);
        let bind = http.bind_addr();
        let app = metrics_http::router(http).map_err(|error| error.to_string())?;
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|error| format!("cannot bind {bind}: {error}"))?;
        let addr = listener.local_addr().map_err(|error| error.to_string())?;
        let exporter = match &settings.otlp {
            Some(config) => Some(
                OtlpExporter::new(registry, config)
                    .map_err(|error| error.to_string())?
                    .spawn(),
            ),
            None => None,
        };
        let (stop, mut server_stop) = watch::channel(false);
        let server = tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<SocketAddr>();
            let _ = axum::serve(listener, service)
                .with_graceful_shutdown(async move {
                    let _ = server_stop.wait_for(|stop| *stop).await;
                })
                .await;
        });

        // Spans get OpenTelemetry trace ids from this subscriber, attached to the orchestrator's tasks rather
        // than installed globally, so the orchestrator can run inside a test binary beside others.
        let (subscriber, tracer) = crate::traced::subscriber();
        let dispatch = tracing::Dispatch::new(subscriber);
        let world = Arc::new(World::new(
            settings.time_scale,
            settings.failure_rate,
            dispatch.clone(),
        ));
        let Channels {
            commands,
            notifications,
            completions,
        } = Channels::new();
        let mut seeds = Rng::new(settings.seed);
        let mut simulation = JoinSet::new();
        simulation.spawn(
            pipeline::orchestrate(
                Arc::clone(&world),
                commands.1,
                notifications.0.clone(),
                seeds.next_u64(),
            )
            .with_subscriber(dispatch.clone()),
        );
        simulation.spawn(
            pipeline::workers(
                Arc::clone(&world),
                notifications.1,
                completions.0,
                settings.concurrency,
                seeds.next_u64(),
            )
            .with_subscriber(dispatch.clone()),
        );
        simulation.spawn(
            pipeline::process_results(
                Arc::clone(&world),
                completions.1,
                notifications.0,
                seeds.next_u64(),
            )
            .with_subscriber(dispatch.clone()),
        );
        simulation.spawn(generate(
            Arc::clone(&world),
            commands.0,
            settings.tasks_per_second,
            seeds.next_u64(),
        ));
        simulation.spawn(outages(
            Arc::clone(&world),
            settings.outage_every,
            settings.outage_for,
        ));
        Ok(Self {
            addr,
            world,
            simulation,
            stop,
            server,
            exporter,
            _tracer: tracer,
        })
    }

    /// The address `/metrics` is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The shared world: the database switch, the breakers, the issued trace ids.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Stops the simulation (the steps in progress are cancelled); the server and the exporter go on, so
    /// every value stays where it is.
    pub async fn stop_simulation(&mut self) {
        self.simulation.shutdown().await;
    }

    /// Stops the simulation, makes the exporter's final export, and stops the server. Returns the final
    /// export's result, if an exporter ran.
    pub async fn shutdown(mut self) -> Option<Result<ExportReport, ExportError>> {
        self.stop_simulation().await;
        let report = match self.exporter.take() {
            Some(exporter) => Some(exporter.shutdown().await),
            None => None,
        };
        let _ = self.stop.send(true);
        let _ = self.server.await;
        report
    }
}

/// The load generator: task requests through the API at the configured rate, each from a task of its own.
async fn generate(
    world: Arc<World>,
    commands: metrics_collectors::channel::Sender<Arc<pipeline::Task>>,
    per_second: f64,
    seed: u64,
) {
    let mut rng = Rng::new(seed);
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / per_second));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut requests = JoinSet::new();
    loop {
        ticks.tick().await;
        while requests.try_join_next().is_some() {}
        let task_type = match rng.below(10) {
            0..=4 => TaskType::MathematicalSequence,
            5..=7 => TaskType::OrderFulfillment,
            _ => TaskType::ReportGeneration,
        };
        let world = Arc::clone(&world);
        let commands = commands.clone();
        let mut rng = Rng::new(rng.next_u64());
        requests.spawn(async move {
            let _ = pipeline::create_task(&world, &commands, task_type, &mut rng).await;
        });
    }
}

/// The incident schedule: every `every` seconds (scaled), the database is down, next time slow, for `length`
/// (scaled).
async fn outages(world: Arc<World>, every: f64, length: f64) {
    if every == 0.0 {
        return;
    }
    for down in [true, false].into_iter().cycle() {
        tokio::time::sleep(world.period(every)).await;
        let set = |on| {
            if down {
                world.set_db_down(on);
            } else {
                world.set_db_slow(on);
            }
        };
        set(true);
        tokio::time::sleep(world.period(length)).await;
        set(false);
    }
}

/// Runs the orchestrator until `settings.run_for` has passed, or Ctrl-C or SIGTERM, then makes the final
/// export.
///
/// # Errors
///
/// As [`Orchestrator::start`].
pub async fn run(settings: Settings) -> Result<(), String> {
    let run_for = settings.run_for;
    if let Some(config) = &settings.otlp {
        println!(
            "workflow orchestrator: exporting to {} every {:?} ({:?})",
            config.endpoint(),
            config.interval(),
            config.protocol()
        );
    }
    let orchestrator = Orchestrator::start(settings).await?;
    println!(
        "workflow orchestrator: serving http://{addr}/metrics",
        addr = orchestrator.local_addr()
    );
    crate::stop::until_stopped(run_for).await;
    if let Some(Err(error)) = orchestrator.shutdown().await {
        eprintln!("workflow orchestrator: final export: {error}");
    }
    Ok(())
}
