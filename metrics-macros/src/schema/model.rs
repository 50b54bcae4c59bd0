//! The validated schema: built only by `validate.rs`, consumed by `expand.rs`, which cannot fail.

use proc_macro2::Span;
use syn::{Attribute, Ident, Path, Type, Visibility};

pub(crate) struct Model {
    pub(crate) krate: Path,
    pub(crate) families: Vec<FamilyModel>,
    pub(crate) presets: Vec<super::preset::PresetModel>,
}

/// The family's kind: the one table of kinds, shared with the core.
pub(crate) use metrics_rules::MetricKind as Kind;

/// What one series stores.
pub(crate) enum Cell {
    Counter,
    FloatCounter,
    Gauge,
    FloatGauge,
    Histogram(Buckets),
    StateSet(Type),
    Info,
}

pub(crate) enum Buckets {
    Values(Vec<f64>),
    Const(Path),
}

pub(crate) enum LabelKind {
    Enum(Type),
    Bounded { cap: usize, ty: Type },
    Text,
}

pub(crate) struct LabelModel {
    pub(crate) ident: Ident,
    pub(crate) kind: LabelKind,
    pub(crate) ty_span: Span,
    /// Declared in `optional = ..`: a registry may sum it away.
    pub(crate) optional: bool,
}

pub(crate) struct FamilyModel {
    pub(crate) cfg_attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) kind: Kind,
    pub(crate) ident: Ident,
    pub(crate) name: String,
    pub(crate) help: String,
    pub(crate) unit: Option<String>,
    pub(crate) cell: Cell,
    pub(crate) labels: Vec<LabelModel>,
    pub(crate) budget: u64,
    /// Whether each series keeps exemplars (`exemplars = true`): the cell is the exemplar-keeping variant.
    pub(crate) exemplars: bool,
    /// Set for a family whose values a function reports at scrape time (`observe = path`).
    pub(crate) observe: Option<Path>,
    /// Milliseconds a value of the one bounded label may go without a recording (`expire_after = 10m`).
    pub(crate) expire_after_ms: Option<u64>,
    /// What alerts judge it (`objectives = [..]`), validated against the rest of the model.
    pub(crate) objectives: Vec<super::objective::ObjectiveModel>,
    /// Whether values of the one bounded label can be removed: `removable = true` or `expire_after`. Such a
    /// family records through a closure (`record`), never hands out a reference to a series.
    pub(crate) removable: bool,
}
