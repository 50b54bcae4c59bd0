//! The guards and limits of the metrics server, end to end: bearer token, loopback-only peers, the `Host`
//! allow-list, header-read and response-write timeouts, per-request deadline, the concurrent-scrape and
//! connection caps (503 with `Retry-After`), bounds on every setting, and the bounded graceful-shutdown drain of
//! the server and of the quickstart example.
//!
//! Slow scrapes come from a hand-written [`Family`] whose `collect` sleeps, served from an explicitly built
//! registry, so each test controls exactly how long encoding takes. The family counts its collections, so a test
//! waits until a scrape is really encoding instead of guessing with a sleep. (The summary sampler also collects,
//! once when the server starts: tests wait for that one first.)

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use metrics_core::{
    Descriptor, Family, LabelDescriptor, LabelValues, MetricKind, Number, Registry, Sample, Series,
    SeriesSink, source_location,
};
use metrics_http::{BearerToken, Config, MAX_CONCURRENT_SCRAPES, ServeError, Server};
use tests::http::{ChildGuard, TestServer, free_port, get, request, try_request, wait_for, within};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tower::ServiceExt as _;

static SLOW_DESCRIPTOR: Descriptor = Descriptor::new(
    "http_guards_slow_value",
    "A value that takes a while to read.",
    MetricKind::Gauge,
    source_location!(),
);

/// A gauge whose collection sleeps for `delay`.
struct SlowFamily {
    delay: Duration,
    collections: AtomicUsize,
}

impl SlowFamily {
    /// Waits until `count` collections have started.
    async fn started(&self, count: usize) {
        wait_for(
            "collections to start",
            Duration::from_secs(10),
            Duration::from_millis(5),
            async || {
                let started = self.collections.load(Ordering::SeqCst);
                if started >= count {
                    Ok(())
                } else {
                    Err(format!("{started} started"))
                }
            },
        )
        .await;
    }
}

impl Family for SlowFamily {
    fn descriptor(&self) -> &'static Descriptor {
        &SLOW_DESCRIPTOR
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        self.collections.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        sink.series(&Series::new(&[]), &Sample::Gauge(Number::I64(1)));
    }
}

/// A family whose collection takes `delay`, and a registry of just it.
fn slow(delay: Duration) -> (&'static SlowFamily, &'static Registry) {
    let family: &'static SlowFamily = Box::leak(Box::new(SlowFamily {
        delay,
        collections: AtomicUsize::new(0),
    }));
    let registry = Registry::builder()
        .register(family)
        .build()
        .expect("a valid registry");
    (family, Box::leak(Box::new(registry)))
}

fn quick() -> Config {
    Config::default().registry(slow(Duration::ZERO).1)
}

const TOKEN: &str = "test-token-7Qx9";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bearer_token_guards_every_endpoint() {
    let server = TestServer::start(quick().bearer_token(BearerToken::new(TOKEN).unwrap())).await;
    let right = format!("Bearer {TOKEN}");
    let wrong = format!("Bearer {TOKEN}x");
    let basic = format!("Basic {TOKEN}");
    for path in [
        "/metrics",
        "/healthz",
        "/api/metrics/summary",
        "/api/metrics/schema",
        "/nope",
    ] {
        for (what, headers) in [
            ("no token", vec![]),
            ("wrong token", vec![("authorization", wrong.as_str())]),
            ("wrong scheme", vec![("authorization", basic.as_str())]),
            (
                "prefix of the token",
                vec![("authorization", "Bearer test-token")],
            ),
        ] {
            let reply = get(server.addr, path, &headers).await;
            assert_eq!(reply.status, 401, "{what} on {path}");
            assert!(
                reply.body.is_empty(),
                "{what} on {path}: a 401 says nothing more"
            );
            assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
        }
        let reply = get(server.addr, path, &[("authorization", &right)]).await;
        let expected = if path == "/nope" { 404 } else { 200 };
        assert_eq!(reply.status, expected, "the right token on {path}");
    }
    assert_eq!(
        request("POST", server.addr, "/metrics", &[]).await.status,
        401,
        "405 only after the guard"
    );
    assert_eq!(
        request(
            "POST",
            server.addr,
            "/metrics",
            &[("authorization", &right)]
        )
        .await
        .status,
        405
    );
}

/// Calls the router directly with a chosen peer address, as a server with `ConnectInfo` would.
async fn status_from(router: &axum::Router, peer: Option<&str>) -> u16 {
    let mut request = Request::get("/metrics").body(Body::empty()).unwrap();
    if let Some(peer) = peer {
        let peer: SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
    }
    router
        .clone()
        .oneshot(request)
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_loopback_peers_are_answered_unless_remote_access_is_allowed() {
    let router = metrics_http::router(quick()).unwrap();
    assert_eq!(status_from(&router, Some("127.0.0.1:40000")).await, 200);
    assert_eq!(status_from(&router, Some("[::1]:40000")).await, 200);
    assert_eq!(
        status_from(&router, Some("[::ffff:127.0.0.1]:40000")).await,
        200,
        "mapped IPv4 loopback"
    );
    assert_eq!(status_from(&router, Some("10.1.2.3:40000")).await, 403);
    assert_eq!(
        status_from(&router, Some("[::ffff:10.1.2.3]:40000")).await,
        403
    );
    assert_eq!(status_from(&router, Some("[2001:db8::1]:40000")).await, 403);
    assert_eq!(
        status_from(&router, None).await,
        403,
        "no peer address: refuse rather than guess"
    );

    // A forwarded header claiming loopback changes nothing.
    let mut request = Request::get("/metrics")
        .header("x-forwarded-for", "127.0.0.1")
        .body(Body::empty())
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo("10.1.2.3:40000".parse::<SocketAddr>().unwrap()));
    assert_eq!(router.clone().oneshot(request).await.unwrap().status(), 403);

    let open = metrics_http::router(quick().allow_remote(true)).unwrap();
    assert_eq!(status_from(&open, Some("10.1.2.3:40000")).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binding_beyond_loopback_needs_the_opt_in() {
    let error = Server::bind(quick().addr("0.0.0.0:0".parse().unwrap()))
        .await
        .unwrap_err();
    assert!(matches!(error, ServeError::Config(_)), "{error}");
    assert!(error.to_string().contains("loopback"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sending_partial_headers_is_disconnected_within_the_timeout() {
    let timeout = Duration::from_millis(500);
    let server = TestServer::start(quick().header_read_timeout(timeout)).await;
    // The server's clock starts when it accepts, after this one: the wait can only be longer than the timeout.
    let start = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n")
        .await
        .unwrap();
    let mut received = Vec::new();
    // EOF (or a reset) is the server hanging up; the deadline is the test's own bound.
    let _ = within(
        "the server closing a slow client",
        Duration::from_secs(5),
        stream.read_to_end(&mut received),
    )
    .await;
    let waited = start.elapsed();
    assert!(
        waited >= timeout,
        "closed after {waited:?}, before the {timeout:?} timeout"
    );
    assert!(
        waited < timeout + Duration::from_secs(2),
        "closed only after {waited:?}"
    );
    assert!(
        !String::from_utf8_lossy(&received).contains("200 OK"),
        "no answer to half a request"
    );
    assert_eq!(
        get(server.addr, "/healthz", &[]).await.status,
        200,
        "other clients are still served"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_scrape_more_than_the_cap_gets_503() {
    let cap = 2;
    let (family, registry) = slow(Duration::from_millis(1500));
    let server = TestServer::start(
        Config::default()
            .registry(registry)
            .max_concurrent_scrapes(cap),
    )
    .await;
    let addr = server.addr;
    family.started(1).await; // the sampler's first snapshot
    let running: Vec<_> = (0..cap)
        .map(|_| tokio::spawn(async move { get(addr, "/metrics", &[]).await.status }))
        .collect();
    family.started(1 + cap).await;
    let start = Instant::now();
    let extra = get(addr, "/metrics", &[]).await;
    assert_eq!(
        extra.status,
        503,
        "scrape {} of a cap of {cap}: {}",
        cap + 1,
        extra.text()
    );
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "refused at once, not queued"
    );
    assert_eq!(
        extra.header("retry-after"),
        Some("1"),
        "a 503 says when to retry"
    );
    for scrape in running {
        assert_eq!(
            scrape.await.unwrap(),
            200,
            "the scrapes within the cap are answered"
        );
    }
    assert_eq!(
        get(addr, "/metrics", &[]).await.status,
        200,
        "permits come back"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scrapers_timeout_header_bounds_the_request() {
    let server = TestServer::start(
        Config::default()
            .registry(slow(Duration::from_secs(3)).1)
            .request_timeout(Duration::from_secs(10))
            .scrape_timeout_offset(Duration::from_millis(500)),
    )
    .await;
    let start = Instant::now();
    let reply = get(
        server.addr,
        "/metrics",
        &[("x-prometheus-scrape-timeout-seconds", "1")],
    )
    .await;
    let took = start.elapsed();
    assert_eq!(reply.status, 503);
    assert_eq!(
        reply.header("retry-after"),
        Some("1"),
        "the 0.5s deadline, rounded up"
    );
    assert!(
        took >= Duration::from_millis(500),
        "answered after {took:?}: the deadline is 1s less the offset"
    );
    assert!(
        took < Duration::from_millis(2500),
        "answered after {took:?}: the scraper gave up after 1s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configured_request_timeout_bounds_the_request() {
    let server = TestServer::start(
        Config::default()
            .registry(slow(Duration::from_secs(3)).1)
            .request_timeout(Duration::from_millis(700)),
    )
    .await;
    let start = Instant::now();
    let reply = get(
        server.addr,
        "/metrics",
        &[("x-prometheus-scrape-timeout-seconds", "30")],
    )
    .await;
    let took = start.elapsed();
    assert_eq!(reply.status, 503);
    assert_eq!(
        reply.header("retry-after"),
        Some("1"),
        "the 0.7s deadline, rounded up"
    );
    assert!(
        took >= Duration::from_millis(700) && took < Duration::from_millis(2500),
        "took {took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_an_open_request_finish_within_the_drain() {
    let (family, registry) = slow(Duration::from_millis(800));
    let server = TestServer::start(
        Config::default()
            .registry(registry)
            .shutdown_drain(Duration::from_secs(5)),
    )
    .await;
    let addr = server.addr;
    family.started(1).await;
    let scrape = tokio::spawn(async move { try_request("GET", addr, "/metrics", &[]).await });
    family.started(2).await;
    let took = server.stop(Duration::from_secs(10)).await;
    let reply = scrape.await.unwrap().expect("the open request is answered");
    assert_eq!(reply.status, 200);
    assert!(
        took < Duration::from_secs(4),
        "shutdown took {took:?} though the request ended within 0.8s"
    );
    assert!(
        try_request("GET", addr, "/healthz", &[]).await.is_err(),
        "no longer accepting"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_within_its_bound_when_a_request_does_not() {
    let drain = Duration::from_millis(500);
    let (family, registry) = slow(Duration::from_secs(4));
    let server = TestServer::start(
        Config::default()
            .registry(registry)
            .request_timeout(Duration::from_secs(20))
            .shutdown_drain(drain),
    )
    .await;
    let addr = server.addr;
    family.started(1).await;
    let scrape = tokio::spawn(async move { try_request("GET", addr, "/metrics", &[]).await });
    family.started(2).await;
    let took = server.stop(Duration::from_secs(5)).await;
    assert!(
        took >= drain,
        "shutdown took {took:?}: it did not wait for the {drain:?} drain"
    );
    assert!(
        took < drain + Duration::from_secs(2),
        "shutdown took {took:?}, past its {drain:?} bound"
    );
    let outcome = within("the cut-off request", Duration::from_secs(5), scrape)
        .await
        .unwrap();
    assert!(
        outcome.is_err(),
        "the connection was closed, not answered: {outcome:?}"
    );
}

/// Sends `raw` on a new connection and reads until the server closes it (the requests say `Connection: close`),
/// within a deadline.
async fn exchange(addr: SocketAddr, raw: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(raw.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let _ = within(
        "the answer",
        Duration::from_secs(10),
        stream.read_to_end(&mut received),
    )
    .await;
    String::from_utf8_lossy(&received).into_owned()
}

/// A keep-alive connection whose first request was answered 200: accepted, and counted against the connection
/// cap until dropped. `None` when the server refused it.
async fn keep_alive(addr: SocketAddr) -> Option<tokio::net::TcpStream> {
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .ok()?;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 512];
    while !answer.ends_with(b"\r\n\r\nok\n") {
        let read = within("an answer", Duration::from_secs(5), stream.read(&mut chunk))
            .await
            .ok()?;
        if read == 0 {
            return None;
        }
        answer.extend_from_slice(&chunk[..read]);
    }
    answer.starts_with(b"HTTP/1.1 200 OK\r\n").then_some(stream)
}

/// The status of `GET /healthz` sent with the given `Host` lines.
async fn status_with_host(addr: SocketAddr, target: &str, hosts: &[&str]) -> String {
    let mut raw = format!("GET {target} HTTP/1.1\r\nConnection: close\r\n");
    for host in hosts {
        raw.push_str("Host: ");
        raw.push_str(host);
        raw.push_str("\r\n");
    }
    raw.push_str("\r\n");
    let answer = exchange(addr, &raw).await;
    answer.lines().next().unwrap_or("").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_loopback_host_names_are_answered_unless_listed() {
    let server = TestServer::start(quick()).await;
    let port = server.addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "LocalHost".to_owned(),
        format!("[::1]:{port}"),
        "127.1.2.3".to_owned(),
    ] {
        let status = status_with_host(server.addr, "/healthz", &[&host]).await;
        assert_eq!(status, "HTTP/1.1 200 OK", "Host: {host}");
    }
    // A DNS-rebinding page reaches the loopback port under its own name.
    for hosts in [
        vec![format!("attacker.example:{port}")],
        vec!["attacker.example".to_owned()],
        vec![format!("127.0.0.1.attacker.example:{port}")],
        vec![format!("localhost:{port}"), "attacker.example".to_owned()],
    ] {
        let hosts: Vec<&str> = hosts.iter().map(String::as_str).collect();
        let status = status_with_host(server.addr, "/metrics", &hosts).await;
        assert_eq!(
            status, "HTTP/1.1 421 Misdirected Request",
            "Host: {hosts:?}"
        );
    }
    let absolute = status_with_host(
        server.addr,
        &format!("http://attacker.example:{port}/metrics"),
        &[&format!("127.0.0.1:{port}")],
    )
    .await;
    assert_eq!(
        absolute, "HTTP/1.1 421 Misdirected Request",
        "the target's authority wins"
    );
    let answer = exchange(
        server.addr,
        "GET /metrics HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.contains("METRICS_ALLOWED_HOSTS"), "{answer}");
    assert!(
        !answer.contains("http_guards_slow_value"),
        "no metrics behind a 421"
    );

    let listed = TestServer::start(quick().allowed_hosts(["metrics.internal"])).await;
    let status = status_with_host(listed.addr, "/healthz", &["metrics.internal:9464"]).await;
    assert_eq!(status, "HTTP/1.1 200 OK", "a listed name");
    let status = status_with_host(listed.addr, "/healthz", &["attacker.example"]).await;
    assert_eq!(status, "HTTP/1.1 421 Misdirected Request");
    let any = TestServer::start(quick().allowed_hosts(["*"])).await;
    let status = status_with_host(any.addr, "/healthz", &["attacker.example"]).await;
    assert_eq!(status, "HTTP/1.1 200 OK", "`*` answers any name");
    let remote = TestServer::start(quick().allow_remote(true)).await;
    let status = status_with_host(remote.addr, "/healthz", &["scrape-target.example"]).await;
    assert_eq!(
        status, "HTTP/1.1 200 OK",
        "remote scrapers name the host as they know it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_setting_panics_at_start() {
    let error = Server::bind(quick().max_concurrent_scrapes(usize::MAX))
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("METRICS_MAX_CONCURRENT_SCRAPES"),
        "{error}"
    );
    for config in [
        quick().header_read_timeout(Duration::MAX),
        quick().request_timeout(Duration::MAX),
        quick().response_write_timeout(Duration::MAX),
        quick().shutdown_drain(Duration::MAX),
        quick().scrape_timeout_offset(Duration::MAX),
        quick().summary_interval(Duration::MAX),
        quick().summary_retention(Duration::MAX),
        quick().summary_retention(Duration::ZERO),
        quick().max_connections(usize::MAX),
        quick().max_connections(0),
    ] {
        assert!(
            matches!(Server::bind(config).await, Err(ServeError::Config(_))),
            "refused, not a panic"
        );
    }
    // The largest accepted values start and serve.
    let server = TestServer::start(
        quick()
            .max_concurrent_scrapes(MAX_CONCURRENT_SCRAPES)
            .max_connections(metrics_http::MAX_CONNECTIONS)
            .header_read_timeout(metrics_http::MAX_TIMEOUT)
            .request_timeout(metrics_http::MAX_TIMEOUT)
            .response_write_timeout(metrics_http::MAX_TIMEOUT)
            .summary_interval(metrics_http::MAX_SUMMARY_INTERVAL)
            .summary_retention(metrics_http::MAX_SUMMARY_RETENTION),
    )
    .await;
    assert_eq!(get(server.addr, "/metrics", &[]).await.status, 200);
}

static BIG_DESCRIPTOR: Descriptor = Descriptor::new(
    "http_guards_big_value",
    "A family whose exposition is about a megabyte.",
    MetricKind::Gauge,
    source_location!(),
)
.with_labels(&[LabelDescriptor::new(
    "id",
    LabelValues::Bounded { cap: 8192 },
)]);

/// A gauge of 8192 series with long label values: about 1.1 MB of exposition per scrape.
struct BigFamily;

impl Family for BigFamily {
    fn descriptor(&self) -> &'static Descriptor {
        &BIG_DESCRIPTOR
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        for i in 0..8192 {
            let id = format!("{i:0>120}");
            sink.series(&Series::new(&[&id]), &Sample::Gauge(Number::I64(1)));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_that_pipeline_and_never_read_are_disconnected() {
    let registry: &'static Registry = Box::leak(Box::new(
        Registry::builder().register(&BigFamily).build().unwrap(),
    ));
    let write_timeout = Duration::from_millis(500);
    let slow_clients = 3;
    let server = TestServer::start(
        Config::default()
            .registry(registry)
            .response_write_timeout(write_timeout)
            .header_read_timeout(Duration::from_mins(1))
            .max_connections(slow_clients),
    )
    .await;
    let pipelined = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(32);
    let mut clients = Vec::new();
    for _ in 0..slow_clients {
        let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        stream.write_all(pipelined.as_bytes()).await.unwrap();
        clients.push(stream);
    }
    // 32 answers of about a megabyte each cannot fit in the socket buffers: the server's writes stall, the cap is
    // reached, and only the write timeout frees the connections. All are free once as many new clients as the cap
    // are served at once; until then nothing reads the slow ones (reading would unblock the server's writes).
    let mut held = Vec::new();
    wait_for(
        "new clients to be served in place of every slow one",
        Duration::from_secs(30),
        Duration::from_millis(100),
        async || {
            if let Some(stream) = keep_alive(server.addr).await {
                held.push(stream);
            }
            if held.len() == slow_clients {
                Ok(())
            } else {
                Err(format!("{} served", held.len()))
            }
        },
    )
    .await;
    drop(held);
    for mut stream in clients {
        let mut received = Vec::new();
        // The server closed it: what was queued drains, then EOF or a reset.
        let _ = within(
            "a cut-off connection to end",
            Duration::from_secs(10),
            stream.read_to_end(&mut received),
        )
        .await;
        let answers = String::from_utf8_lossy(&received)
            .matches("HTTP/1.1 200 OK")
            .count();
        assert!(
            answers < 32,
            "cut off before all 32 answers were written ({answers})"
        );
    }
    let own = Registry::global()
        .expect("the global registry")
        .encode_to_string(metrics_core::Format::Text004)
        .unwrap();
    assert!(
        tests::sample_value(
            &own,
            "metrics_http_rejected_requests_total{reason=\"write_timeout\"}"
        ) >= f64::from(u32::try_from(slow_clients).unwrap()),
        "each cut-off connection is counted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_cap_get_503_with_retry_after() {
    let server = TestServer::start(quick().max_connections(2)).await;
    let mut open = Vec::new();
    for _ in 0..2 {
        open.push(keep_alive(server.addr).await.expect("within the cap"));
    }
    let refused = exchange(
        server.addr,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    )
    .await;
    assert!(
        refused.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{refused}"
    );
    assert!(refused.contains("\r\nRetry-After: 1\r\n"), "{refused}");
    assert!(
        refused.ends_with("too many open connections\n"),
        "{refused}"
    );
    drop(open.pop());
    wait_for(
        "a closed connection to free its place",
        Duration::from_secs(5),
        Duration::from_millis(50),
        async || match try_request("GET", server.addr, "/healthz", &[]).await {
            Ok(reply) if reply.status == 200 => Ok(()),
            other => Err(format!("{other:?}")),
        },
    )
    .await;
}

/// The quickstart example's executable, built by cargo with this workspace's settings (nothing to do when it is
/// fresh; the path comes from cargo's own report, so a stale binary is never run).
fn quickstart_binary() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "build",
            "-p",
            "examples",
            "--example",
            "quickstart",
            "--message-format=json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "cargo build --example quickstart failed"
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "quickstart")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .expect("cargo reports the quickstart executable")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_drains_on_sigterm_and_sigint() {
    let binary = quickstart_binary();
    for signal in ["TERM", "INT"] {
        let addr: SocketAddr = ([127, 0, 0, 1], free_port()).into();
        let child = Command::new(&binary)
            .env("METRICS_ADDR", addr.to_string())
            .env("METRICS_SHUTDOWN_DRAIN", "2s")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the quickstart");
        let mut child = ChildGuard(child);
        wait_for(
            "the quickstart to serve",
            Duration::from_secs(20),
            Duration::from_millis(100),
            async || try_request("GET", addr, "/healthz", &[]).await.map(|_| ()),
        )
        .await;
        let pid = child.0.id().to_string();
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.0.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "SIG{signal}: still running after 10s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert!(
            status.success(),
            "SIG{signal}: exited with {status}, not after a drain"
        );
        let mut stdout = String::new();
        std::io::Read::read_to_string(child.0.stdout.as_mut().unwrap(), &mut stdout).unwrap();
        assert!(stdout.ends_with("stopped\n"), "SIG{signal}: {stdout}");
        assert!(
            try_request("GET", addr, "/healthz", &[]).await.is_err(),
            "SIG{signal}: no longer serving"
        );
    }
}
