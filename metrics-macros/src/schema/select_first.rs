//! Methods a family does not have, declared so that calling them is one error that says what to do.
//!
//! A labelled family holds one series per label combination, so `JOBS_TOTAL.inc()` has no series to add to; an
//! observable family is filled by its function at scrape time; a family without labels has no `.labels(..)`.
//! Left to rustc, each is "no method named `inc` found for struct `JobsTotalFamily`". Instead the call finds a
//! hidden method of that name whose `where` bound (`Trait<'a, ..>`) never holds (the trait is implemented only
//! for an uninhabited type): the call is then an E0277 carrying the trait's `on_unimplemented` message, on the
//! method's name. The lifetime in the bound keeps it from being a trivially false bound, which rustc would reject
//! where it is declared. Each signature matches the cell's own (argument count, return type), with generic
//! arguments, so the one error is not followed by a type mismatch; no body can run, since no call compiles.
//!
//! A labelled family (the common case) gets one `Deref` impl to core's `SelectFirst`, where those methods are
//! written once per cell type (`metrics-core/src/__private/select_first.rs`): methods generated per family cost
//! compile time in every crate that declares families. Observable families and families without labels, whose
//! methods depend on the label count or deref to the cell already, keep generated methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::{Cell, FamilyModel, Kind, LabelKind};

/// One method of a cell: name, argument count, return type.
struct Method {
    name: &'static str,
    args: usize,
    ret: TokenStream,
}

fn method(name: &'static str, args: usize, ret: TokenStream) -> Method {
    Method { name, args, ret }
}

/// The recording and reading methods of one series of this family's cell.
fn cell_methods(family: &FamilyModel, p: &TokenStream) -> Vec<Method> {
    let unit = quote!(());
    let bool_ = quote!(::core::primitive::bool);
    let u64_ = quote!(::core::primitive::u64);
    let f64_ = quote!(::core::primitive::f64);
    let mut methods = match &family.cell {
        Cell::Counter => vec![
            method("inc", 0, unit.clone()),
            method("inc_by", 1, unit.clone()),
            method("get", 0, u64_.clone()),
        ],
        Cell::FloatCounter => vec![
            method("inc", 0, unit.clone()),
            method("inc_by", 1, bool_.clone()),
            method("get", 0, f64_.clone()),
        ],
        Cell::Gauge => vec![
            method("set", 1, unit.clone()),
            method("inc", 0, unit.clone()),
            method("dec", 0, unit.clone()),
            method("add", 1, unit.clone()),
            method("sub", 1, unit.clone()),
            method("get", 0, quote!(::core::primitive::i64)),
            method("track_inflight", 0, quote!(#p::InflightGuard<'a>)),
        ],
        Cell::FloatGauge => vec![
            method("set", 1, unit.clone()),
            method("add", 1, unit.clone()),
            method("get", 0, f64_.clone()),
        ],
        Cell::Histogram(_) => vec![
            method("observe", 1, bool_.clone()),
            method("observe_duration", 1, unit.clone()),
            method("count", 0, u64_.clone()),
            method("sum", 0, f64_),
            method("bounds", 0, quote!(&'static [::core::primitive::f64])),
        ],
        Cell::StateSet(ty) => vec![
            method("set", 1, unit.clone()),
            method("get", 0, quote!(#ty)),
        ],
        Cell::Info => Vec::new(),
    };
    match (&family.cell, family.exemplars) {
        (Cell::Counter, true) => {
            methods.push(method("inc_with_exemplar", 1, unit.clone()));
            methods.push(method("inc_by_with_exemplar", 2, unit));
        }
        (Cell::FloatCounter, true) => methods.push(method("inc_by_with_exemplar", 2, bool_)),
        (Cell::Histogram(_), true) => {
            methods.push(method("observe_with_exemplar", 2, bool_));
            methods.push(method("observe_duration_with_exemplar", 2, unit));
            methods.push(method("exemplars_dropped", 0, u64_));
        }
        (Cell::Histogram(buckets), false) => {
            let len = super::expand::buckets_len(buckets);
            methods.push(method(
                "start_timer",
                0,
                quote!(#p::HistogramTimer<'a, { #len + 1 }>),
            ));
        }
        _ => {}
    }
    methods
}

/// The hidden methods of `family`'s wrapper type, for a family without labels, an observable or a removable one
/// (a labelled family gets [`deref`] instead, plus the lifecycle calls it lacks); `cell_ty` is the type of one
/// series.
pub(crate) fn stubs(
    family: &FamilyModel,
    labels: &TokenStream,
    cell_ty: &TokenStream,
    p: &TokenStream,
) -> TokenStream {
    if family.kind == Kind::Info {
        return TokenStream::new();
    }
    // The series a `#[measure]` target without label values records into (see `instrument/expand.rs`).
    let unlabelled = method("__metrics_unlabelled", 0, quote!(&'a #cell_ty));
    let mut extra = TokenStream::new();
    let (bound, methods) = if family.observe.is_some() {
        let mut methods = cell_methods(family, p);
        if !family.labels.is_empty() {
            let count = family.labels.len();
            methods.push(method("with", 1, quote!(&'a #cell_ty)));
            methods.push(method("labels", count, quote!(&'a #cell_ty)));
        }
        methods.push(unlabelled);
        (quote!(#p::ObservedAtScrape<'a>), methods)
    } else if family.labels.is_empty() {
        extra = quote! {
            /// The one series, for a `#[measure]` target naming this family.
            #[doc(hidden)]
            #[inline]
            pub fn __metrics_unlabelled(&self) -> &#cell_ty {
                #p::Deref::deref(self)
            }
        };
        // One argument: the likeliest mistake is a family thought to have one label.
        let methods = vec![
            method("with", 1, quote!(&'a #cell_ty)),
            method("labels", 1, quote!(&'a #cell_ty)),
        ];
        (quote!(#p::HasNoLabels<'a>), methods)
    } else if family.removable {
        // No reference to a series: everything that would return one says to record through a closure.
        extra = stub(family, &unlabelled, &quote!(#p::NameTheLabels<'a, #labels>));
        let count = family.labels.len();
        let mut methods = cell_methods(family, p);
        methods.push(method("with", 1, quote!(&'a #cell_ty)));
        methods.push(method("labels", count, quote!(&'a #cell_ty)));
        methods.push(method(
            "find",
            1,
            quote!(::core::option::Option<&'a #cell_ty>),
        ));
        methods.push(method(
            "find_labels",
            count,
            quote!(::core::option::Option<&'a #cell_ty>),
        ));
        (quote!(#p::RecordInAClosure<'a>), methods)
    } else {
        // A labelled family derefs to core's `SelectFirst` for its cells' methods (`deref`); what is left is its own:
        // the lifecycle calls of a family that could have one, which say how to declare it.
        let bounded = family
            .labels
            .iter()
            .filter(|l| matches!(l.kind, LabelKind::Bounded { .. }))
            .count();
        if bounded != 1 {
            return TokenStream::new();
        }
        let keeps = quote!(#p::KeepsItsValues<'a>);
        return [
            method("remove", 1, quote!(::core::primitive::bool)),
            method("sweep", 1, quote!(::core::primitive::usize)),
        ]
        .iter()
        .map(|m| stub(family, m, &keeps))
        .collect();
    };
    let fns = methods.iter().map(|m| stub(family, m, &bound));
    quote!(#extra #(#fns)*)
}

/// For a labelled family that records (not observable, not info): its type derefs to core's `SelectFirst` of
/// itself, its labels struct (`labels`, with `'static` for a borrowing one) and its cell type, whose hidden methods
/// are the cell's, each an error naming the family. One `Deref` impl per family instead of a hidden method per
/// cell method: the methods are written once in core (`metrics-core/src/__private/select_first.rs`).
pub(crate) fn deref(
    family: &FamilyModel,
    wrapper: &syn::Ident,
    labels: &TokenStream,
    cell_ty: &TokenStream,
    p: &TokenStream,
) -> TokenStream {
    if family.kind == Kind::Info
        || family.observe.is_some()
        || family.labels.is_empty()
        || family.removable
    {
        return TokenStream::new();
    }
    quote! {
        #[automatically_derived]
        impl #p::Deref for #wrapper {
            type Target = #p::SelectFirst<#wrapper, #labels, #cell_ty>;
            #[inline]
            fn deref(&self) -> &Self::Target {
                #p::SelectFirst::NEW
            }
        }
    }
}

/// One hidden method whose `bound` never holds.
fn stub(family: &FamilyModel, m: &Method, bound: &TokenStream) -> TokenStream {
    let bound = crate::diag::respan(bound, family.ident.span());
    let name = format_ident!("{}", m.name);
    let generics: Vec<_> = (0..m.args).map(|i| format_ident!("A{i}")).collect();
    let ret = &m.ret;
    // Only the bound is on the family's name, where the "required by this bound" note then points; the method
    // itself keeps the macro's span, so lints on the user's items (`unreachable_pub`) do not see it.
    quote! {
        /// Not a method of this family: calling it is a compile error that says what to call instead.
        #[doc(hidden)]
        #[allow(clippy::all, clippy::pedantic)]
        pub fn #name<'a, #(#generics),*>(&'a self, #(_: #generics),*) -> #ret
        where
            Self: #bound,
        {
            ::core::unreachable!()
        }
    }
}
