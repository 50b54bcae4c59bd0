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
    Declared(MetricKind),
    // Read only by the interop transcoder, which is behind the `prometheus-client` feature.
    #[cfg_attr(not(feature = "prometheus-client"), allow(dead_code))]
    GaugeHistogram,
    #[cfg_attr(not(feature = "prometheus-client"), allow(dead_code))]
    Summary,
    #[cfg_attr(not(feature = "prometheus-client"), allow(dead_code))]
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
    /// (`foo_total`, `foo_info`), OpenMetrics by the family. Our own families know their queried name; foreign
    /// text read by the interop transcoder (behind the `prometheus-client` feature) needs this rule.
    #[cfg_attr(not(feature = "prometheus-client"), allow(dead_code))]
    pub(crate) const fn metadata_suffix(self, type_name: TypeName) -> &'static str {
        match (self, type_name) {
            (Self::Text004, TypeName::COUNTER) => "_total",
            (Self::Text004, TypeName::INFO) => "_info",
            _ => "",
        }
    }

    /// The TYPE keyword of `type_name`, or `None` when this format cannot express the type.
    pub(crate) const fn type_keyword(self, type_name: TypeName) -> Option<&'static str> {
        match self {
            // 0.0.4 has no info or stateset types: both are gauges there, as in client_python.
            Self::Text004 => match type_name {
                TypeName::COUNTER => Some("counter"),
                TypeName::GAUGE | TypeName::INFO | TypeName::STATESET => Some("gauge"),
                TypeName::HISTOGRAM => Some("histogram"),
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

    /// Whether the format has `_created` samples and the UNIT line (OpenMetrics only).
    pub(crate) const fn is_openmetrics(self) -> bool {
        match self {
            Self::Text004 => false,
            Self::OpenMetrics => true,
        }
    }

    /// Whether a counter's `_total` and each histogram bucket may carry an exemplar (` # {labels} value ts`):
    /// OpenMetrics only; 0.0.4 parsers reject the syntax.
    pub(crate) const fn has_exemplars(self) -> bool {
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

// Patterns for the declarable types, so a `match` reads like one over all eight.
#[cfg_attr(not(feature = "prometheus-client"), allow(dead_code))]
impl TypeName {
    pub(crate) const COUNTER: Self = Self::Declared(MetricKind::Counter);
    pub(crate) const GAUGE: Self = Self::Declared(MetricKind::Gauge);
    pub(crate) const HISTOGRAM: Self = Self::Declared(MetricKind::Histogram);
    pub(crate) const INFO: Self = Self::Declared(MetricKind::Info);
    pub(crate) const STATESET: Self = Self::Declared(MetricKind::StateSet);

    /// The type named by an OpenMetrics `# TYPE` keyword.
    pub(crate) fn parse(keyword: &str) -> Option<Self> {
        MetricKind::from_keyword(keyword)
            .map(Self::Declared)
            .or(match keyword {
                "gaugehistogram" => Some(Self::GaugeHistogram),
                "summary" => Some(Self::Summary),
                "unknown" => Some(Self::Unknown),
                _ => None,
            })
    }

    /// The OpenMetrics `# TYPE` keyword.
    pub(crate) const fn openmetrics_keyword(self) -> &'static str {
        match self {
            Self::Declared(kind) => kind.as_str(),
            Self::GaugeHistogram => "gaugehistogram",
            Self::Summary => "summary",
            Self::Unknown => "unknown",
        }
    }

    /// The suffixes an OpenMetrics sample name may add to the family name (what a parser accepts as this
    /// family's samples, which differs from what the registry reserves: a counter's bare name is no sample).
    pub(crate) const fn suffixes(self) -> &'static [&'static str] {
        match self {
            Self::COUNTER => &["_total", "_created"],
            Self::HISTOGRAM => &["_bucket", "_count", "_sum", "_created"],
            Self::GaugeHistogram => &["_bucket", "_gcount", "_gsum"],
            Self::Summary => &["", "_count", "_sum", "_created"],
            Self::INFO => &["_info"],
            Self::GAUGE | Self::STATESET | Self::Unknown => &[""],
        }
    }

    /// Whether a unit may be declared.
    pub(crate) const fn may_have_unit(self) -> bool {
        match self {
            Self::Declared(kind) => kind.takes_unit(),
            Self::GaugeHistogram | Self::Summary | Self::Unknown => true,
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
