//! A prometheus-client registry served beside our families, as an [`ExternalSource`].

use std::sync::Arc;

use prometheus_client::encoding::text::encode_registry;
use prometheus_client::registry::Registry as ClientRegistry;

use super::transcode::transcode_openmetrics;
use crate::encode::Format;
use crate::registry::{EncodeError, ExternalSource};

/// An existing `prometheus_client::registry::Registry`, served by a [`Registry`](crate::Registry) after its own
/// families, in whichever format the scrape negotiated.
///
/// prometheus-client only writes OpenMetrics. Each scrape encodes the registry (without its `# EOF`) and
/// re-encodes that text with [`transcode_openmetrics`](super::transcode_openmetrics): to 0.0.4 when asked (counter
/// `foo` becomes `# TYPE foo_total counter`, info becomes a gauge `foo_info`, no `# UNIT`, `_created` or
/// exemplars), and for OpenMetrics normalised (metadata order, HELP escaping, canonical `le`). Text that cannot be
/// written validly fails the scrape with an [`EncodeError`] instead of serving a broken exposition.
///
/// The registry is shared, not locked: prometheus-client metrics are handles whose values change without
/// mutating the registry, so register everything, then wrap it. Names are not checked against the families
/// of our registry; keep the two sets apart (a prefix: `prometheus_client::registry::Registry::with_prefix`).
///
/// ```
/// use std::sync::Arc;
///
/// use metrics_core::interop::PrometheusClientSource;
/// use metrics_core::{Format, Registry};
/// use prometheus_client::metrics::counter::Counter;
///
/// let mut legacy = prometheus_client::registry::Registry::default();
/// let requests: Counter = Counter::default();
/// legacy.register("legacy_requests", "Requests served", requests.clone());
/// requests.inc();
///
/// let registry = Registry::builder().external(PrometheusClientSource::new(Arc::new(legacy))).build().unwrap();
/// let text = registry.encode_to_string(Format::Text004).unwrap();
/// assert!(text.contains("# HELP legacy_requests_total Requests served.\n# TYPE legacy_requests_total counter\nlegacy_requests_total 1\n"));
/// ```
#[derive(Debug, Clone)]
pub struct PrometheusClientSource {
    registry: Arc<ClientRegistry>,
}

impl PrometheusClientSource {
    /// Serves `registry`.
    pub fn new(registry: Arc<ClientRegistry>) -> Self {
        Self { registry }
    }

    /// The registry served.
    pub fn registry(&self) -> &ClientRegistry {
        &self.registry
    }
}

impl From<ClientRegistry> for PrometheusClientSource {
    fn from(registry: ClientRegistry) -> Self {
        Self::new(Arc::new(registry))
    }
}

impl ExternalSource for PrometheusClientSource {
    fn encode(&self, format: Format, out: &mut String) -> Result<(), EncodeError> {
        let mut text = String::new();
        encode_registry(&mut text, &self.registry).map_err(|_| {
            EncodeError("prometheus-client failed to encode its registry".to_owned())
        })?;
        transcode_openmetrics(&text, format, out)
    }
}
