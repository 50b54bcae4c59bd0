//! What can be wrong with a family or a set of families: the registry refuses to build while any remains.

use std::fmt;

use super::SourceLocation;

/// One thing wrong with the set of registered families.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Two families expose the same sample name (directly, or through a suffix such as `_bucket` or `_total`).
    Clash {
        /// The sample name both would expose.
        sample: String,
        /// The first family and where it was declared.
        first: (&'static str, SourceLocation),
        /// The second family and where it was declared.
        second: (&'static str, SourceLocation),
    },
    /// A metric or label name that is not valid in the exposition formats.
    InvalidName {
        /// The offending name.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
        /// The family it belongs to and where it was declared.
        family: (&'static str, SourceLocation),
    },
    /// A registry-wide setting (name prefix, constant label) that cannot be applied.
    Policy {
        /// The setting, as written (`const_label("job", ..)`).
        setting: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Clash {
                sample,
                first,
                second,
            } => write!(
                f,
                "metric families `{}` (declared at {}) and `{}` (declared at {}) both expose `{sample}`: rename one",
                first.0, first.1, second.0, second.1
            ),
            Self::InvalidName {
                name,
                reason,
                family,
            } => {
                write!(
                    f,
                    "family `{}` (declared at {}): `{name}` {reason}",
                    family.0, family.1
                )
            }
            Self::Policy { setting, reason } => write!(f, "registry setting {setting}: {reason}"),
        }
    }
}
