//! Methods a family's generated type does not have, declared so that calling them is one error that says what to do.
//!
//! An observable family is filled by its function at scrape time, and a removable one records through a closure,
//! so `FAMILY.inc()` or `FAMILY.labels(..)` has nothing to answer. Left to rustc, each is "no method named `inc`
//! found for struct `LatencyFamily`". Instead the call finds a hidden method of that name whose `where` bound
//! (`Trait<'a>`) never holds (the trait is implemented only for an uninhabited type): the call is then an E0277
//! carrying the trait's `on_unimplemented` message, on the method's name. The lifetime in the bound keeps it from
//! being a trivially false bound, which rustc would reject where it is declared. Each signature matches the cell's
//! own (argument count, return type), with generic arguments, so the one error is not followed by a type mismatch;
//! no body can run, since no call compiles.
//!
//! The families that record as events happen are `DeclaredFamily`s, whose errors of this kind are written once in
//! core (`metrics-core/src/declared/select_first.rs` and `metrics-core/src/declared/mod.rs`); the generated types
//! of observable and removable families, whose method sets depend on the cell and the label count, get these.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::{Cell, FamilyModel, Kind};

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
            let slots = super::expand::bucket_slots(buckets);
            methods.push(method(
                "start_timer",
                0,
                quote!(#p::HistogramTimer<'a, #slots>),
            ));
        }
        _ => {}
    }
    methods
}

/// The hidden methods of `family`'s generated type, for an observable or a removable family; `cell_ty` is the type
/// of one series.
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
        // Every other family is a `DeclaredFamily`, whose errors are core's.
        return TokenStream::new();
    };
    let fns = methods.iter().map(|m| stub(family, m, &bound));
    quote!(#extra #(#fns)*)
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
