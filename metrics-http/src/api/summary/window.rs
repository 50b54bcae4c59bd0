//! The `from`/`to` window of a summary: RFC 3339, unix seconds, `now`, or relative to now (`-5m`).

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::duration::parse_duration;
use crate::excerpt::excerpt;

/// The default window start when `from` is absent: five minutes ago.
const DEFAULT_SPAN_SECONDS: f64 = 300.0;

/// The latest instant RFC 3339 can write (9999-12-31T23:59:59Z).
const MAX_UNIX_SECONDS: f64 = 253_402_300_799.0;

/// A window in unix seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Window {
    pub(crate) from: f64,
    pub(crate) to: f64,
    /// Whether the window reaches the present, so a fresh snapshot belongs in it.
    pub(crate) open_end: bool,
}

/// The window for the query's `from` and `to`, at `now`.
///
/// # Errors
///
/// A message naming the parameter, what it holds and what is accepted.
pub(crate) fn parse_window(
    from: Option<&str>,
    to: Option<&str>,
    now: f64,
) -> Result<Window, String> {
    let to = match to {
        None => now,
        Some(text) => parse_instant(text, now).map_err(|error| format!("invalid `to`: {error}"))?,
    };
    let from = match from {
        None => to - DEFAULT_SPAN_SECONDS,
        Some(text) => {
            parse_instant(text, now).map_err(|error| format!("invalid `from`: {error}"))?
        }
    };
    if from > to {
        return Err(format!(
            "`from` ({}) is after `to` ({})",
            rfc3339(from),
            rfc3339(to)
        ));
    }
    Ok(Window {
        from,
        to,
        open_end: to >= now,
    })
}

fn parse_instant(text: &str, now: f64) -> Result<f64, String> {
    let text = text.trim();
    let shown = excerpt(text);
    let expected = "expected RFC 3339 (2024-05-01T12:00:00Z), unix seconds (1714564800), `now`, or a time \
                    relative to now (-30s, -5m, -2h, -1d)";
    let instant = if text == "now" {
        now
    } else if let Some(ago) = text.strip_prefix('-') {
        let ago = parse_duration(ago).map_err(|error| format!("{error} in {shown}; {expected}"))?;
        now - ago.as_secs_f64()
    } else if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        text.parse::<f64>()
            .map_err(|_| format!("{shown} is not a number; {expected}"))?
    } else {
        let at = OffsetDateTime::parse(text, &Rfc3339)
            .map_err(|_| format!("cannot parse {shown}; {expected}"))?;
        at.unix_timestamp_nanos() as f64 / 1e9
    };
    if !(0.0..=MAX_UNIX_SECONDS).contains(&instant) {
        return Err(format!("{shown} is outside the years 1970 to 9999"));
    }
    Ok(instant)
}

/// `unix` seconds as RFC 3339 in UTC, to the microsecond (what an `f64` of today's unix time holds exactly).
pub(crate) fn rfc3339(unix: f64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos((unix * 1e6).round() as i128 * 1000)
        .ok()
        .and_then(|at| at.format(&Rfc3339).ok())
        .unwrap_or_else(|| format!("{unix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_714_564_800.0; // 2024-05-01T12:00:00Z

    #[test]
    fn every_accepted_form() {
        let window = parse_window(Some("2024-05-01T11:00:00Z"), Some("1714564500"), NOW).unwrap();
        assert_eq!(window.from, NOW - 3600.0);
        assert_eq!(window.to, NOW - 300.0);
        assert!(!window.open_end);
        let window = parse_window(Some("-5m"), Some("now"), NOW).unwrap();
        assert_eq!(
            (window.from, window.to, window.open_end),
            (NOW - 300.0, NOW, true)
        );
        let offset =
            parse_window(Some("2024-05-01T14:00:00.5+02:00"), Some("1714570000"), NOW).unwrap();
        assert_eq!(offset.from, NOW + 0.5, "the offset is applied");
        assert_eq!(parse_window(None, None, NOW).unwrap().from, NOW - 300.0);
    }

    #[test]
    fn bad_input_names_the_parameter() {
        for (from, to, needle) in [
            (Some("yesterday"), None, "invalid `from`"),
            (Some("-5x"), None, "invalid `from`"),
            (None, Some("2024-13-01T00:00:00Z"), "invalid `to`"),
            (None, Some("1.2.3"), "invalid `to`"),
            (Some(""), None, "invalid `from`"),
            (Some("99999999999999"), None, "invalid `from`"),
            (Some("now"), Some("-1h"), "is after"),
        ] {
            let error = parse_window(from, to, NOW).unwrap_err();
            assert!(error.contains(needle), "{from:?} {to:?}: {error}");
        }
    }

    #[test]
    fn formats_rfc3339_in_utc() {
        assert_eq!(rfc3339(NOW), "2024-05-01T12:00:00Z");
        assert_eq!(rfc3339(NOW + 0.25), "2024-05-01T12:00:00.25Z");
    }

    mod properties {
        use super::*;
        use axum::extract::Query;
        use axum::http::Uri;
        use proptest::prelude::*;

        use crate::api::summary::SummaryQuery;

        /// Values of `from` and `to`: the accepted forms, near-misses and arbitrary text.
        fn instant() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("now".to_owned()),
                "-[0-9.]{0,12}(ms|s|m|h|d|w)?",
                "[0-9.]{0,22}",
                "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})",
                ".{0,40}",
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            /// Any `from` and `to` give a window or a message, never a panic; a window is ordered, within the
            /// years RFC 3339 can write, and every message is bounded whatever the input's length.
            #[test]
            fn the_window_parser_never_panics(from in proptest::option::of(instant()), to in proptest::option::of(instant()), pad in 0usize..2000) {
                let from = from.map(|f| if pad > 1000 { format!("{f}{}", "9".repeat(pad)) } else { f });
                match parse_window(from.as_deref(), to.as_deref(), NOW) {
                    Ok(window) => {
                        prop_assert!(window.from <= window.to);
                        prop_assert!(window.to <= MAX_UNIX_SECONDS.max(NOW));
                        let _ = rfc3339(window.from);
                    }
                    Err(message) => prop_assert!(message.len() < 1200, "{} bytes", message.len()),
                }
            }

            /// Whole query strings, through the same extractor the handler uses, then the window parser.
            #[test]
            fn the_summary_query_parser_never_panics(query in "[ -~]{0,120}") {
                let Ok(uri) = format!("/api/metrics/summary?{query}").parse::<Uri>() else {
                    return Ok(());
                };
                if let Ok(Query(parsed)) = Query::<SummaryQuery>::try_from_uri(&uri) {
                    let _ = parse_window(parsed.from.as_deref(), parsed.to.as_deref(), NOW);
                }
            }
        }
    }
}
