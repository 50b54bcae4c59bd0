//! `metrics!` and `#[derive(LabelValue)]` fed random token streams: whatever a user (or an editor mid-keystroke)
//! hands them, they answer with tokens (compile errors where the input is wrong) and never panic, since a panic
//! in a proc macro is an unhelpful "proc macro panicked" on the whole invocation.

use proc_macro2::TokenStream;
use proptest::prelude::*;

/// Tokens and fragments of the DSL, valid and broken, that random streams are built from.
const LEAVES: &[&str] = &[
    "namespace",
    "crate",
    "counter",
    "gauge",
    "histogram",
    "info",
    "stateset",
    "pub",
    "pub(crate)",
    "jobs_total",
    "queue_depth",
    "latency_seconds",
    "build_info",
    "x",
    "_",
    "r#type",
    "buckets",
    "unit",
    "budget",
    "observe",
    "seconds",
    "bytes",
    "milliseconds",
    "latency",
    "tokens",
    "prometheus_default",
    "exponential",
    "linear",
    "BoundedStr",
    "BoundedStr<0>",
    "BoundedStr<18446744073709551616>",
    "String",
    "u64",
    "f64",
    "i64",
    "bool",
    "Phase",
    "std::f64::NAN",
    "f64::INFINITY",
    "=",
    ":",
    ";",
    ",",
    "<",
    ">",
    "::",
    "-",
    "+",
    "#",
    "!",
    "&",
    "'a",
    "\"cogo\"",
    "\"\"",
    "\"a\\nb\"",
    "\"9app\"",
    "0",
    "1",
    "-1.5",
    "1e308",
    "1.0",
    "2",
    "18446744073709551616",
    "0.0",
    "/// Help.",
    "#[cfg(test)]",
    "#[allow(dead_code)]",
    "#[doc = 1]",
    "/// Jobs.\npub counter jobs_total { kind: Kind }",
    "/// Depth.\ngauge queue_depth { observe = read }",
    "/// Wait.\nhistogram wait_seconds { buckets = [0.1, 0.2] }",
    "/// Build.\ninfo build_info { version: String }",
    "/// State.\nstateset breaker { state: State }",
    "#[metrics(rename_all = \"snake_case\")]",
    "#[metrics(rename = \"\")]",
    "enum",
    "struct",
    "A",
    "B(u8)",
    "C { x: u8 }",
    "#[metrics(crate = crate)]",
    "#[metrics(bogus)]",
];

#[derive(Debug, Clone)]
enum Tree {
    Leaf(&'static str),
    Group(char, Vec<Tree>),
}

fn render(trees: &[Tree], out: &mut String) {
    for tree in trees {
        match tree {
            Tree::Leaf(text) => out.push_str(text),
            Tree::Group(open, inner) => {
                let close = match open {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                out.push(*open);
                render(inner, out);
                out.push(close);
            }
        }
        // A newline, not a space: a `///` leaf is a comment to the end of its line.
        out.push('\n');
    }
}

fn trees() -> impl Strategy<Value = Vec<Tree>> {
    let leaf = proptest::sample::select(LEAVES).prop_map(Tree::Leaf);
    let tree = leaf.prop_recursive(4, 48, 8, |inner| {
        (
            proptest::sample::select(&['(', '[', '{'][..]),
            prop::collection::vec(inner, 0..8),
        )
            .prop_map(|(open, trees)| Tree::Group(open, trees))
    });
    prop::collection::vec(tree, 0..24)
}

fn stream(trees: &[Tree]) -> TokenStream {
    let mut text = String::new();
    render(trees, &mut text);
    // Every leaf lexes and every group is balanced, so this always parses.
    text.parse().expect("balanced tokens lex")
}

#[test]
fn a_family_named_without_a_letter_is_an_error_not_a_panic() {
    for name in ["_", "_1", "__"] {
        let input: TokenStream = format!("/// Help.\ncounter {name} {{}}").parse().unwrap();
        let out = super::metrics(input).to_string();
        assert!(out.contains("has no letter"), "{name}: {out}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn metrics_never_panics(trees in trees()) {
        let _ = super::metrics(stream(&trees));
    }

    #[test]
    fn label_value_derive_never_panics(trees in trees()) {
        let _ = crate::label_value::derive(stream(&trees));
    }
}
