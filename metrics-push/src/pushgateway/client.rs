//! Push, push-add and delete over HTTP/1.1, with optional basic or bearer authentication and a timeout.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use metrics_core::{EncodeError, Format, Registry};

use super::GroupingKey;

/// What went wrong talking to the Pushgateway.
#[derive(Debug)]
pub enum PushError {
    /// The gateway URL is unusable.
    InvalidUrl(String),
    /// The grouping key is unusable.
    InvalidKey(String),
    /// The registry could not be encoded.
    Encode(EncodeError),
    /// No reply: the connection failed or the request could not be sent.
    Http(String),
    /// No reply within the timeout.
    Timeout(Duration),
    /// The Pushgateway refused the request (it says why in the body, e.g. a type clash with another group).
    Status {
        /// The HTTP status.
        status: u16,
        /// The reply body.
        body: String,
    },
}

impl fmt::Display for PushError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUrl(why) => write!(f, "invalid Pushgateway URL: {why}"),
            Self::InvalidKey(why) => write!(f, "invalid grouping key: {why}"),
            Self::Encode(error) => write!(f, "{error}"),
            Self::Http(why) => write!(f, "Pushgateway request failed: {why}"),
            Self::Timeout(after) => write!(f, "Pushgateway did not answer within {after:?}"),
            Self::Status { status, body } => {
                write!(f, "Pushgateway answered {status}: {}", body.trim())
            }
        }
    }
}

impl std::error::Error for PushError {}

/// A Pushgateway at one URL.
///
/// ```
/// use std::time::Duration;
/// use metrics_push::pushgateway::Pushgateway;
///
/// let gateway = Pushgateway::new("http://localhost:9091")
///     .unwrap()
///     .with_basic_auth("batch", "s3cret")
///     .with_timeout(Duration::from_secs(5));
/// assert!(Pushgateway::new("localhost:9091").is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Pushgateway {
    base: String,
    client: Client<HttpConnector, Full<Bytes>>,
    authorization: Option<HeaderValue>,
    timeout: Duration,
}

const TEXT_004: &str = "text/plain; version=0.0.4; charset=utf-8";

impl Pushgateway {
    /// The gateway at `url` (`http://host:9091`, optionally with a path prefix), with a 10 s timeout.
    ///
    /// # Errors
    ///
    /// When `url` is not an `http://` URL with a host.
    pub fn new(url: &str) -> Result<Self, PushError> {
        let uri: Uri = url
            .parse()
            .map_err(|e| PushError::InvalidUrl(format!("`{url}`: {e}")))?;
        if uri.scheme_str() != Some("http") || uri.host().is_none_or(str::is_empty) {
            return Err(PushError::InvalidUrl(format!(
                "`{url}` is not an http:// URL with a host (https is not supported)"
            )));
        }
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Ok(Self {
            base: url.trim_end_matches('/').to_owned(),
            client: Client::builder(TokioExecutor::new()).build(connector),
            authorization: None,
            timeout: Duration::from_secs(10),
        })
    }

    /// Authenticates with HTTP basic authentication.
    #[must_use]
    pub fn with_basic_auth(mut self, user: &str, password: &str) -> Self {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        self.authorization = HeaderValue::try_from(format!("Basic {token}")).ok();
        self
    }

    /// Authenticates with a bearer token.
    ///
    /// # Errors
    ///
    /// When the token cannot be a header value (control characters).
    pub fn with_bearer_token(mut self, token: &str) -> Result<Self, PushError> {
        let value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
            PushError::InvalidUrl("the bearer token is not a valid header value".into())
        })?;
        self.authorization = Some(value);
        Ok(self)
    }

    /// Bounds each request.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Replaces the group's metrics with `registry`'s (HTTP `PUT`).
    ///
    /// # Errors
    ///
    /// See [`PushError`].
    pub async fn push(&self, key: &GroupingKey, registry: &Registry) -> Result<(), PushError> {
        self.send(Method::PUT, key, Some(registry)).await
    }

    /// Replaces only the families `registry` has, keeping the group's others (HTTP `POST`).
    ///
    /// # Errors
    ///
    /// See [`PushError`].
    pub async fn push_add(&self, key: &GroupingKey, registry: &Registry) -> Result<(), PushError> {
        self.send(Method::POST, key, Some(registry)).await
    }

    /// Deletes the group (HTTP `DELETE`).
    ///
    /// # Errors
    ///
    /// See [`PushError`].
    pub async fn delete(&self, key: &GroupingKey) -> Result<(), PushError> {
        self.send(Method::DELETE, key, None).await
    }

    /// [`Pushgateway::push`] from synchronous code (inside or outside a tokio runtime): runs on a thread of
    /// its own with its own runtime.
    ///
    /// # Errors
    ///
    /// See [`PushError`].
    pub fn push_blocking(&self, key: &GroupingKey, registry: &Registry) -> Result<(), PushError> {
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| PushError::Http(format!("cannot start a runtime: {e}")))?;
                    runtime.block_on(self.push(key, registry))
                })
                .join()
                .unwrap_or_else(|_| Err(PushError::Http("the push thread panicked".into())))
        })
    }

    async fn send(
        &self,
        method: Method,
        key: &GroupingKey,
        registry: Option<&Registry>,
    ) -> Result<(), PushError> {
        let body = match registry {
            Some(registry) => registry
                .encode_to_string(Format::Text004)
                .map_err(PushError::Encode)?,
            None => String::new(),
        };
        let url = format!("{}{}", self.base, key.path());
        let mut request = Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = method;
        *request.uri_mut() = url
            .parse()
            .map_err(|e| PushError::InvalidUrl(format!("`{url}`: {e}")))?;
        if registry.is_some() {
            request
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(TEXT_004));
        }
        if let Some(authorization) = &self.authorization {
            request
                .headers_mut()
                .insert(AUTHORIZATION, authorization.clone());
        }
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| PushError::Http(e.to_string()))?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| PushError::Http(e.to_string()))?
                .to_bytes();
            if status.is_success() {
                Ok(())
            } else {
                Err(PushError::Status {
                    status: status.as_u16(),
                    body: String::from_utf8_lossy(&body).into_owned(),
                })
            }
        };
        tokio::time::timeout(self.timeout, exchange)
            .await
            .unwrap_or(Err(PushError::Timeout(self.timeout)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    /// Accepts one request on a loopback port, answers `status`, and returns the request head.
    async fn one_request(status: &'static str) -> (String, tokio::task::JoinHandle<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = stream.read(&mut buf).await.unwrap();
                head.extend_from_slice(&buf[..n]);
            }
            let reply =
                format!("HTTP/1.1 {status}\r\ncontent-length: 4\r\nconnection: close\r\n\r\nnope");
            stream.write_all(reply.as_bytes()).await.unwrap();
            String::from_utf8_lossy(&head).into_owned()
        });
        (url, task)
    }

    #[tokio::test]
    async fn basic_and_bearer_credentials_are_sent_and_refusals_are_errors() {
        let key = GroupingKey::new("auth").unwrap();
        let (url, server) = one_request("202 Accepted").await;
        let gateway = Pushgateway::new(&url)
            .unwrap()
            .with_basic_auth("user", "pa:ss");
        gateway.delete(&key).await.unwrap();
        let head = server.await.unwrap();
        assert!(
            head.starts_with("DELETE /metrics/job/auth HTTP/1.1"),
            "{head}"
        );
        // base64("user:pa:ss")
        assert!(
            head.contains("authorization: Basic dXNlcjpwYTpzcw=="),
            "{head}"
        );

        let (url, server) = one_request("401 Unauthorized").await;
        let gateway = Pushgateway::new(&url)
            .unwrap()
            .with_bearer_token("t0ken")
            .unwrap();
        let error = gateway.delete(&key).await.unwrap_err();
        assert!(
            server
                .await
                .unwrap()
                .contains("authorization: Bearer t0ken")
        );
        assert!(
            matches!(error, PushError::Status { status: 401, ref body } if body == "nope"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_silent_gateway_times_out() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let gateway = Pushgateway::new(&url)
            .unwrap()
            .with_timeout(Duration::from_millis(200));
        let error = gateway
            .delete(&GroupingKey::new("slow").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(error, PushError::Timeout(_)), "{error}");
        drop(listener);
    }
}
