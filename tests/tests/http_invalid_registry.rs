//! A registry that fails validation (two families with one name, declared in different modules) is served as a
//! 500 that names the problem, on every endpoint that needs it; the server itself keeps running.

use metrics_http::Config;
use tests::http::{TestServer, get};

mod first {
    metrics_core::metrics! {
        /// One declaration of the clashing name.
        pub(crate) counter http_invalid_clash_total;
    }
}

mod second {
    metrics_core::metrics! {
        /// Another declaration of the same name.
        pub(crate) counter http_invalid_clash_total;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_registry_is_a_500_that_says_why() {
    first::HTTP_INVALID_CLASH_TOTAL.inc();
    second::HTTP_INVALID_CLASH_TOTAL.inc();
    assert!(
        metrics_core::Registry::global().is_err(),
        "the clash makes the global registry invalid"
    );
    let server = TestServer::start(Config::default()).await;

    let scrape = get(server.addr, "/metrics", &[]).await;
    assert_eq!(scrape.status, 500);
    assert!(
        scrape.text().contains("http_invalid_clash_total"),
        "{}",
        scrape.text()
    );
    for path in ["/api/metrics/summary", "/api/metrics/schema"] {
        let reply = get(server.addr, path, &[]).await;
        assert_eq!(reply.status, 500, "{path}");
        let error = reply.json()["error"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_default();
        assert!(
            error.contains("http_invalid_clash_total"),
            "{path}: {error}"
        );
    }
    assert_eq!(
        get(server.addr, "/healthz", &[]).await.status,
        200,
        "the server keeps serving"
    );
}
