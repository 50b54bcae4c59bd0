//! The configuration from `METRICS_*` environment variables.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use super::Config;
use super::error::{self as setting, ConfigError, Setting};
use super::token_file::read_token_file;
use crate::duration::parse_duration;
use crate::excerpt::excerpt;
use crate::guard::host::AllowedHosts;
use crate::token::BearerToken;

impl Config {
    /// The defaults overridden by the `METRICS_*` environment variables (see the table above).
    ///
    /// # Errors
    ///
    /// When a variable cannot be parsed or is out of its bound, both token variables are set, or the token file
    /// cannot be used. The error names the variable, never the token.
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
        let get = |setting: Setting| lookup(setting.env);
        if let Some(addr) = get(setting::ADDR) {
            config.addr = addr.trim().parse().map_err(|_| {
                ConfigError::invalid(
                    setting::ADDR,
                    format!("{} is not ip:port, such as 127.0.0.1:9464", excerpt(&addr)),
                )
            })?;
        }
        if let Some(flag) = get(setting::ALLOW_REMOTE) {
            config.allow_remote = match flag.trim() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" | "" => false,
                _ => {
                    return Err(ConfigError::invalid(
                        setting::ALLOW_REMOTE,
                        format!("{} is not true or false", excerpt(&flag)),
                    ));
                }
            };
        }
        if let Some(hosts) = get(setting::ALLOWED_HOSTS) {
            config.allowed_hosts = Some(
                AllowedHosts::parse(hosts.split(','))
                    .map_err(|reason| ConfigError::invalid(setting::ALLOWED_HOSTS, reason))?,
            );
        }
        config.bearer_token = match (get(setting::BEARER_TOKEN), get(setting::BEARER_TOKEN_FILE)) {
            (Some(_), Some(_)) => {
                return Err(ConfigError::invalid(
                    setting::BEARER_TOKEN_FILE,
                    "set METRICS_BEARER_TOKEN or METRICS_BEARER_TOKEN_FILE, not both",
                ));
            }
            (Some(token), None) => Some(
                BearerToken::new(&token)
                    .map_err(|error| ConfigError::invalid(setting::BEARER_TOKEN, error))?,
            ),
            (None, Some(path)) => {
                let (token, warning) = read_token_file(&PathBuf::from(path))?;
                config.warnings.extend(warning);
                Some(token)
            }
            (None, None) => None,
        };
        for (setting, slot) in [
            (
                setting::HEADER_READ_TIMEOUT,
                &mut config.header_read_timeout,
            ),
            (setting::REQUEST_TIMEOUT, &mut config.request_timeout),
            (
                setting::SCRAPE_TIMEOUT_OFFSET,
                &mut config.scrape_timeout_offset,
            ),
            (
                setting::RESPONSE_WRITE_TIMEOUT,
                &mut config.response_write_timeout,
            ),
            (setting::SHUTDOWN_DRAIN, &mut config.shutdown_drain),
            (setting::SUMMARY_INTERVAL, &mut config.summary_interval),
            (setting::SUMMARY_RETENTION, &mut config.summary_retention),
        ] {
            if let Some(text) = get(setting) {
                *slot = duration(setting, &text)?;
            }
        }
        for (setting, slot, what) in [
            (
                setting::MAX_CONCURRENT_SCRAPES,
                &mut config.max_concurrent_scrapes,
                "a positive integer",
            ),
            (
                setting::MAX_CONNECTIONS,
                &mut config.max_connections,
                "a positive integer",
            ),
            (
                setting::SUMMARY_MEMORY_LIMIT,
                &mut config.summary_memory_limit,
                "a number of bytes",
            ),
        ] {
            if let Some(text) = get(setting) {
                *slot = integer(setting, &text, what)?;
            }
        }
        config.validate()?;
        Ok(config)
    }
}

fn duration(setting: Setting, text: &str) -> Result<Duration, ConfigError> {
    parse_duration(text).map_err(|error| ConfigError::invalid(setting, error))
}

fn integer<T: FromStr>(setting: Setting, text: &str, what: &str) -> Result<T, ConfigError> {
    text.trim().parse().map_err(|_| {
        ConfigError::invalid(
            setting,
            format!(
                "{} is not {what} (or is too large to represent)",
                excerpt(text)
            ),
        )
    })
}

#[cfg(test)]
mod tests;
