//! Presets declared by the application (`preset` items in `metrics!`): what the generated preset types implement,
//! so that an attribute given another attribute's preset is a type error on the preset's path.
//!
//! A configured preset records into the application's own families, so everything else about it (its methods,
//! its argument struct) is generated beside those families; only the kind markers and the call site live here.

use std::sync::OnceLock;

use super::function::function_label;
use crate::metric::InflightGuard;

/// What a configured preset's `in_flight` role holds for a call: the guard of a gauge in a `static` family.
pub type InFlight = InflightGuard<'static>;

/// A preset declared `preset name: job { .. }`, for `#[instrument_job(preset = ..)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `job` preset",
    label = "`#[instrument_job]` takes a preset declared `preset name: job {{ .. }}` in `metrics!`",
    note = "a `tool` preset goes with `#[instrument_tool]`, an `llm` preset with `#[instrument_llm]`"
)]
pub trait JobPreset {}

/// A preset declared `preset name: tool { .. }`, for `#[instrument_tool(preset = ..)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `tool` preset",
    label = "`#[instrument_tool]` takes a preset declared `preset name: tool {{ .. }}` in `metrics!`",
    note = "a `job` preset goes with `#[instrument_job]`, an `llm` preset with `#[instrument_llm]`"
)]
pub trait ToolPreset {}

/// A preset declared `preset name: llm { .. }`, for `#[instrument_llm(preset = ..)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an `llm` preset",
    label = "`#[instrument_llm]` takes a preset declared `preset name: llm {{ .. }}` in `metrics!`",
    note = "a `job` preset goes with `#[instrument_job]`, a `tool` preset with `#[instrument_tool]`"
)]
pub trait LlmPreset {}

/// Never called with effect: its bound puts a preset of the wrong kind on the attribute's `preset = ..` path.
#[inline]
pub const fn assert_job_preset<P: JobPreset>(_: &P) {}

/// As [`assert_job_preset`], for `#[instrument_tool]`.
#[inline]
pub const fn assert_tool_preset<P: ToolPreset>(_: &P) {}

/// As [`assert_job_preset`], for `#[instrument_llm]`.
#[inline]
pub const fn assert_llm_preset<P: LlmPreset>(_: &P) {}

/// Where a configured preset is used: the instrumented function's `function` and `module` label values, for a
/// preset that binds a label to `function` or `module`.
///
/// The attribute emits one `static` per function; the `function` value is derived once, from the type name of a
/// `fn` nested in the function (as for the built-in presets), and then read with one atomic load per call.
#[derive(Debug)]
pub struct Site {
    path: fn() -> &'static str,
    module: &'static str,
    function: OnceLock<&'static str>,
}

impl Site {
    /// The site of the function whose nested `fn`'s type name `path` returns, in module `module`.
    pub const fn new(path: fn() -> &'static str, module: &'static str) -> Self {
        Self {
            path,
            module,
            function: OnceLock::new(),
        }
    }

    /// The `function` label value: the function's path inside its module (`run`, `Worker::run`).
    #[inline]
    pub fn function(&self) -> &'static str {
        self.function.get_or_init(|| {
            // Once per function for the program's life: label values are `'static`.
            function_label((self.path)(), self.module).leak()
        })
    }

    /// The `module` label value: the function's module path.
    #[inline]
    pub fn module(&self) -> &'static str {
        self.module
    }
}
