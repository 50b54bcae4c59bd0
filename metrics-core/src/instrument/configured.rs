//! Presets declared by the application (`preset` items in `metrics!`): what the generated preset types implement,
//! so that an attribute given another attribute's preset is a type error on the preset's path.
//!
//! A configured preset records into the application's own families, so everything else about it (its methods,
//! its argument struct) is generated beside those families; only the kind markers live here.

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
