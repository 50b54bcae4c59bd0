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
