//! `GET /metrics`: negotiate, encode off the async threads, compress when asked, label the answer exactly.

use std::io::Write as _;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;
use metrics_core::{Format, Registry, StatusClass};

use crate::negotiate::{accepts_gzip, negotiate_format};
use crate::offload::{Failure, Offload};
use crate::self_metrics::{SCRAPE_ENCODE_DURATION_SECONDS, SCRAPES_IN_FLIGHT, SCRAPES_TOTAL};
use crate::state::Shared;

/// Answers a scrape.
pub(crate) async fn metrics(offload: Offload, headers: HeaderMap) -> Response {
    let _in_flight = SCRAPES_IN_FLIGHT.track_inflight();
    let format = negotiate_format(&headers);
    let gzip = accepts_gzip(&headers);
    let response = offload
        .answer(text_error, move |shared, registry| {
            encode(shared, registry, format, gzip).map(|body| exposition(body, format, gzip))
        })
        .await;
    SCRAPES_TOTAL
        .labels(
            format.into(),
            StatusClass::from_code(response.status().as_u16()),
        )
        .inc();
    response
}

/// An error of `/metrics`, as a line of plain text.
fn text_error(status: StatusCode, mut message: String) -> Response {
    message.push('\n');
    (status, message).into_response()
}

/// The exposition in `format`, gzipped when asked.
fn encode(
    shared: &Shared,
    registry: &Registry,
    format: Format,
    gzip: bool,
) -> Result<Vec<u8>, Failure> {
    let start = Instant::now();
    let mut text = String::with_capacity(shared.last_size.load(Ordering::Relaxed) + 1024);
    registry
        .encode(format, &mut text)
        .map_err(Failure::internal)?;
    shared.last_size.store(text.len(), Ordering::Relaxed);
    let body = if gzip {
        // Level 1: about 20x smaller on exposition text already, for a fraction of the CPU of the default level.
        let mut encoder = GzEncoder::new(Vec::with_capacity(text.len() / 8), Compression::fast());
        encoder
            .write_all(text.as_bytes())
            .and_then(|()| encoder.finish())
            .map_err(|error| {
                Failure::internal(format!("compressing the exposition failed: {error}"))
            })?
    } else {
        text.into_bytes()
    };
    SCRAPE_ENCODE_DURATION_SECONDS
        .labels(format.into())
        .observe_duration(start.elapsed());
    Ok(body)
}

fn exposition(body: Vec<u8>, format: Format, gzip: bool) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert(VARY, HeaderValue::from_static("Accept, Accept-Encoding"));
    if gzip {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
}
