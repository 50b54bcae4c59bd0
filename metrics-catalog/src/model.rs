//! The catalog: a registry's families as served (prefix applied, switched-off labels gone), their objectives,
//! the dashboards asked for, and the settings every artefact is derived with.

use std::fmt;

use metrics_core::{Descriptor, Good, LabelValues, MetricKind, Objective, Registry, Rule};

/// How the rules are written: the rate window of the recording rules and a time scale for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The window of the recorded rates the dashboards read, in milliseconds (5 minutes by default).
    pub rate_window_ms: u64,
    /// Every objective window, burn-rate window and `for` duration is divided by this (1 by default). An
    /// end-to-end test uses 60, so that the hour-long burn window is a minute.
    pub time_scale: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            rate_window_ms: 300_000,
            time_scale: 1,
        }
    }
}

impl Settings {
    /// `ms` divided by the time scale, at least one millisecond.
    pub(crate) fn scaled(&self, ms: u64) -> u64 {
        (ms / self.time_scale.max(1)).max(1)
    }
}

/// One family of the catalog.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The exposition name, with the registry's prefix.
    pub(crate) name: String,
    pub(crate) descriptor: Descriptor,
    pub(crate) objectives: Vec<Objective>,
}

impl Entry {
    pub(crate) fn kind(&self) -> MetricKind {
        self.descriptor.kind
    }

    /// The name recording rules are built on: a counter's without `_total`.
    pub(crate) fn base(&self) -> &str {
        match self.kind() {
            MetricKind::Counter => self.name.strip_suffix("_total").unwrap_or(&self.name),
            _ => &self.name,
        }
    }

    /// The sample that exists whenever the family has a series (for `absent`).
    pub(crate) fn presence_sample(&self) -> String {
        match self.kind() {
            MetricKind::Histogram => format!("{}_count", self.name),
            _ => self.name.clone(),
        }
    }

    /// The label names of its series, in declaration order.
    pub(crate) fn label_names(&self) -> Vec<&'static str> {
        self.descriptor.labels.iter().map(|l| l.name).collect()
    }

    /// The labels a dashboard groups by: the enum ones (bounded labels too: their cap keeps them small).
    pub(crate) fn key_labels(&self) -> Vec<&'static str> {
        self.descriptor
            .labels
            .iter()
            .filter(|l| !matches!(l.values, LabelValues::Text))
            .map(|l| l.name)
            .collect()
    }

    /// The subsystem: the name's second word (`cogo_scheduler_claim_total` is `scheduler`), or its first.
    pub(crate) fn subsystem(&self) -> &str {
        let mut words = self.name.split('_');
        let first = words.next().unwrap_or_default();
        words.next().unwrap_or(first)
    }
}

/// A dashboard asked for: its title and the families it shows (by name prefix, with the registry's prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DashboardSpec {
    pub(crate) title: String,
    pub(crate) prefixes: Vec<String>,
}

/// Everything the artefacts are derived from.
///
/// ```
/// use metrics_core::{Objective, Registry, metrics};
///
/// metrics! {
///     /// Checkouts by outcome.
///     pub counter doc_checkouts_total { outcome: metrics_core::Outcome }
/// }
///
/// let registry = Registry::builder().register(&DOC_CHECKOUTS_TOTAL).build().unwrap();
/// let catalog = metrics_catalog::Catalog::builder("Shop", &registry)
///     .objective("doc_checkouts_total", Objective::success_rate("checkouts", 0.99, 30 * 86_400))
///     .build()
///     .unwrap();
/// let files = catalog.files().unwrap();
/// assert!(files["rules.yml"].contains("DocCheckoutsCheckoutsBurnFast"));
/// ```
#[derive(Debug, Clone)]
pub struct Catalog {
    pub(crate) title: String,
    pub(crate) slug: String,
    pub(crate) families: Vec<Entry>,
    pub(crate) dashboards: Vec<DashboardSpec>,
    pub(crate) settings: Settings,
}

/// What [`CatalogBuilder::build`] refuses: an objective that cannot judge its family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub(crate) message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl Error {
    /// An error saying `message` (for a [`cli::handle_args`](crate::cli::handle_args) builder's own failures).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// Builds a [`Catalog`]: [`Catalog::builder`].
#[derive(Debug)]
pub struct CatalogBuilder {
    title: String,
    families: Vec<Entry>,
    extra: Vec<(String, Objective)>,
    dashboards: Vec<DashboardSpec>,
    settings: Settings,
}

impl Catalog {
    /// A catalog titled `title` of every family `registry` serves, with the objectives declared on them.
    pub fn builder(title: &str, registry: &Registry) -> CatalogBuilder {
        let prefix = registry.name_prefix();
        let mut families: Vec<Entry> = registry
            .families()
            .into_iter()
            .map(|family| {
                let descriptor = *family.descriptor();
                Entry {
                    name: format!("{prefix}{}", descriptor.name),
                    objectives: descriptor.objectives.to_vec(),
                    descriptor,
                }
            })
            .collect();
        families.sort_by(|a, b| a.name.cmp(&b.name));
        CatalogBuilder {
            title: title.to_owned(),
            families,
            extra: Vec::new(),
            dashboards: Vec::new(),
            settings: Settings::default(),
        }
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The settings the rules are written with.
    pub fn settings(&self) -> Settings {
        self.settings
    }
}

impl CatalogBuilder {
    /// Adds an objective on the family exposed as `family` (with the registry's prefix): for families declared
    /// without `metrics!` (the instrumentation presets, filtered by `function` with [`Objective::matching`]).
    #[must_use]
    pub fn objective(mut self, family: &str, objective: Objective) -> Self {
        self.extra.push((family.to_owned(), objective));
        self
    }

    /// Adds a dashboard titled `title` showing the families whose names start with one of `prefixes`. Without
    /// any, there is one dashboard per namespace (the names' first word).
    #[must_use]
    pub fn dashboard(mut self, title: &str, prefixes: &[&str]) -> Self {
        self.dashboards.push(DashboardSpec {
            title: title.to_owned(),
            prefixes: prefixes.iter().map(|p| (*p).to_owned()).collect(),
        });
        self
    }

    /// Keeps only the families whose names start with one of `prefixes` (a service's own, without the
    /// server's or a library's families it does not use).
    #[must_use]
    pub fn only(mut self, prefixes: &[&str]) -> Self {
        self.families
            .retain(|e| prefixes.iter().any(|p| e.name.starts_with(p)));
        self
    }

    /// Replaces the settings.
    #[must_use]
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The catalog.
    ///
    /// # Errors
    ///
    /// An objective naming a family the registry does not serve, or one that cannot judge it (wrong kind, a
    /// label or state it does not have, a threshold that is not a bucket bound, a duplicate name), or a
    /// dashboard that shows no family.
    pub fn build(mut self) -> Result<Catalog, Error> {
        for (family, objective) in std::mem::take(&mut self.extra) {
            let Some(entry) = self.families.iter_mut().find(|e| e.name == family) else {
                return Err(Error::new(format!(
                    "objective `{}` names `{family}`, which the registry does not serve",
                    objective.name
                )));
            };
            entry.objectives.push(objective);
        }
        let names: Vec<String> = self.families.iter().map(|e| e.name.clone()).collect();
        for entry in &self.families {
            for objective in &entry.objectives {
                if !objective.of.is_empty() {
                    check_ratio(entry, objective, of_entry(&self.families, objective.of))?;
                }
            }
        }
        for entry in &self.families {
            let mut seen = Vec::new();
            for objective in &entry.objectives {
                if seen.contains(&objective.name) {
                    return Err(Error::new(format!(
                        "`{}` has two objectives named `{}`: rename one",
                        entry.name, objective.name
                    )));
                }
                seen.push(objective.name);
                check_objective(entry, objective, &names)?;
            }
        }
        if self.dashboards.is_empty() {
            let mut namespaces: Vec<String> = self
                .families
                .iter()
                .map(|e| e.name.split('_').next().unwrap_or_default().to_owned())
                .collect();
            namespaces.dedup();
            for namespace in namespaces {
                self.dashboards.push(DashboardSpec {
                    title: namespace.clone(),
                    prefixes: vec![format!("{namespace}_")],
                });
            }
        }
        for dashboard in &self.dashboards {
            if !self
                .families
                .iter()
                .any(|e| dashboard.prefixes.iter().any(|p| e.name.starts_with(p)))
            {
                return Err(Error::new(format!(
                    "dashboard `{}` shows no family: no name starts with {:?}",
                    dashboard.title, dashboard.prefixes
                )));
            }
        }
        Ok(Catalog {
            slug: slug(&self.title),
            title: self.title,
            families: self.families,
            dashboards: self.dashboards,
            settings: self.settings,
        })
    }
}

/// The family a ratio threshold divides by: named as declared, or as exposed (with the registry's prefix).
pub(crate) fn of_entry<'a>(families: &'a [Entry], of: &str) -> Option<&'a Entry> {
    families
        .iter()
        .find(|e| e.descriptor.name == of)
        .or_else(|| families.iter().find(|e| e.name == of))
}

/// A ratio threshold: a threshold rule, a gauge over a served gauge whose labels are all the judged family's (so
/// that each series divides by exactly one).
fn check_ratio(entry: &Entry, objective: &Objective, of: Option<&Entry>) -> Result<(), Error> {
    let fail = |what: String| {
        Err(Error::new(format!(
            "objective `{}` on `{}`: {what}",
            objective.name, entry.name
        )))
    };
    if !matches!(objective.rule, Rule::Above { .. } | Rule::Below { .. }) {
        return fail(format!(
            "`of = {}` divides a gauge by another for a threshold: it belongs to `above` or `below`",
            objective.of
        ));
    }
    let Some(of) = of else {
        return fail(format!(
            "it divides by `{}`, which the registry does not serve",
            objective.of
        ));
    };
    if of.kind() != MetricKind::Gauge {
        return fail(format!(
            "it divides by `{}`, a {}: a ratio threshold divides a gauge by another gauge",
            of.name,
            of.kind().as_str()
        ));
    }
    let own = entry.label_names();
    if let Some(extra) = of.label_names().iter().find(|l| !own.contains(l)) {
        return fail(format!(
            "it divides by `{}`, whose label `{extra}` `{}` does not have (as served): each series must divide by \
             exactly one series of the labels they share",
            of.name, entry.name
        ));
    }
    Ok(())
}

/// The checks `metrics!` makes at compile time, made again for objectives added at run time.
fn check_objective(entry: &Entry, objective: &Objective, names: &[String]) -> Result<(), Error> {
    let fail = |what: String| {
        Err(Error::new(format!(
            "objective `{}` on `{}`: {what}",
            objective.name, entry.name
        )))
    };
    if objective.name.is_empty()
        || !objective
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return fail("its name must be snake_case".into());
    }
    for (label, _) in objective.matchers {
        if !entry.label_names().contains(label) {
            return fail(format!(
                "it matches on `{label}`, which the family does not have"
            ));
        }
    }
    let kind = entry.kind();
    match objective.rule {
        Rule::SuccessRate { target, good, .. } => {
            check_target(target).or_else(fail)?;
            if kind != MetricKind::Counter {
                return fail("a success rate judges a counter".into());
            }
            match good {
                Good::Label { label, values } => {
                    let Some(found) = entry.descriptor.labels.iter().find(|l| l.name == label)
                    else {
                        return fail(format!(
                            "the family has no `{label}` label to tell good events"
                        ));
                    };
                    if let LabelValues::Enum(all) = found.values
                        && let Some(missing) = values.iter().find(|v| !all.contains(v))
                    {
                        return fail(format!("`{missing}` is not a value of `{label}` ({all:?})"));
                    }
                }
                Good::FailuresOf { total } => {
                    if !names
                        .iter()
                        .any(|n| n == total || total.strip_suffix("_count").is_some_and(|h| h == n))
                    {
                        return fail(format!("its total `{total}` is not a served sample"));
                    }
                }
            }
        }
        Rule::Latency {
            target, threshold, ..
        } => {
            check_target(target).or_else(fail)?;
            if kind != MetricKind::Histogram {
                return fail("a latency objective judges a histogram".into());
            }
            if !entry.descriptor.buckets.contains(&threshold) {
                return fail(format!(
                    "{threshold} is not one of its bucket bounds {:?}",
                    entry.descriptor.buckets
                ));
            }
        }
        Rule::Above { .. } | Rule::Below { .. } => {
            if kind != MetricKind::Gauge {
                return fail("a threshold judges a gauge".into());
            }
        }
        Rule::Increase { .. } => {
            if kind != MetricKind::Counter {
                return fail("an increase judges a counter".into());
            }
        }
        Rule::State { state, .. } => {
            if kind != MetricKind::StateSet || !entry.descriptor.states.contains(&state) {
                return fail(format!("`{state}` is not one of its states"));
            }
        }
        Rule::Absent { .. } => {}
    }
    Ok(())
}

fn check_target(target: f64) -> Result<(), String> {
    if target > 0.0 && target < 1.0 {
        Ok(())
    } else {
        Err(format!(
            "its target {target} is not between 0 and 1 (99.9 % is 0.999)"
        ))
    }
}

/// `Job scheduler: queue health` as `job-scheduler-queue-health`.
pub(crate) fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// `cogo_tool_errors` as `CogoToolErrors`.
pub(crate) fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}
