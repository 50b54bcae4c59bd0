//! The `LabelValue` impl: value texts in declaration order, index from the variant.

use proc_macro2::TokenStream;
use quote::quote;

use super::attr::EnumAttrs;
use super::validate::Value;

pub(crate) fn expand(attrs: &EnumAttrs, values: &[Value]) -> TokenStream {
    let ident = &attrs.ident;
    let krate = attrs
        .krate
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(::metrics_core));
    let texts = values.iter().map(|v| &v.text);
    let variants: Vec<_> = values.iter().map(|v| &v.variant).collect();
    let indices = 0..values.len();
    // An empty enum has no value to match on; `match self {}` is then exhaustive.
    quote! {
        #[doc(hidden)]
        const _: () = {
            // A `#[deprecated]` enum or variant is for its users to hear about, not for its own derived impl.
            #[automatically_derived]
            #[allow(deprecated)]
            impl #krate::__private::LabelValue for #ident {
                const VALUES: &'static [&'static ::core::primitive::str] = &[#(#texts),*];
                const ALL: &'static [Self] = &[#(Self::#variants),*];

                #[inline]
                fn index(self) -> ::core::primitive::usize {
                    match self {
                        #(Self::#variants => #indices,)*
                    }
                }
            }
        };
    }
}

/// For a type refused by the derive (a struct, or an enum carrying data): an impl that keeps every use of the type compiling, so the one error
/// on the variant's fields is all the user sees (not a "cannot be used as a metric label value" per family).
/// It is never run: the crate does not compile.
pub(crate) fn fallback(input: &syn::DeriveInput) -> TokenStream {
    // A union is never a label type by mistake of shape only (it is not `Debug`, which the trait needs): no impl,
    // or its missing `Debug` would be a second error.
    if !input.generics.params.is_empty() || matches!(input.data, syn::Data::Union(_)) {
        return TokenStream::new();
    }
    let ident = &input.ident;
    let texts: Vec<String> = match &input.data {
        syn::Data::Enum(data) => data.variants.iter().map(|v| v.ident.to_string()).collect(),
        syn::Data::Struct(_) | syn::Data::Union(_) => Vec::new(),
    };
    quote! {
        #[doc(hidden)]
        const _: () = {
            #[automatically_derived]
            #[allow(deprecated)]
            impl ::metrics_core::__private::LabelValue for #ident {
                const VALUES: &'static [&'static ::core::primitive::str] = &[#(#texts),*];
                const ALL: &'static [Self] = &[];

                fn index(self) -> ::core::primitive::usize {
                    ::core::unreachable!()
                }
            }
        };
    }
}
