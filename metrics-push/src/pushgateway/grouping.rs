//! The grouping key and its URL path, as the Pushgateway API defines it.

use base64::Engine as _;

use super::PushError;

/// The labels that name one group on the Pushgateway: `job` first, then others (`instance`, ...).
///
/// A value containing `/`, or empty, or with characters that would need escaping goes into the path base64url
/// encoded (`/label@base64/...`), as the Pushgateway API defines.
///
/// ```
/// use metrics_push::pushgateway::GroupingKey;
///
/// let key = GroupingKey::new("backup").unwrap().with_label("path", "/var/db").unwrap();
/// assert_eq!(key.path(), "/metrics/job/backup/path@base64/L3Zhci9kYg");
/// assert!(GroupingKey::new("backup").unwrap().with_label("bad-name", "x").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupingKey {
    job: String,
    labels: Vec<(String, String)>,
}

impl GroupingKey {
    /// The group of job `job`.
    ///
    /// # Errors
    ///
    /// When `job` is empty.
    pub fn new(job: impl Into<String>) -> Result<Self, PushError> {
        let job = job.into();
        if job.is_empty() {
            return Err(PushError::InvalidKey("the job name is empty".into()));
        }
        Ok(Self {
            job,
            labels: Vec::new(),
        })
    }

    /// The same key with one more label (`instance` is the usual one).
    ///
    /// # Errors
    ///
    /// When `name` is not a Prometheus label name, is `job`, starts with `__`, or is already in the key.
    pub fn with_label(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, PushError> {
        let name = name.into();
        if let Err(error) = metrics_rules::name::check_label_name(&name) {
            return Err(PushError::InvalidKey(format!(
                "`{name}` is not a usable label name: it {error}"
            )));
        }
        if name == "job" || self.labels.iter().any(|(n, _)| *n == name) {
            return Err(PushError::InvalidKey(format!(
                "label `{name}` is already in the key"
            )));
        }
        self.labels.push((name, value.into()));
        Ok(self)
    }

    /// The job name.
    pub fn job(&self) -> &str {
        &self.job
    }

    /// The URL path of the group: `/metrics/job/<job>/<label>/<value>...`.
    pub fn path(&self) -> String {
        let mut path = String::from("/metrics");
        segment(&mut path, "job", &self.job);
        for (name, value) in &self.labels {
            segment(&mut path, name, value);
        }
        path
    }
}

fn segment(path: &mut String, name: &str, value: &str) {
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    path.push('/');
    path.push_str(name);
    if plain {
        path.push('/');
        path.push_str(value);
    } else if value.is_empty() {
        // The API's spelling of an empty value.
        path.push_str("@base64/=");
    } else {
        path.push_str("@base64/");
        path.push_str(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_needing_escapes_are_base64url() {
        let key = GroupingKey::new("a/b")
            .unwrap()
            .with_label("instance", "host:9000")
            .unwrap()
            .with_label("empty", "")
            .unwrap();
        assert_eq!(
            key.path(),
            "/metrics/job@base64/YS9i/instance@base64/aG9zdDo5MDAw/empty@base64/="
        );
        assert!(key.clone().with_label("job", "x").is_err());
        assert!(key.clone().with_label("__x", "x").is_err());
        assert!(key.with_label("1a", "x").is_err());
        assert!(GroupingKey::new("").is_err());
    }
}
