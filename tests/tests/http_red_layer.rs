//! The HTTP RED layer on an axum app: requests and durations by route *template*, closed-set method and status
//! class, with one fixed route value for unmatched requests; no request-controlled string becomes a label value.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use metrics_core::{Format, HttpMethod, LabelValue as _, Registry};
use metrics_http::HttpMetricsLayer;
use tests::sample_value;
use tower::ServiceExt as _;

#[tokio::test]
async fn requests_are_counted_by_route_template_method_and_status_class() {
    let app: Router = Router::new()
        .route("/users/{id}", get(|| async { "user" }))
        .route("/fail", get(|| async { StatusCode::INTERNAL_SERVER_ERROR }))
        .layer(HttpMetricsLayer::new());
    for (method, path, status) in [
        ("GET", "/users/42", 200),
        ("GET", "/users/secret-43", 200),
        ("BREW", "/users/44", 405),
        ("GET", "/fail", 500),
        ("GET", "/no/such/raw-path", 404),
        ("DELETE", "/another-raw-path", 404),
    ] {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), status, "{method} {path}");
    }

    let text = Registry::global()
        .unwrap()
        .encode_to_string(Format::Text004)
        .unwrap();
    let total =
        |labels: &str| sample_value(&text, &format!("http_server_requests_total{{{labels}}}"));
    assert_eq!(
        total(r#"route="/users/{id}",method="GET",status="2xx""#),
        2.0
    );
    assert_eq!(
        total(r#"route="/users/{id}",method="other",status="4xx""#),
        1.0,
        "BREW is `other`"
    );
    assert_eq!(total(r#"route="/fail",method="GET",status="5xx""#), 1.0);
    assert_eq!(total(r#"route="unmatched",method="GET",status="4xx""#), 1.0);
    assert_eq!(
        total(r#"route="unmatched",method="DELETE",status="4xx""#),
        1.0
    );
    assert_eq!(
        sample_value(
            &text,
            r#"http_server_request_duration_seconds_count{route="/users/{id}",method="GET",status="2xx"}"#
        ),
        2.0
    );
    assert_eq!(
        sample_value(&text, "http_server_requests_in_flight"),
        0.0,
        "every request finished"
    );
    // Every route and method label value in the exposition comes from the templates or the closed sets.
    let mut routes = std::collections::BTreeSet::new();
    let mut methods = std::collections::BTreeSet::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with("http_server_request"))
    {
        for (name, set) in [("route=\"", &mut routes), ("method=\"", &mut methods)] {
            if let Some(start) = line.find(name) {
                let rest = &line[start + name.len()..];
                set.insert(rest[..rest.find('"').unwrap()].to_owned());
            }
        }
    }
    assert_eq!(
        routes,
        ["/fail", "/users/{id}", "unmatched"]
            .map(String::from)
            .into()
    );
    let closed: std::collections::BTreeSet<String> =
        HttpMethod::VALUES.iter().map(|m| (*m).to_owned()).collect();
    assert!(
        methods.is_subset(&closed),
        "{methods:?} is outside the closed set"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// The application's own naming scheme through `RecordRequest`.

metrics_core::metrics! {
    namespace = "codex";

    /// HTTP requests by route, method, status code and model.
    counter http_requests_total {
        route: metrics_core::BoundedStr<4>,
        method: HttpMethod,
        status: metrics_core::BoundedStr<4>,
        model: metrics_core::BoundedStr<2>,
    }

    /// HTTP request latency, with the application's buckets.
    histogram http_request_seconds { route: metrics_core::BoundedStr<8>, buckets = [0.1, 1.0] }

    /// Requests in flight.
    gauge http_requests_active;
}

/// The model a request is for, as an earlier layer leaves it in the request's extensions.
#[derive(Clone)]
struct Model(&'static str);

#[derive(Clone)]
struct Codex;

impl metrics_http::RecordRequest for Codex {
    type Extracted = (&'static str, metrics_core::InflightGuard<'static>);

    fn extract(&self, head: &metrics_http::RequestHead<'_>) -> Self::Extracted {
        let model = head
            .extensions
            .get::<Model>()
            .map_or("none", |model| model.0);
        (model, HTTP_REQUESTS_ACTIVE.track_inflight())
    }

    fn finish(&self, done: &metrics_http::Finished<'_>, (model, _active): Self::Extracted) {
        let status = done
            .status
            .map_or_else(|| "error".to_owned(), |code| code.to_string());
        HTTP_REQUESTS_TOTAL
            .labels(done.route, done.method, &status, model)
            .inc();
        HTTP_REQUEST_SECONDS
            .labels(done.route)
            .observe_duration(done.elapsed);
    }
}

#[tokio::test]
async fn a_custom_recorder_names_families_its_own_way_with_labels_from_extensions() {
    let app: Router = Router::new()
        .route("/v1/chat", get(|| async { "ok" }))
        .route(
            "/v1/limited",
            get(|| async { StatusCode::TOO_MANY_REQUESTS }),
        )
        .layer(
            HttpMetricsLayer::new()
                .unmatched_route("no_route")
                .recorder(Codex),
        )
        .layer(axum::Extension(Model("gpt-x")));
    for (path, status) in [
        ("/v1/chat", 200),
        ("/v1/chat", 200),
        ("/v1/limited", 429),
        ("/nowhere", 404),
    ] {
        let request = Request::builder().uri(path).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), status, "{path}");
    }
    let total = |route: &str, status: &str| {
        HTTP_REQUESTS_TOTAL
            .find_labels(route, HttpMethod::Get, status, "gpt-x")
            .map(metrics_core::Counter::get)
    };
    assert_eq!(total("/v1/chat", "200"), Some(2));
    assert_eq!(
        total("/v1/limited", "429"),
        Some(1),
        "status codes, not classes"
    );
    assert_eq!(
        total("no_route", "404"),
        Some(1),
        "the unmatched route is named by the layer"
    );
    assert_eq!(
        HTTP_REQUEST_SECONDS
            .find_labels("/v1/chat")
            .map(metrics_core::Histogram::count),
        Some(2)
    );
    assert_eq!(HTTP_REQUESTS_ACTIVE.get(), 0);
}
