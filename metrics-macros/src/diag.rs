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
