//! Model to tokens. Cannot fail: every rule was checked by `validate.rs`.
//!
//! A family that records as events happen is a `DeclaredFamily` (`declared.rs`). The others, whose calls differ
//! (info, observable, removable), get a wrapper type of their own around their storage (`InfoFamily`,
//! `ObservableFamily`, `RemovableFamily`): a labels struct with named fields, the static, the accessors, the
//! stubs that turn the calls they cannot answer into errors (`select_first.rs`), and the `Wraps` impl. Then the
//! block's link into the registry. Generated code names only `#krate::__private`.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;
use syn::ext::IdentExt as _;

use super::model::{Buckets, Cell, FamilyModel, Kind, LabelKind, Model};
use crate::diag::respan;
use crate::names::to_pascal;

pub(crate) fn expand(model: &Model) -> TokenStream {
    let private = {
        let krate = &model.krate;
        quote!(#krate::__private)
    };
    let families = model
        .families
        .iter()
        .map(|family| expand_family(family, &private));
    let presets = model
        .presets
        .iter()
        .map(|preset| super::preset::expand(preset, &private));
    let mut out: TokenStream = families.chain(presets).collect();
    out.extend(submit_group(model, &private));
    out
}

/// The block's link into the registry: one linkme element holding every family without a `#[cfg]` (a family
/// under `#[cfg]` links itself, see `expand_family`), since one element per family costs far more compile time.
fn submit_group(model: &Model, p: &TokenStream) -> TokenStream {
    let members: Vec<TokenStream> = model
        .families
        .iter()
        .filter(|family| family.cfg_attrs.is_empty())
        .map(|family| {
            let ident = static_ident(family);
            // A `DeclaredFamily` is a `Family` itself; a generated type links its storage.
            if super::declared::applies(family) {
                quote!(&#ident)
            } else {
                quote!(&#ident.0)
            }
        })
        .collect();
    if members.is_empty() {
        return TokenStream::new();
    }
    quote!(#p::submit_group!(#(#members),*);)
}

/// The family's static: its name in upper case.
pub(super) fn static_ident(family: &FamilyModel) -> Ident {
    let ident_text = family.ident.unraw().to_string();
    format_ident!("{}", ident_text.to_uppercase(), span = family.ident.span())
}

/// The number of combinations of the family's enum labels' values, as an expression: a product of their
/// cardinalities, each spanned on its type so an enum that is not a label value is reported on its token.
pub(super) fn enum_combinations(family: &FamilyModel, p: &TokenStream) -> TokenStream {
    let factors = family.labels.iter().filter_map(|l| match &l.kind {
        LabelKind::Enum(ty) => {
            Some(quote_spanned!(l.ty_span=> * <#ty as #p::LabelValue>::CARDINALITY))
        }
        _ => None,
    });
    quote!((1usize #(#factors)*))
}

/// The most combinations of the family's bounded string values, each label counting its cap plus the overflow value.
pub(super) fn string_combinations(family: &FamilyModel) -> Literal {
    let combinations: u128 = family
        .labels
        .iter()
        .filter_map(|l| match l.kind {
            LabelKind::Bounded { cap, .. } => Some(cap as u128 + 1),
            _ => None,
        })
        .product();
    Literal::u128_unsuffixed(combinations)
}

/// The labels struct's fields, one per label as declared: an enum label's type, or `&'a str` for a string label.
pub(super) fn label_fields(family: &FamilyModel) -> impl Iterator<Item = TokenStream> + '_ {
    family.labels.iter().map(|l| {
        let ident = &l.ident;
        let doc = format!("The `{}` label.", ident.unraw());
        let ty = match &l.kind {
            LabelKind::Enum(ty) => quote!(#ty),
            LabelKind::Bounded { .. } | LabelKind::Text => quote!(&'a ::core::primitive::str),
        };
        quote!(#[doc = #doc] pub #ident: #ty)
    })
}

/// What the compile error says when the family can have more series than its budget.
pub(super) fn budget_message(family: &FamilyModel) -> String {
    let (name, budget) = (&family.name, family.budget);
    format!(
        "metric family `{name}` can have more series than its budget of {budget}: use fewer or smaller label sets, or raise the budget with `budget = N` in its declaration"
    )
}

/// The span of a path's last segment, where rustc reports a mismatched function.
fn path_span(path: &syn::Path) -> Span {
    path.segments
        .last()
        .map_or_else(Span::call_site, |segment| segment.ident.span())
}

fn expand_family(family: &FamilyModel, p: &TokenStream) -> TokenStream {
    if super::declared::applies(family) {
        return super::declared::expand(family, p);
    }
    let span = family.ident.span();
    let ident_text = family.ident.unraw().to_string();
    // The type is `..Family`, not the family's bare name in PascalCase: that name is the natural one for the
    // user's own label or state enum (`stateset breaker: Breaker`), and for a short name (`g2`) it would also
    // read like the static.
    let pascal = to_pascal(&ident_text);
    let wrapper = format_ident!("{}Family", pascal, span = span);
    let labels_struct = format_ident!("{}Labels", pascal, span = span);
    let static_ident = static_ident(family);
    let vis = &family.vis;
    let cfgs = &family.cfg_attrs;
    let name = &family.name;
    let cell_ty = cell_type(&family.cell, family.exemplars, p);
    let descriptor = descriptor(family, p);
    let doc_static = format!(
        "{}\n\nMetric family `{name}` ({}).",
        family.help,
        family.kind.as_str()
    );
    let doc_wrapper = format!("The type of [`{static_ident}`]: the `{name}` family.");

    let enum_labels: Vec<_> = family
        .labels
        .iter()
        .filter_map(|l| match &l.kind {
            LabelKind::Enum(ty) => Some((&l.ident, ty, l.ty_span)),
            _ => None,
        })
        .collect();
    let has_text = family
        .labels
        .iter()
        .any(|l| !matches!(l.kind, LabelKind::Enum(_)));
    let lifetime = if has_text { quote!(<'a>) } else { quote!() };
    let field_decls = label_fields(family);
    let field_idents: Vec<_> = family.labels.iter().map(|l| &l.ident).collect();
    let labels_struct_item = if family.labels.is_empty() {
        quote!()
    } else {
        let doc = format!("The labels of [`{static_ident}`], field for field as declared.");
        quote! {
            #(#cfgs)*
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
            #vis struct #labels_struct #lifetime {
                #(#field_decls,)*
            }
        }
    };
    // Never-called checks whose bounds put a "not a label value" error on the user's own type token. An enum
    // label needs none: its `<T as LabelValue>` uses below carry its span already, and a second check would only
    // repeat the same error.
    let label_checks = family.labels.iter().map(|l| match &l.kind {
        LabelKind::Enum(_) | LabelKind::Text => quote!(),
        LabelKind::Bounded { ty, .. } => {
            quote_spanned!(l.ty_span=> #p::assert_bounded_str::<#ty>();)
        }
    });
    // Mixed-radix index of the enum labels, last label fastest; `source` is `self` or `labels`.
    let enum_index = |source: TokenStream| {
        let steps = enum_labels.iter().map(|(ident, ty, ty_span)| {
            quote_spanned!(*ty_span=> index = index * <#ty as #p::LabelValue>::CARDINALITY + <#ty as #p::LabelValue>::index(#source.#ident);)
        });
        quote!({ let mut index: ::core::primitive::usize = 0; #(#steps)* index })
    };
    let enum_cardinality = enum_combinations(family, p);
    let budget = family.budget;
    let budget_message = budget_message(family);
    // The budget assertion's path carries the family name's span too, so a failed check lands on the name
    // rather than on the whole `metrics!` invocation.
    let p_at_name = respan(p, span);

    let observer_alias = family.observe.as_ref().map(|_| {
        let observer = format_ident!("{}Observer", pascal, span = span);
        let labels = if family.labels.is_empty() {
            quote!(())
        } else {
            quote!(#labels_struct)
        };
        let value = observed_value(&family.cell);
        let doc = format!(
            "What the function named by `observe` for [`{static_ident}`] fills: `fn(out: &mut {observer}<'_>)`."
        );
        quote! {
            #(#cfgs)*
            #[doc = #doc]
            #vis type #observer<'a> = #p::Observer<'a, #labels, #value>;
        }
    });
    let objective_checks = super::objective::checks(&family.objectives, p);
    let (storage, init, accessors, budget_check) = match (family.kind, has_text) {
        _ if family.observe.is_some() => {
            let callback = family.observe.as_ref().map(|path| {
                // Spanned on the path: a function of the wrong signature is reported there.
                quote_spanned!(path_span(path)=> #path)
            });
            let labels = if family.labels.is_empty() {
                quote!(())
            } else {
                quote!(#labels_struct)
            };
            let value = observed_value(&family.cell);
            let cardinality = if family.labels.is_empty() {
                quote!(1usize)
            } else {
                quote!(<#labels_struct as #p::EnumLabels>::CARDINALITY)
            };
            (
                quote!(#p::ObservableFamily<#labels, #value, { #cardinality }>),
                quote!(#p::ObservableFamily::new(#descriptor, #callback)),
                quote!(),
                quote_spanned!(span=> const _: () = #p_at_name::assert!((#cardinality as ::core::primitive::u64) <= #budget, #budget_message);),
            )
        }
        (Kind::Info, _) => {
            let count = family.labels.len();
            let set = if family.labels.is_empty() {
                quote!(
                    pub fn set(&self) {
                        self.0.set([])
                    }
                )
            } else {
                quote!(pub fn set(&self, labels: #labels_struct<'_>) { self.0.set([#(labels.#field_idents),*]) })
            };
            (
                quote!(#p::InfoFamily<#count>),
                quote!(#p::InfoFamily::new(#descriptor)),
                quote! {
                    /// Sets (or replaces) the label values; nothing is exposed before the first call.
                    #set
                },
                quote!(),
            )
        }
        // Removable: the one kind left (the others are `DeclaredFamily`s, `declared.rs`).
        _ => {
            let bounded: Vec<_> = family
                .labels
                .iter()
                .filter_map(|l| match l.kind {
                    LabelKind::Bounded { cap, .. } => Some((&l.ident, cap)),
                    _ => None,
                })
                .collect();
            let interners = bounded
                .iter()
                .map(|(_, cap)| quote!(#p::Interner::new(#cap)));
            let string_combinations = string_combinations(family);
            let cell_new = cell_new(&family.cell, family.exemplars, p);
            let index = enum_index(quote!(labels));
            // Validation allows `removable`/`expire_after` only with exactly one bounded label.
            let interner = interners.clone().next();
            let storage = quote!(#p::RemovableFamily<#cell_ty>);
            let init = quote!(#p::RemovableFamily::new(#descriptor, #interner, #enum_cardinality, || #cell_new));
            let accessors = removable_accessors(family, &labels_struct, &cell_ty, &index, p);
            (
                storage,
                init,
                accessors,
                quote_spanned!(span=> const _: () = #p_at_name::assert!((#string_combinations as ::core::primitive::u128) * (#enum_cardinality as ::core::primitive::u128) <= (#budget as ::core::primitive::u128), #budget_message);),
            )
        }
    };

    let enum_labels_impl = if !has_text && !family.labels.is_empty() && family.kind != Kind::Info {
        let index = enum_index(quote!(self));
        quote! {
            #[automatically_derived]
            impl #p::EnumLabels for #labels_struct {
                const CARDINALITY: ::core::primitive::usize = #enum_cardinality;
                #[inline]
                fn index(self) -> ::core::primitive::usize #index
            }
        }
    } else {
        quote!()
    };
    let stubs = {
        let labels = if has_text {
            quote!(#labels_struct<'a>)
        } else {
            quote!(#labels_struct)
        };
        super::select_first::stubs(family, &labels, &cell_ty, p)
    };

    // A family under `#[cfg]` links itself; the others link through their block's group (`submit_group`).
    let submit = if cfgs.is_empty() {
        quote!()
    } else {
        quote!(#p::submit!(#static_ident);)
    };

    quote! {
        #(#cfgs)*
        #[doc = #doc_wrapper]
        #[derive(::core::fmt::Debug)]
        #[repr(transparent)]
        #vis struct #wrapper(#storage);

        #labels_struct_item

        #observer_alias

        #(#cfgs)*
        #[doc = #doc_static]
        #vis static #static_ident: #wrapper = #wrapper(#init);

        #(#cfgs)*
        #[doc(hidden)]
        const _: () = {
            #budget_check
            #objective_checks
            #[allow(dead_code, clippy::all)]
            fn __metrics_check_label_types() {
                #(#label_checks)*
            }

            #enum_labels_impl

            #[automatically_derived]
            impl #wrapper {
                #accessors
                #stubs
            }

            // The `Family` impl is core's, for every `Wraps`: one small impl here instead of six delegations.
            #[automatically_derived]
            impl #p::Wraps for #wrapper {
                type Storage = #storage;
                #[inline]
                fn storage(&self) -> &Self::Storage {
                    &self.0
                }
            }

            #submit
        };
    }
}

/// A removable family's accessors: `record` and `read` through a
/// closure (no reference to a series outlives it, since a removed value's cells go to a later value), `remove`
/// and `sweep`. `with`, `labels`, `find` and `find_labels` are stubs that say so (see `select_first.rs`).
fn removable_accessors(
    family: &FamilyModel,
    labels_struct: &Ident,
    cell_ty: &TokenStream,
    index: &TokenStream,
    p: &TokenStream,
) -> TokenStream {
    let field_idents: Vec<_> = family.labels.iter().map(|l| &l.ident).collect();
    let field_types: Vec<_> = family
        .labels
        .iter()
        .map(|l| match &l.kind {
            LabelKind::Enum(ty) => quote!(#ty),
            LabelKind::Bounded { .. } | LabelKind::Text => quote!(&::core::primitive::str),
        })
        .collect();
    let Some(bounded) = family
        .labels
        .iter()
        .find(|l| matches!(l.kind, LabelKind::Bounded { .. }))
        .map(|l| &l.ident)
    else {
        return TokenStream::new();
    };
    let label = bounded.unraw();
    let record_doc = format!(
        "Runs `f` on the series for these label values (declaration order), creating it if new (a `{label}` value \
         seen for the first time takes a slot of the cap, or goes to the overflow series past it), and returns what \
         `f` returns: `FAMILY.record(.., |series| series.inc())`. The series cannot outlive `f`: values of this \
         family are removed or expire, and a removed value's series is given to a later value once no recording is \
         inside it."
    );
    let remove_doc = format!(
        "Removes a value of the `{label}` label, with every series carrying it, and frees its place under the cap: a \
         new value takes it instead of the overflow series. `false` if it was not there. The removed series' counts \
         are discarded: if the value comes back, its series start from 0 (a counter reset to `rate()`). A recording \
         racing the removal lands in the removed series, never in another value's. The rules in full: \
         `metrics_core::RemovableFamily`."
    );
    quote! {
        #[doc = #record_doc]
        #[inline]
        pub fn record<R>(&self, #(#field_idents: #field_types,)* f: impl ::core::ops::FnOnce(&#cell_ty) -> R) -> R {
            let labels = #labels_struct { #(#field_idents),* };
            self.0.record(labels.#bounded, #index, f)
        }

        /// Runs `f` on the series for these label values if it exists (recorded, not removed nor expired) and
        /// returns what `f` returns, `None` otherwise: `FAMILY.read(.., |series| series.get())`. Interns nothing,
        /// creates and exposes nothing, and is not a recording (it does not keep a value from expiring).
        #[inline]
        pub fn read<R>(&self, #(#field_idents: #field_types,)* f: impl ::core::ops::FnOnce(&#cell_ty) -> R) -> ::core::option::Option<R> {
            let labels = #labels_struct { #(#field_idents),* };
            self.0.read(labels.#bounded, #index, f)
        }

        #[doc = #remove_doc]
        pub fn remove(&self, #bounded: &::core::primitive::str) -> ::core::primitive::bool {
            self.0.remove(#bounded)
        }

        /// Expires, as of `now`, the values not recorded for the family's `expire_after` (none without it) and
        /// reuses removed values' cells that no recording is inside; returns how many expired. Every scrape does
        /// this with the current time: call it where nothing scrapes, or in a test with a later `now`.
        pub fn sweep(&self, now: #p::Instant) -> ::core::primitive::usize {
            self.0.sweep(now)
        }
    }
}

/// The value type an observable family's function reports: the cell's number type.
fn observed_value(cell: &Cell) -> TokenStream {
    match cell {
        Cell::Counter => quote!(::core::primitive::u64),
        Cell::Gauge => quote!(::core::primitive::i64),
        _ => quote!(::core::primitive::f64),
    }
}

/// The cell of one series; `exemplars` picks the variant that keeps them (validation allows it on counters and
/// histograms only).
pub(super) fn cell_type(cell: &Cell, exemplars: bool, p: &TokenStream) -> TokenStream {
    match cell {
        Cell::Counter if exemplars => quote!(#p::ExemplarCounter),
        Cell::Counter => quote!(#p::Counter),
        Cell::FloatCounter if exemplars => quote!(#p::ExemplarFloatCounter),
        Cell::FloatCounter => quote!(#p::FloatCounter),
        Cell::Gauge => quote!(#p::Gauge),
        Cell::FloatGauge => quote!(#p::FloatGauge),
        Cell::Histogram(buckets) => {
            let slots = bucket_slots(buckets);
            if exemplars {
                quote!(#p::ExemplarHistogram<#slots>)
            } else {
                quote!(#p::Histogram<#slots>)
            }
        }
        Cell::StateSet(ty) => quote!(#p::StateSet<#ty>),
        Cell::Info => quote!(()),
    }
}

pub(super) fn cell_new(cell: &Cell, exemplars: bool, p: &TokenStream) -> TokenStream {
    match cell {
        Cell::Histogram(buckets) => {
            let bounds = buckets_expr(buckets, p);
            if exemplars {
                quote!(#p::ExemplarHistogram::new(#bounds))
            } else {
                quote!(#p::Histogram::new(#bounds))
            }
        }
        Cell::StateSet(ty) => quote!(#p::StateSet::<#ty>::new()),
        other => {
            let ty = cell_type(other, exemplars, p);
            quote!(#ty::new())
        }
    }
}

/// The number of cells of a histogram (its bounds and `+Inf`), as a const generic argument: a literal when the
/// bounds are written in the declaration. An expression in a type is a body of its own that the compiler checks
/// and evaluates wherever the type is written, so it is written only where the count comes from a constant.
pub(super) fn bucket_slots(buckets: &Buckets) -> TokenStream {
    match buckets {
        Buckets::Values(values) => {
            let slots = Literal::usize_unsuffixed(values.len() + 1);
            quote!(#slots)
        }
        Buckets::Const(path) => quote!({ #path.len() + 1 }),
    }
}

fn buckets_expr(buckets: &Buckets, p: &TokenStream) -> TokenStream {
    match buckets {
        Buckets::Values(values) => {
            let values = values.iter().map(|v| Literal::f64_unsuffixed(*v));
            quote!(&[#(#values),*])
        }
        Buckets::Const(path) => {
            let span = syn::spanned::Spanned::span(path);
            let p = respan(p, span);
            quote_spanned!(span=> #p::checked_buckets(&#path))
        }
    }
}

pub(super) fn descriptor(family: &FamilyModel, p: &TokenStream) -> TokenStream {
    let span = family.ident.span();
    let name = &family.name;
    let help = &family.help;
    let kind = Ident::new(family.kind.variant_name(), span);
    let unit = family.unit.as_ref().map(|unit| quote!(.with_unit(#unit)));
    let exemplars = family.exemplars.then(|| quote!(.with_exemplars()));
    let expire_after = family
        .expire_after_ms
        .map(|ms| quote!(.with_expire_after(#p::Duration::from_millis(#ms))));
    let objectives = (!family.objectives.is_empty()).then(|| {
        let list = super::objective::expand(&family.objectives, p);
        quote!(.with_objectives(#list))
    });
    let recorded_by = family.observe.as_ref().map(|path| {
        let text = quote!(#path).to_string().replace(' ', "");
        quote!(.with_recorded_by(#text))
    });
    let labels = family.labels.iter().map(|l| {
        let label_name = l.ident.unraw().to_string();
        let values = match &l.kind {
            LabelKind::Enum(ty) => {
                quote_spanned!(l.ty_span=> #p::LabelValues::Enum(<#ty as #p::LabelValue>::VALUES))
            }
            LabelKind::Bounded { cap, .. } => quote!(#p::LabelValues::Bounded { cap: #cap }),
            LabelKind::Text => quote!(#p::LabelValues::Text),
        };
        let optional = l.optional.then(|| quote!(.optional()));
        quote!(#p::LabelDescriptor::new(#label_name, #values) #optional)
    });
    // What a family does not have is left at the descriptor's default (empty): every builder call is one more
    // call the compiler checks and evaluates per family.
    let buckets = if let Cell::Histogram(buckets) = &family.cell {
        let bounds = buckets_expr(buckets, p);
        quote!(.with_buckets(#bounds))
    } else {
        quote!()
    };
    let states = if let Cell::StateSet(ty) = &family.cell {
        quote!(.with_states(<#ty as #p::LabelValue>::VALUES))
    } else {
        quote!()
    };
    let labels = (!family.labels.is_empty()).then(|| quote!(.with_labels(&[#(#labels),*])));
    // `line!()` and `column!()` name the `metrics!` invocation, the same for every family of a block; the family
    // ident's own position tells two families of one block apart in a clash. Outside a compiler run (unit tests)
    // there is no position, and the invocation's is used.
    let (line, column) = if proc_macro::is_available() {
        let start = span.unwrap();
        let (line, column) = (start.line() as u32, start.column() as u32);
        (quote!(#line), quote!(#column))
    } else {
        (quote!(#p::line!()), quote!(#p::column!()))
    };
    let location = quote_spanned! {span=>
        #p::SourceLocation { file: #p::file!(), line: #line, column: #column, module_path: #p::module_path!() }
    };
    quote! {
        &#p::Descriptor::new(#name, #help, #p::MetricKind::#kind, #location)
            #unit
            #labels
            #buckets
            #states
            #exemplars
            #expire_after
            #objectives
            #recorded_by
    }
}
