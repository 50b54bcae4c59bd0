//! The recorder: facade keys resolved to our families' cells, and the registry that serves them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use metrics::{Key, KeyName, Metadata, Recorder, SharedString, Unit};
use metrics_core::{EncodeError, ExternalSource, Family, Format, Registry};

use crate::cells::Cell;
use crate::family::{DEFAULT_HELP, FacadeFamily, Kind, OverflowFamily};
use crate::names;
use crate::selfmetrics::{Reason, RefusedFamily, SanitisedFamily, SelfMetrics};

/// The most families a bridge creates by default.
pub const DEFAULT_MAX_FAMILIES: usize = 1000;
/// The most series one facade family keeps by default, before the overflow series: the `metrics!` default budget.
pub const DEFAULT_MAX_SERIES: usize = 1000;

/// A `Key` carries its hash, computed when the key was built: the map uses it as is.
#[derive(Debug, Default)]
struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // `Key` hashes itself with one `write_u64`; anything else is folded in, so the map stays correct.
        for byte in bytes {
            self.0 = self.0.rotate_left(5) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

// `Key` holds no interior mutability its hash or equality depend on (see `metrics::Key`'s docs).
#[allow(clippy::mutable_key_type)]
type KeyCache = HashMap<Key, Cell, BuildHasherDefault<PreHashed>>;

/// How a [`Bridge`] is set up. Start from [`Bridge::builder`].
#[derive(Debug, Clone)]
pub struct BridgeBuilder {
    buckets: &'static [f64],
    buckets_for: Vec<(String, &'static [f64])>,
    max_families: usize,
    max_series: usize,
    check_global: bool,
}

/// A bucket list that is not finite, strictly increasing and non-empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketError(pub &'static str);

impl std::fmt::Display for BucketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for BucketError {}

impl Default for BridgeBuilder {
    fn default() -> Self {
        Self {
            buckets: &metrics_core::buckets::LATENCY,
            buckets_for: Vec::new(),
            max_families: DEFAULT_MAX_FAMILIES,
            max_series: DEFAULT_MAX_SERIES,
            check_global: true,
        }
    }
}

impl BridgeBuilder {
    /// The bounds of every facade histogram without bounds of its own (default: `metrics_core::buckets::LATENCY`).
    ///
    /// # Errors
    ///
    /// When the bounds are empty, not finite or not strictly increasing.
    pub fn buckets(mut self, bounds: &'static [f64]) -> Result<Self, BucketError> {
        metrics_core::buckets::check(bounds).map_err(BucketError)?;
        self.buckets = bounds;
        Ok(self)
    }

    /// The bounds of the histogram exposed as `name` (after the rewrite of invalid characters).
    ///
    /// # Errors
    ///
    /// As [`BridgeBuilder::buckets`].
    pub fn buckets_for(mut self, name: &str, bounds: &'static [f64]) -> Result<Self, BucketError> {
        metrics_core::buckets::check(bounds).map_err(BucketError)?;
        self.buckets_for.push((name.to_owned(), bounds));
        Ok(self)
    }

    /// The most families the bridge creates; names past it are refused (`too_many_families`).
    #[must_use]
    pub fn max_families(mut self, max: usize) -> Self {
        self.max_families = max;
        self
    }

    /// The most series one family keeps; further label sets are recorded under the overflow series, whose every
    /// label is `__overflow__`, and counted in `metrics_facade_overflow_total{family}`.
    #[must_use]
    pub fn max_series_per_family(mut self, max: usize) -> Self {
        self.max_series = max;
        self
    }

    /// Whether a facade name that clashes with a family of `Registry::global()` is refused (`clash`); on by
    /// default, since both would then be served side by side. Turn it off when the bridge is served in a registry
    /// of its own.
    #[must_use]
    pub fn check_global_registry(mut self, check: bool) -> Self {
        self.check_global = check;
        self
    }

    /// The bridge. It lives as long as the program (its families are `'static`, as ours are): build one.
    pub fn build(self) -> Bridge {
        let inner: &'static Inner = Box::leak(Box::new(Inner {
            config: self,
            counters: SelfMetrics::default(),
            cache: RwLock::new(KeyCache::default()),
            families: Box::leak(Box::new(RwLock::new(Vec::new()))),
            create: Mutex::new(Creation::default()),
            served: Mutex::new(None),
        }));
        Bridge(inner)
    }

    /// Builds the bridge and installs it as the `metrics` facade's global recorder.
    ///
    /// # Errors
    ///
    /// When a global recorder is already installed.
    pub fn install(self) -> Result<Bridge, metrics::SetRecorderError<Bridge>> {
        let bridge = self.build();
        metrics::set_global_recorder(bridge)?;
        Ok(bridge)
    }
}

/// What family creation serialises on.
#[derive(Debug, Default)]
struct Creation {
    by_name: HashMap<String, &'static FacadeFamily>,
    /// HELP texts described before their family exists, by exposed name.
    descriptions: HashMap<String, String>,
}

#[derive(Debug)]
struct Inner {
    config: BridgeBuilder,
    counters: SelfMetrics,
    cache: RwLock<KeyCache>,
    families: &'static RwLock<Vec<&'static FacadeFamily>>,
    create: Mutex<Creation>,
    /// The registry serving the facade families, rebuilt after a family is added or described.
    served: Mutex<Option<Arc<Registry>>>,
}

/// A `metrics` 0.24 recorder that records into families of this framework, served beside ours through
/// [`Bridge::source`]. Copy it freely: it is a reference to state that lives as long as the program.
#[derive(Debug, Clone, Copy)]
pub struct Bridge(&'static Inner);

impl Bridge {
    /// A builder with the defaults: latency buckets, 1000 families of at most 1000 series each.
    pub fn builder() -> BridgeBuilder {
        BridgeBuilder::default()
    }

    /// The facade families (and the bridge's own counters) as a source to serve beside a registry's families:
    /// `Registry::builder().linked().external(bridge.source())`.
    pub fn source(&self) -> FacadeSource {
        FacadeSource(*self)
    }

    fn counters(self) -> &'static SelfMetrics {
        &self.0.counters
    }

    /// The `metrics` handle for `key` as a `kind` (`handle` makes it from the cell), or `None` when the
    /// registration is refused (counted).
    fn resolve<H>(self, key: &Key, kind: Kind, handle: fn(&Cell) -> Option<H>) -> Option<H> {
        {
            let cache = self.0.cache.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(cell) = cache.get(key) {
                // The handle is made under the read lock: one `Arc` clone per registration, no more.
                return self.or_mismatch(handle(cell));
            }
        }
        match self.resolve_slow(key, kind) {
            Ok((cell, cacheable)) => {
                let made = self.or_mismatch(handle(&cell));
                if cacheable {
                    self.0
                        .cache
                        .write()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(key.clone(), cell);
                }
                made
            }
            Err(reason) => {
                self.counters().refuse(reason);
                None
            }
        }
    }

    /// Checks and rewrites the key's names and values, finds or creates its family, then its series.
    fn resolve_slow(self, key: &Key, kind: Kind) -> Result<(Cell, bool), Reason> {
        let mut sanitised = false;
        let name =
            names::metric_name(key.name(), kind == Kind::Counter).ok_or(Reason::InvalidName)?;
        sanitised |= name.sanitised;
        let mut labels = Vec::new();
        for label in key.labels() {
            let label_name = names::label_name(label.key()).ok_or(Reason::InvalidName)?;
            let value = names::label_value(label.value()).ok_or(Reason::InvalidLabelValue)?;
            sanitised |= label_name.sanitised || value.sanitised;
            if labels
                .iter()
                .any(|(n, _): &(String, String)| *n == label_name.name)
            {
                return Err(Reason::InvalidName);
            }
            labels.push((label_name.name, value.name));
        }
        if labels.len() > metrics_core::MAX_LABELS {
            return Err(Reason::InvalidName);
        }
        let family = self.family(&name.name, kind, &labels)?;
        if sanitised {
            self.counters().sanitised();
        }
        // The family's label order, whatever order this key lists them in.
        let mut values = Vec::with_capacity(labels.len());
        for label_name in family.label_names() {
            let (_, value) = labels
                .iter()
                .find(|(n, _)| n == label_name)
                .ok_or(Reason::LabelMismatch)?;
            values.push(value.as_str().into());
        }
        let (cell, own) = family.cell(values);
        // A rewritten key is not cached: rewrites map many keys to one series, and the cache must stay bounded.
        Ok((cell, own && !sanitised))
    }

    /// The family exposed as `name`, created if the bridge has room and the name clashes with nothing.
    fn family(
        self,
        name: &str,
        kind: Kind,
        labels: &[(String, String)],
    ) -> Result<&'static FacadeFamily, Reason> {
        let mut creation = self.0.create.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(family) = creation.by_name.get(name) {
            if family.kind != kind {
                return Err(Reason::KindMismatch);
            }
            let same = family.label_names().count() == labels.len()
                && family
                    .label_names()
                    .all(|n| labels.iter().any(|(l, _)| l == n));
            return if same {
                Ok(family)
            } else {
                Err(Reason::LabelMismatch)
            };
        }
        if creation.by_name.len() >= self.0.config.max_families {
            return Err(Reason::TooManyFamilies);
        }
        let bounds = self
            .0
            .config
            .buckets_for
            .iter()
            .find(|(n, _)| n == name)
            .map_or(self.0.config.buckets, |(_, b)| b);
        let help = creation
            .descriptions
            .get(name)
            .map_or(DEFAULT_HELP, String::as_str);
        let label_names: Vec<String> = labels.iter().map(|(n, _)| n.clone()).collect();
        let family = FacadeFamily::leak(
            name,
            help,
            kind,
            &label_names,
            bounds,
            self.0.config.max_series,
            self.counters(),
        );
        // The registry's own validation decides clashes: with the other facade families, and with ours.
        let mut candidate = Registry::builder().register(family);
        for other in creation.by_name.values() {
            candidate = candidate.register(*other);
        }
        candidate = self.with_own_families(candidate);
        if self.0.config.check_global
            && let Ok(global) = Registry::global()
        {
            for linked in global.families() {
                // The built-in overflow family is the registry's, not a linked one: the candidate makes its own.
                if linked.descriptor().name != "metrics_label_overflow_total" {
                    candidate = candidate.register(linked);
                }
            }
        }
        if candidate.build().is_err() {
            // The family stays leaked but unused: at most one per refused name, and only while under the cap.
            return Err(Reason::Clash);
        }
        creation.by_name.insert(name.to_owned(), family);
        self.0
            .families
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(family);
        *self.0.served.lock().unwrap_or_else(PoisonError::into_inner) = None;
        Ok(family)
    }

    /// Adds the bridge's own families (leaked once per bridge).
    fn with_own_families(
        &self,
        builder: metrics_core::RegistryBuilder,
    ) -> metrics_core::RegistryBuilder {
        static OWN: std::sync::OnceLock<Mutex<HashMap<usize, [&'static dyn Family; 3]>>> =
            std::sync::OnceLock::new();
        let key = std::ptr::from_ref(self.0) as usize;
        let mut own = OWN
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let families = *own.entry(key).or_insert_with(|| {
            [
                Box::leak(Box::new(RefusedFamily(&self.0.counters))) as &'static dyn Family,
                Box::leak(Box::new(SanitisedFamily(&self.0.counters))),
                Box::leak(Box::new(OverflowFamily(self.0.families))),
            ]
        });
        families
            .into_iter()
            .fold(builder, metrics_core::RegistryBuilder::register)
    }

    /// The registry serving the facade families now.
    fn served(self) -> Result<Arc<Registry>, EncodeError> {
        let mut served = self.0.served.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(registry) = served.as_ref() {
            return Ok(Arc::clone(registry));
        }
        let mut builder = self.with_own_families(Registry::builder());
        for family in self
            .0
            .families
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            builder = builder.register(*family);
        }
        let registry = Arc::new(builder.build().map_err(|e| EncodeError(e.to_string()))?);
        *served = Some(Arc::clone(&registry));
        Ok(registry)
    }

    fn describe(self, key: &KeyName, kind: Kind, description: &SharedString) {
        let Some(name) = names::metric_name(key.as_str(), kind == Kind::Counter) else {
            return;
        };
        let mut creation = self.0.create.lock().unwrap_or_else(PoisonError::into_inner);
        match creation.by_name.get(&name.name) {
            Some(family) => {
                if family.describe(description) {
                    *self.0.served.lock().unwrap_or_else(PoisonError::into_inner) = None;
                }
            }
            None => {
                creation
                    .descriptions
                    .entry(name.name)
                    .or_insert_with(|| description.to_string());
            }
        }
    }

    /// How many registrations were refused for `reason` so far.
    pub fn refused(&self, reason: Reason) -> u64 {
        self.counters().refused(reason)
    }
}

impl Recorder for Bridge {
    fn describe_counter(&self, key: KeyName, _unit: Option<Unit>, description: SharedString) {
        self.describe(&key, Kind::Counter, &description);
    }

    fn describe_gauge(&self, key: KeyName, _unit: Option<Unit>, description: SharedString) {
        self.describe(&key, Kind::Gauge, &description);
    }

    fn describe_histogram(&self, key: KeyName, _unit: Option<Unit>, description: SharedString) {
        self.describe(&key, Kind::Histogram, &description);
    }

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> metrics::Counter {
        self.resolve(key, Kind::Counter, Cell::counter)
            .unwrap_or_else(metrics::Counter::noop)
    }

    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> metrics::Gauge {
        self.resolve(key, Kind::Gauge, Cell::gauge)
            .unwrap_or_else(metrics::Gauge::noop)
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> metrics::Histogram {
        self.resolve(key, Kind::Histogram, Cell::histogram)
            .unwrap_or_else(metrics::Histogram::noop)
    }
}

impl Bridge {
    /// A cached cell of another kind than asked for: the key was registered as another kind first.
    fn or_mismatch<H>(self, handle: Option<H>) -> Option<H> {
        if handle.is_none() {
            self.counters().refuse(Reason::KindMismatch);
        }
        handle
    }
}

/// The facade families served beside a registry's own: pass it to `RegistryBuilder::external`.
#[derive(Debug, Clone, Copy)]
pub struct FacadeSource(Bridge);

impl ExternalSource for FacadeSource {
    fn encode(&self, format: Format, out: &mut String) -> Result<(), EncodeError> {
        let registry = self.0.served()?;
        registry.encode(format, out)?;
        // The served registry ends its own exposition; the outer one writes the one `# EOF`.
        if format == Format::OpenMetrics && out.ends_with("# EOF\n") {
            out.truncate(out.len() - "# EOF\n".len());
        }
        Ok(())
    }
}
