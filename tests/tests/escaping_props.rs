//! Property tests of escaping: any label value and any HELP text survive our escaping exactly, judged by an
//! unescaper written here from the exposition grammar; and a batch of random label values survives a whole
//! scrape read back by python's parsers.

use std::collections::BTreeMap;
use std::process::Command;

use metrics_core::encode::{escape_help, escape_label_value};
use metrics_core::{BoundedStr, Format, Registry, metrics};
use proptest::prelude::*;
use proptest::strategy::ValueTree as _;
use proptest::test_runner::TestRunner;
use tests::{
    PythonParser, python_parse, require_python_prometheus_client, require_tool, run_with_stdin,
};

metrics! {
    /// Values recorded under random label values.
    counter escaping_props_values_total { value: BoundedStr<300> }
}

/// Which escapes a piece of exposition text allows.
#[derive(Debug, Clone, Copy)]
struct Grammar {
    /// `\"` is an escape (label values in both formats, OpenMetrics HELP).
    quote_escape: bool,
    /// A bare `"` is allowed (0.0.4 HELP only: a label value ends at its first bare quote, and OpenMetrics'
    /// `escaped-string` has no bare `"`).
    bare_quote: bool,
}

const LABEL_VALUE: Grammar = Grammar {
    quote_escape: true,
    bare_quote: false,
};
const HELP_TEXT_004: Grammar = Grammar {
    quote_escape: false,
    bare_quote: true,
};
const HELP_OPENMETRICS: Grammar = Grammar {
    quote_escape: true,
    bare_quote: false,
};

/// Reads escaped text back, refusing anything the grammar does not allow: a raw newline (it would end the line),
/// a bare `"` where it is not allowed, a `\` before anything but an allowed escape, a trailing lone `\`.
fn unescape(escaped: &str, grammar: Grammar) -> Result<String, String> {
    let mut out = String::with_capacity(escaped.len());
    let mut chars = escaped.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\n' => return Err(format!("raw newline at byte {at}")),
            '"' if !grammar.bare_quote => return Err(format!("unescaped quote at byte {at}")),
            '\\' => match chars.next() {
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, '"')) if grammar.quote_escape => out.push('"'),
                Some((_, other)) => return Err(format!("invalid escape `\\{other}` at byte {at}")),
                None => return Err("lone `\\` at the end".to_owned()),
            },
            other => out.push(other),
        }
    }
    Ok(out)
}

/// Text rich in what escaping must handle: `\`, `"`, newline, other control characters, multi-byte UTF-8, and
/// any other `char` (proptest's `any::<String>()` never yields a newline, so characters are drawn one by one).
fn hostile_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '\\', '"', '\n', '\r', '\t', '\0', '\u{7f}', '\u{85}', '\u{2028}', 'ü', '🦀', 'n',
    ]);
    prop::collection::vec(prop_oneof![2 => any::<char>(), 3 => special], 0..48)
        .prop_map(|chars| chars.into_iter().collect())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), hostile_text()]
}

fn escaped_label(value: &str) -> String {
    let mut out = String::new();
    escape_label_value(value, &mut out);
    out
}

fn escaped_help(help: &str, format: Format) -> String {
    let mut out = String::new();
    escape_help(help, format, &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn label_values_round_trip(value in any_text()) {
        let escaped = escaped_label(&value);
        prop_assert!(!escaped.contains('\n'), "raw newline in {escaped:?}");
        prop_assert_eq!(unescape(&escaped, LABEL_VALUE), Ok(value));
    }

    #[test]
    fn label_escaping_appends_without_touching_what_is_there(prefix in any_text(), value in any_text()) {
        let mut out = prefix.clone();
        escape_label_value(&value, &mut out);
        let alone = escaped_label(&value);
        prop_assert_eq!(out.strip_prefix(prefix.as_str()), Some(alone.as_str()));
    }

    #[test]
    fn text_004_help_round_trips_and_leaves_quotes_bare(help in any_text()) {
        let escaped = escaped_help(&help, Format::Text004);
        prop_assert!(!escaped.contains('\n'), "raw newline in {escaped:?}");
        // promtool refuses `\"` in 0.0.4 HELP: quotes must stay bare there.
        prop_assert_eq!(escaped.matches('"').count(), help.matches('"').count());
        prop_assert_eq!(unescape(&escaped, HELP_TEXT_004), Ok(help));
    }

    #[test]
    fn openmetrics_help_round_trips_with_quotes_escaped(help in any_text()) {
        let escaped = escaped_help(&help, Format::OpenMetrics);
        prop_assert!(!escaped.contains('\n'), "raw newline in {escaped:?}");
        prop_assert_eq!(unescape(&escaped, HELP_OPENMETRICS), Ok(help));
    }
}

/// The unescaper is the oracle of the properties above, so it must refuse what the grammar refuses.
#[test]
fn the_unescaper_refuses_what_the_grammar_refuses() {
    assert!(unescape("a\nb", LABEL_VALUE).is_err());
    assert!(unescape("a\"b", LABEL_VALUE).is_err());
    assert!(unescape("a\\tb", LABEL_VALUE).is_err());
    assert!(unescape("a\\", LABEL_VALUE).is_err());
    assert!(
        unescape("a\\\"b", HELP_TEXT_004).is_err(),
        "`\\\"` is not a 0.0.4 HELP escape"
    );
    assert_eq!(
        unescape("say \"hi\"\\\\\\n", HELP_TEXT_004),
        Ok("say \"hi\"\\\n".to_owned())
    );
    assert_eq!(
        unescape("a\\\"b\\\\c\\nd", LABEL_VALUE),
        Ok("a\"b\\c\nd".to_owned())
    );
}

/// How many random label values go through one scrape.
const BATCH: usize = 250;

/// Distinct random label values from a fixed seed, so a failure reproduces.
fn random_batch() -> Vec<String> {
    let mut runner = TestRunner::deterministic();
    let strategy = any_text();
    let mut values = Vec::new();
    while values.len() < BATCH {
        let value = strategy.new_tree(&mut runner).expect("a value").current();
        if !values.contains(&value) {
            values.push(value);
        }
    }
    values
}

#[test]
fn a_batch_of_random_label_values_survives_a_scrape_through_both_python_parsers_and_promtool() {
    let values = random_batch();
    // The batch must hold what escaping is about, or the round trip below proves little.
    for (what, found) in [
        ("a newline", values.iter().any(|v| v.contains('\n'))),
        ("a quote", values.iter().any(|v| v.contains('"'))),
        ("a backslash", values.iter().any(|v| v.contains('\\'))),
        (
            "another control character",
            values
                .iter()
                .any(|v| v.chars().any(|c| c.is_control() && c != '\n')),
        ),
        ("multi-byte UTF-8", values.iter().any(|v| !v.is_ascii())),
    ] {
        assert!(found, "the random batch has no value with {what}");
    }
    let mut expected = BTreeMap::new();
    for (count, value) in (1..).zip(&values) {
        ESCAPING_PROPS_VALUES_TOTAL.labels(value).inc_by(count);
        expected.insert(value.clone(), count as f64);
    }
    assert_eq!(
        expected.len(),
        BATCH,
        "the values are distinct and all under the cap"
    );
    let registry = Registry::builder()
        .register(&ESCAPING_PROPS_VALUES_TOTAL)
        .build()
        .expect("valid");
    let text_004 = registry.encode_to_string(Format::Text004).expect("encode");
    let openmetrics = registry
        .encode_to_string(Format::OpenMetrics)
        .expect("encode");

    if let Some(promtool) = require_tool("promtool", "apt-get install prometheus") {
        let output = run_with_stdin(Command::new(promtool).args(["check", "metrics"]), &text_004);
        assert!(
            output.status.success(),
            "promtool refused random label values: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    if !require_python_prometheus_client() {
        return;
    }
    for (parser, text) in [
        (PythonParser::OpenMetrics, &openmetrics),
        (PythonParser::Text004, &text_004),
    ] {
        let families = python_parse(text, parser)
            .unwrap_or_else(|error| panic!("{parser:?} parser refused: {error}"));
        let read: BTreeMap<String, f64> = families
            .iter()
            .flat_map(|family| &family.samples)
            .filter(|sample| sample.name == "escaping_props_values_total")
            .map(|sample| (sample.labels["value"].clone(), sample.value))
            .collect();
        let missing: Vec<_> = expected.keys().filter(|k| !read.contains_key(*k)).collect();
        let extra: Vec<_> = read.keys().filter(|k| !expected.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{parser:?}: label values lost {missing:?}\nlabel values invented {extra:?}"
        );
        assert_eq!(
            read, expected,
            "{parser:?}: a value was read back under the wrong label"
        );
    }
}
