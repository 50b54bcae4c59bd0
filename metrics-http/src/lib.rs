//! A correct, guarded, fast `/metrics` server for [`metrics_core`] registries, and JSON APIs over them.
//!
//! Two ways in:
//!
//! - **A standalone server** for workers and batch programs: [`serve`] (async, until Ctrl-C/SIGTERM),
//!   [`Server`] (bind, then run until a future of yours completes), or [`spawn`] (its own thread, for programs
//!   without a runtime).
//! - **An axum [`Router`](axum::Router)** to merge into an existing web app: [`router`].
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use metrics_http::{Config, Server};
//!
//! let server = Server::bind(Config::default().addr("127.0.0.1:0".parse()?)).await?;
//! let addr = server.local_addr();
//! # let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! # drop(stop);
//! server.run_until(async { let _ = stopped.await; }).await;
//! # Ok(())
//! # }
//! ```
//!
//! # What `/metrics` does
//!
//! - Content negotiation as `CONFORMANCE.md` specifies: OpenMetrics 1.0 when the `Accept` header has an
//!   `application/openmetrics-text` range with q > 0 (Prometheus 2 and 3 both send one), Prometheus text 0.0.4
//!   otherwise. The `Content-Type` is exactly [`metrics_core::Format::content_type`].
//! - gzip when `Accept-Encoding` allows it, with `Content-Encoding: gzip`.
//! - `GET` and `HEAD`; every other method gets 405.
//!
//! # Guards and limits
//!
//! - **Loopback only** by default: the server refuses to bind a non-loopback address, and every request from a
//!   non-loopback peer gets 403. The peer is the TCP peer address (`::ffff:127.0.0.1` counts as loopback, see
//!   [`is_loopback_peer`]); `X-Forwarded-For` is never read. [`Config::allow_remote`] opts out.
//! - **Bearer token** (optional, from `METRICS_BEARER_TOKEN` or the file named by `METRICS_BEARER_TOKEN_FILE`):
//!   compared in constant time, never logged or shown in `Debug`; a missing or wrong token gets 401 with an
//!   empty body.
//! - **Header-read timeout**: a client that does not finish sending its request headers in time is
//!   disconnected (slow-loris defence; `axum::serve` has no such timeout, so [`Server`] serves through hyper's
//!   connection builder with a timer).
//! - **Request deadline**: each request is bounded by [`Config::request_timeout`], shortened by Prometheus'
//!   `X-Prometheus-Scrape-Timeout-Seconds`; past it the answer is 503.
//! - **Concurrency cap**: at most [`Config::max_concurrent_scrapes`] requests encode at once; one more gets 503
//!   at once.
//! - **Graceful shutdown** with a bounded drain ([`Config::shutdown_drain`]).
//!
//! Errors are answers, not panics: an invalid registry is a 500 naming the problem, bad query parameters a 400.
//!
//! # Self-metrics
//!
//! Declared with `metrics!` like any user's, and exposed by the global registry:
//! `metrics_http_scrapes_total{format,status}`, `metrics_http_scrape_encode_duration_seconds{format}`,
//! `metrics_http_scrapes_in_flight`, `metrics_http_rejected_requests_total{reason}`. For an app's own HTTP
//! traffic, [`HttpMetricsLayer`] records `http_server_requests_total`, `http_server_request_duration_seconds`
//! and `http_server_requests_in_flight` by route template, method and status class. No label value is ever
//! taken from the request.
//!
//! # `GET /api/metrics/summary`
//!
//! What every series did over a window, from an in-process ring of snapshots (one per
//! [`Config::summary_interval`], kept for [`Config::summary_retention`], within
//! [`Config::summary_memory_limit`]). When the window reaches the present, a snapshot taken at request time
//! ends it.
//!
//! Query parameters, each optional:
//!
//! | parameter | meaning | default |
//! |---|---|---|
//! | `from` | window start: RFC 3339 (`2024-05-01T12:00:00Z`), unix seconds (`1714564800`), `now`, or relative (`-30s`, `-5m`, `-2h`, `-1d`) | `to` minus 5 minutes |
//! | `to` | window end, same forms | now |
//! | `family` | only this family (its exposition name or its family name) | every family |
//!
//! A bad parameter is a 400 with `{"error": "invalid `from`: ..."}` saying what is wrong and what is accepted.
//!
//! ```json
//! {
//!   "from": "2024-05-01T11:55:00Z",
//!   "to": "2024-05-01T12:00:00.2Z",
//!   "from_unix": 1714564500.0,
//!   "to_unix": 1714564800.2,
//!   "interval_seconds": 15.0,
//!   "samples": 21,
//!   "first_sample_unix": 1714564501.3,
//!   "last_sample_unix": 1714564800.2,
//!   "families": [
//!     { "name": "jobs_total", "type": "counter", "help": "Jobs finished.", "unit": null,
//!       "series": [ { "labels": { "job_type": "email" }, "delta": 12.0, "rate": 0.0402 } ] },
//!     { "name": "queue_depth", "type": "gauge", "help": "Jobs waiting.", "unit": null,
//!       "series": [ { "labels": {}, "last": 3.0, "min": 0.0, "max": 9.0 } ] },
//!     { "name": "job_duration_seconds", "type": "histogram", "help": "Job run time.", "unit": "seconds",
//!       "series": [ { "labels": { "job_type": "email" },
//!                     "count": 12, "sum": 3.1, "p50": 0.21, "p95": 0.48, "p99": 0.5 } ] },
//!     { "name": "breaker", "type": "stateset", "help": "Breaker state.", "unit": null,
//!       "series": [ { "labels": { "dependency": "db" }, "state": "closed" } ] },
//!     { "name": "build_info", "type": "info", "help": "Build.", "unit": null,
//!       "series": [ { "labels": { "version": "1.2.0" } } ] }
//!   ]
//! }
//! ```
//!
//! - `samples`: snapshots inside the window; `first_sample_unix`/`last_sample_unix` bound what was measured.
//! - counter: `delta` is the increase between the first and the last sample (a series that appeared during the
//!   window counts from 0), `rate` is `delta` per second over that span; both `null` with fewer than 2 samples.
//! - gauge: `last`, `min` and `max` over the samples.
//! - histogram: `count` and `sum` of the observations within the window; `p50`, `p95`, `p99` interpolated within
//!   buckets exactly as Prometheus' `histogram_quantile` does (a quantile in the `+Inf` bucket is the largest
//!   finite bound); `null` when nothing was observed.
//! - stateset: the last `state`; info: the labels.
//! - `labels` maps each label name to its value; series appear in a stable order within their family.
//!
//! # `GET /api/metrics/schema`
//!
//! The catalog of every registered family:
//!
//! ```json
//! { "families": [ {
//!     "name": "jobs_total", "family": "jobs", "type": "counter", "help": "Jobs finished.", "unit": null,
//!     "labels": [ { "name": "job_type", "kind": "enum", "values": ["email", "report"] },
//!                 { "name": "model", "kind": "bounded", "cap": 16 },
//!                 { "name": "version", "kind": "text" } ],
//!     "buckets": [], "states": [], "max_series": 34, "recorded": true,
//!     "source": { "file": "src/metrics.rs", "line": 12, "column": 5, "module_path": "worker::metrics" }
//! } ] }
//! ```
//!
//! `name` is the exposition name as queried, `family` the OpenMetrics family name; `buckets` are the finite
//! upper bounds of a histogram; `states` a state set's states in order; `max_series` the most series the family
//! can ever have; `recorded` is false while every series of one of the program's families is still at its
//! initial value (never recorded since start: a gauge declared and never set reads 0 and looks healthy; see
//! `Registry::unrecorded` and `metrics_core::testing::check_recorded`).
#![deny(missing_docs)]

mod api;
mod background;
mod config;
mod duration;
mod guard;
mod layer;
mod negotiate;
mod offload;
mod router;
mod scrape;
mod self_metrics;
mod server;
mod state;
mod token;

pub use background::{ServerHandle, spawn};
pub use config::{Config, ConfigError, DEFAULT_ADDR, MAX_SUMMARY_SNAPSHOTS};
pub use guard::peer::is_loopback_peer;
pub use layer::{
    BuiltIn, Finished, HTTP_SERVER_REQUEST_DURATION_SECONDS, HTTP_SERVER_REQUESTS_IN_FLIGHT,
    HTTP_SERVER_REQUESTS_TOTAL, HttpMetrics, HttpMetricsLayer, RecordRequest, RequestHead,
    UNMATCHED_ROUTE,
};
pub use negotiate::{accepts_gzip, negotiate_format};
pub use router::{router, router_with};
pub use self_metrics::{
    REJECTED_REQUESTS_TOTAL, RejectReason, SCRAPE_ENCODE_DURATION_SECONDS, SCRAPES_IN_FLIGHT,
    SCRAPES_TOTAL, ScrapeFormat, families,
};
pub use server::{ServeError, Server, serve};
pub use token::{BearerToken, InvalidToken};
