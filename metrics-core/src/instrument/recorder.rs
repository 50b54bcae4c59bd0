//! What records each family: the families an instrumented function's targets (`#[measure(count(..), ..)]`)
//! record into, linked at build time so that a catalog can say, per family, which functions record it.
//!
//! Each expansion with targets links one `&'static [Recorder]` static into [`RECORDERS`]; nothing of it runs on a
//! call (the statics are data, read when a catalog is written).

use super::function::function_label;
use crate::family::{Descriptor, Family};

/// One target of one instrumented function: the family it records into and in which role.
#[derive(Clone, Copy)]
pub struct Recorder {
    /// The nested `fn`'s type name reader (the path of the function around it, see `function_label`).
    function: fn() -> &'static str,
    module: &'static str,
    role: &'static str,
    family: &'static dyn Family,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("function", &self.function())
            .field("module", &self.module)
            .field("role", &self.role)
            .field("family", &self.family.descriptor().name)
            .finish()
    }
}

impl Recorder {
    /// A target of the function whose nested `fn` is `function`, in module `module`, recording into `family`
    /// as `role` (`count`, `duration`, `in_flight`, `errors`, `value`).
    pub const fn new(
        function: fn() -> &'static str,
        module: &'static str,
        role: &'static str,
        family: &'static dyn Family,
    ) -> Self {
        Self {
            function,
            module,
            role,
            family,
        }
    }

    /// The function's full path: `app::jobs::send_digest`, `app::jobs::Worker::run`.
    pub fn function(&self) -> String {
        let inner = function_label((self.function)(), self.module);
        format!("{}::{inner}", self.module)
    }

    /// The role the family is recorded in: `count`, `duration`, `in_flight`, `errors` or `value`.
    pub fn role(&self) -> &'static str {
        self.role
    }

    /// The family recorded into.
    pub fn family(&self) -> &'static dyn Family {
        self.family
    }

    /// Whether it records into the family described by `descriptor` (same name, declared at the same place).
    pub fn records(&self, descriptor: &Descriptor) -> bool {
        let own = self.family.descriptor();
        own.name == descriptor.name
            && own.location.file == descriptor.location.file
            && own.location.line == descriptor.location.line
    }
}

/// Every instrumented function's targets, in any crate of the binary.
///
/// linkme's declaration emits `#[link_section]` statics, which the `unsafe_code` lint counts as unsafe; as for
/// the families slice, the lint is allowed on this declaration and nowhere else in the module.
#[cfg(feature = "linkme")]
#[allow(unsafe_code)]
#[linkme::distributed_slice]
pub static RECORDERS: [&'static [Recorder]];

/// The targets of every linked instrumented function, or none when the `linkme` feature is off.
pub fn recorders() -> impl Iterator<Item = &'static Recorder> {
    #[cfg(feature = "linkme")]
    let all: &'static [&'static [Recorder]] = &RECORDERS;
    #[cfg(not(feature = "linkme"))]
    let all: &'static [&'static [Recorder]] = &[];
    all.iter().flat_map(|r| r.iter())
}

/// `(function, role)` of each linked function recording into the family described by `descriptor`, sorted.
///
/// ```
/// use metrics_core::{Family as _, instrument, metrics};
///
/// metrics! {
///     /// Digests sent.
///     pub counter doc_digests_total {}
/// }
///
/// #[metrics_core::measure(count(DOC_DIGESTS_TOTAL))]
/// fn send_digest() {}
///
/// let by = instrument::recorded_by(DOC_DIGESTS_TOTAL.descriptor());
/// assert!(by.iter().any(|(f, role)| f.ends_with("::send_digest") && *role == "count"), "{by:?}");
/// ```
pub fn recorded_by(descriptor: &Descriptor) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = recorders()
        .filter(|r| r.records(descriptor))
        .map(|r| (r.function(), r.role))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}
