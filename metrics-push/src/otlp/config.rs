//! The exporter's configuration: the OpenTelemetry environment variables, then the builder methods.

use std::fmt;
use std::time::{Duration, SystemTime};

use hyper::Uri;
use hyper::header::{HeaderName, HeaderValue};

use super::Resource;

/// Which OTLP transport to use (`OTEL_EXPORTER_OTLP_PROTOCOL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `grpc`: the collector's gRPC service, usually on port 4317 (feature `otlp-grpc`).
    Grpc,
    /// `http/protobuf`: `POST /v1/metrics`, usually on port 4318 (feature `otlp-http`).
    HttpProtobuf,
}

/// How the request body is compressed (`OTEL_EXPORTER_OTLP_COMPRESSION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// `none`.
    None,
    /// `gzip`.
    Gzip,
}

/// A configuration value that cannot be used: names the variable (or builder method) and says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The environment variable or builder method the value came from.
    pub source: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}

impl std::error::Error for ConfigError {}

fn error(source: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        source: source.to_owned(),
        message: message.into(),
    }
}

/// Where and how the OTLP exporter sends, read from the OpenTelemetry environment variables
/// ([`OtlpConfig::from_env`]) and adjusted in code.
///
/// | variable | meaning | default |
/// | --- | --- | --- |
/// | `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` | the full URL, used as is | |
/// | `OTEL_EXPORTER_OTLP_ENDPOINT` | the base URL: HTTP appends `v1/metrics` to its path, gRPC uses it as is | `http://localhost:4318` (HTTP), `http://localhost:4317` (gRPC) |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]HEADERS` | `key=value,key2=value2`, values percent-decoded | none |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]TIMEOUT` | per-attempt timeout, milliseconds | 10000 |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]PROTOCOL` | `http/protobuf` or `grpc` | `http/protobuf` (`grpc` when only `otlp-grpc` is built) |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]COMPRESSION` | `gzip` or `none` | `none` |
/// | `OTEL_METRIC_EXPORT_INTERVAL` | time between exports, milliseconds | 60000 |
/// | `OTEL_SERVICE_NAME` | `service.name`, over the one in `OTEL_RESOURCE_ATTRIBUTES` | `unknown_service:<executable>` |
/// | `OTEL_RESOURCE_ATTRIBUTES` | `key=value,...`, values percent-decoded | none |
///
/// The metrics-specific variable wins over the general one. Only `http://` endpoints are supported (no TLS).
///
/// ```
/// use std::time::Duration;
/// use metrics_push::otlp::{OtlpConfig, Protocol};
///
/// let vars = [
///     ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/base"),
///     ("OTEL_EXPORTER_OTLP_HEADERS", "api-key=s%3Dcret, tenant=a"),
///     ("OTEL_METRIC_EXPORT_INTERVAL", "15000"),
///     ("OTEL_SERVICE_NAME", "checkout"),
/// ];
/// let config = OtlpConfig::from_lookup(|name| {
///     vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
/// })
/// .unwrap();
/// assert_eq!(config.endpoint().to_string(), "http://collector:4318/base/v1/metrics");
/// assert_eq!(config.interval(), Duration::from_secs(15));
/// assert_eq!(config.headers()[0].1, "s=cret");
/// assert_eq!(config.resource().get("service.name"), Some("checkout"));
///
/// let bad = OtlpConfig::from_lookup(|name| (name == "OTEL_METRIC_EXPORT_INTERVAL").then(|| "soon".to_owned()));
/// assert!(bad.unwrap_err().to_string().starts_with("OTEL_METRIC_EXPORT_INTERVAL: "));
/// ```
#[derive(Debug, Clone)]
pub struct OtlpConfig {
    pub(crate) endpoint: Uri,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) timeout: Duration,
    pub(crate) protocol: Protocol,
    pub(crate) compression: Compression,
    pub(crate) interval: Duration,
    pub(crate) shutdown_timeout: Duration,
    pub(crate) resource: Resource,
    pub(crate) start_time: SystemTime,
    /// The endpoint was set explicitly (not derived from the protocol's default).
    endpoint_set: bool,
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_INTERVAL: Duration = Duration::from_mins(1);
const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

impl OtlpConfig {
    /// The configuration the OpenTelemetry environment variables describe (defaults for unset ones).
    ///
    /// # Errors
    ///
    /// When a variable is set to something unusable; the error names it.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`OtlpConfig::from_env`], reading each variable through `lookup` (for tests and other sources).
    ///
    /// # Errors
    ///
    /// As [`OtlpConfig::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        // Empty values count as unset, as the specification asks.
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let pick = |specific: &'static str, general: &'static str| {
            get(specific)
                .map(|v| (specific, v))
                .or_else(|| get(general).map(|v| (general, v)))
        };

        let protocol = match pick(
            "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
            "OTEL_EXPORTER_OTLP_PROTOCOL",
        ) {
            None => default_protocol(),
            Some((var, value)) => parse_protocol(var, value.trim())?,
        };
        let (endpoint, endpoint_set) =
            if let Some(value) = get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") {
                (
                    parse_endpoint("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", value.trim(), None)?,
                    true,
                )
            } else if let Some(value) = get("OTEL_EXPORTER_OTLP_ENDPOINT") {
                let append = (protocol == Protocol::HttpProtobuf).then_some("v1/metrics");
                (
                    parse_endpoint("OTEL_EXPORTER_OTLP_ENDPOINT", value.trim(), append)?,
                    true,
                )
            } else {
                (default_endpoint(protocol), false)
            };
        let headers = match pick(
            "OTEL_EXPORTER_OTLP_METRICS_HEADERS",
            "OTEL_EXPORTER_OTLP_HEADERS",
        ) {
            None => Vec::new(),
            Some((var, value)) => parse_headers(var, &value)?,
        };
        let timeout = match pick(
            "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT",
            "OTEL_EXPORTER_OTLP_TIMEOUT",
        ) {
            None => DEFAULT_TIMEOUT,
            Some((var, value)) => parse_millis(var, &value)?,
        };
        let compression = match pick(
            "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION",
            "OTEL_EXPORTER_OTLP_COMPRESSION",
        ) {
            None => Compression::None,
            Some((var, value)) => parse_compression(var, value.trim())?,
        };
        let interval = match get("OTEL_METRIC_EXPORT_INTERVAL") {
            None => DEFAULT_INTERVAL,
            Some(value) => parse_millis("OTEL_METRIC_EXPORT_INTERVAL", &value)?,
        };
        let mut resource = Resource::new(default_service_name());
        if let Some(value) = get("OTEL_RESOURCE_ATTRIBUTES") {
            for (key, value) in parse_pairs("OTEL_RESOURCE_ATTRIBUTES", &value)? {
                resource.set(&key, value);
            }
        }
        if let Some(name) = get("OTEL_SERVICE_NAME") {
            resource.set("service.name", name.trim().to_owned());
        }
        Ok(Self {
            endpoint,
            headers,
            timeout,
            protocol,
            compression,
            interval,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            resource,
            start_time: SystemTime::now(),
            endpoint_set,
        })
    }

    /// Sends to this URL as is (for HTTP, the full path such as `http://collector:4318/v1/metrics`).
    ///
    /// # Errors
    ///
    /// When the URL does not parse or is not `http://`.
    pub fn with_endpoint(mut self, url: &str) -> Result<Self, ConfigError> {
        self.endpoint = parse_endpoint("with_endpoint", url, None)?;
        self.endpoint_set = true;
        Ok(self)
    }

    /// Adds a header to every request (an API key, a tenant).
    ///
    /// # Errors
    ///
    /// When the name or value is not a valid HTTP header.
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, ConfigError> {
        self.headers.push(header("with_header", name, value)?);
        Ok(self)
    }

    /// Uses this transport; an endpoint not set explicitly follows the protocol's default port.
    #[must_use]
    pub fn with_protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        if !self.endpoint_set {
            self.endpoint = default_endpoint(protocol);
        }
        self
    }

    /// Bounds each attempt to send.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Compresses request bodies.
    #[must_use]
    pub fn with_compression(mut self, compression: Compression) -> Self {
        self.compression = compression;
        self
    }

    /// Exports this often.
    #[must_use]
    pub fn with_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Bounds the final export when the exporter shuts down (default 5 s).
    #[must_use]
    pub fn with_shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// Replaces the resource (keep `service.name` and the `telemetry.sdk.*` attributes by starting from
    /// [`Resource::new`]).
    #[must_use]
    pub fn with_resource(mut self, resource: Resource) -> Self {
        self.resource = resource;
        self
    }

    /// The start time of the cumulative series: when the program began counting (default: when the
    /// configuration was made, so make it at the start of `main`).
    #[must_use]
    pub fn with_start_time(mut self, start: SystemTime) -> Self {
        self.start_time = start;
        self
    }

    /// The URL requests go to.
    pub fn endpoint(&self) -> &Uri {
        &self.endpoint
    }

    /// The extra request headers.
    pub fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The transport.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The body compression.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// The time between exports.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The resource sent with every export.
    pub fn resource(&self) -> &Resource {
        &self.resource
    }
}

fn default_protocol() -> Protocol {
    if cfg!(feature = "otlp-http") {
        Protocol::HttpProtobuf
    } else {
        Protocol::Grpc
    }
}

fn default_endpoint(protocol: Protocol) -> Uri {
    Uri::from_static(match protocol {
        Protocol::HttpProtobuf => "http://localhost:4318/v1/metrics",
        Protocol::Grpc => "http://localhost:4317",
    })
}

/// `unknown_service:<executable name>`, the specification's default `service.name`.
fn default_service_name() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    if exe.is_empty() {
        "unknown_service".to_owned()
    } else {
        format!("unknown_service:{exe}")
    }
}

fn parse_protocol(source: &str, value: &str) -> Result<Protocol, ConfigError> {
    match value {
        "grpc" => Ok(Protocol::Grpc),
        "http/protobuf" => Ok(Protocol::HttpProtobuf),
        "http/json" => Err(error(
            source,
            "`http/json` is not supported; use `http/protobuf` or `grpc`",
        )),
        other => Err(error(
            source,
            format!("unknown protocol `{other}`; expected `grpc` or `http/protobuf`"),
        )),
    }
}

fn parse_compression(source: &str, value: &str) -> Result<Compression, ConfigError> {
    match value {
        "gzip" => Ok(Compression::Gzip),
        "none" => Ok(Compression::None),
        other => Err(error(
            source,
            format!("unknown compression `{other}`; expected `gzip` or `none`"),
        )),
    }
}

fn parse_millis(source: &str, value: &str) -> Result<Duration, ConfigError> {
    match value.trim().parse::<u64>() {
        Ok(0) => Err(error(
            source,
            "must be a positive number of milliseconds, not 0",
        )),
        Ok(ms) => Ok(Duration::from_millis(ms)),
        Err(_) => Err(error(
            source,
            format!("`{value}` is not a whole number of milliseconds"),
        )),
    }
}

/// An `http://` URL; with `append`, that path segment is added to the URL's path (the base-endpoint rule).
fn parse_endpoint(source: &str, value: &str, append: Option<&str>) -> Result<Uri, ConfigError> {
    let uri: Uri = value
        .parse()
        .map_err(|e| error(source, format!("`{value}` is not a URL: {e}")))?;
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => {
            return Err(error(
                source,
                format!(
                    "`{value}`: https is not supported by this exporter (no TLS); use http:// or a local collector"
                ),
            ));
        }
        _ => return Err(error(source, format!("`{value}` is not an http:// URL"))),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(error(source, format!("`{value}` has no host")));
    }
    let Some(append) = append else {
        return Ok(uri);
    };
    let path = uri.path();
    let joined = if path.ends_with('/') {
        format!("{path}{append}")
    } else {
        format!("{path}/{append}")
    };
    let authority = uri.authority().map(ToString::to_string).unwrap_or_default();
    format!("http://{authority}{joined}")
        .parse()
        .map_err(|e| error(source, format!("`{value}` is not a URL: {e}")))
}

fn header(source: &str, name: &str, value: &str) -> Result<(HeaderName, HeaderValue), ConfigError> {
    let name = HeaderName::try_from(name.trim())
        .map_err(|_| error(source, format!("`{name}` is not a valid header name")))?;
    let value = HeaderValue::try_from(value.trim()).map_err(|_| {
        error(
            source,
            format!("the value of `{name}` is not a valid header value"),
        )
    })?;
    Ok((name, value))
}

fn parse_headers(source: &str, value: &str) -> Result<Vec<(HeaderName, HeaderValue)>, ConfigError> {
    parse_pairs(source, value)?
        .into_iter()
        .map(|(k, v)| header(source, &k, &v))
        .collect()
}

/// `key=value` pairs separated by commas (W3C baggage style, as the specification defines both the headers and
/// the resource attributes variables): whitespace around each part trimmed, keys and values percent-decoded.
fn parse_pairs(source: &str, value: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let mut pairs = Vec::new();
    for item in value.split(',') {
        if item.trim().is_empty() {
            continue;
        }
        let Some((key, val)) = item.split_once('=') else {
            return Err(error(source, format!("`{}` is not key=value", item.trim())));
        };
        let key = percent_decode(key.trim())
            .ok_or_else(|| error(source, format!("`{}` has an invalid %-escape", key.trim())))?;
        if key.is_empty() {
            return Err(error(source, format!("`{}` has an empty key", item.trim())));
        }
        let val = percent_decode(val.trim()).ok_or_else(|| {
            error(
                source,
                format!("the value of `{key}` has an invalid %-escape"),
            )
        })?;
        pairs.push((key, val));
    }
    Ok(pairs)
}

/// Decodes `%XX` escapes; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<OtlpConfig, ConfigError> {
        OtlpConfig::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn defaults_follow_the_specification() {
        let c = config(&[]).unwrap();
        assert_eq!(c.endpoint().to_string(), "http://localhost:4318/v1/metrics");
        assert_eq!(c.timeout(), Duration::from_secs(10));
        assert_eq!(c.interval(), Duration::from_mins(1));
        assert_eq!(c.compression(), Compression::None);
        assert!(
            c.resource()
                .get("service.name")
                .unwrap()
                .starts_with("unknown_service")
        );
        let grpc = config(&[("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")]).unwrap();
        assert_eq!(grpc.endpoint().to_string(), "http://localhost:4317/");
    }

    #[test]
    fn the_base_endpoint_gets_the_signal_path_and_the_metrics_endpoint_is_used_as_is() {
        let base = |v| {
            config(&[("OTEL_EXPORTER_OTLP_ENDPOINT", v)])
                .unwrap()
                .endpoint()
                .to_string()
        };
        assert_eq!(base("http://c:4318"), "http://c:4318/v1/metrics");
        assert_eq!(base("http://c:4318/"), "http://c:4318/v1/metrics");
        assert_eq!(base("http://c:4318/otlp/"), "http://c:4318/otlp/v1/metrics");
        let exact = config(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://ignored:1"),
            ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://c:9/custom"),
        ])
        .unwrap();
        assert_eq!(exact.endpoint().to_string(), "http://c:9/custom");
        let grpc = config(&[
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"),
        ])
        .unwrap();
        assert_eq!(grpc.endpoint().to_string(), "http://c:4317/");
    }

    #[test]
    fn headers_and_resource_attributes_are_percent_decoded_pairs() {
        let c = config(&[
            ("OTEL_EXPORTER_OTLP_HEADERS", " a=1 , b=x%2Cy%3D,"),
            ("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "250"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "999"),
            (
                "OTEL_RESOURCE_ATTRIBUTES",
                "service.name=from-attrs,team=a%20b",
            ),
            ("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"),
        ])
        .unwrap();
        assert_eq!(c.headers().len(), 2);
        assert_eq!(c.headers()[1].1, "x,y=");
        assert_eq!(c.timeout(), Duration::from_millis(250));
        assert_eq!(c.resource().get("team"), Some("a b"));
        assert_eq!(c.resource().get("service.name"), Some("from-attrs"));
        assert_eq!(c.compression(), Compression::Gzip);
        let named = config(&[
            ("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs"),
            ("OTEL_SERVICE_NAME", "svc"),
        ])
        .unwrap();
        assert_eq!(named.resource().get("service.name"), Some("svc"));
    }

    #[test]
    fn every_bad_value_names_its_variable() {
        for (var, value) in [
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url"),
            ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "ftp://c:1"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "https://c:4318"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "novalue"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "a=%zz"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "bad name=1"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "10s"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "udp"),
            ("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "0"),
            ("OTEL_RESOURCE_ATTRIBUTES", "=x"),
        ] {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.source, var, "{value}: {err}");
            assert!(err.to_string().starts_with(&format!("{var}: ")), "{err}");
        }
    }
}
