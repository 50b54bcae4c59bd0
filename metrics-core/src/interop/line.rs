//! A tokenizer for one line of OpenMetrics text, as its ABNF spells it.
//!
//! Label values may hold `#`, `}`, `,`, spaces and escaped quotes, so a sample line is read left to right, one
//! token at a time, never split on a delimiter. Escapes are read as both reference parsers (Prometheus's and
//! `client_python`'s) read them: `\\`, `\"` and `\n` stand for one character, and any other backslash is itself.

use std::borrow::Cow;

use metrics_rules::exemplar::MAX_EXEMPLAR_LABEL_CHARS;

/// One line, without its newline.
#[derive(Debug, PartialEq)]
pub(super) enum Line<'a> {
    /// `# HELP name text`, the text still escaped.
    Help { name: &'a str, text: &'a str },
    /// `# TYPE name type`.
    Type { name: &'a str, kind: &'a str },
    /// `# UNIT name unit`.
    Unit { name: &'a str, unit: &'a str },
    /// `# EOF`.
    Eof,
    /// A sample.
    Sample(SampleLine<'a>),
}

/// A sample line, tokenized.
#[derive(Debug, PartialEq)]
pub(super) struct SampleLine<'a> {
    /// The sample name (`foo_total`, `foo_bucket`).
    pub(super) name: &'a str,
    /// The labels in the order written, values unescaped.
    pub(super) labels: Vec<(&'a str, Cow<'a, str>)>,
    /// The value as written.
    pub(super) value_text: &'a str,
    /// The value.
    pub(super) value: f64,
    /// The timestamp in seconds, as written and parsed.
    pub(super) timestamp: Option<(&'a str, f64)>,
    /// The exemplar after ` # `, as written (`{trace_id="a"} 0.5 1.0`).
    pub(super) exemplar: Option<&'a str>,
}

/// Reads one line.
pub(super) fn parse_line(line: &str) -> Result<Line<'_>, String> {
    match line.strip_prefix('#') {
        Some(comment) => parse_metadata(comment),
        None => parse_sample(line).map(Line::Sample),
    }
}

fn parse_metadata(comment: &str) -> Result<Line<'_>, String> {
    if comment == " EOF" {
        return Ok(Line::Eof);
    }
    let rest = comment
        .strip_prefix(' ')
        .ok_or("a comment line must be `# HELP`, `# TYPE`, `# UNIT` or `# EOF`")?;
    let (keyword, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let (name, tail) = match rest.split_once(' ') {
        Some((name, tail)) => (name, Some(tail)),
        None => (rest, None),
    };
    match keyword {
        "HELP" | "TYPE" | "UNIT" => check_metric_name(name)?,
        _ => return Err(format!("`# {keyword}` is not an OpenMetrics comment line")),
    }
    match keyword {
        "HELP" => Ok(Line::Help {
            name,
            text: tail.unwrap_or(""),
        }),
        "TYPE" => Ok(Line::Type {
            name,
            kind: tail.ok_or("`# TYPE` without a type")?,
        }),
        _ => {
            let unit = tail.unwrap_or("");
            if !unit
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
            {
                return Err(format!("invalid unit `{unit}`"));
            }
            Ok(Line::Unit { name, unit })
        }
    }
}

fn parse_sample(line: &str) -> Result<SampleLine<'_>, String> {
    let mut cursor = Cursor { rest: line };
    let name = cursor.take_while(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':');
    check_metric_name(name)?;
    let labels = if cursor.eat("{") {
        parse_labels(&mut cursor)?
    } else {
        Vec::new()
    };
    cursor.expect(" ", "a space before the value")?;
    let value_text = cursor.take_while(|b| b != b' ');
    let value = parse_number(value_text).ok_or_else(|| format!("invalid value `{value_text}`"))?;
    let mut timestamp = None;
    let mut exemplar = None;
    if cursor.eat(" ") {
        if cursor.eat("# ") {
            exemplar = Some(parse_exemplar(&mut cursor)?);
        } else {
            let text = cursor.take_while(|b| b != b' ');
            timestamp = Some((
                text,
                parse_finite(text).ok_or_else(|| format!("invalid timestamp `{text}`"))?,
            ));
            if cursor.eat(" ") {
                cursor.expect("# ", "` # ` before an exemplar")?;
                exemplar = Some(parse_exemplar(&mut cursor)?);
            }
        }
    }
    if !cursor.rest.is_empty() {
        return Err(format!(
            "unexpected `{}` at the end of the sample",
            cursor.rest
        ));
    }
    Ok(SampleLine {
        name,
        labels,
        value_text,
        value,
        timestamp,
        exemplar,
    })
}

/// Reads `{labels} value [timestamp]`, the rest of the line after ` # `.
fn parse_exemplar<'a>(cursor: &mut Cursor<'a>) -> Result<&'a str, String> {
    let text = cursor.rest;
    cursor.expect("{", "an exemplar's `{`")?;
    let labels = parse_labels(cursor)?;
    let chars: usize = labels
        .iter()
        .map(|(name, value)| name.chars().count() + value.chars().count())
        .sum();
    if chars > MAX_EXEMPLAR_LABEL_CHARS {
        return Err(format!(
            "exemplar labels are {chars} characters long, more than {MAX_EXEMPLAR_LABEL_CHARS}"
        ));
    }
    cursor.expect(" ", "a space before the exemplar value")?;
    let value = cursor.take_while(|b| b != b' ');
    parse_number(value).ok_or_else(|| format!("invalid exemplar value `{value}`"))?;
    if cursor.eat(" ") {
        let at = cursor.take_while(|b| b != b' ');
        parse_finite(at).ok_or_else(|| format!("invalid exemplar timestamp `{at}`"))?;
    }
    if !cursor.rest.is_empty() {
        return Err(format!("unexpected `{}` after the exemplar", cursor.rest));
    }
    Ok(text)
}

/// Reads `name="value",...}` (the `{` already read), strictly: no trailing comma, no repeated name.
fn parse_labels<'a>(cursor: &mut Cursor<'a>) -> Result<Vec<(&'a str, Cow<'a, str>)>, String> {
    let mut labels: Vec<(&'a str, Cow<'a, str>)> = Vec::new();
    if cursor.eat("}") {
        return Ok(labels);
    }
    loop {
        let name = cursor.take_while(|b| b.is_ascii_alphanumeric() || b == b'_');
        let first = name.bytes().next();
        if first.is_none_or(|b| b.is_ascii_digit()) {
            return Err(format!("expected a label name at `{}`", cursor.rest));
        }
        if labels.iter().any(|(seen, _)| *seen == name) {
            return Err(format!("label `{name}` appears twice"));
        }
        cursor.expect("=\"", "`=\"` after a label name")?;
        let value = cursor.quoted()?;
        labels.push((name, value));
        if cursor.eat("}") {
            return Ok(labels);
        }
        cursor.expect(",", "`,` or `}` after a label value")?;
    }
}

/// Appends `escaped` unescaped: `\\`, `\"`, `\n` are one character each; any other backslash stays.
pub(super) fn unescape_into(escaped: &str, out: &mut String) {
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // `\\`, and a lone backslash at the end of the text, stand for one backslash.
            Some('\\') | None => out.push('\\'),
            Some('"') => out.push('"'),
            Some('n') => out.push('\n'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
        }
    }
}

/// A number as OpenMetrics writes one: decimal, or `NaN` / `Inf` / `Infinity` in any case with a sign.
pub(super) fn parse_number(text: &str) -> Option<f64> {
    // Rust's parser agrees with the ABNF except that it also takes `_`-free forms the ABNF lacks, none of which
    // a writer produces; an empty token or a stray `_` must still fail.
    if text.is_empty() || text.contains('_') {
        return None;
    }
    text.parse().ok()
}

fn parse_finite(text: &str) -> Option<f64> {
    parse_number(text).filter(|v| v.is_finite())
}

fn check_metric_name(name: &str) -> Result<(), String> {
    metrics_rules::name::check_metric_name(name)
        .map_err(|_| format!("invalid metric name `{name}`"))
}

/// The unread rest of a line. Every delimiter is ASCII, so slicing at them keeps UTF-8 intact.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a str {
        let end = self
            .rest
            .bytes()
            .position(|b| !keep(b))
            .unwrap_or(self.rest.len());
        let (taken, rest) = self.rest.split_at(end);
        self.rest = rest;
        taken
    }

    fn eat(&mut self, token: &str) -> bool {
        match self.rest.strip_prefix(token) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn expect(&mut self, token: &str, what: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(format!("expected {what} at `{}`", self.rest))
        }
    }

    /// Reads a label value up to its closing quote (the opening one already read), unescaped.
    fn quoted(&mut self) -> Result<Cow<'a, str>, String> {
        let bytes = self.rest.as_bytes();
        let mut i = 0;
        let mut has_escapes = false;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    let escaped = &self.rest[..i];
                    self.rest = &self.rest[i + 1..];
                    if !has_escapes {
                        return Ok(Cow::Borrowed(escaped));
                    }
                    let mut value = String::with_capacity(escaped.len());
                    unescape_into(escaped, &mut value);
                    return Ok(Cow::Owned(value));
                }
                // The escaped byte is skipped whatever it is, so `\"` never ends the value.
                b'\\' => {
                    has_escapes = true;
                    i += 2;
                }
                _ => i += 1,
            }
        }
        Err("unterminated label value".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(line: &str) -> SampleLine<'_> {
        match parse_line(line) {
            Ok(Line::Sample(sample)) => sample,
            other => panic!("{line:?} is not a sample: {other:?}"),
        }
    }

    #[test]
    fn label_values_hold_delimiters_and_escapes() {
        let s = sample(
            r#"foo_total{a="x # {y} z",b="say \"hi\", ok",c="back\\slash\nnew"} 3 # {t="1"} 2.5 17.5"#,
        );
        assert_eq!(s.name, "foo_total");
        assert_eq!(
            s.labels,
            vec![
                ("a", Cow::Borrowed("x # {y} z")),
                ("b", Cow::Owned("say \"hi\", ok".to_owned())),
                ("c", Cow::Owned("back\\slash\nnew".to_owned())),
            ]
        );
        assert_eq!((s.value_text, s.value), ("3", 3.0));
        assert_eq!(s.timestamp, None);
        assert_eq!(s.exemplar, Some(r#"{t="1"} 2.5 17.5"#));
    }

    #[test]
    fn value_timestamp_and_exemplar_are_told_apart() {
        let s = sample("foo 1.5 1700000000.25 # {} 1");
        assert_eq!(s.timestamp, Some(("1700000000.25", 1_700_000_000.25)));
        assert_eq!(s.exemplar, Some("{} 1"));
        let s = sample("foo -Inf");
        assert_eq!(s.value, f64::NEG_INFINITY);
    }

    #[test]
    fn unknown_escapes_stay_literal() {
        let mut out = String::new();
        unescape_into(r"a\tb\\c\", &mut out);
        assert_eq!(out, r"a\tb\c\");
        let s = sample(r#"foo{a="\q\"\\"} 1"#);
        assert_eq!(s.labels[0].1, "\\q\"\\");
    }

    #[test]
    fn malformed_lines_are_errors() {
        for line in [
            "",
            "foo",
            "foo  1",
            "foo 1 ",
            "foo{a=\"1\",} 1",
            "foo{a=\"1\" 1",
            "foo{a=\"1\\\"} 1",
            "foo{a=\"1\",a=\"2\"} 1",
            "foo{1a=\"1\"} 1",
            "foo{\"a\"=\"1\"} 1",
            "{\"foo.bar\"} 1",
            "0foo 1",
            "foo 1_000",
            "foo one",
            "foo 1 NaN",
            "foo 1 # {a=\"1\"}",
            "foo 1 #{a=\"1\"} 1",
            "foo 1\r",
            "# comment",
            "#  HELP foo x",
            "# TYPE foo",
            "# HELP 1foo x",
        ] {
            assert!(parse_line(line).is_err(), "{line:?} was accepted");
        }
    }

    #[test]
    fn long_exemplars_are_errors() {
        let long = "x".repeat(MAX_EXEMPLAR_LABEL_CHARS);
        assert!(parse_line(&format!("foo_total 1 # {{a=\"{long}\"}} 1")).is_err());
        let fits = "x".repeat(MAX_EXEMPLAR_LABEL_CHARS - 1);
        assert!(parse_line(&format!("foo_total 1 # {{a=\"{fits}\"}} 1")).is_ok());
    }

    #[test]
    fn metadata_lines() {
        assert_eq!(
            parse_line("# HELP foo say \\\"hi\\\""),
            Ok(Line::Help {
                name: "foo",
                text: "say \\\"hi\\\""
            })
        );
        assert_eq!(
            parse_line("# HELP foo"),
            Ok(Line::Help {
                name: "foo",
                text: ""
            })
        );
        assert_eq!(
            parse_line("# TYPE foo counter"),
            Ok(Line::Type {
                name: "foo",
                kind: "counter"
            })
        );
        assert_eq!(
            parse_line("# UNIT foo_seconds seconds"),
            Ok(Line::Unit {
                name: "foo_seconds",
                unit: "seconds"
            })
        );
        assert_eq!(parse_line("# EOF"), Ok(Line::Eof));
    }
}
