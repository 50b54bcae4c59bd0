//! The exposition formats and every rule in which they differ, in one table.
//!
//! Both our encoder and the transcoder of foreign OpenMetrics text (the prometheus-client interop) read these
//! functions; each is a `match` over [`Format`], so a new format does not compile until every rule has an answer.
//! `docs/exposition.md` explains the rules in prose.

use crate::family::MetricKind;

/// An exposition format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Prometheus text format 0.0.4.
    Text004,
    /// OpenMetrics text 1.0.0.
    OpenMetrics,
}

/// Every metric type an exposition can carry: the five a family can declare, plus the three that only foreign
/// OpenMetrics text brings (gauge histograms, summaries, untyped families).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeName {
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    Info,
    StateSet,
    Unknown,
}

/// One metadata line of a family's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Metadata {
    Help,
    Type,
    Unit,
}

/// A family's metadata, as a header writer needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header<'a> {
    /// The OpenMetrics family name (a counter's without `_total`, an info's without `_info`).
    pub(crate) family: &'a str,
    /// The name as queried, which 0.0.4 metadata uses: the family name plus [`Format::metadata_suffix`].
    pub(crate) queried: &'a str,
    pub(crate) type_name: TypeName,
    /// Whether the source declared a type; an untyped family gets no TYPE line.
    pub(crate) typed: bool,
    pub(crate) unit: Option<&'a str>,
    /// HELP text, unescaped.
    pub(crate) help: Option<&'a str>,
}

impl Format {
    /// The exact `Content-Type` header value for this format.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Text004 => "text/plain; version=0.0.4; charset=utf-8",
            Self::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
        }
    }

    /// Both formats, for tables indexed by format.
    pub(crate) const ALL: [Format; 2] = [Format::Text004, Format::OpenMetrics];

    /// This format's position in [`Format::ALL`].
    pub(crate) const fn index(self) -> usize {
        match self {
            Self::Text004 => 0,
            Self::OpenMetrics => 1,
        }
    }

    /// The order of a family's metadata lines.
    pub(crate) const fn metadata_order(self) -> &'static [Metadata] {
        match self {
            Self::Text004 => &[Metadata::Help, Metadata::Type],
            Self::OpenMetrics => &[Metadata::Type, Metadata::Unit, Metadata::Help],
        }
    }

    /// What the metadata lines append to the family name: 0.0.4 names a counter or info family by its sample
    /// (`foo_total`, `foo_info`), OpenMetrics by the family.
    pub(crate) const fn metadata_suffix(self, type_name: TypeName) -> &'static str {
        match (self, type_name) {
            (Self::Text004, TypeName::Counter) => "_total",
            (Self::Text004, TypeName::Info) => "_info",
            _ => "",
        }
    }

    /// The TYPE keyword of `type_name`, or `None` when this format cannot express the type.
    pub(crate) const fn type_keyword(self, type_name: TypeName) -> Option<&'static str> {
        match self {
            // 0.0.4 has no info or stateset types: both are gauges there, as in client_python.
            Self::Text004 => match type_name {
                TypeName::Counter => Some("counter"),
                TypeName::Gauge | TypeName::Info | TypeName::StateSet => Some("gauge"),
                TypeName::Histogram => Some("histogram"),
                TypeName::Summary => Some("summary"),
                TypeName::Unknown => Some("untyped"),
                TypeName::GaugeHistogram => None,
            },
            Self::OpenMetrics => Some(type_name.openmetrics_keyword()),
        }
    }

    /// Whether HELP escapes `"`: OpenMetrics does; in 0.0.4 `\"` is a parse error for promtool.
    pub(crate) const fn escapes_help_quotes(self) -> bool {
        match self {
            Self::Text004 => false,
            Self::OpenMetrics => true,
        }
    }

    /// Whether the format has `_created` samples, exemplars and the UNIT line (OpenMetrics only).
    pub(crate) const fn is_openmetrics(self) -> bool {
        match self {
            Self::Text004 => false,
            Self::OpenMetrics => true,
        }
    }

    /// Whether a histogram with a negative bucket bound keeps `_sum` and `_count`: OpenMetrics treats `_sum` as a
    /// counter and ties `_count` to it, so it drops both; 0.0.4 has no such rule.
    pub(crate) const fn keeps_signed_histogram_sum(self) -> bool {
        match self {
            Self::Text004 => true,
            Self::OpenMetrics => false,
        }
    }

    /// The line that ends an exposition.
    pub(crate) const fn terminator(self) -> &'static str {
        match self {
            Self::Text004 => "",
            Self::OpenMetrics => "# EOF\n",
        }
    }
}

impl TypeName {
    /// The type named by an OpenMetrics `# TYPE` keyword.
    pub(crate) fn parse(keyword: &str) -> Option<Self> {
        Some(match keyword {
            "counter" => Self::Counter,
            "gauge" => Self::Gauge,
            "histogram" => Self::Histogram,
            "gaugehistogram" => Self::GaugeHistogram,
            "summary" => Self::Summary,
            "info" => Self::Info,
            "stateset" => Self::StateSet,
            "unknown" => Self::Unknown,
            _ => return None,
        })
    }

    /// The OpenMetrics `# TYPE` keyword.
    pub(crate) const fn openmetrics_keyword(self) -> &'static str {
        match self {
            Self::Counter => "counter",
            Self::Gauge => "gauge",
            Self::Histogram => "histogram",
            Self::GaugeHistogram => "gaugehistogram",
            Self::Summary => "summary",
            Self::Info => "info",
            Self::StateSet => "stateset",
            Self::Unknown => "unknown",
        }
    }

    /// The suffixes an OpenMetrics sample name may add to the family name.
    pub(crate) const fn suffixes(self) -> &'static [&'static str] {
        match self {
            Self::Counter => &["_total", "_created"],
            Self::Histogram => &["_bucket", "_count", "_sum", "_created"],
            Self::GaugeHistogram => &["_bucket", "_gcount", "_gsum"],
            Self::Summary => &["", "_count", "_sum", "_created"],
            Self::Info => &["_info"],
            Self::Gauge | Self::StateSet | Self::Unknown => &[""],
        }
    }

    /// Whether a unit may be declared: info and state sets have none.
    pub(crate) const fn may_have_unit(self) -> bool {
        !matches!(self, Self::Info | Self::StateSet)
    }
}

impl From<MetricKind> for TypeName {
    fn from(kind: MetricKind) -> Self {
        match kind {
            MetricKind::Counter => Self::Counter,
            MetricKind::Gauge => Self::Gauge,
            MetricKind::Histogram => Self::Histogram,
            MetricKind::Info => Self::Info,
            MetricKind::StateSet => Self::StateSet,
        }
    }
}

/// Writes a family's metadata lines in `format`'s order.
///
/// # Errors
///
/// When `format` cannot express the family's type (a gauge histogram in 0.0.4).
pub(crate) fn write_header(
    header: &Header<'_>,
    format: Format,
    out: &mut String,
) -> Result<(), String> {
    let Some(keyword) = format.type_keyword(header.type_name) else {
        return Err(format!(
            "{} `{}` has no Prometheus 0.0.4 form",
            header.type_name.openmetrics_keyword(),
            header.family
        ));
    };
    let name = if format.is_openmetrics() {
        header.family
    } else {
        header.queried
    };
    let mut line = |kind: &str, text: &str, escape_help: bool| {
        out.push_str(kind);
        out.push_str(name);
        out.push(' ');
        if escape_help {
            super::escape_help(text, format, out);
        } else {
            out.push_str(text);
        }
        out.push('\n');
    };
    for metadata in format.metadata_order() {
        match metadata {
            Metadata::Type if header.typed => line("# TYPE ", keyword, false),
            Metadata::Unit => {
                if let Some(unit) = header.unit.filter(|unit| !unit.is_empty()) {
                    line("# UNIT ", unit, false);
                }
            }
            Metadata::Help => {
                if let Some(help) = header.help {
                    line("# HELP ", help, true);
                }
            }
            Metadata::Type => {}
        }
    }
    Ok(())
}
