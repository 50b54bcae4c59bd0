//! The annotated item: a function or method, sync, async, or in the shape `#[async_trait]` leaves it in.

use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned as _;
use syn::visit_mut::{self, VisitMut};
use syn::{
    Block, Expr, GenericArgument, Generics, ItemFn, PathArguments, ReturnType, Stmt, Type,
    TypeParamBound,
};

/// How the function runs, which decides where the measurement lives.
pub(crate) enum Shape {
    /// A plain function: the body runs in a closure called once.
    Sync,
    /// An `async fn`: the measurement lives in its future.
    Async,
    /// `fn f(..) -> Pin<Box<dyn Future<Output = R> + ..>> { Box::pin(async move { .. }) }`, as `#[async_trait]`
    /// rewrites an `async fn`: the measurement goes inside the boxed future, `output` is `R`.
    AsyncTrait { output: Box<Type> },
    /// A non-async function returning a future (`impl Future<Output = R>`, or `Pin<Box<dyn Future<Output = R>>>`
    /// built any other way): the body still builds the future, and the measurement wraps it (`boxed` again when
    /// the return type is a box), so the run is its polls, its outcome and its drop, as for an `async fn`.
    Future { output: Box<Type>, boxed: bool },
}

/// The function, read leniently: the body is only taken apart as far as the shape needs.
pub(crate) struct Function {
    pub(crate) item: ItemFn,
    pub(crate) shape: Shape,
}

/// What to do with the attribute's input.
pub(crate) enum Parsed {
    Function(Box<Function>),
    /// Not something the attribute applies to: the error, to emit beside the unchanged input.
    Rejected(syn::Error),
    /// Not readable: emit the input unchanged, so that rustc reports the user's own syntax error, and this error,
    /// so that a function the attribute could not read is never silently left unmeasured.
    Unparsable(syn::Error),
}

pub(crate) fn parse(input: TokenStream, attribute: &str) -> Parsed {
    let item = match syn::parse2::<ItemFn>(input.clone()) {
        Ok(item) => item,
        Err(error) => return reject_other(input, attribute, &error),
    };
    if let Some(constness) = &item.sig.constness {
        return Parsed::Rejected(syn::Error::new(
            constness.span,
            format!(
                "`#[{attribute}]` cannot measure a `const fn`: it reads the clock and updates atomics, which a const context cannot do; remove `const` or the attribute"
            ),
        ));
    }
    if let Some(variadic) = &item.sig.variadic {
        return Parsed::Rejected(syn::Error::new_spanned(
            variadic,
            format!("`#[{attribute}]` cannot measure a variadic function"),
        ));
    }
    let shape = if item.sig.asyncness.is_some() {
        Shape::Async
    } else if let Some(output) = async_trait_output(&item) {
        Shape::AsyncTrait { output }
    } else if let ReturnType::Type(_, ty) = &item.sig.output
        && let Some((output, boxed)) = returned_future(ty)
    {
        Shape::Future { output, boxed }
    } else {
        Shape::Sync
    };
    Parsed::Function(Box::new(Function { item, shape }))
}

/// Names what the attribute was put on, on its first token.
fn reject_other(input: TokenStream, attribute: &str, error: &syn::Error) -> Parsed {
    // A trait method without a body first: syn reads it as a verbatim item otherwise.
    if let Ok(declaration) = syn::parse2::<syn::TraitItemFn>(input.clone())
        && declaration.default.is_none()
    {
        return Parsed::Rejected(syn::Error::new_spanned(
            &declaration.sig,
            format!(
                "`#[{attribute}]` needs a function body: put it on the implementations of this trait method"
            ),
        ));
    }
    match syn::parse2::<syn::Item>(input) {
        Ok(syn::Item::Fn(_) | syn::Item::Verbatim(_)) | Err(_) => {
            Parsed::Unparsable(syn::Error::new(
                error.span(),
                format!(
                    "`#[{attribute}]` could not read this function ({error}), so it is not measured"
                ),
            ))
        }
        Ok(other) => {
            let (span, what) = item_kind(&other);
            Parsed::Rejected(syn::Error::new(
                span,
                format!("`#[{attribute}]` applies to functions and methods, not to {what}"),
            ))
        }
    }
}

fn item_kind(item: &syn::Item) -> (Span, &'static str) {
    match item {
        syn::Item::Struct(s) => (s.struct_token.span, "a struct"),
        syn::Item::Enum(e) => (e.enum_token.span, "an enum"),
        syn::Item::Union(u) => (u.union_token.span, "a union"),
        syn::Item::Impl(i) => (
            i.impl_token.span,
            "an impl block: put it on each method to measure",
        ),
        syn::Item::Trait(t) => (
            t.trait_token.span,
            "a trait: put it on the methods of its implementations",
        ),
        syn::Item::Mod(m) => (m.mod_token.span, "a module"),
        syn::Item::Static(s) => (s.static_token.span, "a static"),
        syn::Item::Const(c) => (c.const_token.span, "a constant"),
        syn::Item::Type(t) => (t.type_token.span, "a type alias"),
        syn::Item::Use(u) => (u.use_token.span, "a `use` declaration"),
        other => (other.span(), "this item"),
    }
}

/// The `R` of `#[async_trait]`'s shape, or `None` when the function is not in it.
fn async_trait_output(item: &ItemFn) -> Option<Box<Type>> {
    let [Stmt::Expr(Expr::Call(call), None)] = item.block.stmts.as_slice() else {
        return None;
    };
    let Expr::Path(func) = &*call.func else {
        return None;
    };
    let segments: Vec<_> = func
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    if !segments.ends_with(&["Box".to_owned(), "pin".to_owned()]) || call.args.len() != 1 {
        return None;
    }
    let Some(Expr::Async(_)) = call.args.first() else {
        return None;
    };
    let ReturnType::Type(_, ty) = &item.sig.output else {
        return None;
    };
    future_output(ty)
}

/// `R` of a returned `impl Future<Output = R> + ..` (not boxed) or `Pin<Box<dyn Future<Output = R> + ..>>`
/// (boxed).
fn returned_future(ty: &Type) -> Option<(Box<Type>, bool)> {
    match ty {
        Type::ImplTrait(bounds) => {
            future_bound_output(&bounds.bounds).map(|output| (output, false))
        }
        Type::Paren(inner) => returned_future(&inner.elem),
        _ => future_output(ty).map(|output| (output, true)),
    }
}

/// `Output` of `Pin<Box<dyn Future<Output = R> + ..>>`.
fn future_output(ty: &Type) -> Option<Box<Type>> {
    let pinned = last_generic_type(ty, "Pin")?;
    let boxed = last_generic_type(pinned, "Box")?;
    let Type::TraitObject(object) = boxed else {
        return None;
    };
    future_bound_output(&object.bounds)
}

/// `R` of the `Future<Output = R>` among `bounds`.
fn future_bound_output(
    bounds: &syn::punctuated::Punctuated<TypeParamBound, syn::Token![+]>,
) -> Option<Box<Type>> {
    bounds.iter().find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let last = bound.path.segments.last()?;
        if last.ident != "Future" {
            return None;
        }
        let PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        args.args.iter().find_map(|arg| match arg {
            GenericArgument::AssocType(assoc) if assoc.ident == "Output" => {
                Some(Box::new(assoc.ty.clone()))
            }
            _ => None,
        })
    })
}

/// The single type argument of `..::name<T>`.
fn last_generic_type<'t>(ty: &'t Type, name: &str) -> Option<&'t Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}

impl Function {
    /// The type the body produces: the declared return type, or the boxed future's output.
    pub(crate) fn output(&self) -> Type {
        match &self.shape {
            Shape::AsyncTrait { output } | Shape::Future { output, .. } => (**output).clone(),
            Shape::Sync | Shape::Async => match &self.item.sig.output {
                ReturnType::Default => syn::parse_quote!(()),
                ReturnType::Type(_, ty) => (**ty).clone(),
            },
        }
    }

    /// The span to blame for return-type problems.
    pub(crate) fn output_span(&self) -> Span {
        match &self.item.sig.output {
            ReturnType::Default => self.item.sig.ident.span(),
            ReturnType::Type(_, ty) => ty.span(),
        }
    }

    /// Takes the statements to wrap: the function's, or those of the future `#[async_trait]` boxes.
    pub(crate) fn take_body(&mut self) -> Vec<Stmt> {
        match self.boxed_future() {
            Some(inner) => std::mem::take(&mut inner.stmts),
            None => std::mem::take(&mut self.item.block.stmts),
        }
    }

    /// Puts the wrapped body back where [`Function::take_body`] took it from.
    pub(crate) fn set_body(&mut self, body: Block) {
        match self.boxed_future() {
            Some(inner) => *inner = body,
            None => *self.item.block = body,
        }
    }

    fn boxed_future(&mut self) -> Option<&mut Block> {
        if !matches!(self.shape, Shape::AsyncTrait { .. }) {
            return None;
        }
        let [Stmt::Expr(Expr::Call(call), None)] = self.item.block.stmts.as_mut_slice() else {
            return None;
        };
        let Some(Expr::Async(future)) = call.args.first_mut() else {
            return None;
        };
        Some(&mut future.block)
    }
}

/// `ty` with every `impl Trait` replaced by `_`, so that it can annotate a closure or a `let` (tracing's eraser);
/// `None` when nothing is left to annotate with (the whole type was `impl Trait`).
pub(crate) fn erase_impl_trait(ty: &Type) -> Option<Type> {
    struct Eraser;
    impl VisitMut for Eraser {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::ImplTrait(_) = ty {
                *ty = syn::parse_quote!(_);
            } else {
                visit_mut::visit_type_mut(self, ty);
            }
        }
    }
    if let Type::ImplTrait(_) = ty {
        return None;
    }
    let mut erased = ty.clone();
    Eraser.visit_type_mut(&mut erased);
    Some(erased)
}

/// `ty` with every lifetime made `'static`, when it names nothing a `static` inside the function cannot name
/// (`Self`, the function's generic parameters, `impl Trait`, `_`, macros): the type whose failure reasons are
/// listed before any run.
pub(crate) fn static_nameable(ty: &Type, generics: &Generics) -> Option<Type> {
    struct Check<'g> {
        generics: &'g Generics,
        ok: bool,
    }
    impl VisitMut for Check<'_> {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            match ty {
                Type::ImplTrait(_) | Type::Infer(_) | Type::Macro(_) | Type::Verbatim(_) => {
                    self.ok = false;
                }
                Type::Reference(reference) if reference.lifetime.is_none() => {
                    reference.lifetime =
                        Some(syn::Lifetime::new("'static", reference.and_token.span));
                    visit_mut::visit_type_mut(self, ty);
                }
                _ => visit_mut::visit_type_mut(self, ty),
            }
        }
        fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
            *lifetime = syn::Lifetime::new("'static", lifetime.span());
        }
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            if let Some(first) = path.segments.first() {
                let first = &first.ident;
                let generic = self.generics.params.iter().any(|param| match param {
                    syn::GenericParam::Type(t) => t.ident == *first,
                    syn::GenericParam::Const(c) => c.ident == *first,
                    syn::GenericParam::Lifetime(_) => false,
                });
                if first == "Self" || generic {
                    self.ok = false;
                }
            }
            visit_mut::visit_path_mut(self, path);
        }
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            // An array length or const argument may name a const generic parameter.
            if let Expr::Path(path) = expr {
                self.visit_path_mut(&mut path.path);
            }
        }
    }
    let mut named = ty.clone();
    let mut check = Check { generics, ok: true };
    check.visit_type_mut(&mut named);
    check.ok.then_some(named)
}

#[cfg(test)]
mod tests {
    use quote::ToTokens as _;

    use super::*;

    fn text(ty: Option<Type>) -> Option<String> {
        ty.map(|ty| ty.into_token_stream().to_string())
    }

    #[test]
    fn impl_trait_is_erased_wherever_it_is() {
        assert_eq!(
            text(erase_impl_trait(&syn::parse_quote!(Box<impl Fn() -> u8>))).as_deref(),
            Some("Box < _ >")
        );
        assert_eq!(
            erase_impl_trait(&syn::parse_quote!(impl Iterator<Item = u8>)),
            None
        );
    }

    #[test]
    fn a_static_names_types_without_generics_self_or_impl_trait() {
        let generics: Generics = syn::parse_quote!(<'a, T, const N: usize>);
        let named = |ty: Type| text(static_nameable(&ty, &generics));
        assert_eq!(
            named(syn::parse_quote!(Result<&'a str, io::Error>)).as_deref(),
            Some("Result < & 'static str , io :: Error >")
        );
        assert_eq!(
            named(syn::parse_quote!(Result<&str, E>)).as_deref(),
            Some("Result < & 'static str , E >")
        );
        for unnameable in [
            syn::parse_quote!(Result<(), T>),
            syn::parse_quote!(Result<[u8; N], Error>),
            syn::parse_quote!(Result<(), Self::Error>),
            syn::parse_quote!(Result<(), <T as Job>::Error>),
            syn::parse_quote!(Box<impl Display>),
            syn::parse_quote!(Result<_, Error>),
        ] {
            assert_eq!(named(unnameable), None);
        }
    }

    #[test]
    fn async_trait_shape_is_recognised_by_its_ast() {
        let Parsed::Function(function) = parse(
            quote::quote! {
                fn handle<'life0, 'async_trait>(&'life0 self) -> ::core::pin::Pin<Box<dyn ::core::future::Future<Output = Result<u8, E>> + ::core::marker::Send + 'async_trait>>
                where 'life0: 'async_trait, Self: 'async_trait
                {
                    Box::pin(async move { let __self = self; let __ret: Result<u8, E> = { Ok(1) }; __ret })
                }
            },
            "instrument_job",
        ) else {
            panic!("a function")
        };
        assert!(matches!(function.shape, Shape::AsyncTrait { .. }));
        assert_eq!(
            function.output().into_token_stream().to_string(),
            "Result < u8 , E >"
        );

        let Parsed::Function(plain) = parse(
            quote::quote!(
                fn f() -> u8 {
                    Box::pin(async move { 1 });
                    1
                }
            ),
            "instrument_job",
        ) else {
            panic!("a function")
        };
        assert!(matches!(plain.shape, Shape::Sync));
    }
}
