//! `#[instrument_tool]` on a `static` holding a function pointer: it measures functions.

#[metrics_core::instrument_tool]
static SEARCH: fn() = || {};

fn main() {}
