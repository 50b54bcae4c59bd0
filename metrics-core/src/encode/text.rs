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
    /// Whether lines carry labels: the family's own, or the registry's constant labels.
    has_labels: bool,
}

/// What a registry applies to every family's names and labels when it encodes them: a name prefix and constant
/// labels (`service="api"`), fixed when the registry is built and written into each family's text once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Policy {
    /// Prepended to every metric name (`myapp_`).
    pub(crate) prefix: String,
    /// Written first on every series, in this order: `(name, value)`.
    pub(crate) const_labels: Vec<(String, String)>,
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
    pub(crate) fn new(descriptor: &Descriptor, policy: &Policy) -> Self {
        let has_labels = !descriptor.labels.is_empty() || !policy.const_labels.is_empty();
        // The constant labels come first, closed; then the first label's opening. Without labels of its own, the
        // last constant value is left open, so the line's closing quote ends it as it would a label value.
        let mut first_label = String::new();
        for (index, (name, value)) in policy.const_labels.iter().enumerate() {
            first_label.push(if index == 0 { '{' } else { ',' });
            first_label.push_str(name);
            first_label.push_str("=\"");
            escape_label_value(value, &mut first_label);
            if index + 1 < policy.const_labels.len() || !descriptor.labels.is_empty() {
                first_label.push('"');
            }
        }
        if let Some(label) = descriptor.labels.first() {
            first_label.push(if policy.const_labels.is_empty() {
                '{'
            } else {
                ','
            });
            first_label.push_str(label.name);
            first_label.push_str("=\"");
        }
        let name = format!("{}{}", policy.prefix, descriptor.name);
        let opens = [
            format!("{name}{first_label}").into(),
            format!("{name}_bucket{first_label}").into(),
            format!("{name}_sum{first_label}").into(),
            format!("{name}_count{first_label}").into(),
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
            headers: Format::ALL.map(|format| header(descriptor, &policy.prefix, format).into()),
            opens,
            labels,
            le,
            states,
            has_labels,
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
        self.has_labels
    }

    pub(crate) fn le(&self) -> &[Box<str>] {
        &self.le
    }

    pub(crate) fn states(&self) -> &[Box<str>] {
        &self.states
    }
}

/// Two bits per interned value, side by side in one word so one load answers: whether it was seen (low bit) and
/// whether it needs no escaping (high bit).
#[derive(Debug)]
pub(crate) struct CleanBits {
    words: Box<[AtomicU64]>,
}

/// Values per word of [`CleanBits`].
const PER_WORD: usize = 32;
const SEEN: u64 = 0b01;
const CLEAN: u64 = 0b10;

impl CleanBits {
    fn new(values: usize) -> Self {
        Self {
            words: (0..values.div_ceil(PER_WORD))
                .map(|_| AtomicU64::new(0))
                .collect(),
        }
    }

    /// Whether `value`, interned at `position`, needs no escaping.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn is_clean(&self, position: usize, value: &str) -> bool {
        let shift = 2 * (position % PER_WORD);
        let Some(word) = self.words.get(position / PER_WORD) else {
            return !needs_label_escaping(value);
        };
        let bits = word.load(Ordering::Relaxed) >> shift;
        if bits & SEEN != 0 {
            return bits & CLEAN != 0;
        }
        let clean = !needs_label_escaping(value);
        // Both bits in one update: a concurrent scrape sees either neither (and scans the value itself) or both.
        let learnt = if clean { SEEN | CLEAN } else { SEEN };
        word.fetch_or(learnt << shift, Ordering::Relaxed);
        clean
    }
}

fn escaped(value: &str) -> String {
    let mut text = String::with_capacity(value.len());
    escape_label_value(value, &mut text);
    text
}

/// A family of ours always declares its type, and its types are all expressible in both formats.
fn header(descriptor: &Descriptor, prefix: &str, format: Format) -> String {
    let mut out = String::new();
    let (family, queried) = (
        format!("{prefix}{}", descriptor.family_name()),
        format!("{prefix}{}", descriptor.name),
    );
    let header = Header {
        family: &family,
        queried: &queried,
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
