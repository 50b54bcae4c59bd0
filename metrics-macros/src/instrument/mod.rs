//! `#[instrument_job]`, `#[instrument_tool]`, `#[instrument_llm]` and `#[measure]`: one expansion for the four
//! attributes, three of which record into a built-in preset.
//!
//! `parse` reads the function (`item.rs`) and the arguments (`args.rs`, darling); the entry points turn the
//! arguments into a [`Plan`] (`plan.rs`, with the preset enum); `expand.rs` wraps the body. On any error the
//! function is emitted unchanged beside the error, so one mistake gives one error and the rest of the crate still
//! resolves the function.

mod args;
mod expand;
mod item;
mod plan;

use darling::FromMeta;
use darling::ast::NestedMeta;
use metrics_rules::label::{LabelValueError, check_label_value};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned as _;
use syn::{LitStr, Path};

use crate::diag::Errors;
use args::{LlmArgs, MeasureArgs, OperationArgs, PresetLabels, Reasons, Targets};
use item::{Function, Parsed};
use plan::{Configured, Plan, Preset, PresetPlan};

pub(crate) fn instrument_job(args: TokenStream, item: TokenStream) -> TokenStream {
    per_function(args, item, "instrument_job", Preset::Job)
}

pub(crate) fn instrument_tool(args: TokenStream, item: TokenStream) -> TokenStream {
    per_function(args, item, "instrument_tool", Preset::Tool)
}

pub(crate) fn instrument_llm(args: TokenStream, item: TokenStream) -> TokenStream {
    run(
        args,
        item,
        "instrument_llm",
        |args: LlmArgs, _: &Function, errors: &mut Errors| {
            let reasons = args.reasons.unwrap_or(Reasons::ErrorType);
            let configured = configured(Preset::Llm, args.preset, args.labels, errors);
            let preset = if configured.is_some() {
                for given in [&args.provider, &args.model].into_iter().flatten() {
                    errors.push(syn::Error::new(
                        given.0.span(),
                        "with `preset = ..`, the provider and model are labels of your own families: give them in `labels(..)`",
                    ));
                }
                None
            } else {
                match (args.provider, args.model) {
                    (Some(provider), Some(model)) => Some(PresetPlan {
                        preset: Preset::Llm,
                        name: None,
                        per_call: vec![provider.0, model.0],
                    }),
                    (provider, _) => {
                        let missing = if provider.is_none() {
                            "provider"
                        } else {
                            "model"
                        };
                        return Err(syn::Error::new(
                            Span::call_site(),
                            format!(
                                "missing `{missing}`: the built-in LLM families are labelled by `provider = ..` and `model = ..` (each a `&str`); or record into your own with `preset = ..`"
                            ),
                        ));
                    }
                }
            };
            Ok(Plan {
                private: private(args.krate.as_ref()),
                preset,
                configured,
                targets: Targets::default(),
                reasons,
            })
        },
    )
}

/// `preset = path` and `labels(..)`: a configured preset, or an error for `labels(..)` without one.
fn configured(
    attribute: Preset,
    preset: Option<Path>,
    labels: Option<PresetLabels>,
    errors: &mut Errors,
) -> Option<Configured> {
    match (preset, labels) {
        (Some(path), labels) => Some(Configured {
            attribute,
            path,
            labels: labels.map(|l| l.values).unwrap_or_default(),
        }),
        (None, Some(labels)) => {
            errors.push(syn::Error::new(
                labels.span,
                "`labels(..)` gives the arguments of a preset declared in `metrics!`: add `preset = path::TO_PRESET`, or remove it",
            ));
            None
        }
        (None, None) => None,
    }
}

pub(crate) fn measure(args: TokenStream, item: TokenStream) -> TokenStream {
    run(args, item, "measure", |args: MeasureArgs, _, _| {
        if args.targets.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                "`#[measure]` needs at least one family to record into: `count(..)`, `duration(..)`, `in_flight(..)`, `errors(..)` or `value(..)`",
            ));
        }
        Ok(Plan {
            private: private(args.krate.as_ref()),
            preset: None,
            configured: None,
            targets: args.targets,
            reasons: args.reasons.unwrap_or(Reasons::ErrorType),
        })
    })
}

/// `#[instrument_job]` and `#[instrument_tool]`: the preset's families, or the user's own when any is named.
fn per_function(
    args: TokenStream,
    item: TokenStream,
    attribute: &'static str,
    preset: Preset,
) -> TokenStream {
    run(
        args,
        item,
        attribute,
        |args: OperationArgs, _: &Function, errors: &mut Errors| {
            let configured = configured(preset, args.preset, args.labels, errors);
            let preset = if args.targets.is_empty() {
                let name = args
                    .name
                    .map(crate::diag::Quoted::into_inner)
                    .inspect(|name| check_name(name, errors));
                Some(PresetPlan {
                    preset,
                    name,
                    per_call: Vec::new(),
                })
            } else {
                if let Some(name) = &args.name {
                    errors.push(syn::Error::new(name.span(), NAME_UNUSED));
                }
                None
            };
            // A configured preset replaces the built-in families too.
            let preset = match (configured.is_some(), preset) {
                (true, Some(built_in)) => {
                    if let Some(name) = built_in.name {
                        errors.push(syn::Error::new(name.span(), NAME_UNUSED));
                    }
                    None
                }
                (_, preset) => preset,
            };
            Ok(Plan {
                private: private(args.krate.as_ref()),
                preset,
                configured,
                targets: args.targets,
                reasons: args.reasons.unwrap_or(Reasons::ErrorType),
            })
        },
    )
}

/// `name` with a preset of the user's or the user's own families.
const NAME_UNUSED: &str = "`name` sets the `function` label of the built-in families, which are not used when the attribute records into a preset of yours or your own families: remove it";

/// The shared driver: parse the function, then the arguments, then validate and expand.
fn run<A: FromMeta>(
    args: TokenStream,
    item: TokenStream,
    attribute: &'static str,
    plan: impl FnOnce(A, &Function, &mut Errors) -> syn::Result<Plan>,
) -> TokenStream {
    // Every error path emits the function unchanged beside the error, so the rest of the crate still finds it.
    let parsed = item::parse(item.clone(), attribute);
    let unchanged =
        move |errors: TokenStream| -> TokenStream { item.into_iter().chain(errors).collect() };
    let function = match parsed {
        Parsed::Function(function) => *function,
        Parsed::Rejected(error) | Parsed::Unparsable(error) => {
            return unchanged(error.into_compile_error());
        }
    };
    let args = match NestedMeta::parse_meta_list(args)
        .map_err(darling::Error::from)
        .and_then(|list| no_bare_value(&list, attribute).map(|()| list))
        .and_then(|list| A::from_list(&list))
    {
        Ok(args) => args,
        Err(error) => return unchanged(error.write_errors()),
    };
    let mut errors = Errors::default();
    let plan = match plan(args, &function, &mut errors) {
        Ok(plan) => plan,
        Err(error) => return unchanged(error.into_compile_error()),
    };
    expand::validate(&plan, &function, &mut errors);
    if !errors.is_empty() {
        return unchanged(errors.into_tokens());
    }
    expand::expand(&plan, function)
}

/// `#[instrument_job("send")]`: darling would say "Unexpected meta-item format `literal`".
fn no_bare_value(list: &[NestedMeta], attribute: &str) -> darling::Result<()> {
    let Some(NestedMeta::Lit(bare)) = list.iter().find(|item| matches!(item, NestedMeta::Lit(_)))
    else {
        return Ok(());
    };
    let example = match bare {
        syn::Lit::Str(text) if matches!(attribute, "instrument_job" | "instrument_tool") => {
            format!(": for the `function` label, `name = \"{}\"`", text.value())
        }
        _ => String::new(),
    };
    Err(darling::Error::custom(format!(
        "`#[{attribute}]` takes `key = value` options and targets like `count(FAMILY, ..)`, not a bare value{example}"
    ))
    .with_span(bare))
}

/// `name` is a label value, so it follows the label value rule, worded for the argument.
fn check_name(name: &LitStr, errors: &mut Errors) {
    let text = name.value();
    match check_label_value(&text) {
        Ok(()) => {}
        Err(LabelValueError::Empty) => errors.push(syn::Error::new(
            name.span(),
            "`name` must not be empty: it is the value of the `function` label",
        )),
        Err(LabelValueError::Control { text, c }) => errors.push(syn::Error::new(
            name.span(),
            format!("`name` {text:?} contains the control character {c:?}: remove it"),
        )),
    }
}

fn private(krate: Option<&Path>) -> TokenStream {
    krate.map_or_else(
        || quote!(::metrics_core::__private),
        |krate| quote!(#krate::__private),
    )
}
