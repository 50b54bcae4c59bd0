//! The distributed slice every instrumented function links its [`Operation`] into.

use super::Operation;

/// Every function instrumented with a per-function preset (`#[instrument_job]`, `#[instrument_tool]`) in any
/// crate of the binary; each [`Preset`](super::preset::Preset) picks its own out of it.
///
/// linkme's declaration emits `#[link_section]` statics, which the `unsafe_code` lint counts as unsafe; as for
/// the families slice, the lint is allowed on this declaration and nowhere else in the module.
#[cfg(feature = "linkme")]
#[allow(unsafe_code)]
#[linkme::distributed_slice]
pub static OPERATIONS: [&'static Operation];

/// The linked operations, or none when the `linkme` feature is off.
pub(crate) fn linked() -> &'static [&'static Operation] {
    #[cfg(feature = "linkme")]
    {
        &OPERATIONS
    }
    #[cfg(not(feature = "linkme"))]
    {
        &[]
    }
}
