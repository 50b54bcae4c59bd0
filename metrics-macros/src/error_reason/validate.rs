//! Reasons are label values: non-empty, unique, free of control characters.

use metrics_rules::label::{LabelValueError, check_label_value};
use syn::ext::IdentExt as _;

use super::attr::EnumAttrs;
use crate::diag::Errors;
use crate::names::to_snake;

/// One variant's reason text, and how to match the variant.
pub(crate) struct Reason {
    pub(crate) variant: syn::Ident,
    pub(crate) style: darling::ast::Style,
    pub(crate) text: String,
}

pub(crate) fn reasons(attrs: &EnumAttrs, errors: &mut Errors) -> Vec<Reason> {
    let variants = attrs.data.as_ref().take_enum().unwrap_or_default();
    let mut out: Vec<Reason> = Vec::new();
    for variant in variants {
        let (text, span) = match &variant.reason {
            Some(lit) => (lit.value(), lit.span()),
            None => (
                to_snake(&variant.ident.unraw().to_string()),
                variant.ident.span(),
            ),
        };
        // The label value rule, worded for a reason.
        match check_label_value(&text) {
            Ok(()) => {}
            Err(LabelValueError::Empty) => errors.push(syn::Error::new(
                span,
                "a failure reason must not be empty: it is a label value",
            )),
            Err(LabelValueError::Control { text, c }) => errors.push(syn::Error::new(
                span,
                format!("reason {text:?} contains the control character {c:?}: remove it"),
            )),
        }
        if let Some(first) = out.iter().find(|r| r.text == text) {
            errors.push(syn::Error::new(
                span,
                format!(
                    "duplicate reason \"{text}\": `{}` already has it; rename one with `#[metrics(reason = \"..\")]`, or give both the same variant",
                    first.variant
                ),
            ));
        }
        out.push(Reason {
            variant: variant.ident.clone(),
            style: variant.fields.style,
            text,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use darling::FromDeriveInput as _;

    use super::*;

    fn check(input: &syn::DeriveInput) -> (Vec<String>, Vec<String>) {
        let attrs = EnumAttrs::from_derive_input(input).expect("valid attributes");
        let mut errors = Errors::default();
        let texts = reasons(&attrs, &mut errors)
            .into_iter()
            .map(|r| r.text)
            .collect();
        (texts, errors.messages())
    }

    #[test]
    fn variants_become_snake_case_reasons_unless_renamed() {
        let (texts, errors) = check(&syn::parse_quote! {
            enum E { ConnectTimeout, Http5xx(u16), #[metrics(reason = "bad_input")] Invalid { field: String }, r#Type }
        });
        assert_eq!(texts, ["connect_timeout", "http5xx", "bad_input", "type"]);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn every_bad_reason_is_reported_at_once() {
        let (_, errors) = check(&syn::parse_quote! {
            enum E { #[metrics(reason = "")] A, #[metrics(reason = "b\n")] B, C, #[metrics(reason = "c")] D }
        });
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("must not be empty"));
        assert!(errors[1].contains("control character"));
        assert!(errors[2].contains("duplicate reason \"c\": `C` already has it"));
    }
}
