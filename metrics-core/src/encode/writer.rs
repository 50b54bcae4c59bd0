//! The shared line writer of both text formats.

use super::number::{canonical_float, write_float};
use super::{Format, escape_help, escape_label_value};
use crate::family::{Descriptor, LabelDescriptor, MetricKind, Number, Sample, Series, SeriesSink};

/// Appends `name="value",...` for a series, values escaped.
pub(crate) fn render_label_pairs(labels: &[LabelDescriptor], values: &[&str], out: &mut String) {
    for (i, (label, value)) in labels.iter().zip(values).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(label.name);
        out.push_str("=\"");
        escape_label_value(value, out);
        out.push('"');
    }
}

/// Encodes one family: writes its header on creation, then one block of lines per series it is handed.
pub(crate) struct FamilyEncoder<'o> {
    descriptor: &'static Descriptor,
    out: &'o mut String,
    /// Label text of the current series when the family did not cache it.
    scratch: &'o mut String,
    /// Canonical `le` values, computed once per family per scrape.
    bounds: Vec<String>,
    /// What precedes each label value on a one-line sample: `name{first="`, then `",next="`. Built on the first
    /// series that needs them (families with cached label text never do), then reused for the family's lines.
    openers: Vec<String>,
    format: Format,
}

impl<'o> FamilyEncoder<'o> {
    pub(crate) fn begin(
        descriptor: &'static Descriptor,
        format: Format,
        out: &'o mut String,
        scratch: &'o mut String,
    ) -> Self {
        write_header(descriptor, format, out);
        let bounds = descriptor
            .buckets
            .iter()
            .map(|b| canonical_float(*b))
            .collect();
        Self {
            descriptor,
            out,
            scratch,
            bounds,
            openers: Vec::new(),
            format,
        }
    }
}

/// `name{first="`, then `",next="` for each further label of `descriptor`.
fn label_openers(descriptor: &Descriptor) -> Vec<String> {
    descriptor
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            if i == 0 {
                format!("{}{{{}=\"", descriptor.name, label.name)
            } else {
                format!("\",{}=\"", label.name)
            }
        })
        .collect()
}

/// Writes `name{labels[,extra_name="extra_value"]} `, leaving the value to the caller.
fn sample_prefix(
    out: &mut String,
    name: &str,
    suffix: &str,
    labels: &str,
    extra: Option<(&str, &str)>,
) {
    out.push_str(name);
    out.push_str(suffix);
    if !labels.is_empty() || extra.is_some() {
        out.push('{');
        out.push_str(labels);
        if let Some((extra_name, value)) = extra {
            if !labels.is_empty() {
                out.push(',');
            }
            out.push_str(extra_name);
            out.push_str("=\"");
            out.push_str(value);
            out.push('"');
        }
        out.push('}');
    }
    out.push(' ');
}

fn number(out: &mut String, value: Number) {
    match value {
        Number::U64(v) => out.push_str(itoa::Buffer::new().format(v)),
        Number::I64(v) => out.push_str(itoa::Buffer::new().format(v)),
        Number::F64(v) => write_float(v, out),
    }
    out.push('\n');
}

impl SeriesSink for FamilyEncoder<'_> {
    fn series(&mut self, series: &Series<'_>, sample: &Sample<'_>) {
        let Self {
            descriptor,
            out,
            scratch,
            bounds,
            openers,
            format,
        } = self;
        let name = descriptor.name;
        // A one-line sample without cached label text: write its label pairs straight into the output (values the
        // family knows are clean are copied without a scan) rather than render them into `scratch` and copy again.
        if let (None, Sample::Counter(value) | Sample::Gauge(value)) = (series.rendered(), sample) {
            if series.values().is_empty() {
                out.push_str(name);
            } else {
                if openers.is_empty() {
                    *openers = label_openers(descriptor);
                }
                for (opener, label_value) in openers.iter().zip(series.values()) {
                    out.push_str(opener);
                    if series.is_clean() {
                        out.push_str(label_value);
                    } else {
                        escape_label_value(label_value, out);
                    }
                }
                out.push_str("\"}");
            }
            out.push(' ');
            number(out, *value);
            return;
        }
        let labels: &str = if let Some(text) = series.rendered() {
            text
        } else {
            scratch.clear();
            render_label_pairs(descriptor.labels, series.values(), scratch);
            scratch
        };
        match *sample {
            Sample::Counter(value) | Sample::Gauge(value) => {
                sample_prefix(out, name, "", labels, None);
                number(out, value);
            }
            Sample::Histogram { cumulative, sum } => {
                for (i, count) in cumulative.iter().enumerate() {
                    let le = bounds.get(i).map_or("+Inf", String::as_str);
                    sample_prefix(out, name, "_bucket", labels, Some(("le", le)));
                    number(out, Number::U64(*count));
                }
                // OpenMetrics: with a negative bucket bound the sum is no longer counter-like and must be omitted,
                // and `_count` appears exactly when `_sum` does; the `+Inf` bucket still carries the count.
                let signed = descriptor
                    .buckets
                    .first()
                    .is_some_and(|lowest| *lowest < 0.0);
                if !(signed && *format == Format::OpenMetrics) {
                    sample_prefix(out, name, "_sum", labels, None);
                    number(out, Number::F64(sum));
                    sample_prefix(out, name, "_count", labels, None);
                    number(out, Number::U64(cumulative.last().copied().unwrap_or(0)));
                }
            }
            Sample::Info => {
                sample_prefix(out, name, "", labels, None);
                out.push_str("1\n");
            }
            Sample::StateSet { current } => {
                let mut state_text = String::new();
                for (i, state) in descriptor.states.iter().enumerate() {
                    state_text.clear();
                    escape_label_value(state, &mut state_text);
                    sample_prefix(
                        out,
                        name,
                        "",
                        labels,
                        Some((descriptor.family_name(), &state_text)),
                    );
                    out.push_str(if i == current { "1\n" } else { "0\n" });
                }
            }
        }
    }
}

fn write_header(descriptor: &Descriptor, format: Format, out: &mut String) {
    match format {
        Format::Text004 => {
            let name = descriptor.name;
            if !descriptor.help.is_empty() {
                out.push_str("# HELP ");
                out.push_str(name);
                out.push(' ');
                escape_help(descriptor.help, format, out);
                out.push('\n');
            }
            out.push_str("# TYPE ");
            out.push_str(name);
            out.push_str(match descriptor.kind {
                MetricKind::Counter => " counter\n",
                MetricKind::Histogram => " histogram\n",
                // 0.0.4 has no info or stateset types: both are gauges there, as in client_python.
                MetricKind::Gauge | MetricKind::Info | MetricKind::StateSet => " gauge\n",
            });
        }
        Format::OpenMetrics => {
            let family = descriptor.family_name();
            out.push_str("# TYPE ");
            out.push_str(family);
            out.push(' ');
            out.push_str(descriptor.kind.as_str());
            out.push('\n');
            if let Some(unit) = descriptor.unit {
                out.push_str("# UNIT ");
                out.push_str(family);
                out.push(' ');
                out.push_str(unit);
                out.push('\n');
            }
            if !descriptor.help.is_empty() {
                out.push_str("# HELP ");
                out.push_str(family);
                out.push(' ');
                escape_help(descriptor.help, format, out);
                out.push('\n');
            }
        }
    }
}
