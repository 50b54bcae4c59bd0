//! Durations as people write them in environment variables and query strings: `500ms`, `5s`, `2m`, `1h`, `1d`,
//! or bare seconds (`1.5`).

use std::time::Duration;

use crate::excerpt::excerpt;

/// The longest duration accepted (about 31 years): keeps arithmetic on `SystemTime` and `Instant` from
/// overflowing, whatever the input.
const MAX_SECONDS: f64 = 1e9;

/// Parses a non-negative duration: a decimal number followed by an optional unit `ms`, `s`, `m`, `h` or `d`
/// (seconds when there is none).
///
/// # Errors
///
/// A short description of what is wrong, meant to be shown to whoever wrote the value.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let factor = match unit {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        _ => {
            return Err(format!(
                "unknown unit {}: use ms, s, m, h or d",
                excerpt(unit)
            ));
        }
    };
    // The split keeps only digits and dots in `number`, so a sign, an exponent, `inf` or `nan` never get here.
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{} is not a number", excerpt(number)))?;
    let seconds = value * factor;
    if seconds > MAX_SECONDS {
        return Err(format!(
            "{} is longer than the supported maximum",
            excerpt(text)
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_units_and_bare_seconds() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_mins(2)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_hours(1)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_hours(24)));
        assert_eq!(parse_duration(" 1.5 "), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
    }

    #[test]
    fn rejects_signs_units_and_garbage() {
        for bad in [
            "", "-5s", "+5s", "5 s", "5w", "1e3", "inf", "nan", "s", "1.2.3", "5sec",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} must be rejected");
        }
        assert!(parse_duration("99999999999d").is_err());
        let long_unit = format!("5{}", "x".repeat(50_000));
        assert!(
            parse_duration(&long_unit).unwrap_err().len() < 200,
            "an excerpt, not the input"
        );
    }
}
