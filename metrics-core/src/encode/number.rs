//! Number formatting: sample values, and the canonical form of `le`/`quantile` label values.

use std::fmt::Write as _;

/// Appends a sample value: `NaN`, `+Inf`, `-Inf`, otherwise the shortest text that parses back to `v`.
pub fn write_float(v: f64, out: &mut String) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "+Inf" } else { "-Inf" });
    } else {
        // `{:?}` is Rust's shortest round-trip form; it writes large and tiny values with an exponent (`1e21`).
        let _ = write!(out, "{v:?}");
    }
}

/// The OpenMetrics canonical text of a bucket bound or quantile: Go's `%g` shortest form, with `.0` appended when
/// it has neither `.` nor `e` (`1.0`, `0.005`, `100000.0`, `1e+06`, `1e-05`, `+Inf`).
///
/// Written the same in both formats, so a series' identity never depends on content negotiation.
///
/// ```
/// use metrics_core::encode::canonical_float;
/// assert_eq!(canonical_float(1.0), "1.0");
/// assert_eq!(canonical_float(0.005), "0.005");
/// assert_eq!(canonical_float(100000.0), "100000.0");
/// assert_eq!(canonical_float(1e6), "1e+06");
/// assert_eq!(canonical_float(1e-5), "1e-05");
/// assert_eq!(canonical_float(1234567.0), "1.234567e+06");
/// assert_eq!(canonical_float(f64::INFINITY), "+Inf");
/// ```
pub fn canonical_float(v: f64) -> String {
    if !v.is_finite() {
        let mut out = String::new();
        write_float(v, &mut out);
        return out;
    }
    if v == 0.0 {
        return if v.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // `{:e}` gives the shortest round-trip digits in scientific form: `-1.234567e6`, `5e-3`.
    let sci = format!("{v:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = mantissa
        .strip_prefix('-')
        .map_or(("", mantissa), |m| ("-", m));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // Go's shortest %g uses the exponent form when the exponent is < -4 or >= 6 (the precision for that test).
    let text = if !(-4..6).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{first}{dot}e{esign}{:02}", exponent.abs())
    } else if exponent < 0 {
        let zeros = "0".repeat(exponent.unsigned_abs() as usize - 1);
        format!("{sign}0.{zeros}{digits}")
    } else {
        let int_len = exponent.unsigned_abs() as usize + 1;
        if digits.len() <= int_len {
            format!("{sign}{digits}{}", "0".repeat(int_len - digits.len()))
        } else {
            format!("{sign}{}.{}", &digits[..int_len], &digits[int_len..])
        }
    };
    if text.contains('.') || text.contains('e') {
        text
    } else {
        text + ".0"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_floats_match_go_percent_g() {
        let cases = [
            (0.005, "0.005"),
            (0.01, "0.01"),
            (0.1, "0.1"),
            (1.0, "1.0"),
            (2.5, "2.5"),
            (10.0, "10.0"),
            (100_000.0, "100000.0"),
            (1e6, "1e+06"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (123_456.0, "123456.0"),
            (1.5e300, "1.5e+300"),
            (-2.0, "-2.0"),
            (8192.0, "8192.0"),
            (0.0, "0.0"),
            (f64::NEG_INFINITY, "-Inf"),
        ];
        for (v, want) in cases {
            assert_eq!(canonical_float(v), want, "{v}");
        }
    }

    #[test]
    fn sample_values_round_trip() {
        for v in [0.1, 1.0, 1e21, 5e-324, -3.25, 123_456_789.123] {
            let mut out = String::new();
            write_float(v, &mut out);
            assert_eq!(out.parse::<f64>().unwrap(), v, "{out}");
        }
    }
}
