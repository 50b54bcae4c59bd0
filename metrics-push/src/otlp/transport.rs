//! One attempt to deliver an encoded request: OTLP/HTTP (`POST /v1/metrics`) or OTLP/gRPC (the `Export` call,
//! framed by hand over HTTP/2), and what the reply means for retrying.

use std::io::Write as _;
use std::time::Duration;

use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper::header::{
    CONTENT_ENCODING, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER, USER_AGENT,
};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::config::{Compression, ConfigError, OtlpConfig, Protocol};
use super::self_metrics::ExportFailure;
use crate::proto::{Field, Reader};

#[cfg(feature = "otlp-grpc")]
const GRPC_PATH: &str = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
const USER_AGENT_VALUE: &str = concat!("metrics-push/", env!("CARGO_PKG_VERSION"));

/// The collector accepted the request; `rejected` data points of it were refused (partial success).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Accepted {
    pub(crate) rejected: i64,
    pub(crate) message: String,
}

/// One failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) reason: ExportFailure,
    /// Whether trying again may succeed.
    pub(crate) retryable: bool,
    /// The delay the collector asked for (`Retry-After`, gRPC `RetryInfo`).
    pub(crate) retry_after: Option<Duration>,
    pub(crate) message: String,
}

impl Failure {
    fn new(reason: ExportFailure, retryable: bool, message: impl Into<String>) -> Self {
        Self {
            reason,
            retryable,
            retry_after: None,
            message: message.into(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Transport {
    client: Client<HttpConnector, Full<Bytes>>,
    protocol: Protocol,
    uri: Uri,
    headers: HeaderMap,
    compression: Compression,
    timeout: Duration,
}

impl Transport {
    pub(crate) fn new(config: &OtlpConfig) -> Result<Self, ConfigError> {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(config.timeout));
        // Only the gRPC transport changes the builder (HTTP/2 only).
        #[cfg_attr(not(feature = "otlp-grpc"), allow(unused_mut))]
        let mut builder = Client::builder(TokioExecutor::new());
        let uri = match config.protocol {
            Protocol::HttpProtobuf => {
                if !cfg!(feature = "otlp-http") {
                    return Err(not_built("http/protobuf", "otlp-http"));
                }
                config.endpoint.clone()
            }
            Protocol::Grpc => {
                #[cfg(not(feature = "otlp-grpc"))]
                return Err(not_built("grpc", "otlp-grpc"));
                #[cfg(feature = "otlp-grpc")]
                {
                    builder.http2_only(true);
                    let base = config.endpoint.to_string();
                    format!("{}{GRPC_PATH}", base.trim_end_matches('/'))
                        .parse()
                        .map_err(|e| ConfigError {
                            source: "endpoint".into(),
                            message: format!("`{base}` cannot take the gRPC path: {e}"),
                        })?
                }
            }
        };
        let mut headers = HeaderMap::new();
        for (name, value) in &config.headers {
            headers.append(name.clone(), value.clone());
        }
        Ok(Self {
            client: builder.build(connector),
            protocol: config.protocol,
            uri,
            headers,
            compression: config.compression,
            timeout: config.timeout,
        })
    }

    /// Sends `message` (an encoded `ExportMetricsServiceRequest`) once, within the timeout.
    pub(crate) async fn send(&self, message: &[u8]) -> Result<Accepted, Failure> {
        let attempt = async {
            match self.protocol {
                Protocol::HttpProtobuf => self.send_http(message).await,
                Protocol::Grpc => self.send_grpc(message).await,
            }
        };
        tokio::time::timeout(self.timeout, attempt)
            .await
            .unwrap_or_else(|_| {
                Err(Failure::new(
                    ExportFailure::Timeout,
                    true,
                    format!("no reply within {:?}", self.timeout),
                ))
            })
    }

    fn request(&self, body: Vec<u8>) -> Request<Full<Bytes>> {
        let mut request = Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = self.uri.clone();
        let headers = request.headers_mut();
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }
        request
    }

    async fn send_http(&self, message: &[u8]) -> Result<Accepted, Failure> {
        let body = match self.compression {
            Compression::None => message.to_vec(),
            Compression::Gzip => gzip(message),
        };
        let mut request = self.request(body);
        let headers = request.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-protobuf"),
        );
        if self.compression == Compression::Gzip {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| connect_failure(&e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| {
                Failure::new(
                    ExportFailure::Protocol,
                    true,
                    format!("reading the reply: {e}"),
                )
            })?
            .to_bytes();
        if status.is_success() {
            return Ok(partial_success(&body));
        }
        let (reason, retryable) = match status {
            StatusCode::TOO_MANY_REQUESTS => (ExportFailure::Throttled, true),
            StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => (ExportFailure::Unavailable, true),
            _ => (ExportFailure::Rejected, false),
        };
        let mut failure = Failure::new(reason, retryable, format!("HTTP {status}"));
        failure.retry_after = retry_after;
        Err(failure)
    }

    async fn send_grpc(&self, message: &[u8]) -> Result<Accepted, Failure> {
        // The gRPC message framing: compressed flag, big-endian length, message.
        let (flag, payload) = match self.compression {
            Compression::None => (0u8, message.to_vec()),
            Compression::Gzip => (1u8, gzip(message)),
        };
        let mut body = Vec::with_capacity(payload.len() + 5);
        body.push(flag);
        body.extend_from_slice(
            &u32::try_from(payload.len())
                .unwrap_or(u32::MAX)
                .to_be_bytes(),
        );
        body.extend_from_slice(&payload);
        let mut request = self.request(body);
        let headers = request.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/grpc"));
        headers.insert("te", HeaderValue::from_static("trailers"));
        headers.insert(
            "grpc-accept-encoding",
            HeaderValue::from_static("identity,gzip"),
        );
        if let Ok(timeout) =
            HeaderValue::try_from(format!("{}m", self.timeout.as_millis().min(99_999_999)))
        {
            headers.insert("grpc-timeout", timeout);
        }
        if flag == 1 {
            headers.insert("grpc-encoding", HeaderValue::from_static("gzip"));
        }
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| connect_failure(&e))?;
        let status = response.status();
        let head = response.headers().clone();
        if status != StatusCode::OK {
            // Not a gRPC reply (a proxy in between): map the HTTP status as the gRPC spec does.
            let retryable = matches!(status.as_u16(), 429 | 502 | 503 | 504);
            return Err(Failure::new(
                if retryable {
                    ExportFailure::Unavailable
                } else {
                    ExportFailure::Rejected
                },
                retryable,
                format!("HTTP {status} from a gRPC endpoint"),
            ));
        }
        let collected = response.into_body().collect().await.map_err(|e| {
            Failure::new(
                ExportFailure::Protocol,
                true,
                format!("reading the reply: {e}"),
            )
        })?;
        // A trailers-only reply carries the status in the headers.
        let trailers = collected
            .trailers()
            .cloned()
            .unwrap_or_else(|| head.clone());
        let body = collected.to_bytes();
        let code = trailers
            .get("grpc-status")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u32>().ok())
            .ok_or_else(|| {
                Failure::new(ExportFailure::Protocol, true, "reply without grpc-status")
            })?;
        if code == 0 {
            let compressed = head.get("grpc-encoding").is_some_and(|v| v == "gzip");
            return grpc_message(&body, compressed)
                .map(partial_success)
                .ok_or_else(|| {
                    Failure::new(ExportFailure::Protocol, false, "malformed gRPC reply")
                });
        }
        let message = trailers
            .get("grpc-message")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let retry_after = trailers
            .get("grpc-status-details-bin")
            .and_then(|v| retry_delay(v.as_bytes()));
        // The OTLP specification's retryable codes: CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE,
        // UNAVAILABLE, DATA_LOSS; RESOURCE_EXHAUSTED only when the server says when to retry.
        let (reason, retryable) = match code {
            8 => (ExportFailure::Throttled, retry_after.is_some()),
            1 | 4 | 10 | 11 | 14 | 15 => (ExportFailure::Unavailable, true),
            _ => (ExportFailure::Rejected, false),
        };
        let mut failure = Failure::new(reason, retryable, format!("gRPC status {code}: {message}"));
        failure.retry_after = retry_after;
        Err(failure)
    }
}

fn not_built(protocol: &str, feature: &str) -> ConfigError {
    ConfigError {
        source: "OTEL_EXPORTER_OTLP_PROTOCOL".into(),
        message: format!(
            "`{protocol}` needs metrics-push's `{feature}` feature, which this build lacks"
        ),
    }
}

fn connect_failure(error: &hyper_util::client::legacy::Error) -> Failure {
    let reason = if error.is_connect() {
        ExportFailure::Connect
    } else {
        ExportFailure::Unavailable
    };
    Failure::new(
        reason,
        true,
        format!("{error}: {:?}", std::error::Error::source(&error)),
    )
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// The message of the one gRPC frame in `body`.
fn grpc_message(body: &[u8], compressed_stream: bool) -> Option<Vec<u8>> {
    if body.is_empty() {
        return Some(Vec::new());
    }
    let (&flag, rest) = body.split_first()?;
    let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    let message = rest.get(4..4 + len)?;
    if flag == 1 && compressed_stream {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(message), &mut out).ok()?;
        Some(out)
    } else {
        Some(message.to_vec())
    }
}

/// The `partial_success` of an `ExportMetricsServiceResponse` (an empty or unreadable reply is full success).
fn partial_success(response: impl AsRef<[u8]>) -> Accepted {
    let mut accepted = Accepted::default();
    for (field, value) in Reader::new(response.as_ref()) {
        if let (1, Field::Bytes(partial)) = (field, value) {
            for (field, value) in Reader::new(partial) {
                match (field, value) {
                    (1, Field::Varint(n)) => accepted.rejected = n.cast_signed(),
                    (2, Field::Bytes(text)) => {
                        accepted.message = String::from_utf8_lossy(text).into_owned();
                    }
                    _ => {}
                }
            }
        }
    }
    accepted
}

/// The `RetryInfo.retry_delay` inside a `google.rpc.Status` (`grpc-status-details-bin`, base64).
fn retry_delay(header: &[u8]) -> Option<Duration> {
    use base64::Engine as _;
    let status = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(
            header
                .strip_suffix(b"==")
                .or_else(|| header.strip_suffix(b"="))
                .unwrap_or(header),
        )
        .ok()?;
    // Status.details (3) are Any messages: type_url (1), value (2).
    for (field, value) in Reader::new(&status) {
        let (3, Field::Bytes(any)) = (field, value) else {
            continue;
        };
        let mut type_url = &b""[..];
        let mut payload = &b""[..];
        for (field, value) in Reader::new(any) {
            match (field, value) {
                (1, Field::Bytes(t)) => type_url = t,
                (2, Field::Bytes(v)) => payload = v,
                _ => {}
            }
        }
        if !type_url.ends_with(b"google.rpc.RetryInfo") {
            continue;
        }
        // RetryInfo.retry_delay (1) is a Duration: seconds (1), nanos (2).
        for (field, value) in Reader::new(payload) {
            if let (1, Field::Bytes(duration)) = (field, value) {
                let mut delay = Duration::ZERO;
                for (field, value) in Reader::new(duration) {
                    match (field, value) {
                        (1, Field::Varint(s)) => delay += Duration::from_secs(s),
                        (2, Field::Varint(n)) => delay += Duration::from_nanos(n),
                        _ => {}
                    }
                }
                return Some(delay);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::Writer;

    #[test]
    fn partial_success_is_read_from_the_reply() {
        let mut w = Writer::default();
        let partial = w.open(1);
        w.uint(1, 3);
        w.string(2, "3 points had bad names");
        w.close(partial);
        let accepted = partial_success(w.bytes());
        assert_eq!(accepted.rejected, 3);
        assert_eq!(accepted.message, "3 points had bad names");
        assert_eq!(partial_success(b""), Accepted::default());
    }

    #[test]
    fn retry_info_is_found_in_the_status_details() {
        use base64::Engine as _;
        let mut w = Writer::default();
        w.uint(1, 8);
        let any = w.open(3);
        w.string(1, "type.googleapis.com/google.rpc.RetryInfo");
        let value = w.open(2);
        let delay = w.open(1);
        w.uint(1, 2);
        w.uint(2, 500_000_000);
        w.close(delay);
        w.close(value);
        w.close(any);
        let header = base64::engine::general_purpose::STANDARD.encode(w.bytes());
        assert_eq!(
            retry_delay(header.as_bytes()),
            Some(Duration::from_millis(2500))
        );
    }
}
