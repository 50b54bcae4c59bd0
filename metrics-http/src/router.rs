//! The metrics router: every endpoint behind the guards, ready to serve alone or to merge into an app.

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::get;

use crate::api::{schema, summary};
use crate::config::{Config, ConfigError};
use crate::state::Shared;
use crate::{guard, scrape};

/// The metrics endpoints as an axum [`Router`], to merge into an existing app:
///
/// | route | answers |
/// |---|---|
/// | `GET /metrics` | the exposition (OpenMetrics 1.0 or text 0.0.4, gzip when asked) |
/// | `GET /healthz` | `ok` |
/// | `GET /api/metrics/summary` | per-series statistics over a window (JSON) |
/// | `GET /api/metrics/schema` | the catalog of every family (JSON) |
///
/// `HEAD` works wherever `GET` does; other methods get 405. Every route, including 404s and 405s, is behind the
/// loopback guard and the bearer token (when configured).
///
/// The loopback guard reads the peer address from [`ConnectInfo`](axum::extract::ConnectInfo), so serve the app
/// with `into_make_service_with_connect_info::<SocketAddr>()`. Without it the guard cannot see the peer and
/// refuses every request (403) unless [`Config::allow_remote`] is set.
///
/// ```
/// use std::net::SocketAddr;
/// use axum::{Router, routing::get};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let config = metrics_http::Config::from_env()?;
/// let app = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .merge(metrics_http::router(config.clone())?);
/// let listener = tokio::net::TcpListener::bind(config.bind_addr()).await?;
/// axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await?;
/// # Ok(())
/// # }
/// ```
///
/// `axum::serve` has no header-read timeout; [`Server`](crate::Server) serves the same router with one.
///
/// The summary's sampler thread starts here and stops when the last clone of the router is dropped.
///
/// # Errors
///
/// When a limit in `config` is unusable (see [`Config::validate`]; the address is not checked here, since the
/// app binds its own).
pub fn router(config: Config) -> Result<Router, ConfigError> {
    router_with(config, Router::new())
}

/// The metrics endpoints and `app`'s own routes, all behind the same guards: for an app whose extra endpoints
/// (a routing snapshot, a debug page) must be exactly as protected as `/metrics`. A route of `app` that clashes
/// with a metrics route panics, as [`Router::merge`] does.
///
/// ```
/// use axum::{Router, routing::get};
///
/// let app = Router::new().route("/api/metrics/routing", get(|| async { "{}" }));
/// let routes = metrics_http::router_with(metrics_http::Config::default(), app).unwrap();
/// # drop(routes);
/// ```
///
/// # Errors
///
/// As [`router`].
pub fn router_with(config: Config, app: Router) -> Result<Router, ConfigError> {
    config.validate_limits()?;
    for warning in config.warnings() {
        eprintln!("metrics-http: warning: {warning}");
    }
    let shared = Arc::new(Shared::new(config));
    Ok(Router::new()
        .route("/metrics", get(scrape::metrics))
        .route("/healthz", get(healthz))
        .route("/api/metrics/summary", get(summary::summary))
        .route("/api/metrics/schema", get(schema::schema))
        .with_state(Arc::clone(&shared))
        .merge(app)
        .layer(from_fn_with_state(shared, guard::check)))
}

async fn healthz() -> &'static str {
    "ok\n"
}
