//! AST to model: one `check_*` per rule, every error collected (never `?` between independent rules).

use std::collections::HashSet;
use syn::ext::IdentExt as _;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, GenericArgument, Lit, Meta, PathArguments, Type};

use super::ast::{BUCKET_PRESETS, BucketsAst, FamilyAst, LabelAst, Number, OptionValue, SchemaAst};
use super::model::{Buckets, Cell, FamilyModel, Kind, LabelKind, LabelModel, Model};
use crate::diag::Errors;
use crate::names;

/// Series a family may have unless it says `budget = N`.
pub(crate) const DEFAULT_BUDGET: u64 = 1000;
const MAX_LABELS: usize = 16;

pub(crate) fn validate(ast: SchemaAst, errors: &mut Errors) -> Model {
    for error in ast.errors {
        errors.push(error);
    }
    let krate = ast
        .krate
        .unwrap_or_else(|| syn::parse_quote!(::metrics_core));
    let prefix = match &ast.namespace {
        Some(ns) => {
            let value = ns.value();
            let trimmed = value.trim_end_matches('_');
            if let Some(problem) = names::metric_name_problem(trimmed) {
                errors.push(syn::Error::new(
                    ns.span(),
                    problem.replacen("metric name", "namespace", 1),
                ));
                // Reported once here, not again in every family name it would prefix.
                String::new()
            } else if trimmed.is_empty() {
                String::new()
            } else {
                format!("{trimmed}_")
            }
        }
        None => String::new(),
    };
    let mut seen = HashSet::new();
    let mut families = Vec::new();
    for family in ast.families {
        let name = format!("{prefix}{}", family.name.unraw());
        if !seen.insert(name.clone()) {
            errors.push(syn::Error::new(
                family.name.span(),
                format!(
                    "metric family `{name}` is declared twice in this block: remove or rename one"
                ),
            ));
            continue;
        }
        if let Some(model) = validate_family(family, name, errors) {
            families.push(model);
        }
    }
    Model { krate, families }
}

fn validate_family(family: FamilyAst, name: String, errors: &mut Errors) -> Option<FamilyModel> {
    let kind = match family.kind.to_string().as_str() {
        "counter" => Kind::Counter,
        "gauge" => Kind::Gauge,
        "histogram" => Kind::Histogram,
        "info" => Kind::Info,
        "stateset" => Kind::StateSet,
        other => {
            let hint = names::closest(
                other,
                &["counter", "gauge", "histogram", "info", "stateset"],
            )
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
            errors.push(syn::Error::new(
                family.kind.span(),
                format!("unknown metric type `{other}`: expected `counter`, `gauge`, `histogram`, `info` or `stateset`{hint}"),
            ));
            return None;
        }
    };
    let name_span = family.name.span();
    let (help, cfg_attrs) = check_attrs(&family, errors);
    check_name(&name, kind, name_span, errors);

    let mut unit = None;
    let mut buckets = None;
    let mut budget = None;
    let mut keys_seen: Vec<String> = Vec::new();
    for option in family.options {
        let key = option.key.to_string();
        if keys_seen.contains(&key) {
            errors.push(syn::Error::new(
                option.key.span(),
                format!("duplicate option `{key}`: keep one"),
            ));
            continue;
        }
        keys_seen.push(key);
        match option.value {
            OptionValue::Unit(ident) => unit = check_unit(&ident, &name, kind, errors),
            OptionValue::Buckets(spec) => {
                if kind == Kind::Histogram {
                    buckets = check_buckets(spec, errors);
                } else {
                    errors.push(syn::Error::new(
                        option.key.span(),
                        "`buckets` applies only to a `histogram`: remove it",
                    ));
                }
            }
            OptionValue::Budget(lit) => match lit.base10_parse::<u64>() {
                Ok(0) | Err(_) => errors.push(syn::Error::new(
                    lit.span(),
                    "`budget` is a number of series greater than 0",
                )),
                Ok(n) => budget = Some(n),
            },
        }
    }
    if unit.is_none() && matches!(kind, Kind::Counter | Kind::Gauge | Kind::Histogram) {
        unit = names::implied_unit(&name).map(str::to_owned);
    }

    let cell = check_cell(kind, family.value_type.as_ref(), buckets, name_span, errors)?;
    let labels = check_labels(&family.labels, kind, &name, errors);
    Some(FamilyModel {
        cfg_attrs,
        vis: family.vis,
        kind,
        ident: family.name,
        name,
        help,
        unit,
        cell,
        labels,
        budget: budget.unwrap_or(DEFAULT_BUDGET),
    })
}

/// Doc comments become HELP; `#[cfg]` is forwarded to every generated item; anything else is refused.
fn check_attrs(family: &FamilyAst, errors: &mut Errors) -> (String, Vec<syn::Attribute>) {
    let mut lines = Vec::new();
    let mut cfgs = Vec::new();
    for attr in &family.attrs {
        if attr.path().is_ident("doc") {
            if let Meta::NameValue(nv) = &attr.meta
                && let Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) = &nv.value
            {
                lines.push(s.value());
            }
        } else if attr.path().is_ident("cfg") {
            cfgs.push(attr.clone());
        } else {
            errors.push(syn::Error::new_spanned(
                attr,
                "unsupported attribute on a metric family: only `///` doc comments (the HELP text) and `#[cfg(..)]` are accepted",
            ));
        }
    }
    let help = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if help.is_empty() {
        errors.push(syn::Error::new(
            family.name.span(),
            format!("metric family `{}` has no doc comment: add `/// what it measures` above it; it becomes the HELP text", family.name),
        ));
    }
    (help, cfgs)
}

fn check_name(name: &str, kind: Kind, span: Span, errors: &mut Errors) {
    if let Some(problem) = names::metric_name_problem(name) {
        errors.push(syn::Error::new(span, problem));
        return;
    }
    if let Some(problem) = names::non_base_unit_problem(name) {
        errors.push(syn::Error::new(span, problem));
    }
    match kind {
        Kind::Counter if !name.ends_with("_total") => errors.push(syn::Error::new(
            span,
            format!("counter names end in `_total` (OpenMetrics): rename it `{name}_total`"),
        )),
        Kind::Info if !name.ends_with("_info") => errors.push(syn::Error::new(
            span,
            format!("info names end in `_info` (OpenMetrics): rename it `{name}_info`"),
        )),
        Kind::Counter => {}
        _ if name.ends_with("_total") => errors.push(syn::Error::new(
            span,
            format!(
                "only counters end in `_total`: rename it `{}` or declare a `counter`",
                name.trim_end_matches("_total")
            ),
        )),
        _ => {}
    }
    for suffix in ["_bucket", "_created", "_count", "_sum"] {
        if kind != Kind::Counter
            && name.ends_with(suffix)
            && (kind == Kind::Histogram || suffix == "_bucket" || suffix == "_created")
        {
            errors.push(syn::Error::new(
                span,
                format!("metric names must not end in `{suffix}`: OpenMetrics writes that suffix for histogram samples; rename it"),
            ));
        }
    }
}

fn check_unit(ident: &syn::Ident, name: &str, kind: Kind, errors: &mut Errors) -> Option<String> {
    let unit = ident.to_string();
    if matches!(kind, Kind::Info | Kind::StateSet) {
        errors.push(syn::Error::new(
            ident.span(),
            "info and stateset families have no unit: remove `unit`",
        ));
        return None;
    }
    if let Some(problem) = names::metric_name_problem(&unit) {
        errors.push(syn::Error::new(
            ident.span(),
            problem.replacen("metric name", "unit", 1),
        ));
        return None;
    }
    if let Some(base) = unit.split('_').find_map(names::base_unit_of) {
        errors.push(syn::Error::new(
            ident.span(),
            format!("`{unit}` is not a base unit: Prometheus records {base}; convert the value and declare `unit = {base}`"),
        ));
        return None;
    }
    if let Some(problem) = names::unit_mismatch_problem(name, &unit) {
        errors.push(syn::Error::new(ident.span(), problem));
        return None;
    }
    Some(unit)
}

fn check_buckets(spec: BucketsAst, errors: &mut Errors) -> Option<Buckets> {
    let values = match spec {
        BucketsAst::Const(path) => return Some(Buckets::Const(path)),
        BucketsAst::Preset(ident) => match ident.to_string().as_str() {
            "prometheus_default" => vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ],
            "latency" => vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0],
            "tokens" => vec![64.0, 128.0, 256.0, 512.0, 1024.0, 2048.0, 4096.0, 8192.0],
            other => {
                let hint = names::closest(other, BUCKET_PRESETS)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                errors.push(syn::Error::new(
                    ident.span(),
                    format!("unknown bucket preset `{other}`: {hint}expected `prometheus_default`, `latency`, `tokens`, `[..]`, `exponential(start, factor, count)`, `linear(start, width, count)` or a constant's path"),
                ));
                return None;
            }
        },
        BucketsAst::List(span, numbers) => {
            if numbers.is_empty() {
                errors.push(syn::Error::new(
                    span,
                    "a histogram needs at least one bucket bound",
                ));
                return None;
            }
            if !check_numbers(&numbers, errors) {
                return None;
            }
            numbers.iter().map(|n| n.value).collect()
        }
        BucketsAst::Builder { name, args } => {
            let kind = name.to_string();
            if !matches!(kind.as_str(), "exponential" | "linear") || args.len() != 3 {
                errors.push(syn::Error::new(
                    name.span(),
                    "expected `exponential(start, factor, count)` or `linear(start, width, count)`",
                ));
                return None;
            }
            let (a, b, count) = (args[0].value, args[1].value, args[2]);
            if count.value.fract() != 0.0 || !(1.0..=256.0).contains(&count.value) {
                errors.push(syn::Error::new(
                    count.span,
                    "the bucket count is a whole number from 1 to 256",
                ));
                return None;
            }
            // `count` was checked to be a whole number in 1..=256 just above.
            let values: Vec<f64> = (0..256u16)
                .take_while(|i| f64::from(*i) < count.value)
                .scan(a, |next, i| {
                    let value = if kind == "exponential" {
                        *next
                    } else {
                        a + b * f64::from(i)
                    };
                    *next *= b;
                    Some(value)
                })
                .collect();
            let bad =
                values.iter().any(|v| !v.is_finite()) || values.windows(2).any(|w| w[1] <= w[0]);
            if bad {
                errors.push(syn::Error::new(
                    name.span(),
                    format!("`{kind}` with these arguments does not give finite, strictly increasing bounds: for `exponential` use start > 0 and factor > 1, for `linear` width > 0"),
                ));
                return None;
            }
            values
        }
    };
    Some(Buckets::Values(values))
}

/// Bounds must be finite and strictly increasing; the error points at the first offending literal.
fn check_numbers(numbers: &[Number], errors: &mut Errors) -> bool {
    let mut ok = true;
    for (i, n) in numbers.iter().enumerate() {
        if !n.value.is_finite() {
            errors.push(syn::Error::new(
                n.span,
                "bucket bounds must be finite: `+Inf` is always added for you",
            ));
            ok = false;
        } else if i > 0 && n.value <= numbers[i - 1].value {
            errors.push(syn::Error::new(
                n.span,
                format!("bucket bounds must be strictly increasing: {} does not exceed the bound before it ({})", n.value, numbers[i - 1].value),
            ));
            ok = false;
        }
    }
    ok
}

fn check_cell(
    kind: Kind,
    value_type: Option<&Type>,
    buckets: Option<Buckets>,
    name_span: Span,
    errors: &mut Errors,
) -> Option<Cell> {
    let type_name = value_type.map(|t| quote::quote!(#t).to_string());
    let wrong = |expected: &str, errors: &mut Errors| {
        if let Some(ty) = value_type {
            errors.push(syn::Error::new_spanned(
                ty,
                format!("unsupported value type: {expected}"),
            ));
        }
    };
    Some(match (kind, type_name.as_deref()) {
        (Kind::Counter, None | Some("u64")) => Cell::Counter,
        (Kind::Counter, Some("f64")) => Cell::FloatCounter,
        (Kind::Gauge, None | Some("i64")) => Cell::Gauge,
        (Kind::Gauge, Some("f64")) => Cell::FloatGauge,
        (Kind::Histogram, None | Some("f64")) => Cell::Histogram(buckets.unwrap_or_else(|| {
            Buckets::Values(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ])
        })),
        (Kind::Info, None) => Cell::Info,
        (Kind::StateSet, Some(_)) => Cell::StateSet(value_type?.clone()),
        (Kind::StateSet, None) => {
            errors.push(syn::Error::new(
                name_span,
                "a `stateset` names its states: `stateset breaker_state: BreakerState { .. }`, where `BreakerState` derives `LabelValue`",
            ));
            return None;
        }
        (Kind::Counter, Some(_)) => {
            wrong("a counter holds `u64` (the default) or `f64`", errors);
            Cell::Counter
        }
        (Kind::Gauge, Some(_)) => {
            wrong("a gauge holds `i64` (the default) or `f64`", errors);
            Cell::Gauge
        }
        (Kind::Histogram, Some(_)) => {
            wrong("a histogram observes `f64`: remove the type", errors);
            Cell::Histogram(buckets.unwrap_or(Buckets::Values(vec![1.0])))
        }
        (Kind::Info, Some(_)) => {
            wrong(
                "an info family has no value type: its value is always 1",
                errors,
            );
            Cell::Info
        }
    })
}

fn check_labels(
    labels: &[LabelAst],
    kind: Kind,
    family_name: &str,
    errors: &mut Errors,
) -> Vec<LabelModel> {
    let mut out: Vec<LabelModel> = Vec::new();
    if labels.len() > MAX_LABELS {
        errors.push(syn::Error::new(
            labels[MAX_LABELS].name.span(),
            format!("a family has at most {MAX_LABELS} labels"),
        ));
    }
    for label in labels.iter().take(MAX_LABELS) {
        let name = label.name.unraw().to_string();
        if let Some(problem) = names::label_name_problem(&name, kind == Kind::Histogram) {
            errors.push(syn::Error::new(label.name.span(), problem));
        }
        if kind == Kind::StateSet && name == family_name {
            errors.push(syn::Error::new(
                label.name.span(),
                format!("label name `{name}` is reserved in this stateset: it carries the state; rename this label"),
            ));
        }
        if out.iter().any(|l| l.ident == label.name) {
            errors.push(syn::Error::new(
                label.name.span(),
                format!("duplicate label `{name}`: each label appears once"),
            ));
            continue;
        }
        let label_kind = if kind == Kind::Info {
            if !is_string_type(&label.ty) {
                errors.push(syn::Error::new_spanned(
                    &label.ty,
                    "info labels are text set once at start-up: declare them as `String`",
                ));
            }
            LabelKind::Text
        } else if let Some(cap) = bounded_cap(&label.ty, errors) {
            LabelKind::Bounded {
                cap,
                ty: label.ty.clone(),
            }
        } else {
            LabelKind::Enum(label.ty.clone())
        };
        out.push(LabelModel {
            ident: label.name.clone(),
            kind: label_kind,
            ty_span: label.ty.span(),
        });
    }
    out
}

fn is_string_type(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident("String"))
}

/// `BoundedStr<N>` (any path ending in it): the cap `N`.
fn bounded_cap(ty: &Type, errors: &mut Errors) -> Option<usize> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "BoundedStr" {
        return None;
    }
    let cap = match &last.arguments {
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match args.args.first() {
            Some(GenericArgument::Const(Expr::Lit(ExprLit {
                lit: Lit::Int(lit), ..
            }))) => lit.base10_parse::<usize>().ok(),
            _ => None,
        },
        _ => None,
    };
    match cap {
        Some(cap) if cap > 0 => Some(cap),
        _ => {
            errors.push(syn::Error::new_spanned(
                ty,
                "a bounded label declares its cap as a number: `BoundedStr<64>` (at least 1)",
            ));
            Some(1)
        }
    }
}
