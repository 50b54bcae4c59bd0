//! The registry: every family of the binary, validated once, encoded in a stable order.

mod builtin;
mod recorded;
mod slice;
mod summed;
mod validate;

#[cfg(feature = "linkme")]
pub use slice::{FAMILIES, FAMILY_GROUPS};

use std::fmt;
use std::sync::OnceLock;

use crate::encode::{FamilyText, Format, Policy, encode_family};
use crate::family::{Family, Problem};
use builtin::AboutFamilies;
use summed::SummedFamily;

/// Another source of exposition text served beside the registry's own families, such as an existing
/// `prometheus_client` registry (see the `interop` module, behind the `prometheus-client` feature).
pub trait ExternalSource: Send + Sync {
    /// Appends this source's families in `format`, without the OpenMetrics `# EOF` line.
    ///
    /// # Errors
    ///
    /// When the source cannot produce valid text; the scrape then fails as a whole rather than serve half of it.
    fn encode(&self, format: Format, out: &mut String) -> Result<(), EncodeError>;
}

/// An external source failed to encode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError(pub String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "encoding failed: {}", self.0)
    }
}

impl std::error::Error for EncodeError {}

/// The registered families are not a valid exposition: every problem found, with source locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryError {
    problems: Vec<Problem>,
}

impl RegistryError {
    /// Each problem found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} problem(s) with the registered metric families:",
            self.problems.len()
        )?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RegistryError {}

/// A validated set of families, in a stable order (by name).
///
/// Most programs use [`Registry::global`], which holds every family declared with `metrics!` in any linked crate.
/// Build one with [`Registry::builder`] to choose families explicitly (targets without linkme, tests).
///
/// ```
/// use metrics_core::{Format, Registry, metrics};
///
/// metrics! {
///     /// Jobs processed.
///     pub counter registry_doc_jobs_total;
/// }
///
/// REGISTRY_DOC_JOBS_TOTAL.inc();
/// let text = Registry::global().unwrap().encode_to_string(Format::Text004).unwrap();
/// assert!(text.contains("registry_doc_jobs_total 1\n"));
/// ```
pub struct Registry {
    /// Every family, in exposition order (by name), the built-in ones included.
    entries: Vec<Entry>,
    /// The encoder's fixed text of each entry, in the same order.
    texts: Vec<FamilyText>,
    external: Vec<Box<dyn ExternalSource>>,
    /// The name prefix and constant labels written into every family's text.
    policy: Policy,
}

/// A family the registry serves: linked or registered by the program, or built in (about the others).
enum Entry {
    Program(&'static dyn Family),
    /// A program family with optional labels switched off.
    Summed(Box<SummedFamily>),
    Builtin(Box<dyn Family>),
}

impl Entry {
    fn family(&self) -> &dyn Family {
        match self {
            Self::Program(family) => *family,
            Self::Summed(family) => family.as_ref(),
            Self::Builtin(family) => family.as_ref(),
        }
    }
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field(
                "families",
                &self
                    .iter()
                    .map(|fam| fam.descriptor().name)
                    .collect::<Vec<_>>(),
            )
            .field("external_sources", &self.external.len())
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// Every family linked into the binary, validated on first call.
    ///
    /// # Errors
    ///
    /// When two families clash or a name is invalid; the error names both declarations' source locations. The
    /// result is computed once and returned on every call.
    pub fn global() -> Result<&'static Registry, &'static RegistryError> {
        static GLOBAL: OnceLock<Result<Registry, RegistryError>> = OnceLock::new();
        GLOBAL
            .get_or_init(|| Registry::builder().linked().build())
            .as_ref()
    }

    /// An empty builder.
    pub fn builder() -> RegistryBuilder {
        RegistryBuilder::default()
    }

    /// The families in exposition order, including the built-in `metrics_label_overflow_total` when any family
    /// has a bounded string label, `metrics_observation_failures_total` when any is observable and
    /// `metrics_exemplars_dropped_total` when any carries exemplars.
    pub fn families(&self) -> Vec<&dyn Family> {
        self.iter().collect()
    }

    /// The name prefix this registry writes before every family name (empty by default).
    pub fn name_prefix(&self) -> &str {
        &self.policy.prefix
    }

    /// The constant labels this registry writes first on every series, in order.
    pub fn const_labels(&self) -> impl Iterator<Item = (&str, &str)> {
        self.policy
            .const_labels
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// The families in exposition order, without collecting them.
    fn iter(&self) -> impl Iterator<Item = &dyn Family> {
        self.entries.iter().map(Entry::family)
    }

    /// Appends the whole exposition in `format` to `out`.
    ///
    /// Allocates nothing once `out` has room for it (keep the buffer between scrapes) and every histogram has at
    /// most 63 bounds.
    ///
    /// # Errors
    ///
    /// Only when an [`ExternalSource`] fails; `out` is then left as it was.
    pub fn encode(&self, format: Format, out: &mut String) -> Result<(), EncodeError> {
        let start = out.len();
        for (family, text) in self.iter().zip(&self.texts) {
            encode_family(family, text, format, out);
        }
        // External families come after ours and before the OpenMetrics `# EOF`.
        for source in &self.external {
            if let Err(error) = source.encode(format, out) {
                out.truncate(start);
                return Err(error);
            }
        }
        out.push_str(format.terminator());
        Ok(())
    }

    /// The whole exposition in `format` as a new string.
    ///
    /// # Errors
    ///
    /// As [`Registry::encode`].
    pub fn encode_to_string(&self, format: Format) -> Result<String, EncodeError> {
        let mut out = String::new();
        self.encode(format, &mut out)?;
        Ok(out)
    }
}

/// Builds a [`Registry`] from linked and explicitly registered families.
#[derive(Default)]
pub struct RegistryBuilder {
    families: Vec<&'static dyn Family>,
    external: Vec<Box<dyn ExternalSource>>,
    policy: Policy,
    /// Optional labels switched off, and settings that could not be read (reported by `build`).
    labels_off: Vec<String>,
    labels_on: Vec<String>,
    setting_problems: Vec<Problem>,
}

impl fmt::Debug for RegistryBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistryBuilder")
            .field("families", &self.families.len())
            .finish_non_exhaustive()
    }
}

impl RegistryBuilder {
    /// Adds every family linked into the binary through the distributed slice (none without the `linkme` feature).
    #[must_use]
    pub fn linked(mut self) -> Self {
        self.families.extend(slice::linked());
        self
    }

    /// Adds the linked families declared in module `module` or below it (`module_path!()` of the declaring
    /// `metrics!` block, matched on whole path segments: `app::jobs` takes `app::jobs` and `app::jobs::queue`,
    /// not `app::jobs_old`).
    ///
    /// One binary can link several components that each serve their own families (a library of examples, a
    /// plugin host): each builds its registry from its own module, so two components may even declare the same
    /// family name without their registries clashing. [`Registry::global`] still holds every linked family.
    ///
    /// ```
    /// use metrics_core::{Format, Registry, metrics};
    ///
    /// mod checkout {
    ///     metrics_core::metrics! {
    ///         /// Orders placed.
    ///         pub counter under_doc_orders_total;
    ///     }
    /// }
    ///
    /// let registry = Registry::builder().linked_under(module_path!()).build().unwrap();
    /// checkout::UNDER_DOC_ORDERS_TOTAL.inc();
    /// let text = registry.encode_to_string(Format::Text004).unwrap();
    /// assert!(text.contains("under_doc_orders_total 1"));
    ///
    /// let elsewhere = Registry::builder().linked_under("no_such_crate").build().unwrap();
    /// assert!(!elsewhere.encode_to_string(Format::Text004).unwrap().contains("under_doc_orders_total"));
    /// ```
    #[must_use]
    pub fn linked_under(mut self, module: &str) -> Self {
        self.families.extend(
            slice::linked()
                .filter(|family| declared_under(family.descriptor().location.module_path, module)),
        );
        self
    }

    /// Adds one family: the explicit path for targets without linkme, or for hand-written [`Family`]s.
    /// Adding a family that is already present (by address) does nothing.
    #[must_use]
    pub fn register(mut self, family: &'static dyn Family) -> Self {
        self.families.push(family);
        self
    }

    /// Prepends `prefix` to every family name this registry exposes (`myapp_` makes `jobs_total` read
    /// `myapp_jobs_total`), its built-in families included, at encode time: the statics and the code keep their
    /// names. Calling it again replaces the prefix.
    ///
    /// ```
    /// use metrics_core::{Format, Registry, metrics};
    ///
    /// metrics! {
    ///     /// Jobs done.
    ///     pub counter policy_doc_jobs_total;
    /// }
    ///
    /// let registry = Registry::builder()
    ///     .register(&POLICY_DOC_JOBS_TOTAL)
    ///     .prefix("myapp_")
    ///     .const_label("service", "api")
    ///     .const_label("region", "eu-west-1")
    ///     .build()
    ///     .unwrap();
    /// POLICY_DOC_JOBS_TOTAL.inc();
    /// let text = registry.encode_to_string(Format::Text004).unwrap();
    /// assert!(text.contains("myapp_policy_doc_jobs_total{service=\"api\",region=\"eu-west-1\"} 1\n"));
    /// ```
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.policy.prefix = prefix.into();
        self
    }

    /// Adds a label written first on every series of this registry (`service`, `region`), at encode time: its
    /// cost is paid once, when the registry is built, never per series. A family with a label of the same name,
    /// or a name Prometheus or the exposition reserves (`job`, `instance`, `le`, `quantile`), makes
    /// [`build`](Self::build) fail. Not applied to [`external`](Self::external) sources.
    #[must_use]
    pub fn const_label(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.policy.const_labels.push((name.into(), value.into()));
        self
    }

    /// Switches the label `name` on or off in every family that declares it optional (`metrics!`'s
    /// `optional = [name]`). Off, each exposed series is the sum of the family's series that differ only in that
    /// label (counters and histogram buckets, sums and counts add; gauges add), so totals are unchanged; recording
    /// code is the same either way. On is the default. Naming a label no family declares optional makes
    /// [`build`](Self::build) fail.
    ///
    /// ```
    /// use metrics_core::{Format, LabelValue, Registry, metrics};
    ///
    /// #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
    /// #[metrics(rename_all = "snake_case")]
    /// enum Tenant { Acme, Globex }
    ///
    /// metrics! {
    ///     /// Jobs by tenant (optional) and queue.
    ///     pub counter optional_doc_jobs_total { tenant: Tenant, queue: metrics_core::Outcome, optional = tenant }
    /// }
    ///
    /// let registry = Registry::builder()
    ///     .register(&OPTIONAL_DOC_JOBS_TOTAL)
    ///     .optional_label("tenant", false)
    ///     .build()
    ///     .unwrap();
    /// OPTIONAL_DOC_JOBS_TOTAL.labels(Tenant::Acme, metrics_core::Outcome::Success).inc();
    /// OPTIONAL_DOC_JOBS_TOTAL.labels(Tenant::Globex, metrics_core::Outcome::Success).inc_by(2);
    /// let text = registry.encode_to_string(Format::Text004).unwrap();
    /// assert!(text.contains("optional_doc_jobs_total{queue=\"success\"} 3\n"));
    /// assert!(!text.contains("tenant="));
    /// ```
    #[must_use]
    pub fn optional_label(mut self, name: impl Into<String>, on: bool) -> Self {
        let name = name.into();
        self.labels_off.retain(|off| *off != name);
        self.labels_on.retain(|known| *known != name);
        if on {
            self.labels_on.push(name);
        } else {
            self.labels_off.push(name);
        }
        self
    }

    /// [`optional_label`](Self::optional_label) from the environment: `METRICS_LABEL_<NAME>` (`tenant` reads
    /// `METRICS_LABEL_TENANT`) set to `true`/`1`/`on` or `false`/`0`/`off`; `default` when unset. Any other value
    /// makes [`build`](Self::build) fail, naming the variable.
    #[must_use]
    pub fn optional_label_from_env(mut self, name: &str, default: bool) -> Self {
        let variable = format!("METRICS_LABEL_{}", name.to_ascii_uppercase());
        let on = match std::env::var(&variable) {
            Err(std::env::VarError::NotPresent) => default,
            Ok(value) => match value.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "on" => true,
                "false" | "0" | "off" => false,
                _ => {
                    self.setting_problems.push(Problem::Policy {
                        setting: format!("{variable}={value:?}"),
                        reason: "expected `true` or `false`".to_owned(),
                    });
                    default
                }
            },
            Err(std::env::VarError::NotUnicode(_)) => {
                self.setting_problems.push(Problem::Policy {
                    setting: variable.clone(),
                    reason: "not valid UTF-8; expected `true` or `false`".to_owned(),
                });
                default
            }
        };
        self.optional_label(name, on)
    }

    /// Serves `source` after the registry's own families.
    #[must_use]
    pub fn external(mut self, source: impl ExternalSource + 'static) -> Self {
        self.external.push(Box::new(source));
        self
    }

    /// Validates the families and orders them by name.
    ///
    /// # Errors
    ///
    /// Every clash and invalid name, each with the source locations involved.
    pub fn build(mut self) -> Result<Registry, RegistryError> {
        let mut seen = Vec::new();
        self.families.retain(|family| {
            let address = std::ptr::from_ref::<dyn Family>(*family).cast::<()>();
            if seen.contains(&address) {
                false
            } else {
                seen.push(address);
                true
            }
        });
        let mut entries: Vec<Entry> = self
            .families
            .iter()
            .map(
                |&family| match SummedFamily::new(family, &self.labels_off) {
                    Some(summed) => Entry::Summed(Box::new(summed)),
                    None => Entry::Program(family),
                },
            )
            .collect();
        entries.extend(
            AboutFamilies::for_families(&self.families)
                .map(|family| Entry::Builtin(Box::new(family))),
        );
        entries.sort_by_key(|entry| entry.family().descriptor().name);
        let descriptors: Vec<_> = entries.iter().map(|e| e.family().descriptor()).collect();
        let mut problems = validate::validate(&descriptors);
        problems.extend(validate::validate_policy(&self.policy, &descriptors));
        problems.append(&mut self.setting_problems);
        for name in self.labels_off.iter().chain(&self.labels_on) {
            let declared = self.families.iter().any(|family| {
                let labels = family.descriptor().labels;
                labels
                    .iter()
                    .any(|label| label.optional && label.name == name)
            });
            if !declared {
                problems.push(Problem::Policy {
                    setting: format!("optional_label({name:?}, ..)"),
                    reason: format!(
                        "no registered family declares `{name}` optional (`optional = [{name}]` in `metrics!`)"
                    ),
                });
            }
        }
        for family in &self.families {
            family.problems(&mut |problem| problems.push(problem));
        }
        if !problems.is_empty() {
            return Err(RegistryError { problems });
        }
        let texts = descriptors
            .iter()
            .map(|d| FamilyText::new(d, &self.policy))
            .collect();
        let registry = Registry {
            entries,
            texts,
            external: self.external,
            policy: self.policy,
        };
        Ok(registry)
    }
}

/// Whether `path` is `module` or a module inside it, compared on whole `::` segments.
fn declared_under(path: &str, module: &str) -> bool {
    path.strip_prefix(module)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

#[cfg(test)]
mod module_filter_tests {
    use super::declared_under;

    #[test]
    fn matches_whole_path_segments_only() {
        assert!(declared_under("app::jobs", "app::jobs"));
        assert!(declared_under("app::jobs::queue", "app::jobs"));
        assert!(declared_under("app::jobs", "app"));
        assert!(!declared_under("app::jobs_old", "app::jobs"));
        assert!(!declared_under("app", "app::jobs"));
        assert!(!declared_under("other::app::jobs", "app::jobs"));
    }
}
