//! Plan to tokens: the measurement statements around the untouched body.
//!
//! Every attribute expands to the same skeleton; the presets only fill in the plan differently:
//!
//! ```text
//! { preset's families linked; static operation + its link (per-function presets)
//!   label values evaluated, in-flight guards taken, operation.enter()
//!   let measure = Measure::start(|outcome, reason, elapsed| { every record });
//!   let returned = call_once(|| -> R { body })      or      async { body }.await
//!   measure.finish(outcome of `returned`)          (+ LLM usage from `returned`)
//!   returned }
//! ```
//!
//! A non-async function returning a future keeps its body building the future, then returns
//! `async move { let returned = future.await; measure.finish(..); returned }` (boxed again for a boxed return), so
//! the guard lives in the future the caller polls.
//!
//! Generated names start with `__metrics_`, and every path goes through `#krate::__private`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;
use syn::{Ident, Path, Type};

use super::args::{LabelSource, Reasons, Target, Targets};
use super::item::{Function, Shape, erase_impl_trait, static_nameable};
use super::plan::Plan;
use crate::diag::Errors;
use crate::names::to_pascal;

/// Which user target a label belongs to: prefixes its local, decides what it may use.
#[derive(Clone, Copy)]
enum Role {
    Count,
    Duration,
    InFlight,
    Errors,
    Value,
}

impl Role {
    fn word(self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Duration => "duration",
            Self::InFlight => "in_flight",
            Self::Errors => "errors",
            Self::Value => "value",
        }
    }
}

/// Checks what the types cannot: where `outcome` and `reason` can be known.
pub(crate) fn validate(plan: &Plan, function: &Function, errors: &mut Errors) {
    let mut seen: Vec<(&'static str, String)> = Vec::new();
    for (role, target) in targets(&plan.targets) {
        // The same family twice in one role records every run twice into it: a sum over the family doubles.
        // `value(..)` may read different numbers into different series of one family (input and output tokens),
        // so there only a repeat of the whole target is one.
        let family = quote::ToTokens::to_token_stream(&target.family)
            .to_string()
            .replace(' ', "");
        let key = match role {
            Role::Value => format!("{family} {}", target_text(target)),
            _ => family.clone(),
        };
        if seen.contains(&(role.word(), key.clone())) {
            errors.push(syn::Error::new(
                target.family.span(),
                format!(
                    "`{family}` is already a `{}(..)` target of this function: each run would be recorded into it twice; keep one",
                    role.word()
                ),
            ));
        } else {
            seen.push((role.word(), key));
        }
        if let Some((_, read)) = &target.returned
            && !matches!(read, syn::Expr::Closure(_) | syn::Expr::Path(_))
        {
            errors.push(syn::Error::new(
                read.span(),
                "`returned` is a closure from `&` the returned value to the number, as in `returned = |r| r.len() as u64` (or a function's path)",
            ));
        }
        match (&target.returned, role) {
            (None, Role::Value) => errors.push(syn::Error::new(
                syn::spanned::Spanned::span(&target.family),
                "`value(..)` records a value read from what the function returned: add `returned = |r| ..`, a closure from `&` the return type to the number (or an `Option` of it, `None` to record nothing)",
            )),
            (Some((key, _)), Role::Count | Role::Duration | Role::InFlight | Role::Errors) => errors.push(syn::Error::new(
                key.span(),
                format!("`returned` belongs in `value(..)`, not in `{}(..)`: move it", role.word()),
            )),
            _ => {}
        }
        for label in &target.labels {
            match (&label.value, role) {
                (LabelSource::Outcome | LabelSource::Reason, Role::InFlight) => errors.push(syn::Error::new(
                    label.name.span(),
                    format!("`{}` is not known while the run is in flight: an `in_flight(..)` gauge can only have labels with values", label.name),
                )),
                (LabelSource::Outcome | LabelSource::Reason, Role::Value) => errors.push(syn::Error::new(
                    label.name.span(),
                    format!("`{}` is not available to `value(..)`, which records only what the function returned: give the label a value", label.name),
                )),
                (LabelSource::Reason, Role::Count | Role::Duration) => errors.push(syn::Error::new(
                    label.name.span(),
                    "`reason` is known only when the run fails: use it in `errors(..)`",
                )),
                _ => {}
            }
        }
    }
    if !plan.targets.errors.is_empty() && erase_impl_trait(&function.output()).is_none() {
        errors.push(syn::Error::new(
            function.output_span(),
            "an `impl Trait` return type cannot carry a failure, but `errors(..)` records failures: return a `Result`, or remove `errors(..)`",
        ));
    }
}

/// A target's labels and reader as text, to compare two targets.
fn target_text(target: &Target) -> String {
    let mut parts: Vec<String> = target
        .labels
        .iter()
        .map(|label| {
            let value = match &label.value {
                LabelSource::Expr(expr) => quote::ToTokens::to_token_stream(expr).to_string(),
                LabelSource::Outcome => "outcome".to_owned(),
                LabelSource::Reason => "reason".to_owned(),
            };
            format!("{}={value}", label.name)
        })
        .collect();
    if let Some((_, read)) = &target.returned {
        parts.push(quote::ToTokens::to_token_stream(read).to_string());
    }
    parts.join(",")
}

fn targets(targets: &Targets) -> impl Iterator<Item = (Role, &Target)> {
    let count = targets.count.iter().map(|t| (Role::Count, t));
    let duration = targets.duration.iter().map(|t| (Role::Duration, t));
    let in_flight = targets.in_flight.iter().map(|t| (Role::InFlight, t));
    let errors = targets.errors.iter().map(|t| (Role::Errors, t));
    let value = targets.value.iter().map(|t| (Role::Value, t));
    count
        .chain(duration)
        .chain(in_flight)
        .chain(errors)
        .chain(value)
}

pub(crate) fn expand(plan: &Plan, mut function: Function) -> TokenStream {
    let p = &plan.private;
    let output = function.output();
    let output_span = function.output_span();
    let annotation = erase_impl_trait(&output);

    let mut prelude = TokenStream::new();
    let mut records = TokenStream::new();
    let mut guards: Vec<Ident> = Vec::new();
    let mut values = TokenStream::new();

    // Link-time data for a catalog's "recorded by": each target's family and role, never read on a call. Items first,
    // before any statement (`clippy::items_after_statements` in the user's crate).
    let recorders: Vec<TokenStream> = targets(&plan.targets)
        .map(|(role, target)| {
            let family = &target.family;
            let word = role.word();
            quote_spanned!(family.span()=> #p::Recorder::new(__metrics_recorder, #p::module_path!(), #word, &#family))
        })
        .collect();
    if !recorders.is_empty() {
        let count = recorders.len();
        prelude.extend(quote! {
            fn __metrics_recorder() -> &'static ::core::primitive::str {
                #p::type_name_of_val(&__metrics_recorder)
            }
            static __METRICS_RECORDERS: [#p::Recorder; #count] = [#(#recorders),*];
            #p::submit_recorders!(__METRICS_RECORDERS);
        });
    }

    if let Some(preset) = &plan.preset {
        let item = preset.preset.item(p);
        prelude.extend(quote!(#p::submit_preset!(#item);));
        if preset.preset.per_function() {
            let name = preset.name.as_ref().map_or_else(
                || quote!(::core::option::Option::None),
                |name| quote!(::core::option::Option::Some(#name)),
            );
            let declared = declared_reasons(plan, &output, &function.item.sig.generics);
            let location = quote_spanned! {function.item.sig.ident.span()=>
                #p::SourceLocation { file: #p::file!(), line: #p::line!(), column: #p::column!(), module_path: #p::module_path!() }
            };
            // The nested fn's type name is the path of the function it sits in: the `function` label value.
            prelude.extend(quote! {
                fn __metrics_function() -> &'static ::core::primitive::str {
                    #p::type_name_of_val(&__metrics_function)
                }
                static __METRICS_OPERATION: #p::Operation =
                    #p::Operation::new(&#item, #name, __metrics_function, #location, #declared);
                #p::submit_operation!(__METRICS_OPERATION);
            });
            records.extend(quote!(__METRICS_OPERATION.exit(__metrics_outcome, __metrics_reason, __metrics_elapsed);));
        }
        let per_call = per_call_locals(preset.per_call.len());
        for (local, value) in per_call.iter().zip(&preset.per_call) {
            prelude.extend(
                quote_spanned!(value.span()=> let #local: &::core::primitive::str = #value;),
            );
        }
        records.extend(preset.preset.record_call(p, &per_call));
    }

    if let Some(configured) = &plan.configured {
        // The preset's kind is checked on the user's path; the arguments are a struct literal whose fields are the
        // user's label idents and expressions, so a missing, unknown or mistyped argument is rustc's own error there.
        let path = &configured.path;
        let assert = configured.assert_fn();
        let args = configured.args_struct();
        let fields = configured
            .labels
            .iter()
            .map(|(name, value)| quote_spanned!(value.span()=> #name: #value));
        prelude.extend(quote_spanned! {path.span()=>
            #p::#assert(&#path);
        });
        // The call site, for a preset that labels by `function` or `module`: its name is derived once, on first
        // use, from the nested fn's type name (as for the built-in presets).
        prelude.extend(quote! {
            fn __metrics_function() -> &'static ::core::primitive::str {
                #p::type_name_of_val(&__metrics_function)
            }
            static __METRICS_SITE: #p::Site = #p::Site::new(__metrics_function, #p::module_path!());
            let (__metrics_preset_run, __metrics_preset_guards) =
                #path.__metrics_start(#args { #(#fields),* }, &__METRICS_SITE);
        });
        records.extend(quote!(__metrics_preset_run.__metrics_exit(__metrics_outcome, __metrics_reason, __metrics_elapsed);));
        guards.push(Ident::new(
            "__metrics_preset_guards",
            proc_macro2::Span::call_site(),
        ));
    }

    for (index, (role, target)) in targets(&plan.targets).enumerate() {
        let (locals, cell) = target_cell(p, role, index, target);
        prelude.extend(locals);
        // Through functions whose bounds name the kind each target needs, spanned on the family: a family of
        // the wrong kind is one error there.
        let at = target.family.span();
        match role {
            Role::Count => records.extend(quote_spanned!(at=> #p::count_run(#cell);)),
            Role::Duration => {
                records.extend(quote_spanned!(at=> #p::observe_run(#cell, __metrics_elapsed);));
            }
            Role::InFlight => {
                let guard = format_ident!("__metrics_in_flight_{index}");
                prelude.extend(quote_spanned!(at=> let #guard = #p::track_run(#cell);));
                guards.push(guard);
            }
            Role::Errors => {
                let count = quote_spanned!(at=> #p::count_run(#cell););
                records.extend(quote! {
                    if let ::core::option::Option::Some(__metrics_reason) = __metrics_reason {
                        #count
                    }
                });
            }
            Role::Value => {
                if let Some((_, read)) = &target.returned {
                    let span = read.span();
                    values.extend(quote_spanned! {span=>
                        #p::record_value(&*#cell, #p::read_returned(&__metrics_returned, #read));
                    });
                }
            }
        }
    }
    if !plan.targets.errors.is_empty() && annotation.is_some() {
        prelude.extend(quote_spanned!(output_span=> let _ = #p::assert_can_fail::<#output>;));
    }
    if plan
        .preset
        .as_ref()
        .is_some_and(|preset| preset.preset.per_function())
    {
        prelude.extend(quote!(__METRICS_OPERATION.enter();));
    }

    let measure = quote! {
        #[allow(unused_variables)]
        let mut __metrics_measure = #p::Measure::start(
            move |__metrics_outcome: #p::RunOutcome,
                  __metrics_reason: ::core::option::Option<&'static ::core::primitive::str>,
                  __metrics_elapsed: #p::Duration| {
                #records
            },
        );
    };

    let stmts = function.take_body();
    let run = match function.shape {
        Shape::Sync => {
            let arrow = annotation.as_ref().map(|ty| quote!(-> #ty));
            quote!(let __metrics_returned = #p::call_once(|| #arrow { #(#stmts)* });)
        }
        // Built by the body at the call, awaited inside the future returned; `finish` goes in there too.
        Shape::Future { .. } => quote!(let __metrics_future = #p::call_once(|| { #(#stmts)* });),
        Shape::Async | Shape::AsyncTrait { .. } => {
            // A `return` typed first fixes the block's type before the body is checked, so the body's own `return`s
            // coerce as they did in the function (tracing's trick).
            let typed = annotation.as_ref().map(|ty| {
                quote! {
                    #[allow(unreachable_code, clippy::diverging_sub_expression, clippy::never_loop)]
                    if false {
                        let __metrics_typed: #ty = loop {};
                        return __metrics_typed;
                    }
                }
            });
            quote!(let __metrics_returned = async { #typed #(#stmts)* }.await;)
        }
    };

    let method = match plan.reasons {
        Reasons::Generic => Ident::new("__metrics_outcome_generic", output_span),
        Reasons::ErrorType | Reasons::OnFailure => Ident::new("__metrics_outcome", output_span),
    };
    let mut usage = plan.preset.as_ref().and_then(|preset| {
        let returned = Ident::new("__metrics_returned", output_span);
        preset
            .preset
            .record_returned(p, &per_call_locals(preset.per_call.len()), &returned)
    });
    if let Some(configured) = &plan.configured
        && configured.attribute == super::plan::Preset::Llm
    {
        // Spanned on the return type, where a response without `LlmUsage` is reported.
        let returned = Ident::new("__metrics_returned", output_span);
        usage = Some(
            quote_spanned!(output_span=> __metrics_preset_run.__metrics_returned(&#returned);),
        );
    }
    let finish = quote! {
        {
            #[allow(unused_imports)]
            use #p::{ViaAnyValue as _, ViaErrorReason as _, ViaGenericError as _};
            let __metrics_outcome = (&&&#p::Tag::of(&__metrics_returned)).#method(&__metrics_returned);
            #usage
            #values
            __metrics_measure.finish(__metrics_outcome);
        }
    };

    let wrapped: syn::Block = if let Shape::Future { boxed, .. } = function.shape {
        // The guards and the measure move into the returned future (naming them moves them), so the run ends
        // when the future completes or is dropped, not when the function returns it.
        let future = quote! {
            async move {
                #(let _ = &#guards;)*
                let __metrics_returned = __metrics_future.await;
                #finish
                __metrics_returned
            }
        };
        let future = if boxed {
            quote!(::std::boxed::Box::pin(#future))
        } else {
            future
        };
        syn::parse_quote! {
            {
                #prelude
                #measure
                #run
                #future
            }
        }
    } else {
        syn::parse_quote! {
            {
                #prelude
                #measure
                #run
                #finish
                __metrics_returned
            }
        }
    };
    function.set_body(wrapped);
    let item = &function.item;
    quote!(#item)
}

/// The locals holding a per-call preset's label values, in the preset's order.
fn per_call_locals(count: usize) -> Vec<Ident> {
    (0..count)
        .map(|index| format_ident!("__metrics_per_call_{index}"))
        .collect()
}

/// The reasons listed before any run: a fn pointer when the return type can be named in a static.
fn declared_reasons(plan: &Plan, output: &Type, generics: &syn::Generics) -> TokenStream {
    let p = &plan.private;
    let method = match plan.reasons {
        Reasons::OnFailure => return quote!(::core::option::Option::None),
        Reasons::Generic => quote!(__metrics_reasons_generic),
        Reasons::ErrorType => quote!(__metrics_reasons),
    };
    static_nameable(output, generics).map_or_else(
        || quote!(::core::option::Option::None),
        |named| {
            quote! {
                ::core::option::Option::Some(|| {
                    #[allow(unused_imports)]
                    use #p::{ViaAnyValue as _, ViaErrorReason as _, ViaGenericError as _};
                    (&&&#p::Tag::<#named>::new()).#method()
                })
            }
        },
    )
}

/// The statements evaluating a target's label values, and the expression of its cell.
fn target_cell(
    p: &TokenStream,
    role: Role,
    index: usize,
    target: &Target,
) -> (TokenStream, TokenStream) {
    let family = &target.family;
    if target.labels.is_empty() {
        // `metrics!` gives every family this accessor: the one series of a family without labels, or an error
        // on the family saying to give its labels values.
        return (
            TokenStream::new(),
            quote_spanned!(family.span()=> #family.__metrics_unlabelled()),
        );
    }
    let mut locals = TokenStream::new();
    let fields = target.labels.iter().map(|label| {
        let name = &label.name;
        match &label.value {
            LabelSource::Expr(expr) => {
                let span = expr.span();
                let local = format_ident!(
                    "__metrics_{}{index}_{}",
                    role.word(),
                    name.unraw(),
                    span = span
                );
                locals.extend(quote_spanned!(span=> let #local = #expr;));
                quote_spanned!(span=> #name: #local)
            }
            LabelSource::Outcome => {
                quote_spanned!(name.span()=> #name: #p::From::from(__metrics_outcome))
            }
            LabelSource::Reason => {
                // Respanned whole: a label of the wrong type is reported on `reason`, not on the attribute.
                let value =
                    crate::diag::respan(&quote!(#p::reason_label(__metrics_reason)), name.span());
                quote!(#name: #value)
            }
        }
    });
    let fields: Vec<_> = fields.collect();
    let labels = labels_struct(family);
    (locals, quote!(#family.with(#labels { #(#fields),* })))
}

/// `path::to::JOBS_TOTAL` -> `path::to::JobsTotalLabels`: the struct `metrics!` generates beside the static.
fn labels_struct(family: &Path) -> Path {
    let mut path = family.clone();
    if let Some(last) = path.segments.last_mut() {
        let text = last.ident.unraw().to_string().to_lowercase();
        last.ident = Ident::new(&format!("{}Labels", to_pascal(&text)), last.ident.span());
    }
    path
}
