//! The resource every export describes itself with: `service.*` and `telemetry.sdk.*` attributes.

/// The attributes of the entity producing the metrics, sent with every export.
///
/// Always carries `service.name`, `service.instance.id` (a random UUID per process unless set) and
/// `telemetry.sdk.name`/`language`/`version`.
///
/// ```
/// let resource = metrics_push::otlp::Resource::new("checkout").with_attribute("deployment.environment", "prod");
/// assert_eq!(resource.get("service.name"), Some("checkout"));
/// assert_eq!(resource.get("telemetry.sdk.language"), Some("rust"));
/// assert_eq!(resource.get("deployment.environment"), Some("prod"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    attributes: Vec<(String, String)>,
}

impl Resource {
    /// The resource of service `service_name`, with a fresh `service.instance.id`.
    pub fn new(service_name: impl Into<String>) -> Self {
        let mut resource = Self {
            attributes: Vec::new(),
        };
        resource.set("service.name", service_name.into());
        resource.set("service.instance.id", random_uuid());
        resource.set("telemetry.sdk.name", SDK_NAME.into());
        resource.set("telemetry.sdk.language", "rust".into());
        resource.set("telemetry.sdk.version", env!("CARGO_PKG_VERSION").into());
        resource
    }

    /// The same resource with `key` set to `value` (replacing an earlier value).
    #[must_use]
    pub fn with_attribute(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.set(&key.into(), value.into());
        self
    }

    /// The value of attribute `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every attribute, in the order first set.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attributes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub(crate) fn set(&mut self, key: &str, value: String) {
        match self.attributes.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.attributes.push((key.to_owned(), value)),
        }
    }
}

/// `telemetry.sdk.name`: this crate, which produces the OTLP data.
pub(crate) const SDK_NAME: &str = "metrics-push";

/// A random (version 4) UUID: unique per process, as `service.instance.id` asks.
fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    fastrand::fill(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().fold(String::with_capacity(32), |mut hex, b| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{b:02x}");
        hex
    });
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_ids_are_version_4_uuids_and_differ() {
        let a = Resource::new("a");
        let b = Resource::new("a");
        let id = a.get("service.instance.id").unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_ne!(id, b.get("service.instance.id").unwrap());
    }
}
