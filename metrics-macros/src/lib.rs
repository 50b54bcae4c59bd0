//! Procedural macros of `metrics-core`. Use them through `metrics_core`, which re-exports them and holds
//! everything the generated code names.

mod diag;
mod label_value;
mod names;
mod schema;

use proc_macro::TokenStream;

/// Declares metric families: a typed static per family, a labels struct, and registration.
///
/// ```
/// use metrics_core::{LabelValue, Outcome, metrics};
///
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
/// #[metrics(rename_all = "snake_case")]
/// pub enum Tool { Search, Fetch }
///
/// metrics! {
///     namespace = "agent";
///
///     /// Tool calls by tool and outcome.
///     pub counter tool_calls_total { tool: Tool, outcome: Outcome }
///
///     /// Tool call latency.
///     pub histogram tool_latency_seconds { tool: Tool, buckets = latency }
///
///     /// Tokens spent per model (open set, at most 32 models).
///     pub counter tokens_total { model: metrics_core::BoundedStr<32> }
/// }
///
/// TOOL_CALLS_TOTAL.with(ToolCallsTotalLabels { tool: Tool::Search, outcome: Outcome::Success }).inc();
/// TOOL_LATENCY_SECONDS.labels(Tool::Fetch).observe(0.3);
/// TOKENS_TOTAL.labels("gpt-4o").inc_by(512);
/// assert_eq!(TOOL_CALLS_TOTAL.labels(Tool::Search, Outcome::Success).get(), 1);
/// ```
///
/// # Grammar
///
/// ```text
/// metrics! {
///     crate = path;                  // optional: where metrics-core is, for re-exporting crates
///     namespace = "prefix";          // optional: prepended with `_` to every name in the block
///
///     /// HELP text (required)
///     #[cfg(..)]                     // optional, forwarded
///     VIS KIND NAME [: VALUE_TYPE] { LABEL: LabelType, .., OPTION = value, .. }
///     VIS KIND NAME [: VALUE_TYPE];  // no labels, no options
/// }
/// ```
///
/// | kind | value type | name | generated static derefs to / returns |
/// |---|---|---|---|
/// | `counter` | `u64` (default), `f64` | ends in `_total` | `Counter`, `FloatCounter` |
/// | `gauge` | `i64` (default), `f64` | | `Gauge`, `FloatGauge` |
/// | `histogram` | (f64) | | `Histogram<N>` |
/// | `stateset` | the state enum (required) | | `StateSet<S>` |
/// | `info` | none; labels are `String` | ends in `_info` | `set(labels)` |
///
/// | option | value | default |
/// |---|---|---|
/// | `unit` | a base unit that ends the name (`seconds`, `bytes`, `usd`...) | implied by a base-unit suffix |
/// | `buckets` | `[..]`, `prometheus_default`, `latency`, `tokens`, `exponential(start, factor, count)`, `linear(start, width, count)`, or a constant's path | `prometheus_default` |
/// | `budget` | most series the family may have | 1000 |
///
/// Label types: any `#[derive(LabelValue)]` enum, the built-ins (`bool`, `Outcome`, `HttpMethod`, `StatusClass`,
/// `Direction`), or `BoundedStr<CAP>` for open strings (a `&str` at the call site).
///
/// # Compile errors
///
/// ```compile_fail
/// metrics_core::metrics! {
///     /// A counter must end in `_total`.
///     pub counter requests;
/// }
/// ```
///
/// ```compile_fail
/// metrics_core::metrics! {
///     /// Milliseconds are not a base unit.
///     pub histogram latency_milliseconds;
/// }
/// ```
///
/// ```compile_fail
/// metrics_core::metrics! {
///     /// Buckets must increase.
///     pub histogram wait_seconds { buckets = [1.0, 0.5] }
/// }
/// ```
#[proc_macro]
pub fn metrics(input: TokenStream) -> TokenStream {
    schema::metrics(input.into()).into()
}

/// Makes a field-less enum a closed set of label values.
///
/// Attributes: `#[metrics(rename_all = "snake_case")]` on the enum (also `lowercase`, `UPPERCASE`,
/// `SCREAMING_SNAKE_CASE`, `kebab-case`, `camelCase`, `PascalCase`); `#[metrics(rename = "text")]` on a variant;
/// `#[metrics(crate = path)]` where `metrics_core` is re-exported. Values must be non-empty, unique and free of
/// control characters.
///
/// ```
/// use metrics_core::LabelValue;
///
/// #[derive(Clone, Copy, Debug, LabelValue)]
/// #[metrics(rename_all = "kebab-case")]
/// enum Stage { Parse, DeadLetter }
///
/// assert_eq!(Stage::DeadLetter.as_str(), "dead-letter");
/// ```
///
/// ```compile_fail
/// #[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
/// enum WithData { A(u32) }
/// ```
#[proc_macro_derive(LabelValue, attributes(metrics))]
pub fn derive_label_value(input: TokenStream) -> TokenStream {
    label_value::derive(input.into()).into()
}
