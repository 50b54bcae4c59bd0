//! Label limits and label value text. Label *names* are in [`name`](crate::name).

use core::fmt;

/// The most labels one family may have: storage sizes its per-series scratch arrays by it.
pub const MAX_LABELS: usize = 16;

/// More labels than [`MAX_LABELS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyLabels;

impl fmt::Display for TooManyLabels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a family has at most {MAX_LABELS} labels")
    }
}

/// A family may have `count` labels.
///
/// # Errors
///
/// [`TooManyLabels`] above [`MAX_LABELS`].
///
/// ```
/// assert!(metrics_rules::label::check_label_count(16).is_ok());
/// assert!(metrics_rules::label::check_label_count(17).is_err());
/// ```
pub const fn check_label_count(count: usize) -> Result<(), TooManyLabels> {
    if count > MAX_LABELS {
        Err(TooManyLabels)
    } else {
        Ok(())
    }
}

/// A label value text that cannot be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelValueError<'a> {
    /// Empty: Prometheus treats an empty value as a missing label, so the series would merge with another.
    Empty,
    /// A control character, which no query can match by typing it.
    Control {
        /// The whole value.
        text: &'a str,
        /// The first control character in it.
        c: char,
    },
}

impl fmt::Display for LabelValueError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str(
                "label values must not be empty: Prometheus treats an empty value as a missing label",
            ),
            Self::Control { text, c } => write!(
                f,
                "label value {text:?} contains the control character {c:?}: remove it"
            ),
        }
    }
}

/// A label value fixed in a declaration (an enum variant, a failure reason, a function's `job` name): not empty,
/// no control characters.
///
/// # Errors
///
/// The first rule the text breaks.
///
/// ```
/// use metrics_rules::label::{LabelValueError, check_label_value};
///
/// assert_eq!(check_label_value("timeout"), Ok(()));
/// assert_eq!(check_label_value(""), Err(LabelValueError::Empty));
/// ```
pub fn check_label_value(text: &str) -> Result<(), LabelValueError<'_>> {
    if text.is_empty() {
        return Err(LabelValueError::Empty);
    }
    match text.chars().find(|c| c.is_control()) {
        Some(c) => Err(LabelValueError::Control { text, c }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::ToString as _;

    use super::*;

    #[test]
    fn label_counts() {
        for (count, ok) in [
            (0, true),
            (1, true),
            (MAX_LABELS, true),
            (MAX_LABELS + 1, false),
        ] {
            assert_eq!(check_label_count(count).is_ok(), ok, "{count}");
        }
        assert_eq!(TooManyLabels.to_string(), "a family has at most 16 labels");
    }

    #[test]
    fn label_values() {
        for (text, message) in [
            ("timeout", None),
            ("with space, \"quotes\" and ünïcode", None),
            (
                "",
                Some(
                    "label values must not be empty: Prometheus treats an empty value as a missing label",
                ),
            ),
            (
                "a\nb",
                Some("label value \"a\\nb\" contains the control character '\\n': remove it"),
            ),
            (
                "tab\there",
                Some("label value \"tab\\there\" contains the control character '\\t': remove it"),
            ),
        ] {
            let got = check_label_value(text).err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), message, "{text:?}");
        }
    }
}
