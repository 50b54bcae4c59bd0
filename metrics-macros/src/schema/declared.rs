//! A family that records as events happen (not removable, info nor observable), as a `DeclaredFamily`: the labels
//! struct, its one `LabelSet` impl, the type alias and the static. The accessors, the `Family` impl and the errors
//! for the calls such a family cannot answer are core's, written once (`metrics-core/src/declared/`): every item
//! generated per family is checked on its own in each crate that declares families, so only what names the
//! family's own types is generated here (scenario J in `docs/performance.md`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;

use super::expand::{
    budget_message, cell_new, cell_type, descriptor, enum_combinations, label_fields, static_ident,
    string_combinations,
};
use super::model::{FamilyModel, Kind, LabelKind};
use crate::diag::respan;
use crate::names::to_pascal;

/// Whether `family` is declared as a `DeclaredFamily` (the others keep a generated type, see `expand.rs`).
pub(super) fn applies(family: &FamilyModel) -> bool {
    family.observe.is_none() && family.kind != Kind::Info && !family.removable
}

pub(super) fn expand(family: &FamilyModel, p: &TokenStream) -> TokenStream {
    let span = family.ident.span();
    let pascal = to_pascal(&family.ident.unraw().to_string());
    // The type is `..Family`, not the family's bare name in PascalCase: that name is the natural one for the
    // user's own label or state enum (`stateset breaker: Breaker`), and for a short name (`g2`) it would also
    // read like the static.
    let alias = format_ident!("{}Family", pascal, span = span);
    let labels_struct = format_ident!("{}Labels", pascal, span = span);
    let static_ident = static_ident(family);
    let vis = &family.vis;
    let cfgs = &family.cfg_attrs;
    let name = &family.name;
    let cell_ty = cell_type(&family.cell, family.exemplars, p);
    let cell_new = cell_new(&family.cell, family.exemplars, p);
    let descriptor = descriptor(family, p);

    let borrows = family
        .labels
        .iter()
        .any(|l| !matches!(l.kind, LabelKind::Enum(_)));
    // The label types in declaration order, the alias's last parameter: `Enum` of each enum, or `Text` for a bounded
    // string. They carry no bound: a type that is not a label value is reported by its uses below, on its token.
    let label_types = {
        let types = family.labels.iter().map(|l| match &l.kind {
            LabelKind::Enum(ty) => quote!(#p::Enum<#ty>),
            LabelKind::Bounded { .. } | LabelKind::Text => quote!(#p::Text),
        });
        quote!((#(#types,)*))
    };
    let (labels_param, labels_items) = if family.labels.is_empty() {
        (quote!(()), TokenStream::new())
    } else {
        let items = labels_struct_and_set(
            family,
            &labels_struct,
            &static_ident,
            borrows,
            &label_types,
            p,
        );
        let param = if borrows {
            quote!(#labels_struct<'static>)
        } else {
            quote!(#labels_struct)
        };
        (param, items)
    };

    let enum_combinations = enum_combinations(family, p);
    let budget = family.budget;
    let (storage, init, fits) = if borrows {
        let caps: Vec<usize> = family
            .labels
            .iter()
            .filter_map(|l| match l.kind {
                LabelKind::Bounded { cap, .. } => Some(cap),
                _ => None,
            })
            .collect();
        let count = caps.len();
        let interners = caps.iter().map(|cap| quote!(#p::Interner::new(#cap)));
        let string_combinations = string_combinations(family);
        (
            quote!(#p::BoundedFamily<#cell_ty, #count>),
            quote!(#p::BoundedFamily::new(#descriptor, [#(#interners),*], #enum_combinations, || #cell_new)),
            quote!((#string_combinations as ::core::primitive::u128) * (#enum_combinations as ::core::primitive::u128) <= (#budget as ::core::primitive::u128)),
        )
    } else {
        // Spanned on the family name: a bucket constant that fails to evaluate is noted there.
        let cells = quote_spanned!(span=> const { #cell_new });
        (
            quote!(#p::DenseFamily<#cell_ty, { #enum_combinations }>),
            quote!(#p::DenseFamily::new(#descriptor, [#cells; _])),
            quote!((#enum_combinations as ::core::primitive::u64) <= #budget),
        )
    };
    // Never-failing unless the written type is not core's `BoundedStr`: the error lands on the user's type token.
    let label_checks: Vec<TokenStream> = family
        .labels
        .iter()
        .filter_map(|l| match &l.kind {
            LabelKind::Bounded { ty, .. } => {
                Some(quote_spanned!(l.ty_span=> #p::assert_bounded_str::<#ty>();))
            }
            _ => None,
        })
        .collect();
    let fits = if label_checks.is_empty() {
        fits
    } else {
        quote!({ #(#label_checks)* #fits })
    };
    let budget_message = budget_message(family);
    // The constructor's call carries the family name's span, so a failed budget check lands on the name.
    let new = respan(&quote!(#p::DeclaredFamily::new), span);
    let constructor = quote_spanned!(span=> #new(#fits, #budget_message, #init));
    let objectives = (!family.objectives.is_empty()).then(|| {
        let checks = super::objective::checks(&family.objectives, p);
        quote!(#(#cfgs)* const _: () = { #checks };)
    });
    let doc_alias = alias_doc(family, &static_ident, &labels_struct);
    let doc_static = format!(
        "{}\n\nMetric family `{name}` ({}).",
        family.help,
        family.kind.as_str()
    );
    // A family under `#[cfg]` links itself; the others link through their block's group (`submit_group`).
    let submit = (!cfgs.is_empty()).then(|| quote!(#p::submit!(#static_ident);));

    quote! {
        #labels_items

        #(#cfgs)*
        #[doc = #doc_alias]
        #vis type #alias = #p::DeclaredFamily<#storage, #labels_param, #label_types>;

        #(#cfgs)*
        #[doc = #doc_static]
        #vis static #static_ident: #alias = #constructor;

        #objectives

        #(#cfgs)*
        #submit
    }
}

/// The labels struct, field for field as declared, and its `LabelSet` impl: its values as a tuple in declaration
/// order, from which core finds the series.
fn labels_struct_and_set(
    family: &FamilyModel,
    labels_struct: &syn::Ident,
    static_ident: &syn::Ident,
    borrows: bool,
    label_types: &TokenStream,
    p: &TokenStream,
) -> TokenStream {
    let vis = &family.vis;
    let cfgs = &family.cfg_attrs;
    let lifetime = borrows.then(|| quote!(<'a>));
    let fields = label_fields(family);
    let field_idents = family.labels.iter().map(|l| &l.ident);
    let (set_for, at) = if borrows {
        (quote!(#labels_struct<'static>), quote!(#labels_struct<'a>))
    } else {
        (quote!(#labels_struct), quote!(#labels_struct))
    };
    let doc = format!("The labels of [`{static_ident}`], field for field as declared.");
    quote! {
        #(#cfgs)*
        #[doc = #doc]
        #[derive(::core::fmt::Debug)]
        #vis struct #labels_struct #lifetime {
            #(#fields,)*
        }

        // Written out rather than derived: `derive(Clone)` adds an impl and a field check the compiler pays for per
        // family, for the same `*self`.
        #(#cfgs)*
        #[automatically_derived]
        impl #lifetime ::core::clone::Clone for #at {
            #[inline]
            fn clone(&self) -> Self {
                *self
            }
        }

        #(#cfgs)*
        #[automatically_derived]
        impl #lifetime ::core::marker::Copy for #at {}

        #(#cfgs)*
        #[automatically_derived]
        impl #p::LabelSet<#label_types> for #set_for {
            type At<'a> = #at;
            #[inline]
            fn args<'a>(labels: Self::At<'a>) -> <#label_types as #p::LabelTypes>::Values<'a> {
                (#(labels.#field_idents,)*)
            }
        }
    }
}

/// The alias's doc: how to record into the family. Rustdoc shows a foreign type's methods under an alias of it only
/// in that type's own page, so the calls, with the positional values' order and types, are spelled out here.
fn alias_doc(
    family: &FamilyModel,
    static_ident: &syn::Ident,
    labels_struct: &syn::Ident,
) -> String {
    let name = &family.name;
    let head = format!("The type of [`{static_ident}`]: the `{name}` family.");
    let tail = "An alias of `metrics_core::DeclaredFamily`, whose page documents each method.";
    if family.labels.is_empty() {
        let call = match family.kind {
            Kind::Counter => "inc()",
            Kind::Histogram => "observe(..)",
            Kind::Gauge | Kind::StateSet | Kind::Info => "set(..)",
        };
        return format!(
            "{head} It is one series: record into it directly, as in `{static_ident}.{call}`. {tail}"
        );
    }
    let values: Vec<String> = family
        .labels
        .iter()
        .map(|l| match &l.kind {
            LabelKind::Enum(ty) => {
                let ty = quote!(#ty).to_string().replace(' ', "");
                format!("{}: {ty}", l.ident.unraw())
            }
            LabelKind::Bounded { .. } | LabelKind::Text => format!("{}: &str", l.ident.unraw()),
        })
        .collect();
    let idents: Vec<String> = family
        .labels
        .iter()
        .map(|l| l.ident.unraw().to_string())
        .collect();
    format!(
        "{head} Select a series with `{static_ident}.labels({})`, the values in declaration order ({}), or `{static_ident}.with({labels_struct} {{ .. }})`, then record into it; `find`/`find_labels` read one without creating it. {tail}",
        idents.join(", "),
        values.join(", ")
    )
}
