//! The exemplar label-set rule of OpenMetrics 1.0: names and values together at most 128 UTF-8 characters.

use core::fmt;

use crate::name::{SyntaxError, check_label_name};

/// The most UTF-8 characters an exemplar's label set may hold, names and values together (OpenMetrics 1.0,
/// "Exemplars").
pub const MAX_EXEMPLAR_LABEL_CHARS: usize = 128;

/// Why an exemplar label set cannot be exposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExemplarLabelsError {
    /// Names and values together are longer than [`MAX_EXEMPLAR_LABEL_CHARS`]; `chars` is their length.
    TooLong {
        /// The characters of all names and values.
        chars: usize,
    },
    /// A name is not a label name.
    Name(SyntaxError),
}

impl fmt::Display for ExemplarLabelsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { chars } => write!(
                f,
                "an exemplar's label names and values hold {chars} characters, more than the \
                 {MAX_EXEMPLAR_LABEL_CHARS} OpenMetrics allows"
            ),
            Self::Name(error) => write!(f, "an exemplar label name is invalid: {error}"),
        }
    }
}

/// An exemplar label set may be exposed: each name a label name, and at most [`MAX_EXEMPLAR_LABEL_CHARS`]
/// characters of names and values together. A set that breaks it is dropped whole: a shortened trace id would
/// point at another trace.
///
/// # Errors
///
/// The first rule the set breaks.
///
/// ```
/// use metrics_rules::exemplar::{ExemplarLabelsError, check_exemplar_labels};
///
/// let id = "4bf92f3577b34da6a3ce929d0e0e4736";
/// assert_eq!(check_exemplar_labels(&[("trace_id", id)]), Ok(()));
/// let long = "x".repeat(121);
/// assert_eq!(
///     check_exemplar_labels(&[("trace_id", &long)]),
///     Err(ExemplarLabelsError::TooLong { chars: 129 })
/// );
/// ```
#[inline]
pub fn check_exemplar_labels(labels: &[(&str, &str)]) -> Result<(), ExemplarLabelsError> {
    let mut bytes = 0;
    for (name, value) in labels {
        check_label_name(name).map_err(ExemplarLabelsError::Name)?;
        bytes += name.len() + value.len();
    }
    // A character is at least one byte, so a set within the limit in bytes is within it in characters: the
    // common case (ASCII trace ids) counts nothing. Names are ASCII once checked.
    if bytes <= MAX_EXEMPLAR_LABEL_CHARS {
        return Ok(());
    }
    let chars = labels
        .iter()
        .map(|(name, value)| name.len() + value.chars().count())
        .sum();
    if chars > MAX_EXEMPLAR_LABEL_CHARS {
        return Err(ExemplarLabelsError::TooLong { chars });
    }
    Ok(())
}
