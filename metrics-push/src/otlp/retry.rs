//! When to try again: exponential backoff with jitter, or the delay the collector asked for.

use std::time::Duration;

/// The first retry waits about this long; each later one twice as long, up to [`MAX_DELAY`].
const INITIAL_DELAY: Duration = Duration::from_millis(250);
const MAX_DELAY: Duration = Duration::from_secs(5);
/// Attempts per export, the first included; the next interval's export carries the data anyway.
pub(crate) const MAX_ATTEMPTS: u32 = 5;

/// The delay before retry number `retry` (0-based): the collector's own request when it made one, otherwise
/// the backoff with ±25 % jitter so that many exporters restarted together do not retry in step.
pub(crate) fn delay(retry: u32, requested: Option<Duration>) -> Duration {
    if let Some(requested) = requested {
        return requested;
    }
    let base = INITIAL_DELAY
        .saturating_mul(1 << retry.min(16))
        .min(MAX_DELAY);
    base.mul_f64(0.75 + fastrand::f64() * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_yields_to_the_server() {
        for _ in 0..100 {
            let first = delay(0, None);
            assert!(first >= Duration::from_millis(187) && first <= Duration::from_millis(313));
            let late = delay(10, None);
            assert!(late >= Duration::from_millis(3750) && late <= Duration::from_millis(6250));
        }
        assert_eq!(
            delay(3, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
    }
}
