//! The text of a family that never changes between scrapes, rendered once: the encoder's cache, owned by the
//! registry beside each family, so storage holds values only.
//!
//! It is built from the descriptor alone: headers per format, the opening of each kind of sample line, the
//! escaped text of every enum label value, the canonical `le` values and the state-set states. Its size grows with
//! the sum of the labels' value counts, never with their product (the number of series).

use std::sync::atomic::{AtomicU64, Ordering};

use super::format::{Format, Header, TypeName, write_header};
use super::number::canonical_float;
use super::{escape_label_value, needs_label_escaping};
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
    /// What each label needs, in declaration order.
    labels: Box<[LabelText]>,
    /// The end of each bucket line's labels: `",le="0.5"} ` (or `{le="0.5"} ` without labels), `+Inf` last.
    le: Box<[Box<str>]>,
    /// The end of each state's line: `",name="state"} ` (or `{name="state"} ` without labels).
    states: Box<[Box<str>]>,
}

/// One label's fixed text.
#[derive(Debug)]
pub(crate) struct LabelText {
    /// `",name="`, written before the value of every label but the first (whose opening is in the line's).
    pub(crate) opener: Box<str>,
    pub(crate) values: ValueText,
}

/// What is known of a label's values.
#[derive(Debug)]
pub(crate) enum ValueText {
    /// An enum label: the escaped text of each value, by position.
    Enum(Box<[Box<str>]>),
    /// A bounded string label: which interned values are known to need no escaping, learnt on the first scrape
    /// that meets them (an interned position always carries the same value).
    Bounded(CleanBits),
    /// A free string (info labels): escaped at every scrape.
    Text,
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
        let labels = descriptor
            .labels
            .iter()
            .map(|label| LabelText {
                opener: format!("\",{}=\"", label.name).into(),
                values: match label.values {
                    LabelValues::Enum(values) => {
                        ValueText::Enum(values.iter().map(|v| escaped(v).into()).collect())
                    }
                    LabelValues::Bounded { cap } => ValueText::Bounded(CleanBits::new(cap + 1)),
                    LabelValues::Text => ValueText::Text,
                },
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
            labels,
            le,
            states,
        }
    }

    pub(crate) fn header(&self, format: Format) -> &str {
        &self.headers[format.index()]
    }

    #[inline]
    pub(crate) fn open(&self, line: Line) -> &str {
        &self.opens[line as usize]
    }

    #[inline]
    pub(crate) fn labels(&self) -> &[LabelText] {
        &self.labels
    }

    #[inline]
    pub(crate) fn has_labels(&self) -> bool {
        !self.labels.is_empty()
    }

    pub(crate) fn le(&self) -> &[Box<str>] {
        &self.le
    }

    pub(crate) fn states(&self) -> &[Box<str>] {
        &self.states
    }
}

/// Two bits per interned value: whether it was seen, and whether it needs no escaping.
#[derive(Debug)]
pub(crate) struct CleanBits {
    known: Box<[AtomicU64]>,
    clean: Box<[AtomicU64]>,
}

impl CleanBits {
    fn new(values: usize) -> Self {
        let words = || {
            (0..values.div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect()
        };
        Self {
            known: words(),
            clean: words(),
        }
    }

    /// Whether `value`, interned at `position`, needs no escaping.
    #[inline]
    pub(crate) fn is_clean(&self, position: usize, value: &str) -> bool {
        let (word, bit) = (position / 64, 1u64 << (position % 64));
        let Some(known) = self.known.get(word) else {
            return !needs_label_escaping(value);
        };
        if known.load(Ordering::Relaxed) & bit != 0 {
            return self.clean[word].load(Ordering::Relaxed) & bit != 0;
        }
        let clean = !needs_label_escaping(value);
        // Relaxed on two words: a concurrent scrape may see `known` before `clean` and escape a clean value,
        // which writes the same bytes. Never the reverse, since `clean` is only set for clean values.
        if clean {
            self.clean[word].fetch_or(bit, Ordering::Relaxed);
        }
        known.fetch_or(bit, Ordering::Relaxed);
        clean
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
