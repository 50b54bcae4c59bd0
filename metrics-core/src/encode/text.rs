//! The text of a family that never changes between scrapes, rendered once: the encoder's cache, owned by the
//! registry beside each family, so storage holds values only.
//!
//! It is built from the descriptor alone: headers per format, the opening of each kind of sample line, the
//! escaped text of every enum label value, the canonical `le` values and the state-set states. Its size grows with
//! the sum of the labels' value counts, never with their product (the number of series).

use super::escape_label_value;
use super::format::{Format, Header, TypeName, write_header};
use super::number::canonical_float;
use crate::family::{Descriptor, LabelValues};

/// The lines a family writes per series: the plain sample, or a histogram's three kinds of line.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Line {
    Plain = 0,
    Bucket = 1,
    Sum = 2,
    Count = 3,
}

/// What [`FamilyEncoder`](super::writer::FamilyEncoder) copies instead of formatting.
#[derive(Debug)]
pub(crate) struct FamilyText {
    /// The metadata lines, per [`Format::index`].
    headers: [Box<str>; 2],
    /// Per [`Line`]: the sample name, then `{` and the first label's `name="` when the family has labels.
    opens: [Box<str>; 4],
    /// `",name="` before each further label's value, by label position (the first is unused).
    openers: Box<[Box<str>]>,
    /// The escaped text of each enum label's values, by label position; empty for string labels.
    enum_values: Box<[Box<[Box<str>]>]>,
    /// The end of each bucket line's labels: `",le="0.5"} ` (or `{le="0.5"} ` without labels), `+Inf` last.
    le: Box<[Box<str>]>,
    /// The end of each state's line: `",name="state"} ` (or `{name="state"} ` without labels).
    states: Box<[Box<str>]>,
    has_labels: bool,
}

impl FamilyText {
    pub(crate) fn new(descriptor: &Descriptor) -> Self {
        let has_labels = !descriptor.labels.is_empty();
        let first_label = descriptor
            .labels
            .first()
            .map(|label| format!("{{{}=\"", label.name))
            .unwrap_or_default();
        let opens = [
            format!("{}{first_label}", descriptor.name).into(),
            format!("{}_bucket{first_label}", descriptor.name).into(),
            format!("{}_sum{first_label}", descriptor.name).into(),
            format!("{}_count{first_label}", descriptor.name).into(),
        ];
        let openers = descriptor
            .labels
            .iter()
            .map(|label| format!("\",{}=\"", label.name).into())
            .collect();
        let enum_values = descriptor
            .labels
            .iter()
            .map(|label| match label.values {
                LabelValues::Enum(values) => values.iter().map(|v| escaped(v).into()).collect(),
                LabelValues::Bounded { .. } | LabelValues::Text => Box::default(),
            })
            .collect();
        // Within the label braces when the family has labels, else opening its own.
        let extra = |name: &str, value: &str| -> Box<str> {
            if has_labels {
                format!("\",{name}=\"{value}\"}} ").into()
            } else {
                format!("{{{name}=\"{value}\"}} ").into()
            }
        };
        let le = descriptor
            .buckets
            .iter()
            .map(|bound| canonical_float(*bound))
            .chain(std::iter::once("+Inf".to_owned()))
            .map(|bound| extra("le", &bound))
            .collect();
        let states = descriptor
            .states
            .iter()
            .map(|state| extra(descriptor.family_name(), &escaped(state)))
            .collect();
        Self {
            headers: Format::ALL.map(|format| header(descriptor, format).into()),
            opens,
            openers,
            enum_values,
            le,
            states,
            has_labels,
        }
    }

    pub(crate) fn header(&self, format: Format) -> &str {
        &self.headers[format.index()]
    }

    pub(crate) fn open(&self, line: Line) -> &str {
        &self.opens[line as usize]
    }

    pub(crate) fn opener(&self, label: usize) -> &str {
        &self.openers[label]
    }

    /// The cached escaped text of value `position` of label `label`, when that label is an enum.
    pub(crate) fn enum_value(&self, label: usize, position: u32) -> Option<&str> {
        self.enum_values[label]
            .get(position as usize)
            .map(AsRef::as_ref)
    }

    pub(crate) fn le(&self) -> &[Box<str>] {
        &self.le
    }

    pub(crate) fn states(&self) -> &[Box<str>] {
        &self.states
    }

    pub(crate) fn has_labels(&self) -> bool {
        self.has_labels
    }
}

fn escaped(value: &str) -> String {
    let mut text = String::with_capacity(value.len());
    escape_label_value(value, &mut text);
    text
}

/// A family of ours always declares its type, and its types are all expressible in both formats.
fn header(descriptor: &Descriptor, format: Format) -> String {
    let mut out = String::new();
    let header = Header {
        family: descriptor.family_name(),
        queried: descriptor.name,
        type_name: TypeName::Declared(descriptor.kind),
        typed: true,
        unit: descriptor.unit,
        help: (!descriptor.help.is_empty()).then_some(descriptor.help),
    };
    let written = write_header(&header, format, &mut out);
    debug_assert!(
        written.is_ok(),
        "every declarable kind has a form in both formats"
    );
    out
}
