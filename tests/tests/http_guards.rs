//! The guards and limits of the metrics server, end to end: bearer token, loopback-only peers, header-read
//! timeout, per-request deadline, the concurrent-scrape cap and the bounded graceful-shutdown drain.
//!
//! Slow scrapes come from a hand-written [`Family`] whose `collect` sleeps, served from an explicitly built
//! registry, so each test controls exactly how long encoding takes. The family counts its collections, so a test
//! waits until a scrape is really encoding instead of guessing with a sleep. (The summary sampler also collects,
//! once when the server starts: tests wait for that one first.)

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use metrics_core::{
    Descriptor, Family, MetricKind, Number, Registry, Sample, Series, SeriesSink, source_location,
};
use metrics_http::{BearerToken, Config, ServeError, Server};
use tests::http::{TestServer, get, request, try_request, wait_for, within};
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
