//! AST to model: one `check_*` per rule, every error collected (never `?` between independent rules).

use std::collections::HashSet;
use syn::ext::IdentExt as _;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, GenericArgument, Ident, Lit, Meta, PathArguments, Type};

use metrics_rules::buckets::{self as rules_buckets, Builder, Preset};
use metrics_rules::label::{MAX_LABELS, check_label_count};
use metrics_rules::name::{Subject, check_declared_label_name, check_declared_metric_name};
use metrics_rules::unit;

use super::ast::{BucketsAst, FamilyAst, LabelAst, Number, OptionValue, SchemaAst};
use super::model::{Buckets, Cell, FamilyModel, Kind, LabelKind, LabelModel, Model};
use crate::diag::{Errors, one_of};
use crate::names;

/// Series a family may have unless it says `budget = N`.
pub(crate) const DEFAULT_BUDGET: u64 = 1000;

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
            if trimmed.is_empty() {
                String::new()
            } else if let Err(error) = check_declared_metric_name(trimmed, Subject::Namespace) {
                errors.push(syn::Error::new(ns.span(), error));
                // Reported once here, not again in every family name it would prefix.
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
            report_shared_sample(&families, &model, errors);
            families.push(model);
        }
    }
    super::objective::resolve_totals(&mut families, errors);
    let presets = super::preset::validate(ast.presets, &families, errors);
    Model {
        krate,
        families,
        presets,
    }
}

/// Two families of one block writing one sample name (`jobs_total` and a gauge `jobs`; a histogram `x` and a gauge
/// `x_count`) would make the registry refuse to start: reported here, on the later family's name.
fn report_shared_sample(earlier: &[FamilyModel], model: &FamilyModel, errors: &mut Errors) {
    for first in earlier {
        if let Some((family, suffix)) =
            first
                .kind
                .shared_sample(&first.name, model.kind, &model.name)
        {
            errors.push(syn::Error::new(
                model.ident.span(),
                format!(
                    "metric family `{}` ({}) exposes `{family}{suffix}`, which the {} `{}` declared earlier in this block also exposes: rename one of them",
                    model.name, model.kind, first.kind, first.name
                ),
            ));
            return;
        }
    }
}

fn validate_family(family: FamilyAst, name: String, errors: &mut Errors) -> Option<FamilyModel> {
    let keyword = family.kind.to_string();
    let Some(kind) = Kind::from_keyword(&keyword) else {
        let keywords = Kind::ALL.map(Kind::as_str);
        let hint = names::closest(&keyword, &keywords)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        let expected = one_of(&keywords.map(|k| format!("`{k}`")));
        errors.push(syn::Error::new(
            family.kind.span(),
            format!("unknown metric type `{keyword}`: expected {expected}{hint}"),
        ));
        return None;
    };
    let name_span = family.name.span();
    // The generated type is the name in PascalCase: it must be an identifier, so the name needs a letter first
    // (`_`, `_1` have none). Without one nothing can be generated for the family.
    let pascal = names::to_pascal(&family.name.unraw().to_string());
    if !pascal.starts_with(|c: char| c.is_ascii_alphabetic()) {
        errors.push(syn::Error::new(
            name_span,
            format!(
                "family name `{}` has no letter to start the names generated from it: name it like `jobs_total`",
                family.name
            ),
        ));
        return None;
    }
    let (help, cfg_attrs) = check_attrs(&family, errors);
    check_name(&name, kind, name_span, errors);

    let mut unit = None;
    let mut buckets = None;
    let mut budget = None;
    let mut observe = None;
    let mut exemplars = None;
    let mut optional: Vec<Ident> = Vec::new();
    let mut expire_after = None;
    let mut objectives = Vec::new();
    let mut removable = None;
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
            OptionValue::Optional(idents) => {
                if matches!(kind, Kind::Counter | Kind::Gauge | Kind::Histogram) {
                    optional = idents;
                } else {
                    errors.push(syn::Error::new(
                        option.key.span(),
                        format!(
                            "`optional` applies to a `counter`, `gauge` or `histogram`, whose series can be summed \
                             when the label is switched off; a {} cannot: remove it",
                            kind.as_str()
                        ),
                    ));
                }
            }
            OptionValue::Observe(path) => {
                if matches!(kind, Kind::Counter | Kind::Gauge) {
                    observe = Some((option.key, path));
                } else {
                    errors.push(syn::Error::new(
                        option.key.span(),
                        format!(
                            "`observe` applies only to a `counter` or a `gauge`: a {} cannot be read at scrape time, \
                             remove it",
                            kind.as_str()
                        ),
                    ));
                }
            }
            OptionValue::Removable(flag) => {
                removable = flag.value.then_some(option.key);
            }
            OptionValue::ExpireAfter(lit) => {
                expire_after = check_duration(&lit, errors).map(|ms| (option.key, ms));
            }
            OptionValue::Objectives(items) => objectives = items,
            OptionValue::Exemplars(flag) => {
                if matches!(kind, Kind::Counter | Kind::Histogram) {
                    exemplars = Some(flag);
                } else {
                    errors.push(syn::Error::new(
                        option.key.span(),
                        format!(
                            "`exemplars` applies only to a `counter` or a `histogram`: OpenMetrics has no exemplars \
                             on a {}, remove it",
                            kind.as_str()
                        ),
                    ));
                }
            }
        }
    }
    if let (Some(flag), Some((key, _))) = (&exemplars, &observe)
        && flag.value
    {
        errors.push(syn::Error::new(
            flag.span(),
            format!(
                "an observable family (`{key} = ..`) records no observations, so it has no exemplars: remove \
                 `exemplars = true`"
            ),
        ));
    }
    if unit.is_none() && kind.takes_unit() {
        unit = unit::implied_unit(&name).map(str::to_owned);
    }

    let cell = check_cell(kind, family.value_type.as_ref(), buckets, name_span, errors)?;
    let mut labels = check_labels(&family.labels, kind, &name, errors);
    for ident in &optional {
        let text = ident.unraw().to_string();
        match labels.iter_mut().find(|label| label.ident.unraw() == text) {
            Some(label) if label.optional => errors.push(syn::Error::new(
                ident.span(),
                format!("`{text}` is listed twice in `optional`: keep one"),
            )),
            Some(label) => label.optional = true,
            None => errors.push(syn::Error::new(
                ident.span(),
                format!("`optional` names `{text}`, which is not a label of this family: declare `{text}: Type` first"),
            )),
        }
    }
    let expire_after_ms = expire_after.and_then(|(key, ms)| {
        check_expiring(&labels, kind, &key, observe.is_some(), errors).then_some(ms)
    });
    let removable = expire_after_ms.is_some()
        || removable
            .is_some_and(|key| check_expiring(&labels, kind, &key, observe.is_some(), errors));
    let observe = observe
        .and_then(|(key, path)| check_observable_labels(&labels, &key, errors).then_some(path));
    let mut model = FamilyModel {
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
        exemplars: exemplars.is_some_and(|flag| flag.value) && observe.is_none(),
        observe,
        expire_after_ms,
        removable,
        objectives: Vec::new(),
    };
    model.objectives = super::objective::validate(objectives, &model, errors);
    Some(model)
}

/// `expire_after = 10m`: a whole number with a unit, at least a second (expiry runs at scrapes, so anything
/// shorter than one scrape interval would remove values between every two scrapes), at most a year.
fn check_duration(lit: &syn::Lit, errors: &mut Errors) -> Option<u64> {
    const UNITS: [(&str, u64); 5] = [
        ("ms", 1),
        ("s", 1000),
        ("m", 60_000),
        ("h", 3_600_000),
        ("d", 86_400_000),
    ];
    let syn::Lit::Int(int) = lit else {
        errors.push(syn::Error::new(
            lit.span(),
            "`expire_after` is a whole number with a unit, without quotes: `30s`, `10m`, `2h` or `1d`",
        ));
        return None;
    };
    let suffix = int.suffix();
    let Some(&(_, unit_ms)) = UNITS.iter().find(|(unit, _)| *unit == suffix) else {
        let message = if suffix.is_empty() {
            format!(
                "`expire_after = {int}` has no unit: write `{int}s`, `{int}m`, `{int}h` or `{int}d`"
            )
        } else {
            format!(
                "unknown unit `{suffix}` in `expire_after`: expected one of `ms`, `s`, `m`, `h`, `d`"
            )
        };
        errors.push(syn::Error::new(int.span(), message));
        return None;
    };
    let ms = int
        .base10_parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit_ms));
    match ms {
        Some(ms) if (1000..=365 * 86_400_000).contains(&ms) => Some(ms),
        Some(0) => {
            errors.push(syn::Error::new(
                int.span(),
                "`expire_after` must be longer than zero: a value would be removed at every scrape; remove the \
                 option to keep values until `remove(..)`",
            ));
            None
        }
        Some(ms) if ms < 1000 => {
            errors.push(syn::Error::new(
                int.span(),
                "`expire_after` is at least `1s`: expiry is checked at each scrape, so a shorter period would \
                 remove values between any two scrapes; use several scrape intervals, such as `10m`",
            ));
            None
        }
        _ => {
            errors.push(syn::Error::new(
                int.span(),
                "`expire_after` is at most a year (`365d`): for values that never expire, remove the option",
            ));
            None
        }
    }
}

/// Removal and expiry take values of a bounded label out, so the family needs exactly one (its values are what is
/// removed) and storage that records (not `observe`, not `info`).
fn check_expiring(
    labels: &[LabelModel],
    kind: Kind,
    key: &Ident,
    observed: bool,
    errors: &mut Errors,
) -> bool {
    let bounded = labels
        .iter()
        .filter(|label| matches!(label.kind, LabelKind::Bounded { .. }))
        .count();
    let what = if key == "removable" {
        "`removable = true` lets values of a bounded label be removed"
    } else {
        "`expire_after` removes values of a bounded label"
    };
    let problem = if kind == Kind::Info {
        Some(format!(
            "an info family's values are set, not recorded: remove `{key}`"
        ))
    } else if observed {
        Some(format!(
            "an observable family (`observe = ..`) has no stored values to remove: remove `{key}`"
        ))
    } else if bounded == 0 {
        Some(format!(
            "{what}, and this family has none: declare one such as `worker: BoundedStr<64>`, or remove the \
             option (enum label values always exist)"
        ))
    } else if bounded > 1 {
        Some(format!(
            "`{key}` needs exactly one bounded label, and this family has {bounded}: a value's series are then \
             one chunk that is removed as a whole; split the family or remove the option"
        ))
    } else {
        None
    };
    if let Some(problem) = &problem {
        errors.push(syn::Error::new(key.span(), problem));
    }
    problem.is_none()
}

/// An observable family's series are its enum label combinations: a bounded string is interned when a value is
/// recorded, and an observable family records nothing, so its set of values would be unknown.
fn check_observable_labels(labels: &[LabelModel], key: &Ident, errors: &mut Errors) -> bool {
    let mut fine = true;
    for label in labels {
        if !matches!(label.kind, LabelKind::Enum(_)) {
            errors.push(syn::Error::new(
                label.ty_span,
                format!(
                    "an observable family (`{key} = ..`) takes enum labels only: its series are every combination \
                     of their values; use a `#[derive(LabelValue)]` enum for `{}`",
                    label.ident
                ),
            ));
            fine = false;
        }
    }
    fine
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
    if let Err(error) = check_declared_metric_name(name, Subject::Metric) {
        errors.push(syn::Error::new(span, error));
        return;
    }
    if let Err(error) = unit::check_name_units(name) {
        errors.push(syn::Error::new(span, error));
    }
    if let Err(error) = kind.check_name_suffix(name) {
        errors.push(syn::Error::new(span, error));
    }
    if let Err(error) = kind.check_reserved_suffix(name) {
        errors.push(syn::Error::new(span, error));
    }
}

fn check_unit(ident: &syn::Ident, name: &str, kind: Kind, errors: &mut Errors) -> Option<String> {
    let unit = ident.to_string();
    if !kind.takes_unit() {
        errors.push(syn::Error::new(
            ident.span(),
            "info and stateset families have no unit: remove `unit`",
        ));
        return None;
    }
    if let Err(error) = check_declared_metric_name(&unit, Subject::Unit) {
        errors.push(syn::Error::new(ident.span(), error));
        return None;
    }
    if let Err(error) = unit::check_unit(name, &unit) {
        errors.push(syn::Error::new(ident.span(), error));
        return None;
    }
    Some(unit)
}

fn check_buckets(spec: BucketsAst, errors: &mut Errors) -> Option<Buckets> {
    let values = match spec {
        BucketsAst::Const(path) => return Some(Buckets::Const(path)),
        BucketsAst::Preset(ident) => {
            let keyword = ident.to_string();
            if let Some(preset) = Preset::from_keyword(&keyword) {
                preset.bounds().to_vec()
            } else {
                let keywords = Preset::ALL.map(Preset::keyword);
                let hint = names::closest(&keyword, &keywords)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                let mut expected: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
                expected.push("`[..]`".to_owned());
                expected.extend(Builder::ALL.map(|b| format!("`{}`", b.signature())));
                expected.push("a constant's path".to_owned());
                errors.push(syn::Error::new(
                    ident.span(),
                    format!(
                        "unknown bucket preset `{keyword}`: {hint}expected {}",
                        one_of(&expected)
                    ),
                ));
                return None;
            }
        }
        BucketsAst::List(span, numbers) => {
            if numbers.is_empty() {
                errors.push(syn::Error::new(span, rules_buckets::BucketError::Empty));
                return None;
            }
            let values: Vec<f64> = numbers.iter().map(|n| n.value).collect();
            if !check_numbers(&numbers, &values, errors) {
                return None;
            }
            values
        }
        BucketsAst::Builder { name, args } => {
            let builder = Builder::from_keyword(&name.to_string());
            let Some(builder) = builder.filter(|_| args.len() == 3) else {
                let expected = Builder::ALL.map(|b| format!("`{}`", b.signature()));
                errors.push(syn::Error::new(
                    name.span(),
                    format!("expected {}", one_of(&expected)),
                ));
                return None;
            };
            let (start, step, count) = (args[0].value, args[1].value, args[2]);
            let count = match rules_buckets::check_count(count.value) {
                Ok(n) => n,
                Err(error) => {
                    errors.push(syn::Error::new(count.span, error));
                    return None;
                }
            };
            let mut values = vec![0.0; count];
            if let Err(error) = builder.build(start, step, &mut values) {
                errors.push(syn::Error::new(name.span(), error));
                return None;
            }
            values
        }
    };
    Some(Buckets::Values(values))
}

/// Bounds must be finite and strictly increasing; an error points at each offending literal.
fn check_numbers(numbers: &[Number], values: &[f64], errors: &mut Errors) -> bool {
    let mut ok = true;
    for (i, n) in numbers.iter().enumerate() {
        if let Err(error) = rules_buckets::check_bound(values, i) {
            errors.push(syn::Error::new(n.span, error));
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
        (Kind::Histogram, None | Some("f64")) => Cell::Histogram(
            buckets.unwrap_or_else(|| Buckets::Values(Preset::DEFAULT.bounds().to_vec())),
        ),
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
    if let Err(error) = check_label_count(labels.len()) {
        errors.push(syn::Error::new(labels[MAX_LABELS].name.span(), error));
    }
    for label in labels.iter().take(MAX_LABELS) {
        let name = label.name.unraw().to_string();
        if let Err(error) = check_declared_label_name(&name, kind, family_name) {
            errors.push(syn::Error::new(label.name.span(), error));
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
            match cap {
                Cap::Valid(cap) => LabelKind::Bounded {
                    cap,
                    ty: label.ty.clone(),
                },
                // Reported; as text the labels struct still compiles, and no check names the broken type.
                Cap::Invalid => LabelKind::Text,
            }
        } else if let Some(message) = not_a_label_type(&label.ty) {
            errors.push(syn::Error::new_spanned(&label.ty, message));
            LabelKind::Text
        } else if is_open_string_type(&label.ty) {
            errors.push(syn::Error::new_spanned(
                &label.ty,
                format!(
                    "a label of any string would let every distinct value become a series: declare `{}: \
                     BoundedStr<CAP>` (at most CAP values, the rest counted as `__overflow__`) or use a \
                     `#[derive(LabelValue)]` enum",
                    label.name
                ),
            ));
            // Modelled as text so that the labels struct and its call sites still compile: one error, not three.
            LabelKind::Text
        } else {
            LabelKind::Enum(label.ty.clone())
        };
        out.push(LabelModel {
            optional: false,
            ident: label.name.clone(),
            kind: label_kind,
            ty_span: label.ty.span(),
        });
    }
    out
}

/// `String`, `str` or `&str`: open text, which only info labels may be.
fn is_open_string_type(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => is_open_string_type(&reference.elem),
        Type::Path(p) => p.qself.is_none() && (p.path.is_ident("String") || p.path.is_ident("str")),
        _ => false,
    }
}

fn is_string_type(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident("String"))
}

/// Types a user may reach for that are never label values, told apart by how they are written (the macro runs
/// before types are known): numbers, whose every value would be a series, and `Option`, since a label is always
/// present. Each gets its fix, instead of "not a label value" at every use of the family.
fn not_a_label_type(ty: &Type) -> Option<String> {
    const NUMBERS: &[&str] = &[
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        "f32", "f64",
    ];
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    let text = last.ident.to_string();
    if path.path.segments.len() == 1 && NUMBERS.contains(&text.as_str()) {
        return Some(format!(
            "a number is not a label value: every distinct `{text}` would become a series; list the values that \
             matter in a `#[derive(LabelValue)]` enum, or record the number as the value of a gauge or histogram"
        ));
    }
    if text == "Option" {
        return Some(
            "a label is always present, so its type is not an `Option`: give the label's enum a variant for \
             the missing case (`#[metrics(rename = \"none\")] Unknown`)"
                .to_owned(),
        );
    }
    None
}

/// The cap of a `BoundedStr` label.
enum Cap {
    Valid(usize),
    /// Missing, zero or not a number: reported by [`bounded_cap`].
    Invalid,
}

/// `BoundedStr<N>` (any path ending in it): its cap; `None` for any other type.
fn bounded_cap(ty: &Type, errors: &mut Errors) -> Option<Cap> {
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
        Some(cap) if cap > 0 => Some(Cap::Valid(cap)),
        _ => {
            errors.push(syn::Error::new_spanned(
                ty,
                "a bounded label declares its cap as a number: `BoundedStr<64>` (at least 1)",
            ));
            Some(Cap::Invalid)
        }
    }
}
