//! The line writer of both text formats: a [`SeriesSink`] that appends each series' sample lines.

use std::ops::Range;

use super::append::{push_i64, push_opening, push_short, push_u64};
use super::escape_label_value;
use super::format::Format;
use super::number::write_float;
use super::text::{FamilyText, LabelText, Line, ValueText};
use crate::family::Descriptor;
use crate::series::{Exemplar, Exemplars, Number, Sample, Series, SeriesSink};

/// Appends one label's value: its cached escaped text (enum), the value itself when it is known to need no
/// escaping (bounded string), or the value escaped.
#[allow(clippy::inline_always)]
#[inline(always)]
fn label_value(label: &LabelText, value: &str, position: u32, out: &mut String) {
    match &label.values {
        ValueText::Enum(texts) => match texts.get(position as usize) {
            Some(text) => push_short(out, text),
            None => escape_label_value(value, out),
        },
        ValueText::Bounded(clean) if clean.is_clean(position as usize, value) => {
            push_short(out, value);
        }
        ValueText::Bounded(_) | ValueText::Text => escape_label_value(value, out),
    }
}

/// Encodes one family: writes its header on creation, then the lines of each series it is handed.
///
/// Everything that does not change between scrapes comes from the family's [`FamilyText`], so a line is mostly
/// copies: its opening, each label value (escaped text cached for enum values; a string value is copied as it is
/// unless it holds a character to escape), and the number.
pub(crate) struct FamilyEncoder<'o> {
    text: &'o FamilyText,
    out: &'o mut String,
    /// Whether histogram lines include `_sum` and `_count` (see [`Format::keeps_signed_histogram_sum`]).
    sums: bool,
    /// Whether lines show their exemplars (see [`Format::has_exemplars`]).
    exemplars: bool,
}

impl<'o> FamilyEncoder<'o> {
    pub(crate) fn begin(
        descriptor: &Descriptor,
        text: &'o FamilyText,
        format: Format,
        out: &'o mut String,
    ) -> Self {
        out.push_str(text.header(format));
        let signed = descriptor
            .buckets
            .first()
            .is_some_and(|lowest| *lowest < 0.0);
        Self {
            text,
            out,
            sums: !signed || format.keeps_signed_histogram_sum(),
            exemplars: format.has_exemplars(),
        }
    }

    /// Appends the label values of `series` after a line's opening, each after its `",name="`, without the
    /// closing quote; returns where they are in the output, so the other lines of the series copy them.
    // Measured with callgrind on a 10,000-series scrape: a plain `#[inline]` is not taken, and the calls cost ~6%.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn labels(&mut self, series: &Series<'_>) -> Range<usize> {
        let out = &mut *self.out;
        let start = out.len();
        let values = series.values();
        let labels = self.text.labels();
        match (series.positions(), labels, values) {
            // One label, the most common shape: no loop, no opener.
            (Some(&[position]), [label], [value]) => label_value(label, value, position, out),
            (Some(positions), ..) => {
                for (i, ((label, value), &position)) in
                    labels.iter().zip(values).zip(positions).enumerate()
                {
                    if i > 0 {
                        push_short(out, &label.opener);
                    }
                    label_value(label, value, position, out);
                }
            }
            (None, ..) => {
                for (i, (label, value)) in labels.iter().zip(values).enumerate() {
                    if i > 0 {
                        push_short(out, &label.opener);
                    }
                    escape_label_value(value, out);
                }
            }
        }
        start..out.len()
    }

    /// Opens one of a series' lines: the first writes the label values in place, the later ones copy them.
    fn open(&mut self, line: Line, series: &Series<'_>, written: &mut Option<Range<usize>>) {
        push_opening(self.out, self.text.open(line));
        match written {
            Some(range) => self.out.extend_from_within(range.clone()),
            None if self.text.has_labels() => *written = Some(self.labels(series)),
            None => *written = Some(0..0),
        }
    }

    /// Ends a line's labels and the space before the value.
    // Measured with callgrind on a 10,000-series scrape: a plain `#[inline]` is not taken, and the calls cost ~6%.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn close(&mut self) {
        // Two constant pushes rather than one of either length: each compiles to a store.
        if self.text.has_labels() {
            self.out.push_str("\"} ");
        } else {
            self.out.push(' ');
        }
    }

    /// Writes the line's number and its newline.
    // Measured with callgrind on a 10,000-series scrape: a plain `#[inline]` is not taken, and the calls cost ~6%.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn number(&mut self, value: Number) {
        self.value(value);
        self.out.push('\n');
    }

    /// Writes a number, without the newline.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn value(&mut self, value: Number) {
        match value {
            Number::U64(v) => push_u64(self.out, v),
            Number::I64(v) => push_i64(self.out, v),
            Number::F64(v) => write_float(v, self.out),
        }
    }

    /// Writes a line's number, its exemplar when it has one, and its newline.
    fn value_and_exemplar(&mut self, value: Number, exemplar: Option<Exemplar<'_>>) {
        self.value(value);
        if let Some(exemplar) = exemplar {
            self.out.push_str(" # {");
            for (i, (name, value)) in exemplar.labels().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                self.out.push_str(name);
                self.out.push_str("=\"");
                escape_label_value(value, self.out);
                self.out.push('"');
            }
            self.out.push_str("} ");
            write_float(exemplar.value(), self.out);
            self.out.push(' ');
            write_float(exemplar.timestamp(), self.out);
        }
        self.out.push('\n');
    }

    /// A counter's or gauge's line, written straight through.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn plain(&mut self, series: &Series<'_>, value: Number) {
        push_opening(self.out, self.text.open(Line::Plain));
        if self.text.has_labels() {
            self.labels(series);
        }
        self.close();
        self.number(value);
    }

    /// The lines of every other kind of sample.
    #[inline(never)]
    fn other(&mut self, series: &Series<'_>, sample: &Sample<'_>) {
        let mut written = None;
        match *sample {
            Sample::Counter(value) | Sample::Gauge(value) => self.plain(series, value),
            Sample::Info => {
                self.open(Line::Plain, series, &mut written);
                self.close();
                self.out.push_str("1\n");
            }
            Sample::Histogram { cumulative, sum } => self.histogram(series, cumulative, sum, None),
            Sample::StateSet { current } => {
                for (i, state) in self.text.states().iter().enumerate() {
                    self.open(Line::Plain, series, &mut written);
                    push_short(self.out, state);
                    self.out.push_str(if i == current { "1\n" } else { "0\n" });
                }
            }
        }
    }

    /// A histogram's lines; `exemplars` gives each bucket's, when the family keeps them and the format shows them.
    fn histogram(
        &mut self,
        series: &Series<'_>,
        cumulative: &[u64],
        sum: f64,
        exemplars: Option<&Exemplars<'_>>,
    ) {
        let mut written = None;
        for (i, (count, le)) in cumulative.iter().zip(self.text.le()).enumerate() {
            self.open(Line::Bucket, series, &mut written);
            push_short(self.out, le);
            match exemplars {
                Some(exemplars) => self.value_and_exemplar(Number::U64(*count), exemplars.get(i)),
                None => self.number(Number::U64(*count)),
            }
        }
        if self.sums {
            self.open(Line::Sum, series, &mut written);
            self.close();
            self.number(Number::F64(sum));
            self.open(Line::Count, series, &mut written);
            self.close();
            self.number(Number::U64(cumulative.last().copied().unwrap_or(0)));
        }
    }
}

impl SeriesSink for FamilyEncoder<'_> {
    // The counter and gauge line (nearly every series of a scrape) is written inline; the rest is out of line so
    // that this path's call saves and restores few registers.
    fn series(&mut self, series: &Series<'_>, sample: &Sample<'_>) {
        match *sample {
            Sample::Counter(value) | Sample::Gauge(value) => self.plain(series, value),
            _ => self.other(series, sample),
        }
    }

    fn series_with_exemplars(
        &mut self,
        series: &Series<'_>,
        sample: &Sample<'_>,
        exemplars: &Exemplars<'_>,
    ) {
        match *sample {
            Sample::Counter(value) if self.exemplars => {
                push_opening(self.out, self.text.open(Line::Plain));
                if self.text.has_labels() {
                    self.labels(series);
                }
                self.close();
                self.value_and_exemplar(value, exemplars.get(0));
            }
            Sample::Histogram { cumulative, sum } if self.exemplars => {
                self.histogram(series, cumulative, sum, Some(exemplars));
            }
            _ => self.series(series, sample),
        }
    }
}
