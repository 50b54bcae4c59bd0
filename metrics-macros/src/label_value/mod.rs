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
    let parsed = match <attr::EnumAttrs as darling::FromDeriveInput>::from_derive_input(&input) {
        Ok(parsed) => parsed,
        Err(error) => return error.write_errors(),
    };
    let mut errors = Errors::default();
    let values = validate::values(&parsed, &mut errors);
    let mut out = expand::expand(&parsed, &values);
    out.extend(errors.into_tokens());
    out
}
