//! Content negotiation for `/metrics`: which exposition format, and whether to gzip it.
//!
//! The rule (`docs/exposition.md`): OpenMetrics 1.0 when any `application/openmetrics-text` range has q > 0, as
//! in what Prometheus 2 and 3 send; Prometheus text 0.0.4 otherwise, including for `*/*`, no `Accept` header, or
//! one that cannot be parsed. Unknown parameters (`version=0.0.1`, Prometheus 3's `escaping=allow-utf-8`) are ignored.

use axum::http::header::{ACCEPT, ACCEPT_ENCODING};
use axum::http::{HeaderMap, HeaderValue};
use metrics_core::Format;

/// The exposition format to answer with, from every `Accept` header of the request.
pub fn negotiate_format(headers: &HeaderMap) -> Format {
    let openmetrics = ranges(headers.get_all(ACCEPT).iter())
        .any(|(media, q)| q > 0.0 && media.eq_ignore_ascii_case("application/openmetrics-text"));
    if openmetrics {
        Format::OpenMetrics
    } else {
        Format::Text004
    }
}

/// Whether the client accepts a gzip body: `gzip` (or `x-gzip`) with q > 0, or `*` with q > 0 when gzip is not
/// explicitly refused.
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    for (coding, q) in ranges(headers.get_all(ACCEPT_ENCODING).iter()) {
        if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
            gzip = Some(gzip.map_or(q, |seen: f64| seen.max(q)));
        } else if coding == "*" {
            any = Some(q);
        }
    }
    gzip.or(any).is_some_and(|q| q > 0.0)
}

/// Every well-formed `token;param=value;q=0.5` element of comma-separated header values, as `(token, q)`.
/// Elements with an unparseable or out-of-range `q` are dropped, as are headers that are not ASCII.
fn ranges<'h>(
    values: impl Iterator<Item = &'h HeaderValue>,
) -> impl Iterator<Item = (&'h str, f64)> {
    values
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|element| {
            let mut parts = element.split(';');
            let token = parts.next()?.trim();
            if token.is_empty() {
                return None;
            }
            let mut q = 1.0;
            for parameter in parts {
                // A parameter without a value is malformed but harmless: only a bad `q` voids the element.
                let Some((name, value)) = parameter.split_once('=') else {
                    continue;
                };
                if name.trim().eq_ignore_ascii_case("q") {
                    q = value
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))?;
                }
            }
            Some((token, q))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &axum::http::HeaderName, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn format(values: &[&str]) -> Format {
        negotiate_format(&headers(&ACCEPT, values))
    }

    fn gzip(values: &[&str]) -> bool {
        accepts_gzip(&headers(&ACCEPT_ENCODING, values))
    }

    const PROMETHEUS_2_42: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    const PROMETHEUS_3: &str = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    #[test]
    fn prometheus_gets_openmetrics() {
        assert_eq!(format(&[PROMETHEUS_2_42]), Format::OpenMetrics);
        assert_eq!(format(&[PROMETHEUS_3]), Format::OpenMetrics);
        assert_eq!(
            format(&["Application/OpenMetrics-Text ; Version=1.0.0"]),
            Format::OpenMetrics
        );
        assert_eq!(
            format(&["text/plain", "application/openmetrics-text"]),
            Format::OpenMetrics
        );
    }

    #[test]
    fn everything_else_gets_text_004() {
        assert_eq!(format(&[]), Format::Text004);
        assert_eq!(format(&["*/*"]), Format::Text004);
        assert_eq!(format(&["text/plain;version=0.0.4"]), Format::Text004);
        assert_eq!(format(&["garbage;;;===,,"]), Format::Text004);
        assert_eq!(
            format(&["application/openmetrics-text;q=0"]),
            Format::Text004,
            "q=0 refuses it"
        );
        assert_eq!(
            format(&["application/openmetrics-text;q=abc"]),
            Format::Text004,
            "unparseable q"
        );
        assert_eq!(
            format(&["application/openmetrics-text;q=2"]),
            Format::Text004,
            "q out of range"
        );
        assert_eq!(
            format(&["application/openmetrics-textual"]),
            Format::Text004
        );
        assert_eq!(
            format(&["application/openmetrics-text;;charset"]),
            Format::OpenMetrics,
            "stray `;` ignored"
        );
    }

    #[test]
    fn non_ascii_accept_is_ignored() {
        let mut map = HeaderMap::new();
        map.insert(
            ACCEPT,
            HeaderValue::from_bytes(b"application/openmetrics-text\xff").unwrap(),
        );
        assert_eq!(negotiate_format(&map), Format::Text004);
    }

    #[test]
    fn gzip_only_when_asked() {
        assert!(gzip(&["gzip"]));
        assert!(gzip(&["deflate, gzip;q=0.5"]));
        assert!(gzip(&["identity", "x-gzip"]));
        assert!(gzip(&["*"]));
        assert!(!gzip(&[]));
        assert!(!gzip(&["identity"]));
        assert!(!gzip(&["gzip;q=0"]));
        assert!(
            !gzip(&["gzip;q=0, *"]),
            "an explicit refusal beats the wildcard"
        );
        assert!(!gzip(&["br, deflate"]));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Header values as a client may send them: visible ASCII, tabs and spaces, and obs-text bytes.
        fn header_value() -> impl Strategy<Value = HeaderValue> {
            prop_oneof![
                "[ -~\t]{0,120}".prop_map(|text| HeaderValue::from_str(&text).unwrap()),
                // Fragments of the real grammar, shuffled: media ranges, codings, parameters, q-values.
                proptest::collection::vec(
                    prop_oneof![
                        Just("application/openmetrics-text"),
                        Just("text/plain"),
                        Just("*/*"),
                        Just("gzip"),
                        Just("x-gzip"),
                        Just("*"),
                        Just("identity"),
                        Just(";q=0"),
                        Just(";q=1"),
                        Just(";q=0.5"),
                        Just(";q=1.0001"),
                        Just(";q=-0"),
                        Just(";q=NaN"),
                        Just(";q="),
                        Just(";version=1.0.0"),
                        Just(","),
                        Just(";"),
                        Just("="),
                        Just(" "),
                    ],
                    0..16
                )
                .prop_map(|parts| HeaderValue::from_str(&parts.concat()).unwrap()),
                proptest::collection::vec(any::<u8>(), 0..64).prop_filter_map(
                    "a valid header value",
                    |bytes| HeaderValue::from_bytes(&bytes).ok()
                ),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            /// Any `Accept` and `Accept-Encoding` headers get an answer, and only the ranges they name can change
            /// it from the defaults.
            #[test]
            fn negotiation_never_panics_and_defaults_without_a_match(
                accept in proptest::collection::vec(header_value(), 0..3),
                encoding in proptest::collection::vec(header_value(), 0..3),
            ) {
                let mut map = HeaderMap::new();
                for value in &accept {
                    map.append(ACCEPT, value.clone());
                }
                for value in &encoding {
                    map.append(ACCEPT_ENCODING, value.clone());
                }
                let format = negotiate_format(&map);
                let gzip = accepts_gzip(&map);
                let names = |values: &[HeaderValue], needle: &str| {
                    values.iter().any(|v| v.to_str().is_ok_and(|t| t.to_ascii_lowercase().contains(needle)))
                };
                if !names(&accept, "application/openmetrics-text") {
                    prop_assert_eq!(format, Format::Text004);
                }
                if !names(&encoding, "gzip") && !names(&encoding, "*") {
                    prop_assert!(!gzip);
                }
            }
        }
    }
}
