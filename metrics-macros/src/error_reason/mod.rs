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
    if let Some(error) = not_an_enum(&input) {
        return error;
    }
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

/// A struct or union has no variants to map: one error on its keyword, plus an impl that keeps the type usable
/// as an error, so the instrumentation does not also warn that the derive is missing.
fn not_an_enum(input: &syn::DeriveInput) -> Option<TokenStream> {
    let (keyword, span) = match &input.data {
        syn::Data::Enum(_) => return None,
        syn::Data::Struct(data) => ("struct", data.struct_token.span),
        syn::Data::Union(data) => ("union", data.union_token.span),
    };
    let ident = &input.ident;
    let message = format!(
        "`#[derive(ErrorReason)]` maps each variant of an error enum to a failure reason, and `{ident}` is a \
         {keyword}: make it an enum, or implement `metrics_core::ErrorReason` by hand with the one reason it has"
    );
    let error = syn::Error::new(span, message).into_compile_error();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Some(quote::quote! {
        #error
        #[doc(hidden)]
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::metrics_core::__private::ErrorReason for #ident #ty_generics #where_clause {
                const REASONS: &'static [&'static ::core::primitive::str] = &[];
                fn reason_index(&self) -> ::core::primitive::usize {
                    ::core::unreachable!()
                }
            }
        };
    })
}
