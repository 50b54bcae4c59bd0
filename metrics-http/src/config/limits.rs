//! The bounds every setting really has, checked in one place before anything starts.

use std::time::Duration;

use super::error::{self as setting, ConfigError, Setting};
use super::{Config, MAX_SUMMARY_SNAPSHOTS};
use crate::guard::host::AllowedHosts;

/// The longest any timeout may be (header read, request, response write, shutdown drain, scrape-timeout offset).
/// Beyond an hour a timeout no longer defends anything, and a value such as `Duration::MAX` would overflow the
/// clock arithmetic of the timers.
pub const MAX_TIMEOUT: Duration = Duration::from_hours(1);

/// The longest summary interval: one snapshot a day.
pub const MAX_SUMMARY_INTERVAL: Duration = Duration::from_hours(24);

/// The longest summary retention: a year (and at most [`MAX_SUMMARY_SNAPSHOTS`] snapshots).
pub const MAX_SUMMARY_RETENTION: Duration = Duration::from_hours(24 * 366);

/// The most concurrent scrapes: the largest semaphore tokio can build (`tokio::sync::Semaphore::MAX_PERMITS`,
/// 2^61 - 1). Each running scrape holds a thread of the blocking pool, so a useful cap is far lower.
pub const MAX_CONCURRENT_SCRAPES: usize = tokio::sync::Semaphore::MAX_PERMITS;

/// The most open connections the server may be configured to hold: beyond any file-descriptor limit a metrics
/// endpoint should have.
pub const MAX_CONNECTIONS: usize = 65_536;

impl Config {
    /// Checks the configuration as a whole.
    ///
    /// # Errors
    ///
    /// A non-loopback address without [`Config::allow_remote`], or a value outside its bound: every timeout more
    /// than zero and at most [`MAX_TIMEOUT`] (the scrape-timeout offset may be zero); the scrape cap between 1 and
    /// [`MAX_CONCURRENT_SCRAPES`]; the connection cap between 1 and [`MAX_CONNECTIONS`]; the summary interval
    /// more than zero and at most [`MAX_SUMMARY_INTERVAL`]; the retention at least one interval, at most
    /// [`MAX_SUMMARY_RETENTION`] and at most [`MAX_SUMMARY_SNAPSHOTS`] intervals.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !self.allow_remote && !self.addr.ip().to_canonical().is_loopback() {
            return Err(ConfigError::invalid(
                setting::ADDR,
                format!(
                    "{} is not a loopback address: serving metrics beyond this host needs an explicit opt-in \
                     (METRICS_ALLOW_REMOTE=true, Config::allow_remote)",
                    self.addr
                ),
            ));
        }
        self.validate_limits()
    }

    /// The checks that matter whoever binds the socket: the router's share of [`Config::validate`].
    pub(crate) fn validate_limits(&self) -> Result<(), ConfigError> {
        if let Some(AllowedHosts::Invalid(reason)) = &self.allowed_hosts {
            return Err(ConfigError::invalid(setting::ALLOWED_HOSTS, reason));
        }
        for (setting, value) in [
            (setting::HEADER_READ_TIMEOUT, self.header_read_timeout),
            (setting::REQUEST_TIMEOUT, self.request_timeout),
            (setting::RESPONSE_WRITE_TIMEOUT, self.response_write_timeout),
            (setting::SHUTDOWN_DRAIN, self.shutdown_drain),
        ] {
            within(setting, value, Duration::from_nanos(1), MAX_TIMEOUT)?;
        }
        within(
            setting::SCRAPE_TIMEOUT_OFFSET,
            self.scrape_timeout_offset,
            Duration::ZERO,
            MAX_TIMEOUT,
        )?;
        count(
            setting::MAX_CONCURRENT_SCRAPES,
            self.max_concurrent_scrapes,
            MAX_CONCURRENT_SCRAPES,
        )?;
        count(
            setting::MAX_CONNECTIONS,
            self.max_connections,
            MAX_CONNECTIONS,
        )?;
        within(
            setting::SUMMARY_INTERVAL,
            self.summary_interval,
            Duration::from_nanos(1),
            MAX_SUMMARY_INTERVAL,
        )?;
        if self.summary_retention.is_zero() {
            return Err(ConfigError::invalid(
                setting::SUMMARY_RETENTION,
                "must be greater than zero: the summary needs at least one interval of history",
            ));
        }
        if self.summary_retention < self.summary_interval {
            return Err(ConfigError::invalid(
                setting::SUMMARY_RETENTION,
                format!(
                    "{:?} is shorter than the summary interval ({:?}): the ring would never hold a window",
                    self.summary_retention, self.summary_interval
                ),
            ));
        }
        within(
            setting::SUMMARY_RETENTION,
            self.summary_retention,
            self.summary_interval,
            MAX_SUMMARY_RETENTION,
        )?;
        if self.summary_slots() > MAX_SUMMARY_SNAPSHOTS {
            return Err(ConfigError::invalid(
                setting::SUMMARY_RETENTION,
                format!(
                    "retention / interval needs more than {MAX_SUMMARY_SNAPSHOTS} snapshots: lengthen \
                     METRICS_SUMMARY_INTERVAL or shorten the retention"
                ),
            ));
        }
        Ok(())
    }
}

fn within(
    setting: Setting,
    value: Duration,
    min: Duration,
    max: Duration,
) -> Result<(), ConfigError> {
    if value < min {
        let bound = if min == Duration::from_nanos(1) {
            "must be greater than zero".to_owned()
        } else {
            format!("must be at least {min:?}")
        };
        return Err(ConfigError::invalid(setting, format!("{value:?} {bound}")));
    }
    if value > max {
        return Err(ConfigError::invalid(
            setting,
            format!("{value:?} is longer than the supported maximum of {max:?}"),
        ));
    }
    Ok(())
}

fn count(setting: Setting, value: usize, max: usize) -> Result<(), ConfigError> {
    if value == 0 {
        return Err(ConfigError::invalid(setting, "must be at least 1"));
    }
    if value > max {
        return Err(ConfigError::invalid(
            setting,
            format!("{value} is above the supported maximum of {max}"),
        ));
    }
    Ok(())
}
