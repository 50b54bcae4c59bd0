//! The `metrics!{}` input as written, spans kept, and its hand-written parser.
//!
//! Each family body is its own braced group parsed separately, so a syntax error inside one family is reported
//! without hiding the families after it.

use metrics_rules::buckets::Preset;
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{
    Attribute, Ident, LitBool, LitInt, LitStr, Path, Token, Type, Visibility, braced, bracketed,
    parenthesized,
};

/// The whole input: block settings, families, and the syntax errors met on the way.
pub(crate) struct SchemaAst {
    pub(crate) krate: Option<Path>,
    pub(crate) namespace: Option<LitStr>,
    pub(crate) families: Vec<FamilyAst>,
    /// `preset name: kind { role = family { bindings }, .. }` items.
    pub(crate) presets: Vec<PresetAst>,
    pub(crate) errors: Vec<syn::Error>,
}

/// `preset jobs: job { duration = job_latency_seconds { phase = Phase::Run }, in_flight = worker_inflight_jobs }`:
/// the families an instrumentation attribute records into, declared beside them.
pub(crate) struct PresetAst {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
    /// `job`, `tool` or `llm`: the attribute that takes it.
    pub(crate) kind: Ident,
    pub(crate) roles: Vec<RoleAst>,
}

/// `duration = job_latency_seconds { phase = Phase::Run, status = outcome }` in a preset body.
pub(crate) struct RoleAst {
    pub(crate) role: Ident,
    pub(crate) family: Ident,
    pub(crate) bindings: Vec<BindingAst>,
}

/// `label = value` in a preset role, or the shorthand `outcome`, `reason`, `direction` (`label = label`).
pub(crate) struct BindingAst {
    pub(crate) label: Ident,
    pub(crate) value: Option<syn::Expr>,
}

/// One family declaration.
pub(crate) struct FamilyAst {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) kind: Ident,
    pub(crate) name: Ident,
    pub(crate) value_type: Option<Type>,
    pub(crate) labels: Vec<LabelAst>,
    pub(crate) options: Vec<OptionAst>,
}

/// `name: Type` in a family body.
pub(crate) struct LabelAst {
    pub(crate) name: Ident,
    pub(crate) ty: Type,
}

/// `key = value` in a family body.
pub(crate) struct OptionAst {
    pub(crate) key: Ident,
    pub(crate) value: OptionValue,
}

pub(crate) enum OptionValue {
    Unit(Ident),
    Buckets(BucketsAst),
    Budget(LitInt),
    /// The function that reports the family's values at scrape time.
    Observe(Path),
    /// Whether each series keeps the latest exemplar of its counter or of each bucket.
    Exemplars(LitBool),
    /// Labels a registry may switch off at start-up (summed away): `optional = tenant` or `optional = [a, b]`.
    Optional(Vec<Ident>),
    /// How long a value of the bounded label may go without a recording before it is removed: `10m`.
    ExpireAfter(syn::Lit),
    /// What alerts judge this family: `objectives = [success_rate(99.9%, over = 30d), critical]`.
    Objectives(Vec<super::objective::ObjectiveAst>),
    /// Whether values of the bounded label can be removed (`remove(..)`): `removable = true`.
    Removable(LitBool),
}

/// A bucket specification as written.
pub(crate) enum BucketsAst {
    List(Span, Vec<Number>),
    Preset(Ident),
    Builder { name: Ident, args: Vec<Number> },
    Const(Path),
}

/// A numeric literal, possibly negated, with its span.
#[derive(Clone, Copy)]
pub(crate) struct Number {
    pub(crate) value: f64,
    pub(crate) span: Span,
}

pub(crate) const OPTION_KEYS: &[&str] = &[
    "unit",
    "buckets",
    "budget",
    "observe",
    "exemplars",
    "optional",
    "expire_after",
    "objectives",
    "removable",
];

impl Parse for SchemaAst {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut schema = SchemaAst {
            krate: None,
            namespace: None,
            families: Vec::new(),
            presets: Vec::new(),
            errors: Vec::new(),
        };
        while !input.is_empty() {
            if input.peek(Token![crate]) && input.peek2(Token![=]) {
                let keyword: Token![crate] = input.parse()?;
                input.parse::<Token![=]>()?;
                let path = Path::parse_mod_style(input)?;
                input.parse::<Token![;]>()?;
                if schema.krate.is_some() {
                    schema.errors.push(syn::Error::new(
                        keyword.span,
                        "duplicate `crate = ...;` setting: keep one",
                    ));
                }
                schema.krate = Some(path);
            } else if input.peek(Ident::peek_any) && input.peek2(Token![=]) {
                let key = Ident::parse_any(input)?;
                input.parse::<Token![=]>()?;
                if key == "namespace" {
                    let value: LitStr = input.parse().map_err(|error| {
                        syn::Error::new(
                            error.span(),
                            "`namespace` is a string in quotes: `namespace = \"cogo\";`",
                        )
                    })?;
                    input.parse::<Token![;]>()?;
                    if schema.namespace.is_some() {
                        schema.errors.push(syn::Error::new(
                            key.span(),
                            "duplicate `namespace` setting: keep one",
                        ));
                    }
                    schema.namespace = Some(value);
                } else {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown setting `{key}`: a `metrics!` block accepts `crate = path;` and `namespace = \"prefix\";`"
                        ),
                    ));
                }
            } else if is_preset(input) {
                match parse_preset(input, &mut schema.errors) {
                    Ok(preset) => schema.presets.push(preset),
                    Err(error) => {
                        schema.errors.push(error);
                        skip_to_next_family(input);
                    }
                }
            } else {
                match parse_family(input, &mut schema.errors) {
                    Ok(family) => schema.families.push(family),
                    Err(error) => {
                        schema.errors.push(error);
                        skip_to_next_family(input);
                    }
                }
            }
        }
        Ok(schema)
    }
}

/// After a broken family header, drops tokens up to and including the next `;` or braced body.
fn skip_to_next_family(input: ParseStream<'_>) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tree, next)) = rest.token_tree() {
            rest = next;
            match tree {
                proc_macro2::TokenTree::Punct(p) if p.as_char() == ';' => break,
                proc_macro2::TokenTree::Group(g)
                    if g.delimiter() == proc_macro2::Delimiter::Brace =>
                {
                    break;
                }
                _ => {}
            }
        }
        Ok(((), rest))
    });
}

/// Whether the next item is a `preset` (after its attributes and visibility), looked at on a fork.
fn is_preset(input: ParseStream<'_>) -> bool {
    let fork = input.fork();
    fork.call(Attribute::parse_outer).is_ok()
        && fork.parse::<Visibility>().is_ok()
        && fork
            .parse::<Ident>()
            .is_ok_and(|keyword| keyword == "preset")
}

/// `preset name: kind { role = family { bindings }, .. }`.
fn parse_preset(input: ParseStream<'_>, errors: &mut Vec<syn::Error>) -> syn::Result<PresetAst> {
    let attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    let _keyword: Ident = input.parse()?;
    let name = Ident::parse_any(input)?;
    input.parse::<Token![:]>().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected `: job`, `: tool` or `: llm` after the preset's name: the attribute that takes it",
        )
    })?;
    let kind = Ident::parse_any(input)?;
    let mut preset = PresetAst {
        attrs,
        vis,
        name,
        kind,
        roles: Vec::new(),
    };
    if !input.peek(syn::token::Brace) {
        return Err(input.error(
            "expected `{ role = family, .. }` after the preset's kind, as in `{ duration = job_latency_seconds }`",
        ));
    }
    let content;
    braced!(content in input);
    if let Err(error) = parse_roles(&content, &mut preset.roles) {
        errors.push(error);
        let _ = content.parse::<TokenStream>();
    }
    Ok(preset)
}

fn parse_roles(content: ParseStream<'_>, roles: &mut Vec<RoleAst>) -> syn::Result<()> {
    while !content.is_empty() {
        let role = Ident::parse_any(content)?;
        content.parse::<Token![=]>().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected `{role} = family_name`: the family of this block the role records into"),
            )
        })?;
        let family = Ident::parse_any(content)?;
        let mut bindings = Vec::new();
        if content.peek(syn::token::Brace) {
            let inner;
            braced!(inner in content);
            while !inner.is_empty() {
                let label = Ident::parse_any(&inner)?;
                let value = if inner.peek(Token![=]) {
                    inner.parse::<Token![=]>()?;
                    Some(inner.parse()?)
                } else {
                    None
                };
                bindings.push(BindingAst { label, value });
                if inner.is_empty() {
                    break;
                }
                inner.parse::<Token![,]>()?;
            }
        }
        roles.push(RoleAst {
            role,
            family,
            bindings,
        });
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(())
}

fn parse_family(input: ParseStream<'_>, errors: &mut Vec<syn::Error>) -> syn::Result<FamilyAst> {
    let attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    let kind: Ident = input.parse().map_err(|e| {
        syn::Error::new(e.span(), "expected a family: `counter`, `gauge`, `histogram`, `info` or `stateset`, then its name")
    })?;
    let name = Ident::parse_any(input)?;
    if input.peek(Token![=]) {
        return Err(input.error(format!(
            "the value type follows a `:`, as in Rust: `{name}: f64`; options go in the braces, `{name} {{ unit = seconds }}`"
        )));
    }
    let value_type = if input.peek(Token![:]) {
        input.parse::<Token![:]>()?;
        Some(input.parse()?)
    } else {
        None
    };
    let mut family = FamilyAst {
        attrs,
        vis,
        kind,
        name,
        value_type,
        labels: Vec::new(),
        options: Vec::new(),
    };
    if input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
        return Ok(family);
    }
    if !input.peek(syn::token::Brace) {
        return Err(input.error("expected `{ labels and options }` or `;` after the family name"));
    }
    let content;
    braced!(content in input);
    if let Err(error) = parse_body(&content, &mut family) {
        errors.push(error);
        // Consume the rest of the body, or syn reports a second, confusing "expected `}`" at its end.
        let _ = content.parse::<TokenStream>();
    }
    Ok(family)
}

fn parse_body(content: ParseStream<'_>, family: &mut FamilyAst) -> syn::Result<()> {
    while !content.is_empty() {
        let key = Ident::parse_any(content)?;
        if content.peek(Token![:]) {
            // A keyword would become a field of the labels struct that does not compile.
            if syn::parse_str::<Ident>(&key.to_string()).is_err() {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "`{key}` is a Rust keyword: write the label `r#{key}` (it is still exposed as `{key}`)"
                    ),
                ));
            }
            content.parse::<Token![:]>()?;
            family.labels.push(LabelAst {
                name: key,
                ty: content.parse()?,
            });
        } else if content.peek(Token![=]) {
            content.parse::<Token![=]>()?;
            let value = match key.to_string().as_str() {
                "unit" if content.peek(LitStr) => {
                    let text: LitStr = content.parse()?;
                    return Err(syn::Error::new(
                        text.span(),
                        format!(
                            "`unit` is written without quotes: `unit = {}`",
                            text.value()
                        ),
                    ));
                }
                "unit" => OptionValue::Unit(Ident::parse_any(content)?),
                "buckets" => OptionValue::Buckets(parse_buckets(content)?),
                "budget" => OptionValue::Budget(content.parse().map_err(|error: syn::Error| {
                    syn::Error::new(
                        error.span(),
                        "`budget` is a whole number of series, without quotes: `budget = 100`",
                    )
                })?),
                "observe" => {
                    let path: Path = content.parse()?;
                    if content.peek(syn::token::Paren) {
                        return Err(syn::Error::new(
                            content.span(),
                            format!(
                                "`observe` names the function, which is called at each scrape: write `observe = {}`, without `()`",
                                quote::ToTokens::to_token_stream(&path)
                                    .to_string()
                                    .replace(' ', "")
                            ),
                        ));
                    }
                    OptionValue::Observe(path)
                }
                "exemplars" => {
                    OptionValue::Exemplars(content.parse().map_err(|error: syn::Error| {
                        syn::Error::new(error.span(), "`exemplars` is `true` or `false`")
                    })?)
                }
                "optional" => OptionValue::Optional(parse_idents(content)?),
                "removable" => {
                    OptionValue::Removable(content.parse().map_err(|error: syn::Error| {
                        syn::Error::new(error.span(), "`removable` is `true` or `false`")
                    })?)
                }
                "expire_after" => {
                    OptionValue::ExpireAfter(content.parse().map_err(|error: syn::Error| {
                        syn::Error::new(
                            error.span(),
                            "`expire_after` is a duration such as `30s`, `10m`, `2h` or `1d`",
                        )
                    })?)
                }
                "objectives" => OptionValue::Objectives(super::objective::parse_list(content)?),
                other => {
                    let hint = crate::names::closest(other, OPTION_KEYS)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{other}`: expected one of `unit`, `buckets`, `budget`, `observe`, `exemplars`, `optional`, `expire_after`, `removable`, `objectives`{hint}"
                        ),
                    ));
                }
            };
            family.options.push(OptionAst { key, value });
        } else {
            return Err(syn::Error::new(
                key.span(),
                format!("expected `{key}: LabelType` for a label or `{key} = value` for an option"),
            ));
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(())
}

/// `name` or `[name, ..]`.
fn parse_idents(input: ParseStream<'_>) -> syn::Result<Vec<Ident>> {
    if input.peek(syn::token::Bracket) {
        let content;
        bracketed!(content in input);
        return Ok(content
            .parse_terminated(Ident::parse_any, Token![,])?
            .into_iter()
            .collect());
    }
    Ok(vec![Ident::parse_any(input)?])
}

fn parse_buckets(input: ParseStream<'_>) -> syn::Result<BucketsAst> {
    if input.peek(syn::token::Bracket) {
        let content;
        let bracket = bracketed!(content in input);
        let mut values = Vec::new();
        while !content.is_empty() {
            match parse_number(&content) {
                Ok(value) => values.push(value),
                Err(error) => {
                    // syn reports tokens left in a group as "unexpected token", over our message: consume them.
                    let _rest: TokenStream = content.parse()?;
                    return Err(error);
                }
            }
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        return Ok(BucketsAst::List(bracket.span.join(), values));
    }
    let path = Path::parse_mod_style(input)?;
    if input.peek(syn::token::Paren) {
        if let Some(preset) = path
            .get_ident()
            .and_then(|ident| Preset::from_keyword(&ident.to_string()))
        {
            return Err(syn::Error::new_spanned(
                &path,
                format!(
                    "`{}` is a bucket preset, not a function: write `buckets = {}`, without `()`",
                    preset.keyword(),
                    preset.keyword()
                ),
            ));
        }
        let Some(name) = path.get_ident().cloned() else {
            return Err(syn::Error::new_spanned(
                path,
                "expected `exponential(start, factor, count)` or `linear(start, width, count)`",
            ));
        };
        let content;
        parenthesized!(content in input);
        let args = content
            .parse_terminated(parse_number, Token![,])?
            .into_iter()
            .collect();
        return Ok(BucketsAst::Builder { name, args });
    }
    match path.get_ident() {
        Some(ident)
            if ident
                .to_string()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_') =>
        {
            Ok(BucketsAst::Preset(ident.clone()))
        }
        _ => Ok(BucketsAst::Const(path)),
    }
}

fn parse_number(input: ParseStream<'_>) -> syn::Result<Number> {
    let negative = input.peek(Token![-]);
    if negative {
        input.parse::<Token![-]>()?;
    }
    if !input.peek(syn::Lit) {
        // `f64::INFINITY`, `f64::NAN`, `MAX`, `1.0 / 3.0`: anything but a literal is refused on its first token.
        let found: syn::Expr = input.parse()?;
        let text = quote::ToTokens::to_token_stream(&found)
            .to_string()
            .replace(' ', "");
        return Err(syn::Error::new_spanned(
            &found,
            format!(
                "bucket bounds are number literals, and `{text}` is not one: `+Inf` is always added for you and \
                 NaN is never a bound; for computed bounds, name a `const` array: `buckets = MY_BOUNDS`"
            ),
        ));
    }
    let lit: syn::Lit = input.parse()?;
    let (value, span) = match &lit {
        syn::Lit::Float(f) => (f.base10_parse::<f64>()?, f.span()),
        syn::Lit::Int(i) => (i.base10_parse::<f64>()?, i.span()),
        other => return Err(syn::Error::new(other.span(), "expected a number")),
    };
    Ok(Number {
        value: if negative { -value } else { value },
        span,
    })
}

/// Parses a `metrics!` input; never fails as a whole, so every error found is reported.
pub(crate) fn parse(tokens: TokenStream) -> SchemaAst {
    match syn::parse2::<SchemaAst>(tokens) {
        Ok(schema) => schema,
        Err(error) => SchemaAst {
            krate: None,
            namespace: None,
            families: Vec::new(),
            presets: Vec::new(),
            errors: vec![error],
        },
    }
}
