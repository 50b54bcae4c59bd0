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
