//! The exposition encoders: Prometheus text 0.0.4 and OpenMetrics 1.0, following the rules in `docs/exposition.md`.
//!
//! Both share one writer: the formats differ only in family headers, HELP escaping, and the OpenMetrics `# EOF`.
//! Enum-labelled series arrive with their label text already escaped and cached by their family, so encoding
//! them is copying plus integer formatting.

mod number;
mod writer;

pub use number::{canonical_float, write_float};
pub(crate) use writer::{FamilyEncoder, render_label_pairs};

use crate::family::Descriptor;

/// An exposition format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Prometheus text format 0.0.4.
    Text004,
    /// OpenMetrics text 1.0.0.
    OpenMetrics,
}

impl Format {
    /// The exact `Content-Type` header value for this format.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Text004 => "text/plain; version=0.0.4; charset=utf-8",
            Self::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
        }
    }
}

/// Appends `value` escaped as a label value: `\` `"` and newline, in both formats.
pub fn escape_label_value(value: &str, out: &mut String) {
    escape_into(value, true, out);
}

/// Appends HELP text escaped for `format`: 0.0.4 escapes `\` and newline only (`\"` is a parse error for
/// promtool); OpenMetrics also escapes `"`.
pub fn escape_help(help: &str, format: Format, out: &mut String) {
    escape_into(help, format == Format::OpenMetrics, out);
}

/// Whether `value` contains a byte a label value must escape (`\`, `"`, newline).
pub(crate) fn needs_label_escaping(value: &str) -> bool {
    value
        .bytes()
        .fold(false, |seen, b| seen | matches!(b, b'\\' | b'"' | b'\n'))
}

fn escape_into(text: &str, quotes: bool, out: &mut String) {
    let needs = |b: u8| b == b'\\' || b == b'\n' || (quotes && b == b'"');
    let bytes = text.as_bytes();
    // Almost every value needs no escaping: a branch-free scan (which vectorises) decides, then one copy.
    if !bytes.iter().fold(false, |seen, &b| seen | needs(b)) {
        out.push_str(text);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if needs(b) {
            out.push_str(&text[start..i]);
            out.push_str(match b {
                b'\\' => "\\\\",
                b'\n' => "\\n",
                _ => "\\\"",
            });
            start = i + 1;
        }
    }
    out.push_str(&text[start..]);
}

/// Writes every family of `families` in `format`, in the order given (no `# EOF`: see [`finish`]).
pub(crate) fn encode_families<'f>(
    families: impl IntoIterator<Item = &'f dyn crate::Family>,
    format: Format,
    out: &mut String,
) {
    let mut scratch = String::new();
    for family in families {
        let descriptor: &Descriptor = family.descriptor();
        let mut encoder = FamilyEncoder::begin(descriptor, format, out, &mut scratch);
        family.collect(&mut encoder);
    }
}

/// Writes the format's terminator: `# EOF` for OpenMetrics, nothing for 0.0.4.
pub(crate) fn finish(format: Format, out: &mut String) {
    if format == Format::OpenMetrics {
        out.push_str("# EOF\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_escape_backslash_quote_newline() {
        let mut out = String::new();
        escape_label_value("a\\b\"c\nd ü", &mut out);
        assert_eq!(out, r#"a\\b\"c\nd ü"#);
    }

    #[test]
    fn help_escapes_quotes_only_in_openmetrics() {
        let mut text = String::new();
        escape_help("say \"hi\"\\\n", Format::Text004, &mut text);
        assert_eq!(text, "say \"hi\"\\\\\\n");
        let mut om = String::new();
        escape_help("say \"hi\"\\\n", Format::OpenMetrics, &mut om);
        assert_eq!(om, "say \\\"hi\\\"\\\\\\n");
    }
}
