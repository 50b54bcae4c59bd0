//! The attributes' arguments, read by darling: unknown keys and duplicates are rejected with suggestions.

use darling::FromMeta;
use darling::ast::NestedMeta;
use syn::{Expr, Ident, Meta, Path};

/// `#[instrument_job(..)]` and `#[instrument_tool(..)]`.
#[derive(FromMeta)]
pub(crate) struct OperationArgs {
    /// The `function` label value; the function's path inside its module by default.
    #[darling(default)]
    pub(crate) name: Option<crate::diag::Quoted>,
    #[darling(default)]
    pub(crate) reasons: Option<Reasons>,
    /// A preset declared in `metrics!` (`preset jobs: job { .. }`), recorded into instead of the built-in one.
    #[darling(default)]
    pub(crate) preset: Option<Path>,
    /// The configured preset's arguments: `labels(tenant = job.tenant, ..)`.
    #[darling(default)]
    pub(crate) labels: Option<PresetLabels>,
    #[darling(flatten)]
    pub(crate) targets: Targets,
    #[darling(rename = "crate", default)]
    pub(crate) krate: Option<Path>,
}

/// `#[measure(..)]`: the user's own families only.
#[derive(FromMeta)]
pub(crate) struct MeasureArgs {
    #[darling(default)]
    pub(crate) reasons: Option<Reasons>,
    #[darling(flatten)]
    pub(crate) targets: Targets,
    #[darling(rename = "crate", default)]
    pub(crate) krate: Option<Path>,
}

/// `#[instrument_llm(..)]`.
#[derive(FromMeta)]
pub(crate) struct LlmArgs {
    /// The built-in preset's `provider` label: an expression of type `&str`, evaluated before the call.
    #[darling(default)]
    pub(crate) provider: Option<Verbatim>,
    /// The built-in preset's `model` label: an expression of type `&str`, evaluated before the call.
    #[darling(default)]
    pub(crate) model: Option<Verbatim>,
    /// A preset declared in `metrics!` (`preset llm: llm { .. }`), recorded into instead of the built-in one.
    #[darling(default)]
    pub(crate) preset: Option<Path>,
    /// The configured preset's arguments: `labels(provider = .., model = .., ..)`.
    #[darling(default)]
    pub(crate) labels: Option<PresetLabels>,
    #[darling(default)]
    pub(crate) reasons: Option<Reasons>,
    #[darling(rename = "crate", default)]
    pub(crate) krate: Option<Path>,
}

/// An expression kept as written: darling would parse a string literal's contents as an expression, and
/// `provider = "openai"` means the text.
pub(crate) struct Verbatim(pub(crate) Expr);

impl FromMeta for Verbatim {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        Ok(Self(expr.clone()))
    }
}

/// `labels(name = expr, ..)`: the arguments of a configured preset, one per label its preset leaves unbound.
pub(crate) struct PresetLabels {
    /// The `labels` keyword's span, where a `labels(..)` without a preset is reported.
    pub(crate) span: proc_macro2::Span,
    pub(crate) values: Vec<(Ident, Expr)>,
}

impl FromMeta for PresetLabels {
    fn from_meta(item: &Meta) -> darling::Result<Self> {
        let span = syn::spanned::Spanned::span(item.path());
        let Meta::List(list) = item else {
            return Err(darling::Error::custom(
                "expected `labels(name = expression, ..)`: one value per label the preset leaves to the attribute",
            )
            .with_span(item));
        };
        let items = NestedMeta::parse_meta_list(list.tokens.clone())?;
        let mut errors = darling::Error::accumulator();
        let mut values: Vec<(Ident, Expr)> = Vec::new();
        for item in &items {
            match item {
                NestedMeta::Meta(Meta::NameValue(pair)) if pair.path.get_ident().is_some() => {
                    let Some(name) = pair.path.get_ident() else {
                        continue;
                    };
                    if values.iter().any(|(n, _)| n == name) {
                        errors.push(
                            darling::Error::custom(format!("duplicate label `{name}`"))
                                .with_span(name),
                        );
                    } else {
                        values.push((name.clone(), pair.value.clone()));
                    }
                }
                other => errors
                    .push(darling::Error::custom("expected `label = expression`").with_span(other)),
            }
        }
        errors.finish()?;
        Ok(Self { span, values })
    }
}

/// The user families a run is recorded into; an option may repeat to record into several families.
#[derive(FromMeta, Default)]
pub(crate) struct Targets {
    /// A counter incremented once per run.
    #[darling(multiple)]
    pub(crate) count: Vec<Target>,
    /// A histogram observing each run's duration in seconds.
    #[darling(multiple)]
    pub(crate) duration: Vec<Target>,
    /// A gauge held up while the run is in progress.
    #[darling(multiple)]
    pub(crate) in_flight: Vec<Target>,
    /// A counter incremented once per failed run (an `Err` returned).
    #[darling(multiple)]
    pub(crate) errors: Vec<Target>,
    /// A family recording a value read from what the function returned (`returned = |r| ..`).
    #[darling(multiple)]
    pub(crate) value: Vec<Target>,
}

impl Targets {
    pub(crate) fn is_empty(&self) -> bool {
        self.count.is_empty()
            && self.duration.is_empty()
            && self.in_flight.is_empty()
            && self.errors.is_empty()
            && self.value.is_empty()
    }
}

/// Where failure reasons come from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reasons {
    /// The error type's `ErrorReason`, its reasons' series created before any run (the default).
    ErrorType,
    /// The error type's `ErrorReason`, each reason's series created at its first failure: for error types that
    /// name a generic parameter of the enclosing `impl`, which a static cannot name.
    OnFailure,
    /// One reason, `error`, whatever the error type.
    Generic,
}

const REASONS: &[(&str, Reasons)] = &[
    ("error_type", Reasons::ErrorType),
    ("on_failure", Reasons::OnFailure),
    ("generic", Reasons::Generic),
];

impl FromMeta for Reasons {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        let text = crate::diag::expect_quoted(expr)?;
        Self::from_string(&text.value()).map_err(|error| error.with_span(&text))
    }

    fn from_string(value: &str) -> darling::Result<Self> {
        REASONS
            .iter()
            .find(|(name, _)| *name == value)
            .map(|(_, r)| *r)
            .ok_or_else(|| {
                let names: Vec<_> = REASONS.iter().map(|(n, _)| format!("\"{n}\"")).collect();
                darling::Error::custom(format!(
                    "unknown `reasons` value \"{value}\": expected one of {}",
                    names.join(", ")
                ))
            })
    }
}

/// `FAMILY` or `FAMILY(label = expr, outcome, reason, status(outcome), error_type(reason), ..)`, written
/// `count(FAMILY, label = expr, ..)`.
pub(crate) struct Target {
    /// The family static, as the user names it.
    pub(crate) family: Path,
    pub(crate) labels: Vec<LabelArg>,
    /// `returned = |r| ..`: what a `value(..)` target records, read from the returned value.
    pub(crate) returned: Option<(Ident, Expr)>,
}

/// One label of a target family and where its value comes from.
pub(crate) struct LabelArg {
    pub(crate) name: Ident,
    pub(crate) value: LabelSource,
}

pub(crate) enum LabelSource {
    /// An expression of the label's type, evaluated before the body runs.
    Expr(Expr),
    /// The run's outcome, converted with `From<RunOutcome>`.
    Outcome,
    /// The failure's reason text.
    Reason,
}

impl FromMeta for Target {
    fn from_list(items: &[NestedMeta]) -> darling::Result<Self> {
        let (family, rest) = match items.split_first() {
            Some((NestedMeta::Meta(Meta::Path(path)), rest)) => (path.clone(), rest),
            Some((other, _)) => {
                return Err(darling::Error::custom(
                    "expected the family's static first, as in `count(JOBS_TOTAL, ..)`",
                )
                .with_span(other));
            }
            None => {
                return Err(darling::Error::custom(
                    "expected the family's static, as in `count(JOBS_TOTAL, ..)`",
                ));
            }
        };
        let mut errors = darling::Error::accumulator();
        let mut labels: Vec<LabelArg> = Vec::new();
        let mut returned = None;
        for item in rest {
            let parsed = match item {
                NestedMeta::Meta(Meta::Path(path)) => match path.get_ident() {
                    Some(ident) if ident == "outcome" => Some(LabelArg {
                        name: ident.clone(),
                        value: LabelSource::Outcome,
                    }),
                    Some(ident) if ident == "reason" => Some(LabelArg {
                        name: ident.clone(),
                        value: LabelSource::Reason,
                    }),
                    _ => {
                        errors.push(
                            darling::Error::custom(
                                "a label needs a value: write `label = expression`, or `outcome` / `reason` for the run's outcome and failure reason",
                            )
                            .with_span(path),
                        );
                        None
                    }
                },
                // `status(outcome)`, `error_type(reason)`: the outcome or reason into a label of another name.
                NestedMeta::Meta(Meta::List(list)) => {
                    let source = syn::parse2::<Ident>(list.tokens.clone()).ok();
                    match (list.path.get_ident(), source) {
                        (Some(name), Some(source)) if source == "outcome" || source == "reason" => {
                            Some(LabelArg {
                                name: name.clone(),
                                value: if source == "outcome" {
                                    LabelSource::Outcome
                                } else {
                                    LabelSource::Reason
                                },
                            })
                        }
                        _ => {
                            errors.push(
                                darling::Error::custom(
                                    "expected `label(outcome)` or `label(reason)`: the run's outcome or failure reason into the label `label`",
                                )
                                .with_span(&list),
                            );
                            None
                        }
                    }
                }
                NestedMeta::Meta(Meta::NameValue(pair)) if pair.path.is_ident("returned") => {
                    if let Some(ident) = pair.path.get_ident() {
                        returned = Some((ident.clone(), pair.value.clone()));
                    }
                    None
                }
                NestedMeta::Meta(Meta::NameValue(pair)) => {
                    if let Some(ident) = pair.path.get_ident() {
                        Some(LabelArg {
                            name: ident.clone(),
                            value: LabelSource::Expr(pair.value.clone()),
                        })
                    } else {
                        errors.push(
                            darling::Error::custom("a label name is a single identifier")
                                .with_span(&pair.path),
                        );
                        None
                    }
                }
                other => {
                    errors.push(
                        darling::Error::custom(
                            "expected `label = expression`, `outcome` or `reason`",
                        )
                        .with_span(other),
                    );
                    None
                }
            };
            if let Some(label) = parsed {
                if labels.iter().any(|l| l.name == label.name) {
                    errors.push(
                        darling::Error::custom(format!("duplicate label `{}`", label.name))
                            .with_span(&label.name),
                    );
                } else {
                    labels.push(label);
                }
            }
        }
        errors.finish()?;
        Ok(Self {
            family,
            labels,
            returned,
        })
    }

    fn from_word() -> darling::Result<Self> {
        Err(darling::Error::custom(
            "name the family: `count(JOBS_TOTAL, ..)`",
        ))
    }

    /// `count = JOBS_TOTAL`: a target is a list, since labels may follow the family.
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        let family = quote::ToTokens::to_token_stream(expr)
            .to_string()
            .replace(' ', "");
        Err(darling::Error::custom(format!(
            "a target is a list, the family first: write `({family}, label = value, ..)` after the option's name, without `=`"
        ))
        .with_span(expr))
    }
}
