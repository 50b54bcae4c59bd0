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
/// Each family's static `NAME` has the type `NameFamily`, an alias of
/// [`DeclaredFamily`](../metrics_core/struct.DeclaredFamily.html), whose methods are the calls above; the labels
/// struct is `NameLabels`. Info, observable and removable families, whose calls differ, get a type of their own.
///
/// | option | value | default |
/// |---|---|---|
/// | `unit` | a base unit that ends the name (`seconds`, `bytes`, `usd`...) | implied by a base-unit suffix |
/// | `buckets` | `[..]`, `prometheus_default`, `latency`, `tokens`, `exponential(start, factor, count)`, `linear(start, width, count)`, or a constant's path | `prometheus_default` |
/// | `budget` | most series the family may have | 1000 |
/// | `expire_after` | `30s`, `10m`, `2h`, `1d` (1 s to 365 d): remove a value of the family's one bounded label once it has gone that long without a recording (makes the family removable) | never |
/// | `removable` | `true`: values of the family's one bounded label can be removed with `remove(value)` | `false` |
///
/// Label types: any `#[derive(LabelValue)]` enum, the built-ins (`bool`, `Outcome`, `HttpMethod`, `StatusClass`,
/// `Direction`), or `BoundedStr<CAP>` for open strings (a `&str` at the call site).
///
/// # Removing values of a bounded label
///
/// A family with exactly one `BoundedStr` label declared `removable = true` has `remove(value) -> bool`: the
/// value's series disappear and its place under the cap is free for a new value. With `expire_after` (which
/// implies `removable`), each scrape does it for values left without a recording that long. A removed series'
/// count is discarded (a returning value starts from 0, a counter reset).
///
/// A removed value's cells are given to a later value, so such a family hands out no reference to a series:
/// `labels(..)`, `with(..)`, `find(..)` are compile errors on it. Record with `record(labels.., |series| ..)` and read
/// with `read(labels.., |series| ..)`; the series cannot outlive the closure, and its cells are not given to
/// another value while the closure runs. A recording racing the removal lands in the removed series, never in
/// another value's (the full rules: `metrics_core::RemovableFamily`). Every other family keeps its values and
/// cells for good, and its references with them.
///
/// ```
/// use metrics_core::{BoundedStr, metrics};
///
/// metrics! {
///     /// Jobs done per worker; a worker gone for ten minutes is dropped.
///     pub counter worker_jobs_total { worker: BoundedStr<64>, expire_after = 10m }
/// }
///
/// WORKER_JOBS_TOTAL.record("w-17", |series| series.inc());
/// assert!(WORKER_JOBS_TOTAL.remove("w-17"), "the worker shut down");
/// assert_eq!(WORKER_JOBS_TOTAL.read("w-17", |series| series.get()), None);
/// WORKER_JOBS_TOTAL.record("w-17", |series| series.inc());
/// assert_eq!(WORKER_JOBS_TOTAL.read("w-17", |series| series.get()), Some(1), "back from zero");
/// ```
///
/// ```compile_fail
/// use metrics_core::{BoundedStr, metrics};
///
/// metrics! {
///     /// Jobs done per worker.
///     pub counter worker_jobs_total { worker: BoundedStr<64>, removable = true }
/// }
///
/// // A reference could outlive the worker's series: record with `.record(..)`.
/// let series = WORKER_JOBS_TOTAL.labels("w-17");
/// ```
///
/// # Presets
///
/// A `preset` item declares, once per crate, which families of the block an instrumentation attribute records
/// into: the attributes then take `preset = path::TO_PRESET` and record into those families, with your namespace,
/// names, buckets and label names, instead of their built-in ones.
///
/// ```text
///     /// Docs (optional).
///     VIS preset NAME: job | tool | llm {
///         ROLE = FAMILY,                                   // every label of FAMILY is an argument
///         ROLE = FAMILY { LABEL = value, LABEL = SOURCE, SOURCE, .. },
///     }
/// ```
///
/// | role | kind | family | records |
/// |---|---|---|---|
/// | `runs` (`requests` in `llm`) | all | counter (`u64`) | +1 per finished call |
/// | `duration` | all | histogram | the call's seconds |
/// | `in_flight` | all | gauge (`i64`) | +1 while the call runs |
/// | `failures` | all | counter (`u64`) | +1 per call that returned `Err` |
/// | `tokens` | `llm` | counter (`u64`) | the response's input and output tokens (`LlmUsage`), by `direction` |
/// | `cost` | `llm` | counter (`f64`) | the response's cost in US dollars, when it reports one |
///
/// Only a preset with `tokens` or `cost` asks the function's return type for `LlmUsage`.
///
/// Each label of a role's family is, in that order of preference: bound to a value written here (`phase =
/// Phase::Run`, checked against the label's type); bound to a source the attribute knows: `outcome` (in `runs`,
/// `requests` and `duration`; any label type with `From<RunOutcome>`, such as `Outcome` or your own `Status`),
/// `reason` (in `failures`; a `BoundedStr` label, the error's `ErrorReason`), `direction` (in `tokens`, a
/// `Direction` label), `function` and `module` (the instrumented function's path in its module and its module
/// path, as the built-in presets label; `BoundedStr` labels); or left unbound, which makes it an argument the
/// attribute gives in `labels(..)`, of the label's type. `status = outcome` puts the outcome in a label named
/// `status`; a source alone (`{ reason }`) binds the label of its own name.
///
/// The preset is a static `NAME` (upper case) of a generated type; `{Name}PresetArgs` is the struct of its
/// arguments, which the attribute fills from `labels(..)`, so a missing, unknown or mistyped argument is a compile
/// error on your tokens. Name the preset by a path ending in its declared name (the attribute derives the
/// arguments struct's path from it), and import nothing else.
///
/// ```
/// use metrics_core::{BoundedStr, ErrorReason, LabelValue, Outcome, instrument_job, metrics};
///
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
/// #[metrics(rename_all = "snake_case")]
/// pub enum Step { Fetch, Parse }
///
/// #[derive(Debug, ErrorReason)]
/// pub enum StepError { Invalid }
///
/// metrics! {
///     namespace = "pipeline";
///
///     /// Step executions by step and result.
///     pub counter step_executions_total { step: Step, result: Outcome }
///     /// Step duration by step.
///     pub histogram step_execution_duration_seconds { step: Step, buckets = [0.01, 0.1, 1.0] }
///     /// Step failures by step and error type.
///     pub counter step_errors_total { step: Step, error_type: BoundedStr<8> }
///
///     /// How `#[instrument_job]` records a step; argument: `step`.
///     pub preset steps: job {
///         runs = step_executions_total { result = outcome },
///         duration = step_execution_duration_seconds,
///         failures = step_errors_total { error_type = reason },
///     }
/// }
///
/// #[instrument_job(preset = STEPS, labels(step = Step::Parse))]
/// fn parse(text: &str) -> Result<usize, StepError> {
///     if text.is_empty() { Err(StepError::Invalid) } else { Ok(text.len()) }
/// }
///
/// # fn main() {
/// parse("x").unwrap();
/// parse("").unwrap_err();
/// assert_eq!(STEP_EXECUTIONS_TOTAL.labels(Step::Parse, Outcome::Success).get(), 1);
/// assert_eq!(STEP_ERRORS_TOTAL.find_labels(Step::Parse, "invalid").map(|c| c.get()), Some(1));
/// # }
/// ```
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
///
/// ```compile_fail
/// metrics_core::metrics! {
///     /// Enum label values always exist: nothing to expire.
///     pub counter calls_total { ok: bool, expire_after = 10m }
/// }
/// ```
///
/// Calls the generated API cannot answer are errors that say what to call instead: `.inc()` or `.observe(..)`
/// on a labelled family (select a series with `.labels(..)` first), `.labels(..)` on a family without labels,
/// recording into an observable family, `inc_by(0.5)` on an integer counter (declare it `: f64`), an exemplar
/// method on a family without `exemplars = true`. `docs/compile-errors.md` lists every mistake tried.
///
/// ```compile_fail
/// #[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
/// pub enum Queue { Email }
/// metrics_core::metrics! {
///     /// Jobs by queue.
///     pub counter queued_jobs_total { queue: Queue }
/// }
/// QUEUED_JOBS_TOTAL.inc(); // which queue? `QUEUED_JOBS_TOTAL.labels(Queue::Email).inc()`
/// ```
///
/// # What compiles but records the wrong thing
///
/// The macro sees names and types, not meanings. These compile and record something else than meant:
///
/// - a value in another unit than the name says: `observe(elapsed.as_millis() as f64)` into a `_seconds`
///   histogram records every run a thousand times too long (use `observe_duration(elapsed)`);
/// - `let _ = GAUGE.track_inflight();` drops the guard at once, so the gauge never shows the run (bind it:
///   `let _running = ..`; a bare `GAUGE.track_inflight();` is the `unused_must_use` warning);
/// - `FloatCounter::inc_by` with a negative or non-finite amount records nothing and returns `false`;
/// - a `BoundedStr<CAP>` label fed more than `CAP` distinct values sends the rest to `__overflow__`, counted in
///   `metrics_label_overflow_total`.
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
/// Without `rename_all` or `rename`, a value is the variant's name as written (`DeadLetter`). Only
/// `#[metrics(..)]` names values: a `#[serde(rename = "..")]` on the same variant renames it for serde alone, and
/// the label keeps the variant's name, so give both when both should agree.
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

mod error_reason;
mod instrument;

/// Measures a job: runs by outcome, duration, runs in flight and failures by reason, per function.
///
/// Put it on a function or method, sync or `async`, generic or not, returning anything (`impl Trait` too). A
/// non-async function returning a future (`impl Future<Output = R>`, `Pin<Box<dyn Future<Output = R>>>`) is
/// measured as that future: the run lasts from the call until the future completes (its polls, its `R`), and
/// dropping it unfinished records `cancelled`, as for an `async fn`. Each
/// run is recorded however it ends: `success`, `failure` (an `Err`), `panic` (unwinding through the function), or
/// `cancelled` (the future dropped before it finished: a timeout, a lost `select!` branch). The end of a run is
/// recorded by a guard inside the function (inside its future, for an `async fn`), so the in-flight gauge comes
/// back down after a panic or a cancellation. `return`, `?` and early returns behave as without the attribute.
///
/// The series are labelled by `function`, the function's path inside its module (`send_digest`; a method is named
/// with its type, `Worker::run`; `name = ".."` to change it), and `module`, its module path (`app::jobs`), so two
/// `fn run` in different modules never clash. The labels are deliberately not `job` or `instance`: Prometheus
/// attaches those to every scraped series itself, and renames a series' own `job` to `exported_job`. Every
/// annotated function links itself into the registry, so all functions' series exist, at zero, before any runs;
/// two functions with one `function` and `module` make [`Registry::global`](../metrics_core/struct.Registry.html)
/// report both locations.
///
/// | family | type | labels |
/// |---|---|---|
/// | `job_runs_total` | counter | `function`, `module`, `outcome` (`success`, `failure`, `panic`, `cancelled`) |
/// | `job_run_duration_seconds` | histogram (5 ms to 10 min) | `function`, `module`, `outcome` |
/// | `job_runs_in_flight` | gauge | `function`, `module` |
/// | `job_failures_total` | counter | `function`, `module`, `reason` (from the error type, see `#[derive(ErrorReason)]`) |
///
/// The failure reason comes from the error type's `ErrorReason` (derive it on your error enum); its reasons'
/// series exist from the start too. An error type without it records every failure as `error`, and the compiler
/// warns with a note suggesting the derive.
///
/// | option | value | default |
/// |---|---|---|
/// | `name` | the `function` label value, `"text"` | the function's path in its module |
/// | `reasons` | `"error_type"`; `"generic"`: every failure is `error` (no warning); `"on_failure"`: a reason's series appears at its first failure, for error types naming a generic parameter of the enclosing `impl` | `"error_type"` |
/// | `preset` | a `job` preset declared in `metrics!` (`preset = crate::metrics::JOBS`): record into its families instead of the built-in ones | the built-in families |
/// | `labels` | the preset's arguments, `labels(tenant = job.tenant, worker = &self.id)`: one per label the preset leaves unbound, of the label's type, evaluated before the body runs | |
/// | `count`, `duration`, `in_flight`, `errors`, `value` | your own families instead of the built-in ones (beside a preset's, with `preset`): see `#[measure]` | |
/// | `crate` | path to `metrics_core`, for crates that re-export it | `::metrics_core` |
///
/// With `preset`, `name` is refused: the built-in families it labels are not used (a preset labels by `function`
/// through a `function` binding). There is no implicit per-crate default: a crate's one declaration is its
/// `preset` item, and each attribute names it, so an attribute never records into families other than the ones
/// it names.
///
/// The hot path is two clock reads, one atomic add when the run starts and one histogram observation when it
/// ends; the run counters (the histogram's counts) and the runs in flight (started minus finished) are derived at
/// scrape time. The built-in families have one bucket set (a histogram
/// family has one in the exposition formats); to choose buckets, declare your own histogram with `metrics!` and
/// record into it with `duration(..)`.
///
/// ```
/// use metrics_core::{ErrorReason, Format, Registry, instrument_job};
///
/// #[derive(Debug, ErrorReason)]
/// enum SendError { Timeout, Rejected(String) }
///
/// #[instrument_job]
/// fn send_digest(fail: bool) -> Result<u32, SendError> {
///     if fail {
///         return Err(SendError::Rejected("no".into()));
///     }
///     Ok(3)
/// }
///
/// # fn main() {
/// send_digest(false).unwrap();
/// send_digest(true).unwrap_err();
/// let text = Registry::global().unwrap().encode_to_string(Format::Text004).unwrap();
/// let at = format!(r#"function="send_digest",module="{}""#, module_path!());
/// assert!(text.contains(&format!("job_runs_total{{{at},outcome=\"success\"}} 1\n")));
/// assert!(text.contains(&format!("job_failures_total{{{at},reason=\"rejected\"}} 1\n")));
/// assert!(text.contains(&format!("job_failures_total{{{at},reason=\"timeout\"}} 0\n")));
/// # }
/// ```
///
/// # Compile errors
///
/// ```compile_fail
/// #[metrics_core::instrument_job]
/// const fn compute() -> u32 { 1 }
/// ```
///
/// ```compile_fail
/// #[metrics_core::instrument_job(nmae = "typo")]
/// fn job() {}
/// ```
///
/// ```compile_fail
/// #[metrics_core::instrument_job]
/// struct NotAFunction;
/// ```
#[proc_macro_attribute]
pub fn instrument_job(args: TokenStream, item: TokenStream) -> TokenStream {
    instrument::instrument_job(args.into(), item.into()).into()
}

/// Measures a tool call: `#[instrument_job]`'s recording, into the tool families.
///
/// | family | type | labels |
/// |---|---|---|
/// | `tool_calls_total` | counter | `function`, `module`, `outcome` |
/// | `tool_call_duration_seconds` | histogram (5 ms to 10 min) | `function`, `module`, `outcome` |
/// | `tool_calls_in_flight` | gauge | `function`, `module` |
/// | `tool_errors_total` | counter | `function`, `module`, `reason` |
///
/// The `function` and `module` labels are as for `#[instrument_job]`. Options as `#[instrument_job]`: `name`, `reasons`, `crate`,
/// `preset` (a `tool` preset declared in `metrics!`) with `labels(..)`, and `count`/`duration`/`in_flight`/`errors`/`value`
/// to record into your own families instead.
///
/// ```
/// use metrics_core::{ErrorReason, instrument_tool};
///
/// #[derive(Debug, ErrorReason)]
/// enum SearchError { RateLimited, BadQuery }
///
/// #[instrument_tool(name = "web_search")]
/// async fn search(query: &str) -> Result<Vec<String>, SearchError> {
///     if query.is_empty() { Err(SearchError::BadQuery) } else { Ok(vec![query.to_owned()]) }
/// }
/// ```
///
/// ```compile_fail
/// #[metrics_core::instrument_tool(name = "search", name = "again")]
/// fn search() {}
/// ```
#[proc_macro_attribute]
pub fn instrument_tool(args: TokenStream, item: TokenStream) -> TokenStream {
    instrument::instrument_tool(args.into(), item.into()).into()
}

/// Measures an LLM call: requests and latency by provider, model and outcome; tokens and cost from the response.
///
/// | family | type | labels |
/// |---|---|---|
/// | `llm_requests_total` | counter | `provider`, `model`, `outcome` |
/// | `llm_request_duration_seconds` | histogram (5 ms to 10 min) | `provider`, `model`, `outcome` |
/// | `llm_tokens_total` | counter | `provider`, `model`, `direction` (`in`, `out`) |
/// | `llm_cost_usd_total` | counter (f64, unit `usd`) | `provider`, `model` |
///
/// `provider` and `model` are bounded labels (8 providers, 32 models; more go to `__overflow__`). Tokens and cost
/// are read, after a successful call, from the return value (`Response` or `Result<Response, E>`) through
/// [`LlmUsage`](../metrics_core/trait.LlmUsage.html), which you implement for your response type.
///
/// | option | value | default |
/// |---|---|---|
/// | `provider` | an expression of type `&str`, evaluated before the call (it may read the arguments) | required without `preset` |
/// | `model` | an expression of type `&str`, evaluated before the call | required without `preset` |
/// | `preset` | an `llm` preset declared in `metrics!`: your families, names, caps and extra labels (`mode`, an error `code`) instead of the built-in ones | the built-in families |
/// | `labels` | the preset's arguments (`labels(provider = .., model = .., mode = ..)`), of its labels' types | |
/// | `reasons` | as `#[instrument_job]`: where a preset's `failures` reason comes from | `"error_type"` |
/// | `crate` | path to `metrics_core` | `::metrics_core` |
///
/// With `preset`, `provider` and `model` are labels of your families like any other, given in `labels(..)`; the
/// caps are your `BoundedStr<CAP>`s (or an enum of providers).
///
/// ```
/// use metrics_core::{LlmUsage, instrument_llm};
///
/// struct Completion { text: String, prompt_tokens: u64, completion_tokens: u64 }
///
/// impl LlmUsage for Completion {
///     fn input_tokens(&self) -> u64 { self.prompt_tokens }
///     fn output_tokens(&self) -> u64 { self.completion_tokens }
/// }
///
/// #[instrument_llm(provider = "openai", model = model)]
/// async fn complete(model: &str, prompt: &str) -> Result<Completion, std::io::Error> {
///     Ok(Completion { text: prompt.to_uppercase(), prompt_tokens: 12, completion_tokens: 30 })
/// }
/// ```
///
/// ```compile_fail
/// #[metrics_core::instrument_llm(provider = 42, model = "gpt")]
/// fn complete() {}
/// ```
#[proc_macro_attribute]
pub fn instrument_llm(args: TokenStream, item: TokenStream) -> TokenStream {
    instrument::instrument_llm(args.into(), item.into()).into()
}

/// Records a function's runs into your own families, with label values taken from its arguments.
///
/// Each option names a family declared with `metrics!` and its label values: `label = expression` (evaluated
/// before the body runs, of the label's type), `outcome` (the run's outcome, into a label of type `RunOutcome` or
/// `Outcome`, or any label type with `From<RunOutcome>`, whose values the compiler checks), `reason` (the failure
/// reason, into a `BoundedStr` label of an `errors(..)` family). `label(outcome)` and `label(reason)` put them in
/// a label of another name: `status(outcome)`, `result(outcome)`, `error_type(reason)`.
///
/// | option | family kind | records |
/// |---|---|---|
/// | `count(FAMILY, ..)` | counter | +1 per run, whatever the outcome |
/// | `duration(FAMILY, ..)` | histogram | the run's duration in seconds |
/// | `in_flight(FAMILY, ..)` | gauge | +1 while the run is in progress (no `outcome`, no `reason`) |
/// | `errors(FAMILY, ..)` | counter | +1 per run that returned `Err`; needs a `Result` return type |
/// | `value(FAMILY, .., returned = \|r\| ..)` | counter, gauge, histogram | a number read from `&` the returned value when the function returns (a response size, token counts): `u64` for a counter, `i64` for a gauge, `f64` for a float counter, float gauge or histogram, or an `Option` of one (`None` records nothing); labels take values only |
/// | `reasons` | as `#[instrument_job]` | |
/// | `crate` | path to `metrics_core` | |
///
/// Label expressions are evaluated before the body and kept until it ends, so they must not borrow what the body
/// moves. `#[instrument_job]` with any of these options records into them instead of its built-in families.
///
/// ```
/// use metrics_core::{BoundedStr, ErrorReason, LabelValue, RunOutcome, measure, metrics};
///
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
/// #[metrics(rename_all = "snake_case")]
/// pub enum Queue { Email, Reports }
///
/// metrics! {
///     /// Jobs by queue and outcome.
///     pub counter queue_jobs_total { queue: Queue, outcome: RunOutcome }
///     /// Job latency by queue.
///     pub histogram queue_job_seconds { queue: Queue, buckets = [0.1, 1.0, 10.0] }
///     /// Failures by queue and reason.
///     pub counter queue_failures_total { queue: Queue, reason: BoundedStr<8> }
/// }
///
/// #[derive(Debug, ErrorReason)]
/// enum JobError { Timeout }
///
/// #[measure(
///     count(QUEUE_JOBS_TOTAL, queue = queue, outcome),
///     duration(QUEUE_JOB_SECONDS, queue = queue),
///     errors(QUEUE_FAILURES_TOTAL, queue = queue, reason),
/// )]
/// fn work(queue: Queue, fail: bool) -> Result<(), JobError> {
///     if fail { Err(JobError::Timeout) } else { Ok(()) }
/// }
///
/// # fn main() {
/// work(Queue::Email, true).unwrap_err();
/// assert_eq!(QUEUE_JOBS_TOTAL.labels(Queue::Email, RunOutcome::Failure).get(), 1);
/// assert_eq!(QUEUE_FAILURES_TOTAL.labels(Queue::Email, "timeout").get(), 1);
/// # }
/// ```
///
/// ```compile_fail
/// use metrics_core::{LabelValue, measure, metrics};
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
/// pub enum Queue { Email }
/// metrics! {
///     /// Jobs.
///     pub counter typed_jobs_total { queue: Queue }
/// }
/// #[measure(count(TYPED_JOBS_TOTAL, queue = "email"))] // a &str is not a `Queue`
/// fn work() {}
/// ```
///
/// ```compile_fail
/// metrics_core::metrics! {
///     /// Failures.
///     pub counter plain_failures_total;
/// }
/// #[metrics_core::measure(errors(PLAIN_FAILURES_TOTAL))] // `()` is never an `Err`
/// fn work() {}
/// ```
#[proc_macro_attribute]
pub fn measure(args: TokenStream, item: TokenStream) -> TokenStream {
    instrument::measure(args.into(), item.into()).into()
}

/// Maps each variant of an error enum to a bounded failure reason, for the `reason` label of failure counters.
///
/// Reasons are the variants' names in `snake_case`; `#[metrics(reason = "text")]` on a variant renames it, and
/// `#[metrics(crate = path)]` on the enum names a re-exported `metrics_core`. Variants may carry data: the reason
/// ignores it, so messages and ids never reach a label. Reasons must be non-empty, unique and free of control
/// characters.
///
/// | attribute | on | value |
/// |---|---|---|
/// | `reason` | variant | the reason text instead of the `snake_case` name |
/// | `crate` | enum | path to `metrics_core` |
///
/// ```
/// use metrics_core::ErrorReason;
///
/// #[derive(Debug, ErrorReason)]
/// enum LeaseError {
///     Expired { job: u64 },
///     #[metrics(reason = "conflict")]
///     AlreadyClaimed(String),
/// }
///
/// assert_eq!(LeaseError::REASONS, ["expired", "conflict"]);
/// assert_eq!(LeaseError::AlreadyClaimed("worker-7".into()).reason(), "conflict");
/// ```
///
/// ```compile_fail
/// #[derive(Debug, metrics_core::ErrorReason)]
/// enum Twice { #[metrics(reason = "x")] A, #[metrics(reason = "x")] B }
/// ```
#[proc_macro_derive(ErrorReason, attributes(metrics))]
pub fn derive_error_reason(input: TokenStream) -> TokenStream {
    error_reason::derive(input.into()).into()
}
