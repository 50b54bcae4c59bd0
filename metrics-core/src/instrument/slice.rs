//! The distributed slice every instrumented function links its [`Operation`] into.

use std::sync::OnceLock;

use super::{Operation, OperationKind};

/// Every function instrumented with `#[instrument_job]` or `#[instrument_tool]` in any crate of the binary.
///
/// linkme's declaration emits `#[link_section]` statics, which the `unsafe_code` lint counts as unsafe; as for
/// the families slice, the lint is allowed on this declaration and nowhere else in the module.
#[cfg(feature = "linkme")]
#[allow(unsafe_code)]
#[linkme::distributed_slice]
pub static OPERATIONS: [&'static Operation];

/// The linked operations of `kind`, sorted by name then location: a stable series order across builds.
pub(crate) fn operations(kind: OperationKind) -> &'static [&'static Operation] {
    static JOBS: OnceLock<Vec<&'static Operation>> = OnceLock::new();
    static TOOLS: OnceLock<Vec<&'static Operation>> = OnceLock::new();
    let cell = match kind {
        OperationKind::Job => &JOBS,
        OperationKind::Tool => &TOOLS,
    };
    cell.get_or_init(|| {
        let mut found: Vec<&'static Operation> = linked()
            .iter()
            .copied()
            .filter(|op| op.kind() == kind)
            .collect();
        found.sort_by_key(|op| {
            (
                op.name(),
                op.location().file,
                op.location().line,
                op.location().column,
            )
        });
        found
    })
}

fn linked() -> &'static [&'static Operation] {
    #[cfg(feature = "linkme")]
    {
        &OPERATIONS
    }
    #[cfg(not(feature = "linkme"))]
    {
        &[]
    }
}
