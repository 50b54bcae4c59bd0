//! Re-encodes OpenMetrics text (what prometheus-client writes) as valid Prometheus text 0.0.4 or OpenMetrics 1.0.

use std::collections::HashSet;

use super::line::{Line, SampleLine, parse_line, unescape_into};
use crate::encode::format::{Header, TypeName, write_header};
use crate::encode::{Format, canonical_float, escape_label_value, write_float};
use crate::registry::EncodeError;

/// Re-encodes the OpenMetrics text `openmetrics` in `format`, appending it to `out` without a `# EOF` line.
///
/// This is how [`PrometheusClientSource`](super::PrometheusClientSource) serves a prometheus-client registry; use
/// it directly for OpenMetrics text from elsewhere. Every line is tokenized (label values may hold `#`, `}`,
/// spaces and escaped quotes) and written again:
///
/// | OpenMetrics input | [`Format::Text004`] | [`Format::OpenMetrics`] |
/// |---|---|---|
/// | counter family `foo`, samples `foo_total` | `# HELP foo_total`, `# TYPE foo_total counter` | as is |
/// | info family `foo`, samples `foo_info` | `# TYPE foo_info gauge` | as is |
/// | stateset | `# TYPE foo gauge` | as is |
/// | unknown, or samples without metadata | `untyped` (no `# TYPE` if there was none) | as is |
/// | gaugehistogram | an error: 0.0.4 has no such type | as is |
/// | `# UNIT` | dropped | kept (checked to be a suffix of the name) |
/// | `# HELP` | re-escaped: `\\` and `\n` only, so `\"` becomes `"` | re-escaped: `\\`, `\"`, `\n` |
/// | metadata order | HELP, TYPE | TYPE, UNIT, HELP |
/// | `_created` samples | dropped | kept |
/// | exemplars (` # {..} v ts`) | dropped | kept |
/// | timestamps (seconds) | integer milliseconds | kept |
/// | `le` and `quantile` values | canonical (`1.0`, `1e+06`, `+Inf`) | canonical |
/// | `inf`, `nan` values in any case | `+Inf`, `-Inf`, `NaN` | `+Inf`, `-Inf`, `NaN` |
/// | label values | unescaped and escaped again (`\\`, `\"`, `\n`; another `\x` stays a literal backslash) | same |
/// | `# EOF` | must be the last line if present; not written | same |
///
/// # Errors
///
/// When the text is not OpenMetrics that can be written validly in `format`; `out` is then left as it was. The
/// checks are those of one line or one family's metadata: syntax, names, one block per family, clashing names,
/// metadata after samples, counter-like values negative or NaN, non-integer bucket and count values, a missing
/// or non-numeric `le` or `quantile`, stateset values other than 0 and 1, info values other than 1, reserved
/// label names (`__` prefix, `le` and `quantile` outside buckets and summaries). Relations between samples
/// (bucket order, `+Inf` equal to `_count`) are the writer's responsibility and are not checked.
pub fn transcode_openmetrics(
    openmetrics: &str,
    format: Format,
    out: &mut String,
) -> Result<(), EncodeError> {
    let start = out.len();
    let result = Transcoder {
        format,
        out,
        family: None,
        claimed: HashSet::new(),
    }
    .run(openmetrics);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// The family being read: its metadata until the first sample writes the header.
struct FamilyState<'a> {
    name: &'a str,
    kind: TypeName,
    typed: bool,
    help: Option<&'a str>,
    unit: Option<&'a str>,
    header_written: bool,
}

impl<'a> FamilyState<'a> {
    /// A family without metadata yet: of unknown type until a `# TYPE` says otherwise.
    fn new(name: &'a str) -> Self {
        Self {
            name,
            kind: TypeName::Unknown,
            typed: false,
            help: None,
            unit: None,
            header_written: false,
        }
    }

    /// The suffix `sample_name` adds to this family's name, when it is one of this family's samples.
    fn suffix_of(&self, sample_name: &str) -> Option<&'static str> {
        let rest = sample_name.strip_prefix(self.name)?;
        self.kind
            .suffixes()
            .iter()
            .copied()
            .find(|suffix| *suffix == rest)
    }
}

struct Transcoder<'o, 'a> {
    format: Format,
    out: &'o mut String,
    family: Option<FamilyState<'a>>,
    /// Every sample name a family has claimed so far (`foo`, `foo_total`, `foo_created` for a counter `foo`), so
    /// that a family appearing twice, or two families whose samples would share a name, is an error.
    claimed: HashSet<String>,
}

impl<'a> Transcoder<'_, 'a> {
    fn run(mut self, text: &'a str) -> Result<(), EncodeError> {
        if text.is_empty() {
            return Ok(());
        }
        let Some(body) = text.strip_suffix('\n') else {
            return Err(EncodeError(
                "OpenMetrics text must end with a newline".to_owned(),
            ));
        };
        let mut eof = false;
        for (index, line) in body.split('\n').enumerate() {
            let at =
                |message: String| EncodeError(format!("line {}: {message}: {line:?}", index + 1));
            if eof {
                return Err(at("text after `# EOF`".to_owned()));
            }
            match parse_line(line).map_err(at)? {
                Line::Eof => eof = true,
                Line::Help { name, text } => {
                    let family = self.metadata(name).map_err(at)?;
                    if family.help.replace(text).is_some() {
                        return Err(at(format!("a second `# HELP` for `{name}`")));
                    }
                }
                Line::Type { name, kind } => {
                    let family = self.metadata(name).map_err(at)?;
                    if family.typed {
                        return Err(at(format!("a second `# TYPE` for `{name}`")));
                    }
                    family.kind = TypeName::parse(kind)
                        .ok_or_else(|| at(format!("unknown type `{kind}`")))?;
                    family.typed = true;
                }
                Line::Unit { name, unit } => {
                    let family = self.metadata(name).map_err(at)?;
                    if family.unit.replace(unit).is_some() {
                        return Err(at(format!("a second `# UNIT` for `{name}`")));
                    }
                }
                Line::Sample(sample) => self.sample(&sample).map_err(at)?,
            }
        }
        self.close()
            .map_err(|message| EncodeError(format!("at the end: {message}")))
    }

    /// The family a metadata line for `name` belongs to: the current one, or a new one.
    fn metadata(&mut self, name: &'a str) -> Result<&mut FamilyState<'a>, String> {
        let family = match self.family.take() {
            Some(family) if family.name == name => family,
            previous => {
                self.finish(previous)?;
                FamilyState::new(name)
            }
        };
        let family = self.family.insert(family);
        if family.header_written {
            return Err(format!("metadata for `{name}` after its samples"));
        }
        Ok(family)
    }

    /// Ends the current family.
    fn close(&mut self) -> Result<(), String> {
        let family = self.family.take();
        self.finish(family)
    }

    /// Writes a family's header if no sample did.
    fn finish(&mut self, family: Option<FamilyState<'a>>) -> Result<(), String> {
        match family {
            Some(mut family) if !family.header_written => self.header(&mut family),
            _ => Ok(()),
        }
    }

    fn sample(&mut self, sample: &SampleLine<'a>) -> Result<(), String> {
        let current = self.family.take();
        let suffix = current
            .as_ref()
            .and_then(|family| family.suffix_of(sample.name));
        let (mut family, suffix) = match (current, suffix) {
            (Some(family), Some(suffix)) => (family, suffix),
            (previous, _) => {
                // A sample outside the current family starts a family of its own, without metadata.
                self.finish(previous)?;
                (FamilyState::new(sample.name), "")
            }
        };
        let result = self.write_sample(&mut family, suffix, sample);
        self.family = Some(family);
        result
    }

    fn write_sample(
        &mut self,
        family: &mut FamilyState<'a>,
        suffix: &str,
        sample: &SampleLine<'_>,
    ) -> Result<(), String> {
        if !family.header_written {
            self.header(family)?;
        }
        let bucket = suffix == "_bucket";
        let quantile = family.kind == TypeName::Summary && suffix.is_empty();
        check_value(family, suffix, sample)?;
        if !self.format.is_openmetrics() && suffix == "_created" {
            return Ok(());
        }
        let out = &mut *self.out;
        out.push_str(sample.name);
        for (i, (name, value)) in sample.labels.iter().enumerate() {
            out.push(if i == 0 { '{' } else { ',' });
            out.push_str(name);
            out.push_str("=\"");
            let canonical = (bucket && *name == "le") || (quantile && *name == "quantile");
            if canonical {
                let number = super::line::parse_number(value).filter(|v| !v.is_nan());
                let number =
                    number.ok_or_else(|| format!("`{name}` value `{value}` is not a number"))?;
                out.push_str(&canonical_float(number));
            } else if metrics_rules::name::is_reserved_label(name) {
                return Err(format!("label `{name}` is reserved here"));
            } else {
                escape_label_value(value, out);
            }
            out.push('"');
        }
        if !sample.labels.is_empty() {
            out.push('}');
        }
        out.push(' ');
        if sample.value.is_finite() {
            out.push_str(sample.value_text);
        } else {
            write_float(sample.value, out);
        }
        if let Some((text, seconds)) = sample.timestamp {
            out.push(' ');
            match self.format {
                Format::OpenMetrics => out.push_str(text),
                Format::Text004 => {
                    let millis = (seconds * 1000.0).round();
                    if millis.abs() >= 9.0e18 {
                        return Err(format!("timestamp `{text}` is out of range"));
                    }
                    out.push_str(itoa::Buffer::new().format(millis as i64));
                }
            }
        }
        if let Some(exemplar) = sample.exemplar.filter(|_| self.format.has_exemplars()) {
            if !matches!(
                (family.kind, suffix),
                (TypeName::COUNTER, "_total")
                    | (TypeName::HISTOGRAM | TypeName::GaugeHistogram, "_bucket")
            ) {
                return Err(
                    "only counter `_total` and bucket samples may carry exemplars".to_owned(),
                );
            }
            out.push_str(" # ");
            out.push_str(exemplar);
        }
        out.push('\n');
        Ok(())
    }

    /// Writes a family's metadata in the target format, and claims its sample names.
    fn header(&mut self, family: &mut FamilyState<'a>) -> Result<(), String> {
        family.header_written = true;
        let name = family.name;
        // As client_python's strict parser: the family name itself is claimed too, whatever the type.
        let suffixes = family.kind.suffixes();
        let bare: &[&str] = if suffixes.contains(&"") { &[] } else { &[""] };
        for suffix in suffixes.iter().chain(bare) {
            let sample_name = format!("{name}{suffix}");
            if !self.claimed.insert(sample_name) {
                return Err(format!(
                    "family `{name}` appears twice (its lines must be one block) or clashes with an earlier family \
                     on `{name}{suffix}`"
                ));
            }
        }
        if family.unit.is_some_and(|unit| !unit.is_empty()) && self.format.is_openmetrics() {
            let unit = family.unit.unwrap_or_default();
            if !family.kind.may_have_unit() {
                return Err(format!(
                    "a {} may not have a unit",
                    family.kind.openmetrics_keyword()
                ));
            }
            if !metrics_rules::unit::ends_with_unit(name, unit) {
                return Err(format!("unit `{unit}` is not a suffix of `{name}`"));
            }
        }
        let help = family.help.map(|text| {
            let mut raw = String::with_capacity(text.len());
            unescape_into(text, &mut raw);
            raw
        });
        let queried = format!("{name}{}", self.format.metadata_suffix(family.kind));
        let header = Header {
            family: name,
            queried: &queried,
            type_name: family.kind,
            typed: family.typed,
            unit: family.unit,
            help: help.as_deref(),
        };
        write_header(&header, self.format, self.out)?;
        Ok(())
    }
}

/// The per-sample rules of OpenMetrics that a writer can break in one line.
fn check_value(
    family: &FamilyState<'_>,
    suffix: &str,
    sample: &SampleLine<'_>,
) -> Result<(), String> {
    let value = sample.value;
    let counter_like = matches!(
        (family.kind, suffix),
        (TypeName::COUNTER, "_total")
            | (
                TypeName::HISTOGRAM | TypeName::GaugeHistogram,
                "_bucket" | "_count" | "_gcount"
            )
            | (TypeName::Summary, "_count")
    );
    if counter_like && (value.is_nan() || value < 0.0) {
        return Err(format!("`{}` must be a non-negative number", sample.name));
    }
    // Only histograms, gauge histograms and summaries have these suffixes: their values count observations.
    if matches!(suffix, "_bucket" | "_count" | "_gcount") && value.fract() != 0.0 {
        return Err(format!("`{}` must be an integer", sample.name));
    }
    let has = |label: &str| sample.labels.iter().any(|(name, _)| *name == label);
    if suffix == "_bucket" && !has("le") {
        return Err("a bucket without `le`".to_owned());
    }
    if family.kind == TypeName::Summary && suffix.is_empty() && !has("quantile") {
        return Err("a summary quantile without `quantile`".to_owned());
    }
    match family.kind {
        TypeName::STATESET if !has(family.name) => Err(format!(
            "a stateset sample without the `{}` label",
            family.name
        )),
        TypeName::STATESET if value != 0.0 && value != 1.0 => {
            Err("a stateset value other than 0 or 1".to_owned())
        }
        TypeName::INFO if value != 1.0 => Err("an info value other than 1".to_owned()),
        _ => Ok(()),
    }
}
