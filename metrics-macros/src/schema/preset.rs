//! `preset` items of `metrics!`: the families an instrumentation attribute records into, declared beside them.
//!
//! ```text
//! preset jobs: job {
//!     duration = job_latency_seconds { phase = Phase::Run },   // a fixed value
//!     runs = job_runs_total { status = outcome },              // the run's outcome, `From<RunOutcome>`
//!     failures = job_errors_total { error_type = reason },     // the failure's reason, a `BoundedStr` label
//!     in_flight = worker_inflight_jobs,                        // every other label: an argument
//! }
//! ```
//!
//! A preset is checked here against the families of its block (each role's family exists and has the role's kind,
//! each binding names a label of it, an argument has one type across the roles), and generated as a static of a
//! type of its own with two hidden methods: `__metrics_start` takes the arguments (a struct `{Name}PresetArgs`
//! whose fields are the unbound labels) and enters the in-flight gauges, and the run it returns records the
//! finished call. Label types are therefore checked by rustc on the user's own tokens: a fixed value or an
//! outcome label of the wrong type here, a missing or mistyped argument at the attribute. Model, validation and
//! expansion are one file because a preset is small and reads only the validated families.

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, ExprLit, Ident, Lit, Meta, Type, Visibility};

use super::ast::{BindingAst, PresetAst, RoleAst};
use super::model::{Cell, FamilyModel, LabelKind};
use crate::diag::{Errors, one_of};
use crate::names::{closest, to_pascal};

/// Which attribute takes the preset.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum PresetKind {
    Job,
    Tool,
    Llm,
}

impl PresetKind {
    const ALL: [(&'static str, Self); 3] =
        [("job", Self::Job), ("tool", Self::Tool), ("llm", Self::Llm)];

    fn marker(self) -> &'static str {
        match self {
            Self::Job => "JobPreset",
            Self::Tool => "ToolPreset",
            Self::Llm => "LlmPreset",
        }
    }

    fn attribute(self) -> &'static str {
        match self {
            Self::Job => "#[instrument_job]",
            Self::Tool => "#[instrument_tool]",
            Self::Llm => "#[instrument_llm]",
        }
    }

    /// The roles the kind records, by the word written in the preset.
    fn roles(self) -> &'static [(&'static str, Role)] {
        match self {
            Self::Job | Self::Tool => &[
                ("runs", Role::Runs),
                ("duration", Role::Duration),
                ("in_flight", Role::InFlight),
                ("failures", Role::Failures),
            ],
            Self::Llm => &[
                ("requests", Role::Runs),
                ("duration", Role::Duration),
                ("in_flight", Role::InFlight),
                ("failures", Role::Failures),
                ("tokens", Role::Tokens),
                ("cost", Role::Cost),
            ],
        }
    }
}

/// What a role records into its family.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A counter, once per finished call (`outcome` may label it).
    Runs,
    /// A histogram of the call's seconds (`outcome` may label it).
    Duration,
    /// A gauge held up while the call runs.
    InFlight,
    /// A counter, once per call that returned an error (`reason` may label it).
    Failures,
    /// A counter of the response's tokens, once per direction (`direction` labels it).
    Tokens,
    /// A float counter of the response's cost in US dollars.
    Cost,
}

impl Role {
    fn cell_fits(self, cell: &Cell) -> bool {
        match self {
            Self::Runs | Self::Failures | Self::Tokens => matches!(cell, Cell::Counter),
            Self::Cost => matches!(cell, Cell::FloatCounter),
            Self::Duration => matches!(cell, Cell::Histogram(_)),
            Self::InFlight => matches!(cell, Cell::Gauge),
        }
    }

    fn expected_family(self) -> &'static str {
        match self {
            Self::Runs | Self::Failures | Self::Tokens => "a `counter` (`u64`)",
            Self::Cost => "a `counter` of `f64`",
            Self::Duration => "a `histogram` (seconds)",
            Self::InFlight => "a `gauge` (`i64`)",
        }
    }

    fn source_allowed(self, source: Special) -> bool {
        match source {
            Special::Outcome => matches!(self, Self::Runs | Self::Duration),
            Special::Reason => self == Self::Failures,
            Special::Direction => self == Self::Tokens,
            Special::Function | Special::Module => true,
        }
    }
}

/// A value the attribute supplies at run time.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Special {
    Outcome,
    Reason,
    Direction,
    /// The instrumented function's path inside its module (`run`, `Worker::run`).
    Function,
    /// The instrumented function's module path.
    Module,
}

impl Special {
    fn from_ident(ident: &Ident) -> Option<Self> {
        match ident.unraw().to_string().as_str() {
            "outcome" => Some(Self::Outcome),
            "reason" => Some(Self::Reason),
            "direction" => Some(Self::Direction),
            "function" => Some(Self::Function),
            "module" => Some(Self::Module),
            _ => None,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Self::Outcome => "outcome",
            Self::Reason => "reason",
            Self::Direction => "direction",
            Self::Function => "function",
            Self::Module => "module",
        }
    }

    /// Whether the value is the call site's (`function`, `module`), read from the attribute's `Site`.
    fn of_site(self) -> bool {
        matches!(self, Self::Function | Self::Module)
    }

    fn where_allowed(self) -> &'static str {
        match self {
            Self::Outcome => "the run's outcome is known in `runs`/`requests` and `duration`",
            Self::Reason => "a failure's reason is known in `failures` only",
            Self::Direction => "a token direction is known in `tokens` only",
            Self::Function | Self::Module => "the call site is known in every role",
        }
    }
}

/// Where one label of a role's family takes its value from.
enum Source {
    /// The argument of the label's name, given at the attribute.
    Arg,
    /// A value written in the preset.
    Fixed(Box<Expr>),
    /// A value the attribute supplies, and the preset's token it is reported on.
    Special(Special, Span),
}

struct RoleModel {
    role: Role,
    /// Whether a label takes the call site's `function` or `module`.
    uses_site: bool,
    /// The family's static, spanned on the preset's token.
    family: Ident,
    /// Its labels struct; `None` for a family without labels.
    labels_struct: Option<Ident>,
    fields: Vec<(Ident, Source)>,
}

enum ArgType {
    Enum(Box<Type>),
    Str,
}

struct ArgModel {
    ident: Ident,
    ty: ArgType,
    /// Read when the call ends (by any role but `in_flight`): kept in the run.
    at_exit: bool,
}

pub(crate) struct PresetModel {
    cfg_attrs: Vec<Attribute>,
    doc: Vec<Attribute>,
    vis: Visibility,
    ident: Ident,
    kind: PresetKind,
    roles: Vec<RoleModel>,
    args: Vec<ArgModel>,
}

/// Validates every preset of a block against its validated families.
pub(crate) fn validate(
    presets: Vec<PresetAst>,
    families: &[FamilyModel],
    errors: &mut Errors,
) -> Vec<PresetModel> {
    let statics: HashSet<String> = families
        .iter()
        .map(|f| f.ident.unraw().to_string().to_uppercase())
        .collect();
    let mut seen = HashSet::new();
    let mut models = Vec::new();
    for preset in presets {
        let upper = preset.name.unraw().to_string().to_uppercase();
        if statics.contains(&upper) {
            errors.push(syn::Error::new(
                preset.name.span(),
                format!("preset `{}` would be the static `{upper}`, which a family of this block already is: rename the preset", preset.name),
            ));
            continue;
        }
        if !seen.insert(upper) {
            errors.push(syn::Error::new(
                preset.name.span(),
                format!(
                    "preset `{}` is declared twice in this block: rename one",
                    preset.name
                ),
            ));
            continue;
        }
        if let Some(model) = validate_preset(preset, families, errors) {
            models.push(model);
        }
    }
    models
}

fn validate_preset(
    preset: PresetAst,
    families: &[FamilyModel],
    errors: &mut Errors,
) -> Option<PresetModel> {
    let kind_text = preset.kind.unraw().to_string();
    let Some(kind) = PresetKind::ALL
        .iter()
        .find(|(word, _)| *word == kind_text)
        .map(|(_, kind)| *kind)
    else {
        errors.push(syn::Error::new(
            preset.kind.span(),
            format!(
                "unknown preset kind `{kind_text}`: expected {} (the attribute that takes the preset)",
                one_of(&PresetKind::ALL.map(|(w, _)| format!("`{w}`")))
            ),
        ));
        return None;
    };
    if !to_pascal(&preset.name.unraw().to_string()).starts_with(|c: char| c.is_ascii_alphabetic()) {
        errors.push(syn::Error::new(
            preset.name.span(),
            "a preset's name needs a letter to start the names generated from it: name it like `jobs`",
        ));
        return None;
    }
    let (cfg_attrs, doc) = check_preset_attrs(&preset.attrs, errors);
    if preset.roles.is_empty() {
        errors.push(syn::Error::new(
            preset.name.span(),
            format!(
                "preset `{}` records nothing: give it at least one role, {}",
                preset.name,
                one_of(
                    &kind
                        .roles()
                        .iter()
                        .map(|(w, _)| format!("`{w} = family`"))
                        .collect::<Vec<_>>()
                )
            ),
        ));
    }
    let mut roles: Vec<RoleModel> = Vec::new();
    let mut args: Vec<ArgModel> = Vec::new();
    for role in &preset.roles {
        if let Some(model) = validate_role(role, kind, families, &roles, &mut args, errors) {
            roles.push(model);
        }
    }
    Some(PresetModel {
        cfg_attrs,
        doc,
        vis: preset.vis,
        ident: preset.name,
        kind,
        roles,
        args,
    })
}

/// `///` docs and `#[cfg(..)]` are kept; anything else is refused as on a family.
fn check_preset_attrs(
    attrs: &[Attribute],
    errors: &mut Errors,
) -> (Vec<Attribute>, Vec<Attribute>) {
    let mut cfgs = Vec::new();
    let mut docs = Vec::new();
    for attr in attrs {
        if attr.path().is_ident("doc")
            && let Meta::NameValue(nv) = &attr.meta
            && let Expr::Lit(ExprLit {
                lit: Lit::Str(_), ..
            }) = &nv.value
        {
            docs.push(attr.clone());
        } else if attr.path().is_ident("cfg") {
            cfgs.push(attr.clone());
        } else {
            errors.push(syn::Error::new_spanned(
                attr,
                "unsupported attribute on a preset: only `///` doc comments and `#[cfg(..)]` are accepted",
            ));
        }
    }
    (cfgs, docs)
}

fn validate_role(
    role: &RoleAst,
    kind: PresetKind,
    families: &[FamilyModel],
    earlier: &[RoleModel],
    args: &mut Vec<ArgModel>,
    errors: &mut Errors,
) -> Option<RoleModel> {
    let word = role.role.unraw().to_string();
    let Some(which) = kind
        .roles()
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, r)| *r)
    else {
        let words: Vec<&str> = kind.roles().iter().map(|(w, _)| *w).collect();
        let hint = closest(&word, &words)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        errors.push(syn::Error::new(
            role.role.span(),
            format!(
                "unknown role `{word}` for a `{}` preset: expected {}{hint}",
                PresetKind::ALL
                    .iter()
                    .find(|(_, k)| *k == kind)
                    .map_or("", |(w, _)| w),
                one_of(&words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>())
            ),
        ));
        return None;
    };
    if earlier.iter().any(|r| r.role == which) {
        errors.push(syn::Error::new(
            role.role.span(),
            format!("duplicate role `{word}`: a preset records each role into one family (add more with `count(..)`, `duration(..)`, .. at the attribute)"),
        ));
        return None;
    }
    let family_text = role.family.unraw().to_string();
    let Some(family) = families.iter().find(|f| f.ident.unraw() == family_text) else {
        let names: Vec<String> = families
            .iter()
            .map(|f| f.ident.unraw().to_string())
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let hint = closest(&family_text, &refs)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        errors.push(syn::Error::new(
            role.family.span(),
            format!("no family `{family_text}` in this `metrics!` block: a preset records into families declared beside it{hint}"),
        ));
        return None;
    };
    if family.observe.is_some() {
        errors.push(syn::Error::new(
            role.family.span(),
            format!("`{family_text}` is read at scrape time (`observe = ..`): a preset cannot record into it"),
        ));
        return None;
    }
    if !which.cell_fits(&family.cell) {
        errors.push(syn::Error::new(
            role.family.span(),
            format!(
                "`{word}` records into {}, and `{family_text}` is not one",
                which.expected_family()
            ),
        ));
        return None;
    }
    let mut ok = true;
    let mut fields: Vec<(Ident, Source)> = Vec::new();
    let mut bound: HashSet<String> = HashSet::new();
    for binding in &role.bindings {
        let label_text = binding.label.unraw().to_string();
        let Some(label) = family.labels.iter().find(|l| l.ident.unraw() == label_text) else {
            let names: Vec<String> = family
                .labels
                .iter()
                .map(|l| format!("`{}`", l.ident.unraw()))
                .collect();
            errors.push(syn::Error::new(
                binding.label.span(),
                if names.is_empty() {
                    format!("`{family_text}` has no labels, so nothing can be bound: remove `{label_text}`")
                } else {
                    format!("`{family_text}` has no label `{label_text}`: its labels are {}", one_of(&names))
                },
            ));
            ok = false;
            continue;
        };
        if !bound.insert(label_text.clone()) {
            errors.push(syn::Error::new(
                binding.label.span(),
                format!("duplicate binding of `{label_text}`"),
            ));
            ok = false;
            continue;
        }
        let source = match binding_source(binding) {
            Ok(source) => source,
            Err(error) => {
                errors.push(error);
                ok = false;
                continue;
            }
        };
        if let Source::Special(special, span) = &source {
            let span = *span;
            if !which.source_allowed(*special) {
                errors.push(syn::Error::new(
                    span,
                    format!(
                        "`{}` cannot label `{word}`: {}",
                        special.word(),
                        special.where_allowed()
                    ),
                ));
                ok = false;
                continue;
            }
            if matches!(
                special,
                Special::Reason | Special::Function | Special::Module
            ) && !matches!(label.kind, LabelKind::Bounded { .. })
            {
                let what = match special {
                    Special::Reason => "the failure's reason",
                    Special::Function => "the function's name",
                    _ => "the function's module",
                };
                errors.push(syn::Error::new(
                    label.ty_span,
                    format!("`{label_text}` carries {what}, an open set of texts: declare it `BoundedStr<CAP>`"),
                ));
                ok = false;
                continue;
            }
        }
        // The preset's own token, so that rustc reports a type error (a fixed value, an outcome label without
        // `From<RunOutcome>`) on the binding.
        fields.push((binding.label.clone(), source));
    }
    if which == Role::Tokens
        && !fields
            .iter()
            .any(|(_, s)| matches!(s, Source::Special(Special::Direction, _)))
    {
        errors.push(syn::Error::new(
            role.family.span(),
            format!("`tokens` records input and output tokens apart: bind a `Direction` label of `{family_text}` to `direction`, as in `tokens = {family_text} {{ direction }}`"),
        ));
        ok = false;
    }
    // Every label left unbound is an argument of the attribute, of the label's type.
    for label in &family.labels {
        if bound.contains(&label.ident.unraw().to_string()) {
            continue;
        }
        let ty = match &label.kind {
            LabelKind::Enum(ty) => ArgType::Enum(Box::new(ty.clone())),
            LabelKind::Bounded { .. } | LabelKind::Text => ArgType::Str,
        };
        let at_exit = which != Role::InFlight;
        if let Some(arg) = args
            .iter_mut()
            .find(|a| a.ident.unraw() == label.ident.unraw())
        {
            if !same_type(&arg.ty, &ty) {
                errors.push(syn::Error::new(
                    role.family.span(),
                    format!(
                        "the argument `{}` is `{}` in an earlier role and `{}` in `{family_text}`: one argument has one type, so rename a label or bind it in the preset",
                        label.ident.unraw(),
                        type_text(&arg.ty),
                        type_text(&ty)
                    ),
                ));
                ok = false;
            }
            arg.at_exit |= at_exit;
        } else {
            args.push(ArgModel {
                ident: label.ident.clone(),
                ty,
                at_exit,
            });
        }
        fields.push((label.ident.clone(), Source::Arg));
    }
    if !ok {
        return None;
    }
    let upper = format_ident!("{}", family_text.to_uppercase(), span = role.family.span());
    let labels_struct = (!family.labels.is_empty()).then(|| {
        format_ident!(
            "{}Labels",
            to_pascal(&family_text),
            span = role.family.span()
        )
    });
    let uses_site = fields
        .iter()
        .any(|(_, s)| matches!(s, Source::Special(special, _) if special.of_site()));
    Some(RoleModel {
        role: which,
        uses_site,
        family: upper,
        labels_struct,
        fields,
    })
}

fn binding_source(binding: &BindingAst) -> syn::Result<Source> {
    match &binding.value {
        None => Special::from_ident(&binding.label).map(|s| Source::Special(s, binding.label.span())).ok_or_else(|| {
            syn::Error::new(
                binding.label.span(),
                format!(
                    "a bound label needs a value: write `{} = value`; only `outcome`, `reason`, `direction`, `function` and `module` stand alone (`reason` for `reason = reason`)",
                    binding.label.unraw()
                ),
            )
        }),
        Some(Expr::Path(path)) if path.qself.is_none() && path.attrs.is_empty() => {
            match path.path.get_ident().and_then(Special::from_ident) {
                Some(special) => Ok(Source::Special(special, path.span())),
                None => Ok(Source::Fixed(Box::new(Expr::Path(path.clone())))),
            }
        }
        Some(other) => Ok(Source::Fixed(Box::new(other.clone()))),
    }
}

fn same_type(a: &ArgType, b: &ArgType) -> bool {
    match (a, b) {
        (ArgType::Str, ArgType::Str) => true,
        (ArgType::Enum(a), ArgType::Enum(b)) => quote!(#a).to_string() == quote!(#b).to_string(),
        _ => false,
    }
}

fn type_text(ty: &ArgType) -> String {
    match ty {
        ArgType::Str => "&str".to_owned(),
        ArgType::Enum(ty) => quote!(#ty).to_string().replace(' ', ""),
    }
}

/// The preset's items: its type and static, the arguments struct, the run, and their methods.
pub(crate) fn expand(preset: &PresetModel, p: &TokenStream) -> TokenStream {
    let span = preset.ident.span();
    let text = preset.ident.unraw().to_string();
    let pascal = to_pascal(&text);
    let ty = format_ident!("{}Preset", pascal, span = span);
    let args_ty = format_ident!("{}PresetArgs", pascal, span = span);
    let run_ty = format_ident!("{}PresetRun", pascal, span = span);
    let static_ident = format_ident!("{}", text.to_uppercase(), span = span);
    let vis = &preset.vis;
    let cfgs = &preset.cfg_attrs;
    let marker = Ident::new(preset.kind.marker(), Span::call_site());
    let attribute = preset.kind.attribute();

    let default_doc = format!(
        "The `{text}` preset: what `{attribute}(preset = {static_ident}, labels(..))` records, and into which families of its `metrics!` block."
    );
    let doc = if preset.doc.is_empty() {
        quote!(#[doc = #default_doc])
    } else {
        let docs = &preset.doc;
        quote!(#(#docs)*)
    };
    // Each borrowed argument has its own lifetime, and the run keeps only those read at the end of the call: an
    // argument read only on entry (`worker_id = &self.id` for an in-flight gauge) stays borrowed only for the
    // start, so the body may take `&mut self`.
    let lifetime = |arg: &ArgModel| {
        syn::Lifetime::new(
            &format!("'__metrics_{}", arg.ident.unraw()),
            Span::call_site(),
        )
    };
    let arg_type = |arg: &ArgModel| match &arg.ty {
        ArgType::Enum(ty) => quote!(#ty),
        ArgType::Str => {
            let lifetime = lifetime(arg);
            quote!(&#lifetime ::core::primitive::str)
        }
    };
    let generics = |args: &[&ArgModel]| {
        let lifetimes: Vec<_> = args
            .iter()
            .filter(|a| matches!(a.ty, ArgType::Str))
            .map(|a| lifetime(a))
            .collect();
        if lifetimes.is_empty() {
            quote!()
        } else {
            quote!(<#(#lifetimes),*>)
        }
    };
    let all_args: Vec<&ArgModel> = preset.args.iter().collect();
    let args_generics = generics(&all_args);
    let arg_fields = preset.args.iter().map(|arg| {
        let ident = &arg.ident;
        let doc = format!("The `{}` label.", ident.unraw());
        let ty = arg_type(arg);
        quote!(#[doc = #doc] pub #ident: #ty)
    });
    let exit_args: Vec<&ArgModel> = preset.args.iter().filter(|a| a.at_exit).collect();
    let run_generics = generics(&exit_args);
    let run_fields = exit_args.iter().map(|arg| {
        let ident = &arg.ident;
        let ty = arg_type(arg);
        quote!(#ident: #ty)
    });
    let mut run_init: Vec<TokenStream> = exit_args
        .iter()
        .map(|arg| {
            let ident = &arg.ident;
            quote!(#ident: args.#ident)
        })
        .collect();
    let mut run_fields: Vec<TokenStream> = run_fields.collect();
    // The call site, kept only when a role read at the end of the call labels by `function` or `module`.
    if preset
        .roles
        .iter()
        .any(|r| r.uses_site && r.role != Role::InFlight)
    {
        run_fields.push(quote!(__metrics_site: &'static #p::Site));
        run_init.push(quote!(__metrics_site: site));
    }

    let cell = |role: &RoleModel, source: &TokenStream, site: &TokenStream| -> TokenStream {
        let family = &role.family;
        let Some(labels) = &role.labels_struct else {
            return quote!(#p::Deref::deref(&#family));
        };
        let fields = role.fields.iter().map(|(label, value)| match value {
            Source::Arg => quote!(#label: #source.#label),
            Source::Fixed(expr) => quote_spanned!(expr.span()=> #label: #expr),
            Source::Special(Special::Outcome, span) => {
                quote_spanned!(*span=> #label: #p::From::from(outcome))
            }
            Source::Special(Special::Reason, span) => quote_spanned!(*span=> #label: reason),
            Source::Special(Special::Direction, span) => quote_spanned!(*span=> #label: direction),
            Source::Special(Special::Function, span) => {
                quote_spanned!(*span=> #label: #site.function())
            }
            Source::Special(Special::Module, span) => {
                quote_spanned!(*span=> #label: #site.module())
            }
        });
        quote!(#family.with(#labels { #(#fields),* }))
    };
    let mut guards = Vec::new();
    let mut exit = TokenStream::new();
    let mut returned = TokenStream::new();
    let self_source = quote!(self);
    let run_site = quote!(self.__metrics_site);
    let start_site = quote!(site);
    for role in &preset.roles {
        match role.role {
            Role::InFlight => {
                let cell = cell(role, &quote!(args), &start_site);
                guards.push(quote!(#cell.track_inflight()));
            }
            Role::Runs => {
                let cell = cell(role, &self_source, &run_site);
                exit.extend(quote!(#cell.inc();));
            }
            Role::Duration => {
                let cell = cell(role, &self_source, &run_site);
                exit.extend(quote!(#cell.observe_duration(elapsed);));
            }
            Role::Failures => {
                let cell = cell(role, &self_source, &run_site);
                exit.extend(
                    quote!(if let ::core::option::Option::Some(reason) = reason { #cell.inc(); }),
                );
            }
            Role::Tokens => {
                let cell = cell(role, &self_source, &run_site);
                returned.extend(quote! {
                    {
                        let direction = #p::Direction::In;
                        #cell.inc_by(#p::LlmUsage::input_tokens(usage));
                    }
                    {
                        let direction = #p::Direction::Out;
                        #cell.inc_by(#p::LlmUsage::output_tokens(usage));
                    }
                });
            }
            Role::Cost => {
                let cell = cell(role, &self_source, &run_site);
                returned.extend(quote! {
                    if let ::core::option::Option::Some(cost) = #p::LlmUsage::cost_usd(usage) {
                        // A negative or non-finite cost is refused by the counter, as for any `inc_by`.
                        let _ = #cell.inc_by(cost);
                    }
                });
            }
        }
    }
    let guard_types = guards.iter().map(|_| quote!(#p::InFlight));
    // Only a preset that reads the response (`tokens`, `cost`) asks the return type for `LlmUsage`.
    let returned_fn = (preset.kind == PresetKind::Llm).then(|| {
        if returned.is_empty() {
            quote! {
                /// Reads nothing from the response: the preset has no `tokens` or `cost` role.
                #[doc(hidden)]
                #[inline]
                #[allow(unused_variables)]
                pub fn __metrics_returned<R: ?::core::marker::Sized>(self, returned: &R) {}
            }
        } else {
            quote! {
                /// Records the tokens and cost of `returned`, when it is a response.
                #[doc(hidden)]
                #[inline]
                #[allow(unused_variables)]
                pub fn __metrics_returned<R: #p::LlmResponse + ?::core::marker::Sized>(self, returned: &R) {
                    if let ::core::option::Option::Some(usage) = #p::LlmResponse::usage(returned) {
                        #returned
                    }
                }
            }
        }
    });
    let args_doc = format!(
        "The arguments of [`{static_ident}`], written `labels(..)` at the attribute: one field per label of its families that the preset does not bind."
    );
    let run_doc =
        format!("One call recorded by [`{static_ident}`], between its start and its end.");
    let type_doc = format!("The type of [`{static_ident}`].");
    quote! {
        #(#cfgs)*
        #[doc = #type_doc]
        #[derive(::core::fmt::Debug)]
        #vis struct #ty {
            _private: (),
        }

        #(#cfgs)*
        #[doc = #args_doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
        #vis struct #args_ty #args_generics {
            #(#arg_fields,)*
        }

        #(#cfgs)*
        #[doc = #run_doc]
        #[doc(hidden)]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
        #vis struct #run_ty #run_generics {
            #(#run_fields,)*
        }

        #(#cfgs)*
        #doc
        #vis static #static_ident: #ty = #ty { _private: () };

        #(#cfgs)*
        #[doc(hidden)]
        const _: () = {
            #[automatically_derived]
            impl #p::#marker for #ty {}

            #[automatically_derived]
            impl #ty {
                /// Enters the in-flight gauges and keeps what the end of the call records.
                #[doc(hidden)]
                #[inline]
                #[allow(unused_variables)]
                pub fn __metrics_start #args_generics(
                    &self,
                    args: #args_ty #args_generics,
                    site: &'static #p::Site,
                ) -> (#run_ty #run_generics, (#(#guard_types,)*)) {
                    let guards = (#(#guards,)*);
                    (#run_ty { #(#run_init,)* }, guards)
                }
            }

            #[automatically_derived]
            impl #run_generics #run_ty #run_generics {
                /// Records the finished call.
                #[doc(hidden)]
                #[inline]
                #[allow(unused_variables)]
                pub fn __metrics_exit(
                    self,
                    outcome: #p::RunOutcome,
                    reason: ::core::option::Option<&'static ::core::primitive::str>,
                    elapsed: #p::Duration,
                ) {
                    #exit
                }

                #returned_fn
            }
        };
    }
}
