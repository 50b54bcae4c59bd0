//! The error collector: every macro reports all independent mistakes at once, each on its own token.

use proc_macro2::TokenStream;

/// Errors gathered while validating; emitted beside whatever could still be generated.
#[derive(Default)]
pub(crate) struct Errors(Vec<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.0.push(error);
    }

    /// Whether nothing went wrong.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each error as its own `compile_error!`, so rustc shows every one at its span.
    pub(crate) fn into_tokens(self) -> TokenStream {
        self.0
            .into_iter()
            .map(syn::Error::into_compile_error)
            .collect()
    }

    #[cfg(test)]
    pub(crate) fn messages(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }
}

/// `tokens` with every span set to `span`: an error in a generated expression (a failed const assertion) is
/// reported at the span of the whole expression, which then is the user's token instead of the invocation.
pub(crate) fn respan(tokens: &TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|tree| match tree {
            proc_macro2::TokenTree::Group(group) => {
                let mut respanned =
                    proc_macro2::Group::new(group.delimiter(), respan(&group.stream(), span));
                respanned.set_span(span);
                proc_macro2::TokenTree::Group(respanned)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}

/// A string argument of an attribute (`name = "send"`, `reason = "timeout"`). Darling's own error for an unquoted
/// value is "Unexpected type `path`"; this one says to quote it, on the value.
pub(crate) struct Quoted(pub(crate) syn::LitStr);

impl Quoted {
    pub(crate) fn into_inner(self) -> syn::LitStr {
        self.0
    }
}

impl std::ops::Deref for Quoted {
    type Target = syn::LitStr;
    fn deref(&self) -> &syn::LitStr {
        &self.0
    }
}

impl darling::FromMeta for Quoted {
    fn from_expr(expr: &syn::Expr) -> darling::Result<Self> {
        expect_quoted(expr).map(Self)
    }
}

/// The string literal `expr` is, or an error on it that shows it quoted.
pub(crate) fn expect_quoted(expr: &syn::Expr) -> darling::Result<syn::LitStr> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Ok(text.clone()),
        syn::Expr::Group(group) => expect_quoted(&group.expr),
        other => {
            let text = quote::ToTokens::to_token_stream(other)
                .to_string()
                .replace(' ', "");
            Err(
                darling::Error::custom(format!("expected a string in quotes: `\"{text}\"`"))
                    .with_span(other),
            )
        }
    }
}

/// `a`, `b` or `c`: the choices an "expected" message lists, each already quoted as it should read.
pub(crate) fn one_of<S: AsRef<str>>(choices: &[S]) -> String {
    match choices {
        [] => String::new(),
        [only] => only.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", init.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_of_lists_choices() {
        assert_eq!(super::one_of::<&str>(&[]), "");
        assert_eq!(super::one_of(&["`a`"]), "`a`");
        assert_eq!(super::one_of(&["`a`", "`b`"]), "`a` or `b`");
        assert_eq!(super::one_of(&["`a`", "`b`", "`c`"]), "`a`, `b` or `c`");
    }
}
