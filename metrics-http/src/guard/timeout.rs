//! The per-request deadline: the configured bound, shortened by Prometheus' own scrape timeout when it sends one.

use std::time::Duration;

use axum::http::HeaderMap;

/// The header Prometheus sends with its `scrape_timeout`, in (possibly fractional) seconds.
pub(crate) const SCRAPE_TIMEOUT_HEADER: &str = "x-prometheus-scrape-timeout-seconds";

/// How long a request may take: `configured`, or less when the scraper says it gives up sooner.
///
/// An answer the scraper no longer waits for is wasted work, so the deadline is the scraper's timeout minus
/// `offset` (time for the answer to travel back), as `node_exporter` does with `--web.timeout-offset`. A header
/// value no larger than the offset is used whole; an invalid one is ignored.
pub(crate) fn request_deadline(
    headers: &HeaderMap,
    configured: Duration,
    offset: Duration,
) -> Duration {
    let Some(seconds) = headers
        .get(SCRAPE_TIMEOUT_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
    else {
        return configured;
    };
    let Ok(scraper) = Duration::try_from_secs_f64(seconds) else {
        return configured;
    };
    let scraper = scraper
        .checked_sub(offset)
        .filter(|d| !d.is_zero())
        .unwrap_or(scraper);
    scraper.min(configured)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deadline(header: Option<&str>) -> Duration {
        let mut headers = HeaderMap::new();
        if let Some(value) = header {
            headers.insert(SCRAPE_TIMEOUT_HEADER, value.parse().unwrap());
        }
        request_deadline(
            &headers,
            Duration::from_secs(10),
            Duration::from_millis(500),
        )
    }

    #[test]
    fn the_scrapers_timeout_shortens_the_deadline_by_the_offset() {
        assert_eq!(deadline(Some("3")), Duration::from_millis(2500));
        assert_eq!(deadline(Some("1.5")), Duration::from_secs(1));
    }

    #[test]
    fn the_configured_bound_is_never_exceeded() {
        assert_eq!(deadline(Some("60")), Duration::from_secs(10));
        assert_eq!(deadline(Some("1e300")), Duration::from_secs(10));
    }

    #[test]
    fn a_timeout_within_the_offset_is_used_whole() {
        assert_eq!(deadline(Some("0.5")), Duration::from_millis(500));
        assert_eq!(deadline(Some("0.2")), Duration::from_millis(200));
    }

    #[test]
    fn missing_or_invalid_headers_keep_the_configured_bound() {
        for header in [
            None,
            Some("abc"),
            Some("-1"),
            Some("0"),
            Some("NaN"),
            Some("inf"),
        ] {
            assert_eq!(deadline(header), Duration::from_secs(10), "{header:?}");
        }
    }
}
