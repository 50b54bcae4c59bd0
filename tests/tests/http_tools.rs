//! Live scrapes of the global registry (this file's families, the server's self-metrics and the HTTP RED
//! families) read by independent tools: `promtool check metrics` on the 0.0.4 answer, python
//! `prometheus_client`'s strict OpenMetrics parser on the OpenMetrics answer.

use std::collections::BTreeMap;
use std::process::Command;

use metrics_core::{BoundedStr, LabelValue, metrics};
use metrics_http::Config;
use tests::http::{TestServer, get};
use tests::{
    PythonParser, python_parse, require_python_prometheus_client, require_tool, run_with_stdin,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum ToolsBreaker {
    Closed,
    Open,
}

metrics! {
    namespace = "http_tools";

    /// Calls by model; model names come from outside, with quotes, backslashes and newlines.
    counter calls_total { model: BoundedStr<8> }

    /// Call latency.
    histogram call_duration_seconds { buckets = latency }

    /// Bytes buffered.
    gauge buffered_bytes;

    /// The breaker's state.
    stateset breaker: ToolsBreaker;

    /// The build.
    info build_info { version: String }
}

const HOSTILE: &str = "a\"b\\c\nd ü🚀";
const PROMETHEUS_3: &str = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

/// Records the values, once for the whole binary: both tests read them.
fn record() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(record_once);
}

fn record_once() {
    CALLS_TOTAL.labels(HOSTILE).inc_by(7);
    CALLS_TOTAL.labels("plain").inc();
    CALL_DURATION_SECONDS.observe(0.3);
    BUFFERED_BYTES.set(4096);
    BREAKER.set(ToolsBreaker::Open);
    BUILD_INFO.set(BuildInfoLabels { version: "1.2.3" });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promtool_accepts_a_live_text_scrape() {
    let Some(promtool) = require_tool("promtool", "apt-get install prometheus") else {
        return;
    };
    record();
    let server = TestServer::start(Config::default()).await;
    // An OpenMetrics scrape first, so the self-metrics have recorded values in the one promtool reads.
    assert_eq!(
        get(server.addr, "/metrics", &[("accept", PROMETHEUS_3)])
            .await
            .status,
        200
    );
    let reply = get(server.addr, "/metrics", &[]).await;
    assert_eq!(reply.status, 200);
    let text = reply.text();
    // The hostile value, escaped as 0.0.4 wants it: backslash, quote and newline.
    assert!(
        text.contains("http_tools_calls_total{model=\"a\\\"b\\\\c\\nd ü🚀\"} 7\n"),
        "{text}"
    );
    let output = run_with_stdin(Command::new(promtool).args(["check", "metrics"]), &text);
    assert!(
        output.status.success(),
        "promtool check metrics failed ({}):\n{}{}\n--- scrape ---\n{text}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_strict_openmetrics_parser_accepts_a_live_scrape() {
    if !require_python_prometheus_client() {
        return;
    }
    record();
    let server = TestServer::start(Config::default()).await;
    let reply = get(server.addr, "/metrics", &[("accept", PROMETHEUS_3)]).await;
    assert_eq!(reply.status, 200);
    let text = reply.text();
    let families = python_parse(&text, PythonParser::OpenMetrics)
        .unwrap_or_else(|error| panic!("the strict parser rejected the scrape: {error}\n{text}"));

    let calls = families
        .iter()
        .find(|f| f.name == "http_tools_calls")
        .expect("the counter family");
    let hostile = calls
        .samples
        .iter()
        .find(|s| {
            s.name == "http_tools_calls_total"
                && s.labels.get("model").map(String::as_str) == Some(HOSTILE)
        })
        .unwrap_or_else(|| panic!("the hostile label value did not round-trip: {calls:?}"));
    assert_eq!(hostile.value, 7.0);

    let latency = families
        .iter()
        .find(|f| f.name == "http_tools_call_duration_seconds")
        .unwrap();
    assert_eq!(
        (latency.kind.as_str(), latency.unit.as_str()),
        ("histogram", "seconds")
    );
    let info = families
        .iter()
        .find(|f| f.name == "http_tools_build")
        .unwrap();
    let labels: BTreeMap<String, String> = [("version".to_owned(), "1.2.3".to_owned())].into();
    assert_eq!(info.samples[0].labels, labels);
    for name in [
        "metrics_http_scrapes",
        "metrics_http_rejected_requests",
        "http_server_requests",
    ] {
        assert!(
            families
                .iter()
                .any(|f| f.name == name && f.kind == "counter"),
            "{name} is served"
        );
    }
}
