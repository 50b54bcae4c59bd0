//! Reading an example's settings from environment variables: one rule for every example, so each names the
//! variable and what it expected when a value does not parse.

use std::str::FromStr;

/// The variable `name` parsed as `T`, `None` when unset; an error naming the variable and `expected` (such as
/// "a rate") when it does not parse. Surrounding whitespace is ignored.
///
/// # Errors
///
/// A value that does not parse as `T`.
pub fn parse<T: FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &str,
    expected: &str,
) -> Result<Option<T>, String> {
    lookup(name)
        .map(|text| {
            text.trim()
                .parse()
                .map_err(|_| format!("{name}: expected {expected}, got {text:?}"))
        })
        .transpose()
}

/// The variable `name` as a switch: `1`/`true`/`yes` or `0`/`false`/`no`, `default` when unset or empty.
///
/// # Errors
///
/// Any other value.
pub fn flag(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: bool,
) -> Result<bool, String> {
    match lookup(name).as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some("0" | "false" | "no") => Ok(false),
        Some("1" | "true" | "yes") => Ok(true),
        Some(other) => Err(format!("{name}: expected true or false, got {other:?}")),
    }
}

/// `value` in `(0, max]`, or an error naming the variable `name`.
///
/// # Errors
///
/// A value of zero or less, above `max`, or not a number.
pub fn positive(name: &str, value: f64, max: f64) -> Result<(), String> {
    if value > 0.0 && value <= max {
        Ok(())
    } else {
        Err(format!(
            "{name}: expected a number in (0, {max}], got {value}"
        ))
    }
}

/// `value` in `[0, 1]`, or an error naming the variable `name`.
///
/// # Errors
///
/// A value outside `[0, 1]` or not a number.
pub fn probability(name: &str, value: f64) -> Result<(), String> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{name}: expected a probability in [0, 1], got {value}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::{flag, parse, positive, probability};

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn parse_names_the_variable_and_what_it_expected() {
        let lookup = env(&[("RATE", " 2.5 "), ("BAD", "fast")]);
        assert_eq!(parse::<f64>(&lookup, "RATE", "a rate"), Ok(Some(2.5)));
        assert_eq!(parse::<f64>(&lookup, "UNSET", "a rate"), Ok(None));
        assert_eq!(
            parse::<f64>(&lookup, "BAD", "a rate"),
            Err("BAD: expected a rate, got \"fast\"".to_owned())
        );
    }

    #[test]
    fn flag_takes_the_usual_spellings_and_refuses_others() {
        let lookup = env(&[("ON", "yes"), ("OFF", "0"), ("EMPTY", ""), ("ODD", "maybe")]);
        assert_eq!(flag(&lookup, "ON", false), Ok(true));
        assert_eq!(flag(&lookup, "OFF", true), Ok(false));
        assert_eq!(flag(&lookup, "EMPTY", true), Ok(true));
        assert_eq!(flag(&lookup, "UNSET", false), Ok(false));
        assert!(flag(&lookup, "ODD", false).unwrap_err().contains("ODD"));
    }

    #[test]
    fn ranges_name_the_variable() {
        assert_eq!(positive("RATE", 2.0, 10.0), Ok(()));
        assert_eq!(
            positive("RATE", 0.0, 10.0),
            Err("RATE: expected a number in (0, 10], got 0".to_owned())
        );
        assert!(positive("RATE", f64::NAN, 10.0).is_err());
        assert_eq!(probability("P", 1.0), Ok(()));
        assert_eq!(
            probability("P", 1.5),
            Err("P: expected a probability in [0, 1], got 1.5".to_owned())
        );
    }
}
