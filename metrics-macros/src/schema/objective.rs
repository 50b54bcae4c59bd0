//! `objectives = [..]` on a family: parsed, validated against the family (kind, labels, buckets, states), and
//! expanded into `Descriptor::with_objectives` plus the `const` checks that only the type checker can make
//! (an enum label's values, a state set's states, a constant's bucket bounds).
//!
//! ```text
//! objectives = [
//!     success_rate(99.9%, over = 30d),                       // good: `outcome` in [success]
//!     success_rate(99%, total = tool_calls_total),           // this family counts the failures
//!     latency(95% under 0.25, over = 30d, filter = [phase = run]),
//!     above(0.8, for = 15m), below(1, for = 5m), increase(3, over = 15m),
//!     above(0.8, of = channel_capacity, for = 15m),           // this gauge over another gauge of the block
//!     state(open, for = 1m),
//!     critical,                                              // absent for 5m
//! ]
//! ```
//! Each takes `name = ident`, `severity = critical|warning|info`, `summary = ".."`, `description = ".."` and
//! `runbook = ".."`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Ident, LitStr, Token, bracketed, parenthesized};

use super::model::{Buckets, Cell, FamilyModel, Kind, LabelKind};
use crate::diag::Errors;

/// One objective as written.
pub(crate) struct ObjectiveAst {
    pub(crate) kind: Ident,
    pub(crate) target: Option<(f64, Span)>,
    /// `under X` of a latency objective, or the first number of a threshold.
    pub(crate) value: Option<(f64, Span)>,
    /// The state of `state(open, ..)`.
    pub(crate) state: Option<Ident>,
    pub(crate) args: Vec<(Ident, Arg)>,
}

/// A `key = value` argument.
pub(crate) enum Arg {
    Str(LitStr),
    Duration(u64),
    Ident(Ident),
    List(Vec<(Ident, Option<ListValue>)>),
}

/// The value of `k = v` in a list.
pub(crate) enum ListValue {
    Ident(Ident),
    Str(LitStr),
}

/// `[item, ..]` or one item.
pub(crate) fn parse_list(input: ParseStream<'_>) -> syn::Result<Vec<ObjectiveAst>> {
    if input.peek(syn::token::Bracket) {
        let content;
        bracketed!(content in input);
        let mut out = Vec::new();
        while !content.is_empty() {
            out.push(parse_item(&content)?);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        return Ok(out);
    }
    Ok(vec![parse_item(input)?])
}

fn parse_number(input: ParseStream<'_>) -> syn::Result<(f64, Span)> {
    let negative = input.peek(Token![-]);
    if negative {
        input.parse::<Token![-]>()?;
    }
    let lit: syn::Lit = input.parse()?;
    let value = match &lit {
        syn::Lit::Float(f) if f.suffix().is_empty() => f.base10_parse::<f64>()?,
        syn::Lit::Int(i) if i.suffix().is_empty() => i.base10_parse::<f64>()?,
        other => return Err(syn::Error::new(other.span(), "expected a number")),
    };
    Ok((if negative { -value } else { value }, lit.span()))
}

fn parse_item(input: ParseStream<'_>) -> syn::Result<ObjectiveAst> {
    let kind = Ident::parse_any(input)?;
    let mut item = ObjectiveAst {
        kind,
        target: None,
        value: None,
        state: None,
        args: Vec::new(),
    };
    if !input.peek(syn::token::Paren) {
        return Ok(item);
    }
    let content;
    parenthesized!(content in input);
    // Positional first: `99.9%`, `95% under 0.25`, `0.8`, `open`.
    if content.peek(syn::Lit) || content.peek(Token![-]) {
        let number = parse_number(&content)?;
        if content.peek(Token![%]) {
            content.parse::<Token![%]>()?;
            item.target = Some((number.0 / 100.0, number.1));
            if content.peek(Ident::peek_any)
                && content.fork().parse::<Ident>().is_ok_and(|i| i == "under")
            {
                content.parse::<Ident>()?;
                item.value = Some(parse_number(&content)?);
            }
        } else {
            item.value = Some(number);
        }
    } else if content.peek(Ident::peek_any) && !content.peek2(Token![=]) {
        item.state = Some(Ident::parse_any(&content)?);
    }
    while !content.is_empty() {
        if !item.args.is_empty()
            || item.target.is_some()
            || item.value.is_some()
            || item.state.is_some()
        {
            content.parse::<Token![,]>()?;
            if content.is_empty() {
                break;
            }
        }
        let key = Ident::parse_any(&content)?;
        content.parse::<Token![=]>()?;
        let value = if content.peek(LitStr) {
            Arg::Str(content.parse()?)
        } else if content.peek(syn::LitInt) {
            let lit: syn::LitInt = content.parse()?;
            Arg::Duration(duration_secs(&lit)?)
        } else if content.peek(syn::token::Bracket) {
            let list;
            bracketed!(list in content);
            let mut items = Vec::new();
            while !list.is_empty() {
                let name = Ident::parse_any(&list)?;
                let value = if list.peek(Token![=]) {
                    list.parse::<Token![=]>()?;
                    Some(if list.peek(LitStr) {
                        ListValue::Str(list.parse()?)
                    } else {
                        ListValue::Ident(Ident::parse_any(&list)?)
                    })
                } else {
                    None
                };
                items.push((name, value));
                if list.is_empty() {
                    break;
                }
                list.parse::<Token![,]>()?;
            }
            Arg::List(items)
        } else {
            Arg::Ident(Ident::parse_any(&content)?)
        };
        item.args.push((key, value));
    }
    Ok(item)
}

/// `30d`, `15m`, `1h`, `90s`, `2w` in seconds.
fn duration_secs(lit: &syn::LitInt) -> syn::Result<u64> {
    let n: u64 = lit
        .base10_digits()
        .parse()
        .map_err(|_| syn::Error::new(lit.span(), "expected a duration"))?;
    let unit = match lit.suffix() {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => {
            return Err(syn::Error::new(
                lit.span(),
                "a duration is a whole number with a unit: `30s`, `15m`, `1h`, `30d` or `2w`",
            ));
        }
    };
    if n == 0 {
        return Err(syn::Error::new(lit.span(), "a duration is longer than 0"));
    }
    Ok(n * unit)
}

/// A validated objective, ready to expand.
pub(crate) struct ObjectiveModel {
    name: String,
    rule: RuleModel,
    matchers: Vec<(String, String)>,
    severity: &'static str,
    summary: String,
    description: String,
    runbook: String,
    /// `(label type, values, message, span)`: const-asserted to be values of the type.
    value_checks: Vec<(syn::Type, Vec<String>, String, Span)>,
    /// A constant's bucket bounds that must contain the threshold.
    bound_check: Option<(syn::Path, f64, String, Span)>,
    /// The other family of `total = ..`, resolved after the block is read.
    pub(crate) total: Option<Ident>,
    pub(crate) total_sample: String,
    /// The gauge of `of = ..` a threshold divides by, resolved after the block is read.
    pub(crate) of: Option<Ident>,
    pub(crate) of_name: String,
}

enum RuleModel {
    SuccessLabel {
        target: f64,
        window: u64,
        label: String,
        good: Vec<String>,
    },
    SuccessTotal {
        target: f64,
        window: u64,
    },
    Latency {
        target: f64,
        threshold: f64,
        window: u64,
    },
    Above {
        value: f64,
        for_secs: u64,
    },
    Below {
        value: f64,
        for_secs: u64,
    },
    Increase {
        value: f64,
        for_secs: u64,
    },
    State {
        state: String,
        for_secs: u64,
    },
    Absent {
        for_secs: u64,
    },
}

const KINDS: &[&str] = &[
    "success_rate",
    "latency",
    "above",
    "below",
    "increase",
    "state",
    "critical",
];

/// Validates each objective against `family`; errors on the offending token.
pub(crate) fn validate(
    items: Vec<ObjectiveAst>,
    family: &FamilyModel,
    errors: &mut Errors,
) -> Vec<ObjectiveModel> {
    let mut out: Vec<ObjectiveModel> = Vec::new();
    for item in items {
        if let Some(model) = validate_one(item, family, errors) {
            if out.iter().any(|o| o.name == model.name) {
                errors.push(syn::Error::new(
                    Span::call_site(),
                    format!(
                        "`{}` has two objectives named `{}`: give one `name = ..`",
                        family.name, model.name
                    ),
                ));
                continue;
            }
            out.push(model);
        }
    }
    out
}

// One arm per objective kind reads best as the grammar it checks.
#[allow(clippy::single_match_else)]
fn validate_one(
    item: ObjectiveAst,
    family: &FamilyModel,
    errors: &mut Errors,
) -> Option<ObjectiveModel> {
    let kind = item.kind.to_string();
    if !KINDS.contains(&kind.as_str()) {
        let hint = crate::names::closest(&kind, KINDS)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        errors.push(syn::Error::new(
            item.kind.span(),
            format!(
                "unknown objective `{kind}`: expected one of `success_rate`, `latency`, `above`, `below`, `increase`, `state`, `critical`{hint}"
            ),
        ));
        return None;
    }
    let mut name = None;
    let mut severity = "Critical";
    let (mut summary, mut description, mut runbook) = (String::new(), String::new(), String::new());
    let mut window = None;
    let mut for_secs = None;
    let mut good = None;
    let mut label = None;
    let mut total = None;
    let mut of = None;
    let mut filter = Vec::new();
    let mut ok = true;
    for (key, value) in item.args {
        let k = key.to_string();
        match (k.as_str(), value) {
            ("name", Arg::Ident(i)) => name = Some(i.to_string()),
            ("severity", Arg::Ident(i)) => match i.to_string().as_str() {
                "critical" => severity = "Critical",
                "warning" => severity = "Warning",
                "info" => severity = "Info",
                _ => {
                    errors.push(syn::Error::new(
                        i.span(),
                        "`severity` is `critical`, `warning` or `info`",
                    ));
                    ok = false;
                }
            },
            ("summary", Arg::Str(s)) => summary = s.value(),
            ("description", Arg::Str(s)) => description = s.value(),
            ("runbook", Arg::Str(s)) => {
                runbook = s.value();
                if !runbook.starts_with("http://") && !runbook.starts_with("https://") {
                    errors.push(syn::Error::new(
                        s.span(),
                        "`runbook` is a URL: `\"https://..\"`",
                    ));
                    ok = false;
                }
            }
            ("over", Arg::Duration(secs)) => window = Some(secs),
            ("for", Arg::Duration(secs)) => for_secs = Some(secs),
            ("good", Arg::List(items)) => good = Some(items),
            ("label", Arg::Ident(i)) => label = Some(i),
            ("total", Arg::Ident(i)) => total = Some(i),
            ("of", Arg::Ident(i)) => of = Some(i),
            ("filter", Arg::List(items)) => filter = items,
            (other, _) => {
                errors.push(syn::Error::new(
                    key.span(),
                    format!(
                        "`{other}` is not an argument of `{kind}` as written: arguments are `over = 30d`, `for = 15m`, \
                         `good = [success]`, `label = outcome`, `total = family`, `of = gauge`, `filter = [label = value]`, \
                         `name = ident`, `severity = critical|warning|info`, `summary = \"..\"`, \
                         `description = \"..\"`, `runbook = \"https://..\"`"
                    ),
                ));
                ok = false;
            }
        }
    }
    let mut value_checks = Vec::new();
    let mut matchers = Vec::new();
    for (label_ident, value) in filter {
        let Some(found) = family
            .labels
            .iter()
            .find(|l| l.ident.unraw() == label_ident.unraw())
        else {
            errors.push(syn::Error::new(
                label_ident.span(),
                format!(
                    "`filter` names `{label_ident}`, which is not a label of `{}`",
                    family.name
                ),
            ));
            ok = false;
            continue;
        };
        let text = match value {
            Some(ListValue::Ident(i)) => i.unraw().to_string(),
            Some(ListValue::Str(s)) => s.value(),
            None => {
                errors.push(syn::Error::new(
                    label_ident.span(),
                    "a filter is `label = value`",
                ));
                ok = false;
                continue;
            }
        };
        if let LabelKind::Enum(ty) = &found.kind {
            value_checks.push((
                ty.clone(),
                vec![text.clone()],
                format!(
                    "objective filter: `{text}` is not a value of label `{label_ident}` of `{}`",
                    family.name
                ),
                label_ident.span(),
            ));
        }
        matchers.push((label_ident.unraw().to_string(), text));
    }
    let span = item.kind.span();
    let need_kind = |wanted: &[Kind], what: &str, errors: &mut Errors| {
        if wanted.contains(&family.kind) {
            true
        } else {
            errors.push(syn::Error::new(
                span,
                format!(
                    "`{kind}` judges a {what}, and `{}` is a {}",
                    family.name,
                    family.kind.as_str()
                ),
            ));
            false
        }
    };
    let target = |errors: &mut Errors| match item.target {
        Some((t, s)) if t <= 0.0 || t >= 1.0 => {
            errors.push(syn::Error::new(
                s,
                "an objective's target is a percentage between 0 and 100: `99.9%`",
            ));
            None
        }
        Some((t, _)) => Some(t),
        None => {
            errors.push(syn::Error::new(
                span,
                format!("`{kind}` needs its target first: `{kind}(99.9%, ..)`"),
            ));
            None
        }
    };
    if let Some(of) = &of
        && kind != "above"
        && kind != "below"
    {
        errors.push(syn::Error::new(
            of.span(),
            format!("`of = ..` divides a gauge by another for a threshold: it belongs to `above` or `below`, not `{kind}`"),
        ));
        return None;
    }
    let over = window;
    let window = over.unwrap_or(30 * 86_400);
    let rule = match kind.as_str() {
        "success_rate" => {
            let fits = need_kind(&[Kind::Counter], "counter", errors);
            let t = target(errors);
            if let Some(total) = &total {
                if good.is_some() || label.is_some() {
                    errors.push(syn::Error::new(
                        total.span(),
                        "`total = ..` says this family counts the failures; `good`/`label` say it counts every event by outcome: keep one",
                    ));
                    return None;
                }
                RuleModel::SuccessTotal { target: t?, window }
            } else {
                let label_name = label
                    .as_ref()
                    .map_or_else(|| "outcome".to_owned(), |l| l.unraw().to_string());
                let good: Vec<String> = good.map_or_else(
                    || vec!["success".to_owned()],
                    |items| {
                        items
                            .into_iter()
                            .map(|(i, _)| i.unraw().to_string())
                            .collect()
                    },
                );
                match family.labels.iter().find(|l| l.ident.unraw() == label_name) {
                    Some(found) => {
                        if let LabelKind::Enum(ty) = &found.kind {
                            value_checks.push((
                                ty.clone(),
                                good.clone(),
                                format!(
                                    "objective `success_rate`: the good values {good:?} are not all values of label `{label_name}` of `{}`",
                                    family.name
                                ),
                                span,
                            ));
                        }
                    }
                    None => {
                        errors.push(syn::Error::new(
                            label.as_ref().map_or(span, Ident::span),
                            format!(
                                "`success_rate` tells good events by the `{label_name}` label, which `{}` does not have: \
                                 add `{label_name}: Outcome`, name another with `label = ..`, or count failures in \
                                 this family and name the family of all events with `total = ..`",
                                family.name
                            ),
                        ));
                        return None;
                    }
                }
                if !fits {
                    return None;
                }
                RuleModel::SuccessLabel {
                    target: t?,
                    window,
                    label: label_name,
                    good,
                }
            }
        }
        "latency" => {
            if !need_kind(&[Kind::Histogram], "histogram", errors) {
                return None;
            }
            let t = target(errors)?;
            let Some((threshold, tspan)) = item.value else {
                errors.push(syn::Error::new(
                    span,
                    "a latency objective says its bound: `latency(95% under 0.25, ..)`",
                ));
                return None;
            };
            match &family.cell {
                Cell::Histogram(Buckets::Values(bounds)) => {
                    if !bounds.contains(&threshold) {
                        let below = bounds.iter().rev().find(|b| **b < threshold);
                        let above = bounds.iter().find(|b| **b > threshold);
                        let nearest = match (below, above) {
                            (Some(b), Some(a)) => format!("the nearest bounds are {b} and {a}"),
                            (Some(b), None) => format!("the largest bound is {b}"),
                            (None, Some(a)) => format!("the smallest bound is {a}"),
                            (None, None) => "it has no bounds".to_owned(),
                        };
                        errors.push(syn::Error::new(
                            tspan,
                            format!(
                                "a latency objective's bound must be one of the histogram's bucket bounds, and {threshold} is not: {nearest}; \
                                 use one of them or add {threshold} to `buckets`"
                            ),
                        ));
                        return None;
                    }
                }
                Cell::Histogram(Buckets::Const(path)) => {
                    return Some(finish(
                        name.unwrap_or_else(|| kind.clone()),
                        RuleModel::Latency { target: t, threshold, window },
                        matchers,
                        severity,
                        (summary, description, runbook),
                        value_checks,
                        Some((
                            path.clone(),
                            threshold,
                            format!("a latency objective's bound {threshold} is not one of the bucket bounds of `{}`", family.name),
                            tspan,
                        )),
                        None,
                    ))
                    .filter(|_| ok);
                }
                _ => return None,
            }
            RuleModel::Latency {
                target: t,
                threshold,
                window,
            }
        }
        "above" | "below" | "increase" => {
            let wanted = if kind == "increase" {
                Kind::Counter
            } else {
                Kind::Gauge
            };
            if !need_kind(&[wanted], wanted.as_str(), errors) {
                return None;
            }
            let Some((value, _)) = item.value else {
                errors.push(syn::Error::new(
                    span,
                    format!("`{kind}` needs its threshold first: `{kind}(0.8, ..)`"),
                ));
                return None;
            };
            let secs = if kind == "increase" {
                over.or(for_secs)
            } else {
                for_secs
            };
            let Some(secs) = secs else {
                errors.push(syn::Error::new(
                    span,
                    format!("`{kind}` needs how long: `{kind}({value}, for = 15m)`"),
                ));
                return None;
            };
            match kind.as_str() {
                "above" => RuleModel::Above {
                    value,
                    for_secs: secs,
                },
                "below" => RuleModel::Below {
                    value,
                    for_secs: secs,
                },
                _ => RuleModel::Increase {
                    value,
                    for_secs: secs,
                },
            }
        }
        "state" => {
            if !need_kind(&[Kind::StateSet], "stateset", errors) {
                return None;
            }
            let Some(state) = item.state else {
                errors.push(syn::Error::new(
                    span,
                    "`state` names the state first: `state(open, for = 1m)`",
                ));
                return None;
            };
            if let Cell::StateSet(ty) = &family.cell {
                value_checks.push((
                    ty.clone(),
                    vec![state.unraw().to_string()],
                    format!(
                        "objective `state`: `{state}` is not a state of `{}`",
                        family.name
                    ),
                    state.span(),
                ));
            }
            let text = state.unraw().to_string();
            name = name.or_else(|| Some(format!("state_{text}")));
            RuleModel::State {
                state: text,
                for_secs: for_secs.unwrap_or(60),
            }
        }
        _ => RuleModel::Absent {
            for_secs: for_secs.unwrap_or(300),
        },
    };
    if !ok {
        return None;
    }
    let default_name = if kind == "critical" {
        "absent".to_owned()
    } else {
        kind.clone()
    };
    let mut model = finish(
        name.unwrap_or(default_name),
        rule,
        matchers,
        severity,
        (summary, description, runbook),
        value_checks,
        None,
        total,
    );
    model.of = of;
    Some(model)
}

#[allow(clippy::too_many_arguments)]
fn finish(
    name: String,
    rule: RuleModel,
    matchers: Vec<(String, String)>,
    severity: &'static str,
    (summary, description, runbook): (String, String, String),
    value_checks: Vec<(syn::Type, Vec<String>, String, Span)>,
    bound_check: Option<(syn::Path, f64, String, Span)>,
    total: Option<Ident>,
) -> ObjectiveModel {
    ObjectiveModel {
        name,
        rule,
        matchers,
        severity,
        summary,
        description,
        runbook,
        value_checks,
        bound_check,
        total,
        total_sample: String::new(),
        of: None,
        of_name: String::new(),
    }
}

/// Resolves each `of = gauge` to that gauge's name, or reports it: it must be a gauge of the block whose labels
/// are all labels of the judged family, so that each series divides by exactly one.
fn resolve_of(families: &mut [FamilyModel], errors: &mut Errors) {
    let gauges: Vec<(String, String, Kind, Vec<String>)> = families
        .iter()
        .map(|f| {
            (
                f.ident.unraw().to_string(),
                f.name.clone(),
                f.kind,
                f.labels
                    .iter()
                    .map(|l| l.ident.unraw().to_string())
                    .collect(),
            )
        })
        .collect();
    for family in families.iter_mut() {
        let own: Vec<String> = family
            .labels
            .iter()
            .map(|l| l.ident.unraw().to_string())
            .collect();
        let family_name = family.name.clone();
        for objective in &mut family.objectives {
            let Some(of) = &objective.of else {
                continue;
            };
            let wanted = of.unraw().to_string();
            match gauges.iter().find(|(ident, ..)| *ident == wanted) {
                Some((_, name, Kind::Gauge, labels)) => {
                    if let Some(extra) = labels.iter().find(|l| !own.contains(l)) {
                        errors.push(syn::Error::new(
                            of.span(),
                            format!(
                                "`of = {wanted}` has the label `{extra}`, which `{family_name}` does not: each series is divided by \
                                 the `{wanted}` series with the same values of the labels they share, so its labels must all be \
                                 labels of `{family_name}`"
                            ),
                        ));
                    } else {
                        objective.of_name.clone_from(name);
                    }
                }
                Some((_, name, kind, _)) => errors.push(syn::Error::new(
                    of.span(),
                    format!(
                        "`of = {wanted}` names `{name}`, a {}: a threshold divides a gauge by another gauge (a depth by a capacity)",
                        kind.as_str()
                    ),
                )),
                None => {
                    let idents: Vec<&str> = gauges.iter().map(|(i, ..)| i.as_str()).collect();
                    let hint = crate::names::closest(&wanted, &idents)
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    errors.push(syn::Error::new(
                        of.span(),
                        format!(
                            "`of = {wanted}` names no family of this `metrics!` block{hint}: name a gauge declared beside it, \
                             or add the objective at run time with `CatalogBuilder::objective` and `Objective::of`"
                        ),
                    ));
                }
            }
        }
    }
}

/// Resolves each `total = family` to that family's sample counting all events, and each `of = gauge` to that
/// gauge's name, or reports them.
pub(crate) fn resolve_totals(families: &mut [FamilyModel], errors: &mut Errors) {
    resolve_of(families, errors);
    let names: Vec<(String, String, Kind)> = families
        .iter()
        .map(|f| (f.ident.unraw().to_string(), f.name.clone(), f.kind))
        .collect();
    for family in families.iter_mut() {
        for objective in &mut family.objectives {
            let Some(total) = &objective.total else {
                continue;
            };
            let wanted = total.unraw().to_string();
            match names.iter().find(|(ident, _, _)| *ident == wanted) {
                Some((_, name, Kind::Counter)) => objective.total_sample.clone_from(name),
                Some((_, name, Kind::Histogram)) => objective.total_sample = format!("{name}_count"),
                _ => errors.push(syn::Error::new(
                    total.span(),
                    format!(
                        "`total = {wanted}` names no counter or histogram of this `metrics!` block: name the family counting every event"
                    ),
                )),
            }
        }
    }
}

/// `&[Objective, ..]` for the descriptor.
pub(crate) fn expand(objectives: &[ObjectiveModel], p: &TokenStream) -> TokenStream {
    let items = objectives.iter().map(|o| {
        let name = &o.name;
        let rule = match &o.rule {
            RuleModel::SuccessLabel { target, window, label, good } => quote! {
                #p::Rule::SuccessRate { target: #target, window_secs: #window, good: #p::Good::Label { label: #label, values: &[#(#good),*] } }
            },
            RuleModel::SuccessTotal { target, window } => {
                let total = &o.total_sample;
                quote! {
                    #p::Rule::SuccessRate { target: #target, window_secs: #window, good: #p::Good::FailuresOf { total: #total } }
                }
            }
            RuleModel::Latency { target, threshold, window } => {
                quote!(#p::Rule::Latency { target: #target, threshold: #threshold, window_secs: #window })
            }
            RuleModel::Above { value, for_secs } => quote!(#p::Rule::Above { value: #value, for_secs: #for_secs }),
            RuleModel::Below { value, for_secs } => quote!(#p::Rule::Below { value: #value, for_secs: #for_secs }),
            RuleModel::Increase { value, for_secs } => {
                quote!(#p::Rule::Increase { value: #value, for_secs: #for_secs })
            }
            RuleModel::State { state, for_secs } => quote!(#p::Rule::State { state: #state, for_secs: #for_secs }),
            RuleModel::Absent { for_secs } => quote!(#p::Rule::Absent { for_secs: #for_secs }),
        };
        let matchers = o.matchers.iter().map(|(k, v)| quote!((#k, #v)));
        let severity = Ident::new(o.severity, Span::call_site());
        let (summary, description, runbook) = (&o.summary, &o.description, &o.runbook);
        let of = &o.of_name;
        quote! {
            #p::Objective::new(#name, #rule)
                .of(#of)
                .matching(&[#(#matchers),*])
                .severity(#p::Severity::#severity)
                .summary(#summary)
                .description(#description)
                .runbook_url(#runbook)
        }
    });
    quote!(&[#(#items),*])
}

/// The `const` assertions the macro cannot make itself: spanned on the user's token.
pub(crate) fn checks(objectives: &[ObjectiveModel], p: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    for o in objectives {
        for (ty, values, message, span) in &o.value_checks {
            // The whole path carries the span, so a failed assertion lands on the user's token.
            let p = crate::diag::respan(p, *span);
            out.extend(quote_spanned! {*span=>
                const _: () = #p::assert!(#p::has_values(<#ty as #p::LabelValue>::VALUES, &[#(#values),*]), #message);
            });
        }
        if let Some((path, threshold, message, span)) = &o.bound_check {
            let p = crate::diag::respan(p, *span);
            out.extend(quote_spanned! {*span=>
                const _: () = #p::assert!(#p::is_bound(&#path, #threshold), #message);
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use crate::diag::Errors;

    fn messages(input: TokenStream) -> Vec<String> {
        let mut errors = Errors::default();
        let _ = super::super::validate::validate(super::super::ast::parse(input), &mut errors);
        errors.messages()
    }

    #[test]
    fn every_kind_parses_on_its_family() {
        let found = messages(quote! {
            /// A.
            counter a_total { outcome: Outcome, objectives = [success_rate(99.9%, over = 30d), critical] }
            /// B.
            histogram b_seconds { buckets = [0.1, 0.25], objectives = [latency(95% under 0.25, filter = [x = y])], x: X }
            /// C.
            counter c_total { objectives = [success_rate(99%, total = b_seconds, severity = warning), increase(3, over = 15m)] }
            /// D.
            gauge d { objectives = [above(0.8, for = 15m), below(0.1, for = 1h)] }
            /// E.
            stateset e: E { objectives = [state(open, for = 1m, runbook = "https://r.example.invalid")] }
            /// Depth.
            gauge depth { channel: BoundedStr<8>, shard: BoundedStr<4>, objectives = [above(0.8, of = capacity, for = 15m)] }
            /// Capacity.
            gauge capacity { channel: BoundedStr<8> }
        });
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn objectives_that_cannot_judge_their_family_are_refused() {
        let found = messages(quote! {
            /// A.
            counter a_total { objectives = [latency(95% under 0.25)] }
            /// B.
            histogram b_seconds { buckets = [0.1, 0.5], objectives = [latency(95% under 0.25)] }
            /// C.
            counter c_total { objectives = [success_rate(99.9%)] }
            /// D.
            gauge d { objectives = [above(0.8)] }
            /// E.
            counter e_total { objectives = [success_rate(99%, total = nothing)] }
            /// F.
            gauge f { objectives = [slo(99%)] }
            /// G.
            gauge g { objectives = [above(1, for = 15x)] }
            /// H.
            counter h_total { outcome: Outcome, objectives = [success_rate(120%)] }
            /// I.
            gauge i { objectives = [above(0.8, of = a_total, for = 1m), below(0.1, of = nowhere, for = 1m)] }
            /// J.
            gauge j { objectives = [above(0.8, of = k, for = 1m)] }
            /// K.
            gauge k { shard: BoundedStr<4> }
            /// L.
            counter l_total { objectives = [increase(3, over = 15m, of = k)] }
        });
        let all = found.join("\n");
        for expected in [
            "`latency` judges a histogram, and `a_total` is a counter",
            "the nearest bounds are 0.1 and 0.5",
            "by the `outcome` label, which `c_total` does not have",
            "`above` needs how long",
            "`total = nothing` names no counter or histogram",
            "unknown objective `slo`",
            "a duration is a whole number with a unit",
            "a percentage between 0 and 100",
            "`of = a_total` names `a_total`, a counter",
            "`of = nowhere` names no family of this `metrics!` block",
            "`of = k` has the label `shard`, which `j` does not",
            "it belongs to `above` or `below`, not `increase`",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in\n{all}");
        }
    }
}
