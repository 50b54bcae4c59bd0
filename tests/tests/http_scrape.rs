//! `GET /metrics` over real TCP: content negotiation for the Accept headers real scrapers send, the exact
//! Content-Type strings of the two formats (`docs/exposition.md`), gzip, HEAD, 405 for every other method, and `/healthz`.

use std::io::Read as _;

use flate2::read::GzDecoder;
use metrics_core::{LabelValue, Registry, metrics};
use metrics_http::Config;
use tests::http::{TestServer, get, request};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum Kind {
    Email,
    Report,
}

metrics! {
    /// Jobs the scrape tests recorded.
    counter http_scrape_jobs_total { kind: Kind }

    /// Waits the scrape tests recorded.
    histogram http_scrape_wait_seconds { buckets = [0.5, 1.0, 2.0] }
}

/// The exact strings the format specifications give, written out here rather than taken from the code under test.
const TEXT_004: &str = "text/plain; version=0.0.4; charset=utf-8";
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

const PROMETHEUS_2_42: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
const PROMETHEUS_3: &str = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

/// A registry of this file's families only, so two scrapes of it give identical bodies.
fn registry() -> &'static Registry {
    static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| {
        HTTP_SCRAPE_JOBS_TOTAL.labels(Kind::Email).inc_by(3);
        HTTP_SCRAPE_WAIT_SECONDS.observe(0.75);
        Registry::builder()
            .register(&HTTP_SCRAPE_JOBS_TOTAL)
            .register(&HTTP_SCRAPE_WAIT_SECONDS)
            .build()
            .expect("a valid registry")
    })
}

async fn server() -> TestServer {
    TestServer::start(Config::default().registry(registry())).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_accept_header_gets_its_exact_content_type() {
    let server = server().await;
    let cases: [(&str, Option<&str>, &str); 7] = [
        ("Prometheus 2.42", Some(PROMETHEUS_2_42), OPENMETRICS),
        ("Prometheus 3", Some(PROMETHEUS_3), OPENMETRICS),
        ("*/*", Some("*/*"), TEXT_004),
        ("no Accept", None, TEXT_004),
        (
            "garbage",
            Some("garbage;;q=x,,===, application/ünknown"),
            TEXT_004,
        ),
        ("0.0.4 asked", Some("text/plain;version=0.0.4"), TEXT_004),
        (
            "OpenMetrics refused",
            Some("application/openmetrics-text;q=0,*/*;q=0.1"),
            TEXT_004,
        ),
    ];
    for (what, accept, content_type) in cases {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("accept", a)).into_iter().collect();
        let reply = get(server.addr, "/metrics", &headers).await;
        assert_eq!(reply.status, 200, "{what}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{what}");
        assert_eq!(
            reply.header("content-encoding"),
            None,
            "{what}: not compressed unless asked"
        );
        let body = reply.text();
        if content_type == OPENMETRICS {
            assert!(
                body.ends_with("# EOF\n"),
                "{what}: OpenMetrics ends with # EOF"
            );
            assert!(
                body.contains("# TYPE http_scrape_jobs counter\n"),
                "{what}: OpenMetrics family name"
            );
            assert!(
                body.contains("# UNIT http_scrape_wait_seconds seconds\n"),
                "{what}"
            );
        } else {
            assert!(!body.contains("# EOF"), "{what}: 0.0.4 has no # EOF");
            assert!(
                body.contains("# TYPE http_scrape_jobs_total counter\n"),
                "{what}: 0.0.4 names the sample"
            );
            assert!(!body.contains("# UNIT"), "{what}: 0.0.4 has no UNIT");
        }
        assert!(
            body.contains("http_scrape_jobs_total{kind=\"email\"} 3\n"),
            "{what}: {body}"
        );
        assert!(
            body.contains("http_scrape_wait_seconds_bucket{le=\"1.0\"} 1\n"),
            "{what}: {body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_output_decompresses_to_the_identity_output() {
    let server = server().await;
    for accept in [PROMETHEUS_2_42, "*/*"] {
        let plain = get(server.addr, "/metrics", &[("accept", accept)]).await;
        let zipped = get(
            server.addr,
            "/metrics",
            &[("accept", accept), ("accept-encoding", "gzip")],
        )
        .await;
        assert_eq!(zipped.status, 200);
        assert_eq!(zipped.header("content-encoding"), Some("gzip"));
        assert_eq!(zipped.header("content-type"), plain.header("content-type"));
        assert_ne!(zipped.body, plain.body, "the body really is compressed");
        let mut unzipped = Vec::new();
        GzDecoder::new(zipped.body.as_slice())
            .read_to_end(&mut unzipped)
            .expect("a valid gzip stream");
        assert_eq!(
            unzipped, plain.body,
            "{accept}: gzip decompresses to the identity body"
        );
    }
    let refused = get(
        server.addr,
        "/metrics",
        &[("accept-encoding", "gzip;q=0, identity")],
    )
    .await;
    assert_eq!(refused.header("content-encoding"), None, "q=0 refuses gzip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_answers_headers_without_a_body() {
    let server = server().await;
    for (accept, content_type) in [(PROMETHEUS_3, OPENMETRICS), ("*/*", TEXT_004)] {
        let reply = request("HEAD", server.addr, "/metrics", &[("accept", accept)]).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), Some(content_type));
        assert!(reply.body.is_empty(), "HEAD has no body");
    }
    assert_eq!(
        request("HEAD", server.addr, "/healthz", &[]).await.status,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_other_method_gets_405() {
    let server = server().await;
    for path in [
        "/metrics",
        "/healthz",
        "/api/metrics/summary",
        "/api/metrics/schema",
    ] {
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW"] {
            let reply = request(method, server.addr, path, &[]).await;
            assert_eq!(reply.status, 405, "{method} {path}");
            let allow = reply.header("allow").unwrap_or_default();
            assert!(
                allow.contains("GET") && allow.contains("HEAD"),
                "{method} {path}: Allow is {allow:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_and_unknown_paths() {
    let server = server().await;
    let health = get(server.addr, "/healthz", &[]).await;
    assert_eq!((health.status, health.text().as_str()), (200, "ok\n"));
    assert_eq!(get(server.addr, "/metrics/extra", &[]).await.status, 404);
    assert_eq!(get(server.addr, "/", &[]).await.status, 404);
}
