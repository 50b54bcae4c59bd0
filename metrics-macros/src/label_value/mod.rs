//! `#[derive(LabelValue)]`: a field-less enum becomes a closed set of label values.

mod attr;
mod expand;
mod validate;

use proc_macro2::TokenStream;

use crate::diag::Errors;

pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<syn::DeriveInput>(input) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error(),
    };
    let mut errors = Errors::default();
    // Checked before darling, whose shape error would point at the derive path instead of the offending item.
    if !validate::shape(&input, &mut errors) {
        let mut out = errors.into_tokens();
        out.extend(expand::fallback(&input));
        return out;
    }
    let parsed = match <attr::EnumAttrs as darling::FromDeriveInput>::from_derive_input(&input) {
        Ok(parsed) => parsed,
        Err(error) => return error.write_errors(),
    };
    let values = validate::values(&parsed, &mut errors);
    // An impl for a generic enum would name it without its parameters: only the error is emitted.
    let mut out = if parsed.generics.params.is_empty() {
        expand::expand(&parsed, &values)
    } else {
        TokenStream::new()
    };
    out.extend(errors.into_tokens());
    out
}
