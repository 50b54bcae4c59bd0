//! Reading exposition text back through python `prometheus_client`'s parsers, an implementation independent of
//! ours: the strict OpenMetrics parser and the lenient 0.0.4 parser.
//!
//! Python prints what it parsed as JSON, so a test compares our recorded values with what another parser read,
//! not with our own encoder's text.

use std::collections::BTreeMap;
use std::process::Command;

use crate::run_with_stdin;

/// Which python parser reads the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PythonParser {
    /// `prometheus_client.openmetrics.parser`: strict (`# EOF`, bucket order, counter suffixes, units).
    OpenMetrics,
    /// `prometheus_client.parser`: the lenient Prometheus text 0.0.4 parser.
    Text004,
}

/// One sample as python read it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSample {
    /// The sample name, with its suffix (`_total`, `_bucket`, `_info`).
    pub name: String,
    /// The labels, unescaped.
    pub labels: BTreeMap<String, String>,
    /// The value.
    pub value: f64,
    /// The exemplar after ` # `, when the line has one (OpenMetrics only).
    pub exemplar: Option<ParsedExemplar>,
}

/// An exemplar as python read it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedExemplar {
    /// The labels, unescaped.
    pub labels: BTreeMap<String, String>,
    /// The value.
    pub value: f64,
    /// The timestamp in seconds, when written.
    pub timestamp: Option<f64>,
}

/// One metric family as python read it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFamily {
    /// The family name (python strips a counter's `_total`, in both parsers).
    pub name: String,
    /// The type: `counter`, `gauge`, `histogram`, `info`, `stateset`, `unknown`, `untyped`.
    pub kind: String,
    /// The unit (always empty from the 0.0.4 parser).
    pub unit: String,
    /// The HELP text, unescaped.
    pub help: String,
    /// The samples, in text order.
    pub samples: Vec<ParsedSample>,
}

/// Reads stdin as UTF-8 whatever the locale, and writes ASCII-only JSON. A value goes out as its `repr` (an int's
/// digits, a float's shortest round-trip text), because JSON has no NaN or infinities.
const SCRIPT: &str = r#"
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
from prometheus_client.parser import text_string_to_metric_families as text004
parse = openmetrics if sys.argv[1] == "openmetrics" else text004
families = [
    {
        "name": f.name,
        "type": f.type,
        "unit": getattr(f, "unit", "") or "",
        "help": f.documentation,
        "samples": [
            {
                "name": s.name,
                "labels": s.labels,
                "value": repr(s.value),
                "exemplar": getattr(s, "exemplar", None) and {
                    "labels": s.exemplar.labels,
                    "value": repr(s.exemplar.value),
                    "timestamp": None if s.exemplar.timestamp is None else repr(float(s.exemplar.timestamp)),
                },
            }
            for s in f.samples
        ],
    }
    for f in parse(sys.stdin.buffer.read().decode("utf-8"))
]
json.dump(families, sys.stdout, ensure_ascii=True)
"#;

/// Parses `text` with python's `parser`.
///
/// The caller checks first that python has `prometheus_client` (`require_python_prometheus_client`).
///
/// # Errors
///
/// The parser's complaint (its traceback) when it rejects the text.
///
/// # Panics
///
/// When python prints something that is not the JSON the script writes.
pub fn python_parse(text: &str, parser: PythonParser) -> Result<Vec<ParsedFamily>, String> {
    let which = match parser {
        PythonParser::OpenMetrics => "openmetrics",
        PythonParser::Text004 => "text004",
    };
    let output = run_with_stdin(Command::new("python3").args(["-c", SCRIPT, which]), text);
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("python prints JSON");
    let text_of = |value: &serde_json::Value| value.as_str().expect("a JSON string").to_owned();
    let families = json.as_array().expect("a JSON list of families");
    Ok(families
        .iter()
        .map(|family| ParsedFamily {
            name: text_of(&family["name"]),
            kind: text_of(&family["type"]),
            unit: text_of(&family["unit"]),
            help: text_of(&family["help"]),
            samples: family["samples"]
                .as_array()
                .expect("a JSON list of samples")
                .iter()
                .map(|sample| ParsedSample {
                    name: text_of(&sample["name"]),
                    labels: labels_of(&sample["labels"]),
                    value: parse_python_float(&text_of(&sample["value"])),
                    exemplar: sample["exemplar"]
                        .as_object()
                        .map(|exemplar| ParsedExemplar {
                            labels: labels_of(&exemplar["labels"]),
                            value: parse_python_float(&text_of(&exemplar["value"])),
                            timestamp: exemplar["timestamp"].as_str().map(parse_python_float),
                        }),
                })
                .collect(),
        })
        .collect())
}

/// A JSON object of label names and values.
fn labels_of(json: &serde_json::Value) -> BTreeMap<String, String> {
    json.as_object()
        .expect("a JSON object of labels")
        .iter()
        .map(|(name, value)| {
            let value = value.as_str().expect("a JSON string").to_owned();
            (name.clone(), value)
        })
        .collect()
}

/// Python's `repr` of an int or float: digits, shortest round-trip text, or `inf`, `-inf`, `nan` (Rust parses all).
fn parse_python_float(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("python wrote an unexpected float: {text:?}"))
}
