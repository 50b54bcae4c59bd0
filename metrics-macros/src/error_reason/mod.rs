//! `#[derive(ErrorReason)]`: each variant of an error enum becomes a bounded failure reason.

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
    let reasons = validate::reasons(&parsed, &mut errors);
    let mut out = expand::expand(&parsed, &reasons);
    out.extend(errors.into_tokens());
    out
}
