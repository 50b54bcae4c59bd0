//! The derive's attributes, read by darling: unknown keys and duplicates are rejected with suggestions.

use darling::{FromDeriveInput, FromVariant};
use syn::{Ident, Path};

/// An error enum; variants may carry data (the reason ignores it).
#[derive(FromDeriveInput)]
#[darling(attributes(metrics), supports(enum_any))]
pub(crate) struct EnumAttrs {
    pub(crate) ident: Ident,
    pub(crate) generics: syn::Generics,
    pub(crate) data: darling::ast::Data<VariantAttrs, ()>,
    #[darling(rename = "crate", default)]
    pub(crate) krate: Option<Path>,
}

#[derive(FromVariant)]
#[darling(attributes(metrics))]
pub(crate) struct VariantAttrs {
    pub(crate) ident: Ident,
    pub(crate) fields: darling::ast::Fields<()>,
    /// The reason text instead of the variant's `snake_case` name.
    #[darling(default)]
    pub(crate) reason: Option<crate::diag::Quoted>,
}
