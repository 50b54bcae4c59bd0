//! The server's self-metrics count what happened to it: scrapes by format and status class, encode durations,
//! in-flight scrapes, and refused requests by reason. One test per binary, because the self-metrics are
//! process-wide statics that every server in the process updates.

use std::time::Duration;

use metrics_http::{BearerToken, Config};
use tests::http::{TestServer, get, request, wait_for};
use tests::sample_value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const PROMETHEUS_2_42: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_metrics_count_scrapes_and_refusals() {
    let token = "self-metrics-token";
    let auth = format!("Bearer {token}");
    let server = TestServer::start(
        Config::default()
            .bearer_token(BearerToken::new(token).unwrap())
            .header_read_timeout(Duration::from_millis(300)),
    )
    .await;
    let with_token = [("authorization", auth.as_str())];

    for _ in 0..2 {
        let reply = get(
            server.addr,
            "/metrics",
            &[("accept", PROMETHEUS_2_42), with_token[0]],
        )
        .await;
        assert_eq!(reply.status, 200);
    }
    assert_eq!(get(server.addr, "/metrics", &with_token).await.status, 200);
    assert_eq!(get(server.addr, "/metrics", &[]).await.status, 401);
    assert_eq!(
        request("DELETE", server.addr, "/metrics", &with_token)
            .await
            .status,
        405
    );

    let mut slow = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"GET /metrics HTTP/1.1\r\n").await.unwrap();
    let mut ignored = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut ignored)).await;

    let text = wait_for(
        "the header timeout to be counted",
        Duration::from_secs(5),
        Duration::from_millis(50),
        async || {
            let text = get(server.addr, "/metrics", &with_token).await.text();
            let counted = sample_value(
                &text,
                "metrics_http_rejected_requests_total{reason=\"header_timeout\"}",
            );
            if counted >= 1.0 {
                Ok(text)
            } else {
                Err(format!("{counted} header timeouts so far"))
            }
        },
    )
    .await;

    let om = "format=\"openmetrics-1.0.0\"";
    let plain = "format=\"text-0.0.4\"";
    assert_eq!(
        sample_value(
            &text,
            &format!("metrics_http_scrapes_total{{{om},status=\"2xx\"}}")
        ),
        2.0
    );
    assert!(
        sample_value(
            &text,
            &format!("metrics_http_scrapes_total{{{plain},status=\"2xx\"}}")
        ) >= 1.0
    );
    assert_eq!(
        sample_value(
            &text,
            &format!("metrics_http_scrapes_total{{{om},status=\"5xx\"}}")
        ),
        0.0
    );
    assert_eq!(
        sample_value(
            &text,
            &format!("metrics_http_scrape_encode_duration_seconds_count{{{om}}}")
        ),
        2.0
    );
    assert_eq!(
        sample_value(&text, "metrics_http_scrapes_in_flight"),
        1.0,
        "only the scrape reading it"
    );
    assert_eq!(
        sample_value(
            &text,
            "metrics_http_rejected_requests_total{reason=\"unauthorized\"}"
        ),
        1.0
    );
    assert_eq!(
        sample_value(
            &text,
            "metrics_http_rejected_requests_total{reason=\"method_not_allowed\"}"
        ),
        1.0
    );
    assert_eq!(
        sample_value(
            &text,
            "metrics_http_rejected_requests_total{reason=\"header_timeout\"}"
        ),
        1.0
    );
    assert_eq!(
        sample_value(
            &text,
            "metrics_http_rejected_requests_total{reason=\"not_loopback\"}"
        ),
        0.0
    );
    assert_eq!(
        sample_value(
            &text,
            "metrics_http_rejected_requests_total{reason=\"too_many_scrapes\"}"
        ),
        0.0
    );

    // An idle keep-alive connection closed at the header timeout is not a refused request, and neither is a
    // connection that never sent a byte.
    let mut idle = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let request =
        format!("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {auth}\r\n\r\n");
    idle.write_all(request.as_bytes()).await.unwrap();
    let mut silent = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), idle.read_to_end(&mut answer)).await;
    assert!(
        closed.is_ok(),
        "the server closes the idle connection at the header timeout"
    );
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200 OK"));
    let mut nothing = Vec::new();
    let closed =
        tokio::time::timeout(Duration::from_secs(5), silent.read_to_end(&mut nothing)).await;
    assert!(
        closed.is_ok() && nothing.is_empty(),
        "the silent connection is closed too"
    );
    let text = get(server.addr, "/metrics", &with_token).await.text();
    assert_eq!(
        sample_value(
            &text,
            "metrics_http_rejected_requests_total{reason=\"header_timeout\"}"
        ),
        1.0,
        "still only the client that left its headers unfinished"
    );
    assert_eq!(
        sample_value(
            &text,
            "metrics_http_rejected_requests_total{reason=\"write_timeout\"}"
        ),
        0.0
    );
}
