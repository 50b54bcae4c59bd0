//! Server configuration, from code or from the environment.

mod env;
mod error;
mod limits;
mod token_file;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use metrics_core::{Registry, RegistryError};

use crate::guard::host::AllowedHosts;
use crate::token::BearerToken;

pub use error::ConfigError;
pub use limits::{
    MAX_CONCURRENT_SCRAPES, MAX_CONNECTIONS, MAX_SUMMARY_INTERVAL, MAX_SUMMARY_RETENTION,
    MAX_TIMEOUT,
};
pub use token_file::MAX_TOKEN_FILE_BYTES;

/// The address served when nothing else is configured: loopback only, the port OpenTelemetry's Prometheus
/// exporter uses.
pub const DEFAULT_ADDR: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 9464);

/// How many snapshots the summary ring may hold, whatever the interval and retention: with the memory limit, it
/// keeps the ring bounded.
pub const MAX_SUMMARY_SNAPSHOTS: usize = 100_000;

/// Everything the server and the router need to know.
///
/// Start from [`Config::default`] (or [`Config::from_env`]) and adjust with the builder methods:
///
/// ```
/// use std::time::Duration;
/// use metrics_http::Config;
///
/// let config = Config::default()
///     .addr("127.0.0.1:9100".parse().unwrap())
///     .request_timeout(Duration::from_secs(5))
///     .max_concurrent_scrapes(2);
/// assert!(config.validate().is_ok());
/// assert!(Config::default().addr("0.0.0.0:9464".parse().unwrap()).validate().is_err(), "loopback unless opted in");
/// ```
///
/// # Environment
///
/// | variable | meaning | default | bound |
/// |---|---|---|---|
/// | `METRICS_ADDR` | address to bind | `127.0.0.1:9464` | loopback unless remote access is allowed |
/// | `METRICS_ALLOW_REMOTE` | `true` to bind beyond loopback and accept remote peers | `false` | |
/// | `METRICS_ALLOWED_HOSTS` | `Host` names answered besides loopback ones, comma-separated; `*` for any | none | names or IP addresses, no port |
/// | `METRICS_BEARER_TOKEN` | required bearer token | none | printable ASCII |
/// | `METRICS_BEARER_TOKEN_FILE` | file holding the bearer token (not both) | none | a regular file of at most [`MAX_TOKEN_FILE_BYTES`] |
/// | `METRICS_HEADER_READ_TIMEOUT` | time a client has to send its request headers; also how long an idle keep-alive connection stays open | `5s` | 0 < t ≤ [`MAX_TIMEOUT`] |
/// | `METRICS_REQUEST_TIMEOUT` | bound on one request (503 past it) | `10s` | 0 < t ≤ [`MAX_TIMEOUT`] |
/// | `METRICS_SCRAPE_TIMEOUT_OFFSET` | subtracted from Prometheus' scrape timeout | `500ms` | 0 ≤ t ≤ [`MAX_TIMEOUT`] |
/// | `METRICS_RESPONSE_WRITE_TIMEOUT` | time one response may take to be written to the client | `10s` | 0 < t ≤ [`MAX_TIMEOUT`] |
/// | `METRICS_MAX_CONCURRENT_SCRAPES` | concurrent scrapes before 503 | `4` | 1 to [`MAX_CONCURRENT_SCRAPES`] |
/// | `METRICS_MAX_CONNECTIONS` | open connections before new ones get 503 | `64` | 1 to [`MAX_CONNECTIONS`] |
/// | `METRICS_SHUTDOWN_DRAIN` | bound on the graceful-shutdown drain | `5s` | 0 < t ≤ [`MAX_TIMEOUT`] |
/// | `METRICS_SUMMARY_INTERVAL` | snapshot interval of the summary ring | `15s` | 0 < t ≤ [`MAX_SUMMARY_INTERVAL`] |
/// | `METRICS_SUMMARY_RETENTION` | how far back the summary ring reaches | `1h` | interval ≤ t ≤ [`MAX_SUMMARY_RETENTION`], at most [`MAX_SUMMARY_SNAPSHOTS`] intervals |
/// | `METRICS_SUMMARY_MEMORY_LIMIT` | bytes the summary ring may use | `33554432` (32 MiB) | any |
///
/// Durations are `500ms`, `5s`, `2m`, `1h`, `1d` or bare seconds. Errors name the variable, and the builder
/// method that sets the same value in code.
///
/// # Memory bound of the connections
///
/// Each open connection holds at most hyper's read and write buffers (about 400 KiB each), the response being
/// written (one exposition, or one summary), and what the kernel queues in its socket buffers (on Linux up to
/// `net.ipv4.tcp_wmem`'s maximum, 4 MiB by default). A client that stops reading keeps that for at most
/// [`Config::response_write_timeout`], and there are at most [`Config::max_connections`] connections: with the
/// defaults, about 64 × (0.8 MiB + one exposition) in the process, plus the kernel's buffers.
#[derive(Clone)]
pub struct Config {
    pub(crate) addr: SocketAddr,
    pub(crate) allow_remote: bool,
    pub(crate) allowed_hosts: Option<AllowedHosts>,
    pub(crate) bearer_token: Option<BearerToken>,
    pub(crate) header_read_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) scrape_timeout_offset: Duration,
    pub(crate) response_write_timeout: Duration,
    pub(crate) max_concurrent_scrapes: usize,
    pub(crate) max_connections: usize,
    pub(crate) shutdown_drain: Duration,
    pub(crate) summary_interval: Duration,
    pub(crate) summary_retention: Duration,
    pub(crate) summary_memory_limit: usize,
    pub(crate) registry: Option<&'static Registry>,
    pub(crate) warnings: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: DEFAULT_ADDR,
            allow_remote: false,
            allowed_hosts: None,
            bearer_token: None,
            header_read_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            scrape_timeout_offset: Duration::from_millis(500),
            response_write_timeout: Duration::from_secs(10),
            max_concurrent_scrapes: 4,
            max_connections: 64,
            shutdown_drain: Duration::from_secs(5),
            summary_interval: Duration::from_secs(15),
            summary_retention: Duration::from_hours(1),
            summary_memory_limit: 32 << 20,
            registry: None,
            warnings: Vec::new(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("allow_remote", &self.allow_remote)
            .field("allowed_hosts", &self.allowed_hosts)
            // `BearerToken`'s Debug is redacted; say only whether one is set.
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .field("header_read_timeout", &self.header_read_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("scrape_timeout_offset", &self.scrape_timeout_offset)
            .field("response_write_timeout", &self.response_write_timeout)
            .field("max_concurrent_scrapes", &self.max_concurrent_scrapes)
            .field("max_connections", &self.max_connections)
            .field("shutdown_drain", &self.shutdown_drain)
            .field("summary_interval", &self.summary_interval)
            .field("summary_retention", &self.summary_retention)
            .field("summary_memory_limit", &self.summary_memory_limit)
            .field(
                "registry",
                &if self.registry.is_some() {
                    "explicit"
                } else {
                    "global"
                },
            )
            .field("warnings", &self.warnings)
            .finish()
    }
}

impl Config {
    /// Sets the address to bind. Beyond loopback it also needs [`Config::allow_remote`].
    #[must_use]
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Allows binding a non-loopback address and answering non-loopback peers. Off by default: metrics describe
    /// the system, and the endpoint costs CPU to answer.
    #[must_use]
    pub fn allow_remote(mut self, allow: bool) -> Self {
        self.allow_remote = allow;
        self
    }

    /// The `Host` names answered besides loopback ones (`localhost`, 127.0.0.0/8, `[::1]`, with or without
    /// port); `"*"` answers any. Names are matched without their port and case-insensitively; IPv6 addresses
    /// may be written with or without brackets.
    ///
    /// A loopback-only server answers loopback names only unless told more here, so that a web page cannot read
    /// `/metrics` through DNS rebinding (other names get 421 Misdirected Request). With
    /// [`Config::allow_remote`] and no list, any `Host` is answered: remote scrapers name the host as they know
    /// it. Set a list (or a bearer token) to protect a remote-reachable server from rebinding too.
    ///
    /// ```
    /// let config = metrics_http::Config::default().allowed_hosts(["metrics.internal"]);
    /// assert!(config.validate().is_ok());
    /// assert!(metrics_http::Config::default().allowed_hosts(["http://x:1"]).validate().is_err());
    /// ```
    #[must_use]
    pub fn allowed_hosts<S: AsRef<str>>(mut self, hosts: impl IntoIterator<Item = S>) -> Self {
        let entries: Vec<String> = hosts.into_iter().map(|s| s.as_ref().to_owned()).collect();
        self.allowed_hosts = Some(
            AllowedHosts::parse(&entries)
                .unwrap_or_else(|reason| AllowedHosts::Invalid(reason.into())),
        );
        self
    }

    /// Requires `Authorization: Bearer <token>` on every request.
    #[must_use]
    pub fn bearer_token(mut self, token: BearerToken) -> Self {
        self.bearer_token = Some(token);
        self
    }

    /// Time a client has to send its request headers before the connection is closed (slow-loris defence). It
    /// also bounds how long an idle keep-alive connection stays open; closing an idle connection is not counted
    /// as a rejected request.
    #[must_use]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// The longest a request may take; past it the answer is 503. A shorter
    /// `X-Prometheus-Scrape-Timeout-Seconds` (less [`Config::scrape_timeout_offset`]) shortens it.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Subtracted from `X-Prometheus-Scrape-Timeout-Seconds`, so the answer arrives before Prometheus gives up.
    #[must_use]
    pub fn scrape_timeout_offset(mut self, offset: Duration) -> Self {
        self.scrape_timeout_offset = offset;
        self
    }

    /// The longest one response may take to be handed to the client's connection, from its first byte to its
    /// last; past it the connection is closed. A client that pipelines requests without reading the answers
    /// (or reads them a byte at a time) holds its connection and its queued answers only this long.
    #[must_use]
    pub fn response_write_timeout(mut self, timeout: Duration) -> Self {
        self.response_write_timeout = timeout;
        self
    }

    /// How many requests may be encoding at once; one more is answered 503.
    #[must_use]
    pub fn max_concurrent_scrapes(mut self, cap: usize) -> Self {
        self.max_concurrent_scrapes = cap;
        self
    }

    /// How many connections may be open at once; a connection beyond it is answered 503 (with `Retry-After`)
    /// and closed at once (after at most 250 ms spent draining what the client sent, so that it reads the 503
    /// rather than a reset). Together with [`Config::response_write_timeout`] it bounds the memory clients can
    /// make the server hold (see the type's docs).
    #[must_use]
    pub fn max_connections(mut self, cap: usize) -> Self {
        self.max_connections = cap;
        self
    }

    /// The longest a graceful shutdown waits for open requests before closing their connections.
    #[must_use]
    pub fn shutdown_drain(mut self, drain: Duration) -> Self {
        self.shutdown_drain = drain;
        self
    }

    /// How often the summary ring takes a snapshot.
    #[must_use]
    pub fn summary_interval(mut self, interval: Duration) -> Self {
        self.summary_interval = interval;
        self
    }

    /// How far back the summary ring reaches: at least one interval.
    #[must_use]
    pub fn summary_retention(mut self, retention: Duration) -> Self {
        self.summary_retention = retention;
        self
    }

    /// The most memory (approximate bytes) the summary ring's snapshots may use; the oldest are dropped first.
    #[must_use]
    pub fn summary_memory_limit(mut self, bytes: usize) -> Self {
        self.summary_memory_limit = bytes;
        self
    }

    /// Serves `registry` instead of [`Registry::global`].
    #[must_use]
    pub fn registry(mut self, registry: &'static Registry) -> Self {
        self.registry = Some(registry);
        self
    }

    /// The address to bind.
    pub fn bind_addr(&self) -> SocketAddr {
        self.addr
    }

    /// What reading the configuration found worth a warning without refusing it: a token file readable by group
    /// or others.
    ///
    /// The crate has no logger: [`Server::bind`](crate::Server::bind), [`router`](crate::router) and the
    /// functions built on them write each warning once to standard error (`metrics-http: warning: ...`); a
    /// program with its own logging can read them here first and pass them on.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Whether a request naming `host` (`None`: no `Host` at all) is answered, or refused with 421.
    pub(crate) fn answers_host(&self, host: Option<&str>) -> bool {
        match (&self.allowed_hosts, host) {
            (None, _) if self.allow_remote => true,
            // No `Host` (HTTP/1.0): no browser sends such a request, so it cannot be a rebinding attack.
            (_, None) => true,
            (None, Some(host)) => AllowedHosts::Listed(Vec::new()).allows(host),
            (Some(hosts), Some(host)) => hosts.allows(host),
        }
    }

    /// How many snapshots the summary ring keeps: one per interval over the retention, plus the newest.
    pub(crate) fn summary_slots(&self) -> usize {
        let slots =
            self.summary_retention.as_secs_f64() / self.summary_interval.as_secs_f64().max(1e-9);
        if slots.is_finite() && slots < (MAX_SUMMARY_SNAPSHOTS as f64) {
            // Non-negative (both durations are) and below the maximum, so the cast is exact.
            #[allow(clippy::cast_sign_loss)]
            let slots = slots.ceil() as usize;
            slots + 1
        } else {
            MAX_SUMMARY_SNAPSHOTS + 1
        }
    }

    /// The registry to serve: the explicit one, or the global one (which may have failed validation).
    pub(crate) fn resolve_registry(&self) -> Result<&'static Registry, &'static RegistryError> {
        match self.registry {
            Some(registry) => Ok(registry),
            None => Registry::global(),
        }
    }
}
