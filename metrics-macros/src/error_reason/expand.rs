//! The `ErrorReason` impl: reason texts in declaration order, index from the variant.

use proc_macro2::TokenStream;
use quote::quote;

use super::attr::EnumAttrs;
use super::validate::Reason;

pub(crate) fn expand(attrs: &EnumAttrs, reasons: &[Reason]) -> TokenStream {
    let ident = &attrs.ident;
    let krate = attrs
        .krate
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(::metrics_core));
    let (impl_generics, ty_generics, where_clause) = attrs.generics.split_for_impl();
    let texts = reasons.iter().map(|r| &r.text);
    let arms = reasons.iter().enumerate().map(|(index, reason)| {
        let variant = &reason.variant;
        let pattern = match reason.style {
            darling::ast::Style::Unit => quote!(Self::#variant),
            darling::ast::Style::Tuple => quote!(Self::#variant(..)),
            darling::ast::Style::Struct => quote!(Self::#variant { .. }),
        };
        quote!(#pattern => #index,)
    });
    // An enum without variants has no value: `match *self {}` is then exhaustive.
    quote! {
        #[doc(hidden)]
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::__private::ErrorReason for #ident #ty_generics #where_clause {
                const REASONS: &'static [&'static ::core::primitive::str] = &[#(#texts),*];

                #[inline]
                fn reason_index(&self) -> ::core::primitive::usize {
                    match *self {
                        #(#arms)*
                    }
                }
            }
        };
    }
}
