//! Server configuration, from code or from the environment.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use metrics_core::{Registry, RegistryError};

use crate::duration::parse_duration;
use crate::token::BearerToken;

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
/// | variable | meaning | default |
/// |---|---|---|
/// | `METRICS_ADDR` | address to bind | `127.0.0.1:9464` |
/// | `METRICS_ALLOW_REMOTE` | `true` to bind beyond loopback and accept remote peers | `false` |
/// | `METRICS_BEARER_TOKEN` | required bearer token | none |
/// | `METRICS_BEARER_TOKEN_FILE` | file holding the bearer token (not both) | none |
/// | `METRICS_HEADER_READ_TIMEOUT` | time a client has to send its request headers | `5s` |
/// | `METRICS_REQUEST_TIMEOUT` | bound on one request (503 past it) | `10s` |
/// | `METRICS_MAX_CONCURRENT_SCRAPES` | concurrent scrapes before 503 | `4` |
/// | `METRICS_SHUTDOWN_DRAIN` | bound on the graceful-shutdown drain | `5s` |
/// | `METRICS_SUMMARY_INTERVAL` | snapshot interval of the summary ring | `15s` |
/// | `METRICS_SUMMARY_RETENTION` | how far back the summary ring reaches | `1h` |
///
/// Durations are `500ms`, `5s`, `2m`, `1h`, `1d` or bare seconds.
#[derive(Clone)]
pub struct Config {
    pub(crate) addr: SocketAddr,
    pub(crate) allow_remote: bool,
    pub(crate) bearer_token: Option<BearerToken>,
    pub(crate) header_read_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) scrape_timeout_offset: Duration,
    pub(crate) max_concurrent_scrapes: usize,
    pub(crate) shutdown_drain: Duration,
    pub(crate) summary_interval: Duration,
    pub(crate) summary_retention: Duration,
    pub(crate) summary_memory_limit: usize,
    pub(crate) registry: Option<&'static Registry>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: DEFAULT_ADDR,
            allow_remote: false,
            bearer_token: None,
            header_read_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            scrape_timeout_offset: Duration::from_millis(500),
            max_concurrent_scrapes: 4,
            shutdown_drain: Duration::from_secs(5),
            summary_interval: Duration::from_secs(15),
            summary_retention: Duration::from_hours(1),
            summary_memory_limit: 32 << 20,
            registry: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("allow_remote", &self.allow_remote)
            // `BearerToken`'s Debug is redacted; say only whether one is set.
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .field("header_read_timeout", &self.header_read_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("scrape_timeout_offset", &self.scrape_timeout_offset)
            .field("max_concurrent_scrapes", &self.max_concurrent_scrapes)
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
            .finish()
    }
}

impl Config {
    /// The defaults overridden by the `METRICS_*` environment variables (see the table above).
    ///
    /// # Errors
    ///
    /// When a variable cannot be parsed, both token variables are set, or the token file cannot be read. The
    /// error names the variable, never the token.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup` instead of the process environment.
    ///
    /// # Errors
    ///
    /// As [`Config::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut config = Self::default();
        if let Some(addr) = lookup("METRICS_ADDR") {
            config.addr = addr.trim().parse().map_err(|_| {
                ConfigError::invalid("METRICS_ADDR", "expected ip:port, such as 127.0.0.1:9464")
            })?;
        }
        if let Some(flag) = lookup("METRICS_ALLOW_REMOTE") {
            config.allow_remote = match flag.trim() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" | "" => false,
                _ => {
                    return Err(ConfigError::invalid(
                        "METRICS_ALLOW_REMOTE",
                        "expected true or false",
                    ));
                }
            };
        }
        let token = lookup("METRICS_BEARER_TOKEN");
        let token_file = lookup("METRICS_BEARER_TOKEN_FILE");
        config.bearer_token = match (token, token_file) {
            (Some(_), Some(_)) => {
                return Err(ConfigError::invalid(
                    "METRICS_BEARER_TOKEN_FILE",
                    "set either METRICS_BEARER_TOKEN or METRICS_BEARER_TOKEN_FILE, not both",
                ));
            }
            (Some(token), None) => Some(
                BearerToken::new(&token)
                    .map_err(|error| ConfigError::invalid("METRICS_BEARER_TOKEN", error))?,
            ),
            (None, Some(path)) => Some(read_token_file(&PathBuf::from(path))?),
            (None, None) => None,
        };
        let duration = |name: &'static str, slot: &mut Duration| -> Result<(), ConfigError> {
            if let Some(text) = lookup(name) {
                *slot = parse_duration(&text).map_err(|error| ConfigError::invalid(name, error))?;
            }
            Ok(())
        };
        duration(
            "METRICS_HEADER_READ_TIMEOUT",
            &mut config.header_read_timeout,
        )?;
        duration("METRICS_REQUEST_TIMEOUT", &mut config.request_timeout)?;
        duration("METRICS_SHUTDOWN_DRAIN", &mut config.shutdown_drain)?;
        duration("METRICS_SUMMARY_INTERVAL", &mut config.summary_interval)?;
        duration("METRICS_SUMMARY_RETENTION", &mut config.summary_retention)?;
        if let Some(text) = lookup("METRICS_MAX_CONCURRENT_SCRAPES") {
            config.max_concurrent_scrapes = text.trim().parse().map_err(|_| {
                ConfigError::invalid(
                    "METRICS_MAX_CONCURRENT_SCRAPES",
                    "expected a positive integer",
                )
            })?;
        }
        config.validate()?;
        Ok(config)
    }

    /// Checks the configuration as a whole.
    ///
    /// # Errors
    ///
    /// A non-loopback address without [`Config::allow_remote`], a zero timeout, cap or interval, or a summary
    /// retention needing more than [`MAX_SUMMARY_SNAPSHOTS`] snapshots.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !self.allow_remote && !self.addr.ip().to_canonical().is_loopback() {
            return Err(ConfigError::invalid(
                "addr",
                format!(
                    "{} is not a loopback address: serving metrics beyond this host needs an explicit opt-in \
                     (allow_remote, METRICS_ALLOW_REMOTE=true)",
                    self.addr
                ),
            ));
        }
        self.validate_limits()
    }

    /// The checks that matter whoever binds the socket: the router's share of [`Config::validate`].
    pub(crate) fn validate_limits(&self) -> Result<(), ConfigError> {
        let positive = [
            ("header_read_timeout", self.header_read_timeout),
            ("request_timeout", self.request_timeout),
            ("shutdown_drain", self.shutdown_drain),
            ("summary_interval", self.summary_interval),
        ];
        for (name, value) in positive {
            if value.is_zero() {
                return Err(ConfigError::invalid(name, "must be greater than zero"));
            }
        }
        if self.max_concurrent_scrapes == 0 {
            return Err(ConfigError::invalid(
                "max_concurrent_scrapes",
                "must be at least 1",
            ));
        }
        if self.summary_slots() > MAX_SUMMARY_SNAPSHOTS {
            return Err(ConfigError::invalid(
                "summary_retention",
                format!("retention / interval needs more than {MAX_SUMMARY_SNAPSHOTS} snapshots"),
            ));
        }
        Ok(())
    }

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

    /// Requires `Authorization: Bearer <token>` on every request.
    #[must_use]
    pub fn bearer_token(mut self, token: BearerToken) -> Self {
        self.bearer_token = Some(token);
        self
    }

    /// Time a client has to send its request headers before the connection is closed (slow-loris defence). It
    /// also bounds how long an idle keep-alive connection stays open.
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

    /// How many requests may be encoding at once; one more is answered 503.
    #[must_use]
    pub fn max_concurrent_scrapes(mut self, cap: usize) -> Self {
        self.max_concurrent_scrapes = cap;
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

    /// How far back the summary ring reaches.
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

fn read_token_file(path: &Path) -> Result<BearerToken, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        ConfigError::invalid(
            "METRICS_BEARER_TOKEN_FILE",
            format!("cannot read {}: {error}", path.display()),
        )
    })?;
    BearerToken::new(&text)
        .map_err(|error| ConfigError::invalid("METRICS_BEARER_TOKEN_FILE", error))
}

/// A configuration value that cannot be used: which setting, and why. Never contains a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    setting: &'static str,
    reason: String,
}

impl ConfigError {
    fn invalid(setting: &'static str, reason: impl fmt::Display) -> Self {
        Self {
            setting,
            reason: reason.to_string(),
        }
    }

    /// The setting or environment variable at fault.
    pub fn setting(&self) -> &'static str {
        self.setting
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid metrics server setting `{}`: {}",
            self.setting, self.reason
        )
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn no_variables_give_the_loopback_defaults() {
        let config = from(&[]).unwrap();
        assert_eq!(config.addr, DEFAULT_ADDR);
        assert!(!config.allow_remote);
        assert!(config.bearer_token.is_none());
    }

    #[test]
    fn variables_override_the_defaults() {
        let config = from(&[
            ("METRICS_ADDR", "127.0.0.1:9100"),
            ("METRICS_BEARER_TOKEN", "abc"),
            ("METRICS_HEADER_READ_TIMEOUT", "750ms"),
            ("METRICS_REQUEST_TIMEOUT", "3"),
            ("METRICS_MAX_CONCURRENT_SCRAPES", "2"),
            ("METRICS_SUMMARY_INTERVAL", "1m"),
            ("METRICS_SUMMARY_RETENTION", "1d"),
        ])
        .unwrap();
        assert_eq!(config.addr.port(), 9100);
        assert!(
            config
                .bearer_token
                .as_ref()
                .unwrap()
                .matches(Some(&"Bearer abc".parse().unwrap()))
        );
        assert_eq!(config.header_read_timeout, Duration::from_millis(750));
        assert_eq!(config.request_timeout, Duration::from_secs(3));
        assert_eq!(config.max_concurrent_scrapes, 2);
        assert_eq!(config.summary_slots(), 24 * 60 + 1);
    }

    #[test]
    fn binding_beyond_loopback_needs_the_opt_in() {
        let error = from(&[("METRICS_ADDR", "0.0.0.0:9464")]).unwrap_err();
        assert_eq!(error.setting(), "addr");
        assert!(
            from(&[
                ("METRICS_ADDR", "0.0.0.0:9464"),
                ("METRICS_ALLOW_REMOTE", "true")
            ])
            .is_ok()
        );
        assert!(
            from(&[("METRICS_ADDR", "[::ffff:127.0.0.1]:9464")]).is_ok(),
            "mapped loopback is loopback"
        );
    }

    #[test]
    fn token_from_a_file_and_errors_never_show_it() {
        let dir = std::env::temp_dir().join(format!("metrics-http-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("token");
        std::fs::write(&file, "from-file-token\n").unwrap();
        let config = from(&[("METRICS_BEARER_TOKEN_FILE", file.to_str().unwrap())]).unwrap();
        assert!(
            config
                .bearer_token
                .as_ref()
                .unwrap()
                .matches(Some(&"Bearer from-file-token".parse().unwrap()))
        );
        assert!(
            !format!("{config:?}").contains("from-file-token"),
            "Debug redacts the token"
        );
        let both = from(&[
            ("METRICS_BEARER_TOKEN", "x"),
            ("METRICS_BEARER_TOKEN_FILE", file.to_str().unwrap()),
        ]);
        assert_eq!(both.unwrap_err().setting(), "METRICS_BEARER_TOKEN_FILE");
        let bad = from(&[("METRICS_BEARER_TOKEN", "two words")]).unwrap_err();
        assert!(!bad.to_string().contains("two words"));
        std::fs::remove_dir_all(&dir).unwrap();
        let missing = from(&[("METRICS_BEARER_TOKEN_FILE", file.to_str().unwrap())]).unwrap_err();
        assert!(missing.to_string().contains("cannot read"));
    }

    #[test]
    fn unusable_values_are_rejected() {
        assert!(from(&[("METRICS_ADDR", "localhost")]).is_err());
        assert!(from(&[("METRICS_ALLOW_REMOTE", "maybe")]).is_err());
        assert!(from(&[("METRICS_REQUEST_TIMEOUT", "0s")]).is_err());
        assert!(from(&[("METRICS_MAX_CONCURRENT_SCRAPES", "0")]).is_err());
        assert!(from(&[("METRICS_MAX_CONCURRENT_SCRAPES", "-1")]).is_err());
        assert!(
            from(&[
                ("METRICS_SUMMARY_INTERVAL", "1ms"),
                ("METRICS_SUMMARY_RETENTION", "1d")
            ])
            .is_err()
        );
    }
}
