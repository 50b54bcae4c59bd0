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
//! - Content negotiation as `docs/exposition.md` describes it: OpenMetrics 1.0 when the `Accept` header has an
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
//! - **`Host` names** (DNS-rebinding defence): a loopback-only server answers requests naming `localhost`,
//!   127.0.0.0/8 or `[::1]` (any port), and the names of [`Config::allowed_hosts`] (`METRICS_ALLOWED_HOSTS`);
//!   any other `Host`, or an absolute request target naming another host, gets **421 Misdirected Request**. 421
//!   rather than 403: the client is not refused as such, it reached this server under a name the server does not
//!   answer for. With remote access allowed and no list, any `Host` is answered.
//! - **Bearer token** (optional, from `METRICS_BEARER_TOKEN` or the file named by `METRICS_BEARER_TOKEN_FILE`, a
//!   regular file of at most [`MAX_TOKEN_FILE_BYTES`]): compared in constant time, never logged or shown in
//!   `Debug`; a missing or wrong token gets 401 with an empty body. A token file readable by group or others
//!   gives a warning ([`Config::warnings`], written to standard error when the server or router is built).
//! - **Header-read timeout**: a client that does not finish sending its request headers in time is
//!   disconnected (slow-loris defence; `axum::serve` has no such timeout, so [`Server`] serves through hyper's
//!   connection builder with a timer). The same timeout closes idle keep-alive connections, which is not counted
//!   as a refusal.
//! - **Response-write timeout** ([`Config::response_write_timeout`]): a response must reach the socket within it,
//!   or the connection is closed; a client that pipelines requests and never reads cannot hold its connection.
//! - **Connection cap** ([`Config::max_connections`]): one connection more is answered 503 and closed at once.
//!   With the write timeout it bounds what clients can make the server hold: see [`Config`]'s memory bound.
//! - **Request deadline**: each request is bounded by [`Config::request_timeout`], shortened by Prometheus'
//!   `X-Prometheus-Scrape-Timeout-Seconds`; past it the answer is 503.
//! - **Concurrency cap**: at most [`Config::max_concurrent_scrapes`] requests encode at once; one more gets 503
//!   at once.
//! - Every 503 carries `Retry-After` (1 second when a cap is reached, the request's deadline rounded up when it
//!   timed out).
//! - **Graceful shutdown** with a bounded drain ([`Config::shutdown_drain`]), on SIGINT or SIGTERM
//!   ([`shutdown_signal`]).
//! - Every setting has a bound ([`Config::validate`]), so no value of the environment can make the server panic
//!   at start; errors name the variable (`METRICS_HEADER_READ_TIMEOUT`) and the builder method.
//!
//! Errors are answers, not panics: an invalid registry is a 500 naming the problem, bad query parameters a 400
//! quoting at most 64 characters of the offending input.
//!
//! # Self-metrics
//!
//! Declared with `metrics!` like any user's, and exposed by the global registry:
//! `metrics_http_scrapes_total{format,status}`, `metrics_http_scrape_encode_duration_seconds{format}`,
//! `metrics_http_scrapes_in_flight`, `metrics_http_rejected_requests_total{reason}` (reasons: [`RejectReason`]). For an app's own HTTP
//! traffic, [`HttpMetricsLayer`] records `http_server_requests_total`, `http_server_request_duration_seconds`
//! and `http_server_requests_in_flight` by route template, method and status class. No label value is ever
//! taken from the request.
//!
//! # `GET /api/metrics/summary`
//!
//! What every series did over a window, from an in-process ring of snapshots (one per
//! [`Config::summary_interval`], kept for [`Config::summary_retention`], within
//! [`Config::summary_memory_limit`]). When the window reaches the present, a snapshot taken at request time
//! ends it. The ring fills for a whole retention before it drops its oldest snapshot: until then the process's
//! memory grows by one snapshot (about 24 bytes a series plus 8 a histogram bucket) per interval, so a check for
//! leaks must let a retention pass first, or shorten it.
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
//!     { "name": "jobs_total", "type": "counter", "help": "Jobs finished.", "unit": null, "exemplars": false,
//!       "series": [ { "labels": { "job_type": "email" }, "delta": 12.0, "rate": 0.0402 } ] },
//!     { "name": "queue_depth", "type": "gauge", "help": "Jobs waiting.", "unit": null, "exemplars": false,
//!       "series": [ { "labels": {}, "last": 3.0, "min": 0.0, "max": 9.0 } ] },
//!     { "name": "job_duration_seconds", "type": "histogram", "help": "Job run time.", "unit": "seconds",
//!       "exemplars": true,
//!       "series": [ { "labels": { "job_type": "email" },
//!                     "count": 12, "sum": 3.1, "p50": 0.21, "p95": 0.48, "p99": 0.5 } ] },
//!     { "name": "breaker", "type": "stateset", "help": "Breaker state.", "unit": null, "exemplars": false,
//!       "series": [ { "labels": { "dependency": "db" }, "state": "closed" } ] },
//!     { "name": "build_info", "type": "info", "help": "Build.", "unit": null, "exemplars": false,
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
//! - `exemplars`: whether the family keeps exemplars (declared `exemplars = true`); the exemplars themselves are
//!   in the OpenMetrics exposition.
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
//!     "buckets": [], "states": [], "max_series": 34, "exemplars": false, "recorded": true,
//!     "source": { "file": "src/metrics.rs", "line": 12, "column": 5, "module_path": "worker::metrics" }
//! } ] }
//! ```
//!
//! `name` is the exposition name as queried, `family` the OpenMetrics family name; `buckets` are the finite
//! upper bounds of a histogram; `states` a state set's states in order; `max_series` the most series the family
//! can ever have; `exemplars` whether its counter or buckets carry exemplars in OpenMetrics; `recorded` is false while every series of one of the program's families is still at its
//! initial value (never recorded since start: a gauge declared and never set reads 0 and looks healthy; see
//! `Registry::unrecorded` and `metrics_core::testing::check_recorded`). A family declared with `expire_after` has
//! `"expire_after_seconds"` (absent otherwise): a value of its bounded label is removed, with its series, once it
//! has gone that long without a recording; removed and expired series are gone from the summary as from a scrape.
#![deny(missing_docs)]

mod api;
mod background;
mod config;
mod connection;
mod duration;
mod excerpt;
mod guard;
mod layer;
mod negotiate;
mod offload;
mod router;
mod scrape;
mod self_metrics;
mod server;
mod signal;
mod state;
mod token;

pub use background::{ServerHandle, spawn};
pub use config::{
    Config, ConfigError, DEFAULT_ADDR, MAX_CONCURRENT_SCRAPES, MAX_CONNECTIONS,
    MAX_SUMMARY_INTERVAL, MAX_SUMMARY_RETENTION, MAX_SUMMARY_SNAPSHOTS, MAX_TIMEOUT,
    MAX_TOKEN_FILE_BYTES,
};
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
pub use signal::shutdown_signal;
pub use token::{BearerToken, InvalidToken};
