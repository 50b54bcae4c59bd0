//! Label values must be non-empty, unique, and free of control characters.

use metrics_rules::label::check_label_value;

use super::attr::EnumAttrs;
use crate::diag::Errors;
use syn::ext::IdentExt as _;

/// One variant's label value text and the token to blame for it.
pub(crate) struct Value {
    pub(crate) variant: syn::Ident,
    pub(crate) text: String,
}

/// The derive applies to an enum whose variants carry no data; `false` (with errors on the offending tokens)
/// otherwise.
pub(crate) fn shape(input: &syn::DeriveInput, errors: &mut Errors) -> bool {
    const ENUM_ONLY: &str = "`LabelValue` derives on a field-less enum, a closed set of label values: for open text use `BoundedStr<CAP>` as the label type";
    match &input.data {
        syn::Data::Struct(data) => {
            errors.push(syn::Error::new(data.struct_token.span, ENUM_ONLY));
            false
        }
        syn::Data::Union(data) => {
            errors.push(syn::Error::new(data.union_token.span, ENUM_ONLY));
            false
        }
        syn::Data::Enum(data) => {
            let mut ok = true;
            for variant in &data.variants {
                if !matches!(variant.fields, syn::Fields::Unit) {
                    errors.push(syn::Error::new_spanned(
                        &variant.fields,
                        format!("label value variant `{}` carries data: remove its fields; each variant is one label value", variant.ident),
                    ));
                    ok = false;
                }
            }
            ok
        }
    }
}

pub(crate) fn values(attrs: &EnumAttrs, errors: &mut Errors) -> Vec<Value> {
    let variants = attrs.data.as_ref().take_enum().unwrap_or_default();
    if variants.is_empty() {
        errors.push(syn::Error::new(
            attrs.ident.span(),
            "a label value enum needs at least one variant: a label with no values can never be recorded",
        ));
    }
    if !attrs.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &attrs.generics,
            "a label value enum cannot be generic",
        ));
    }
    let mut out: Vec<Value> = Vec::new();
    for variant in variants {
        let (text, span) = if let Some(lit) = &variant.rename {
            (lit.value(), lit.span())
        } else {
            let name = variant.ident.unraw().to_string();
            (
                attrs
                    .rename_all
                    .map_or(name.clone(), |r| r.rule.apply(&name)),
                variant.ident.span(),
            )
        };
        if let Err(error) = check_label_value(&text) {
            errors.push(syn::Error::new(span, error));
        }
        if let Some(first) = out.iter().find(|v| v.text == text) {
            errors.push(syn::Error::new(
                span,
                format!("duplicate label value \"{text}\": `{}` already has it; rename one with `#[metrics(rename = \"..\")]`", first.variant),
            ));
        }
        out.push(Value {
            variant: variant.ident.clone(),
            text,
        });
    }
    out
}
