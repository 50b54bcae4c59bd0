//! Which setting is wrong, named the way the user wrote it, and why.

use std::fmt;

/// One configuration setting: the environment variable that sets it and the [`Config`](super::Config) builder
/// method that does the same in code. Errors name both, so whoever set the value finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Setting {
    pub(crate) env: &'static str,
    pub(crate) method: &'static str,
}

macro_rules! settings {
    ($($name:ident = $env:literal, $method:literal;)*) => {
        $(pub(crate) const $name: Setting = Setting { env: $env, method: $method };)*
    };
}

settings! {
    ADDR = "METRICS_ADDR", "addr";
    ALLOW_REMOTE = "METRICS_ALLOW_REMOTE", "allow_remote";
    ALLOWED_HOSTS = "METRICS_ALLOWED_HOSTS", "allowed_hosts";
    BEARER_TOKEN = "METRICS_BEARER_TOKEN", "bearer_token";
    BEARER_TOKEN_FILE = "METRICS_BEARER_TOKEN_FILE", "bearer_token";
    HEADER_READ_TIMEOUT = "METRICS_HEADER_READ_TIMEOUT", "header_read_timeout";
    REQUEST_TIMEOUT = "METRICS_REQUEST_TIMEOUT", "request_timeout";
    SCRAPE_TIMEOUT_OFFSET = "METRICS_SCRAPE_TIMEOUT_OFFSET", "scrape_timeout_offset";
    RESPONSE_WRITE_TIMEOUT = "METRICS_RESPONSE_WRITE_TIMEOUT", "response_write_timeout";
    MAX_CONCURRENT_SCRAPES = "METRICS_MAX_CONCURRENT_SCRAPES", "max_concurrent_scrapes";
    MAX_CONNECTIONS = "METRICS_MAX_CONNECTIONS", "max_connections";
    SHUTDOWN_DRAIN = "METRICS_SHUTDOWN_DRAIN", "shutdown_drain";
    SUMMARY_INTERVAL = "METRICS_SUMMARY_INTERVAL", "summary_interval";
    SUMMARY_RETENTION = "METRICS_SUMMARY_RETENTION", "summary_retention";
    SUMMARY_MEMORY_LIMIT = "METRICS_SUMMARY_MEMORY_LIMIT", "summary_memory_limit";
}

/// A configuration value that cannot be used: which setting, and why. Never contains a token.
///
/// ```
/// let error = metrics_http::Config::from_lookup(|name| {
///     (name == "METRICS_HEADER_READ_TIMEOUT").then(|| "0s".to_owned())
/// })
/// .unwrap_err();
/// assert_eq!(error.setting(), "METRICS_HEADER_READ_TIMEOUT");
/// assert!(error.to_string().contains("Config::header_read_timeout"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    setting: Setting,
    reason: String,
}

impl ConfigError {
    pub(crate) fn invalid(setting: Setting, reason: impl fmt::Display) -> Self {
        Self {
            setting,
            reason: reason.to_string(),
        }
    }

    /// The environment variable of the setting at fault (`METRICS_HEADER_READ_TIMEOUT`); the message also names
    /// the [`Config`](super::Config) method that sets it in code.
    pub fn setting(&self) -> &'static str {
        self.setting.env
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid metrics server setting {} (Config::{}): {}",
            self.setting.env, self.setting.method, self.reason
        )
    }
}

impl std::error::Error for ConfigError {}
