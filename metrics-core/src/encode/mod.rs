//! The exposition encoders: Prometheus text 0.0.4 and OpenMetrics 1.0, as `docs/exposition.md` describes.
//!
//! Both share one writer (`writer.rs`); every rule in which the formats differ is a function of [`Format`]
//! (`format.rs`). What never changes between scrapes (headers, line openings, the escaped text of enum label values,
//! `le` values) is rendered once per family into a [`FamilyText`] that the registry keeps beside the family, so
//! storage holds values only and a scrape is mostly copies plus integer formatting, with no allocation.

mod append;
pub(crate) mod format;
mod number;
mod text;
mod writer;

pub use format::Format;
pub use number::{canonical_float, write_float};
pub(crate) use text::{FamilyText, Policy};

use crate::family::Family;
use writer::FamilyEncoder;

/// Appends `value` escaped as a label value: `\` `"` and newline, in both formats.
pub fn escape_label_value(value: &str, out: &mut String) {
    escape_into(value, true, out);
}

/// Appends HELP text escaped for `format`: 0.0.4 escapes `\` and newline only (`\"` is a parse error for
/// promtool); OpenMetrics also escapes `"`.
pub fn escape_help(help: &str, format: Format, out: &mut String) {
    escape_into(help, format.escapes_help_quotes(), out);
}

/// Whether `value` holds a byte a label value must escape (`\\`, `"`, newline).
pub(crate) fn needs_label_escaping(value: &str) -> bool {
    value.bytes().any(|b| matches!(b, b'\\' | b'"' | b'\n'))
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

/// Appends one family's header and lines in `format`; `text` is the family's own [`FamilyText`].
pub(crate) fn encode_family(
    family: &dyn Family,
    text: &FamilyText,
    format: Format,
    out: &mut String,
) {
    let mut encoder = FamilyEncoder::begin(family.descriptor(), text, format, out);
    family.collect(&mut encoder);
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
