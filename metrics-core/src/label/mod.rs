//! Label values: closed enum sets, ready-made label types, and bounded string labels.

mod bounded;
mod builtin;
mod texts;
mod value;

pub(crate) use bounded::Interned;
pub use bounded::{BoundedStr, Interner, OVERFLOW_VALUE};
pub use builtin::{Direction, HttpMethod, Outcome, StatusClass};
pub use value::{EnumLabels, LabelValue};
