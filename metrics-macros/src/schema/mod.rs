//! `metrics!{}`: parse -> validate -> expand.

mod ast;
mod expand;
mod model;
mod objective;
mod validate;

use proc_macro2::TokenStream;

use crate::diag::Errors;

pub(crate) fn metrics(input: TokenStream) -> TokenStream {
    let ast = ast::parse(input);
    let mut errors = Errors::default();
    let model = validate::validate(ast, &mut errors);
    // Families are emitted even beside errors, so one mistake does not cascade into "unresolved name" at every
    // call site.
    let mut out = expand::expand(&model);
    out.extend(errors.into_tokens());
    out
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn messages(input: TokenStream) -> Vec<String> {
        let mut errors = Errors::default();
        let _ = validate::validate(ast::parse(input), &mut errors);
        errors.messages()
    }

    #[test]
    fn a_valid_block_has_no_errors() {
        let found = messages(quote! {
            namespace = "cogo";
            /// Claims.
            pub counter claims_total { job_type: JobType, model: BoundedStr<8> }
            /// Latency.
            histogram latency_seconds { phase: Phase, buckets = exponential(0.01, 2, 10), unit = seconds }
            /// Build.
            info build_info { version: String }
        });
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn independent_mistakes_are_all_reported() {
        let found = messages(quote! {
            /// A.
            counter requests { le: A, a: B, a: C, buckets = [1.0] }
            counter undocumented_total;
            /// B.
            histogram wait_seconds { buckets = [1.0, 0.5], unit = seconds, unit = seconds }
        });
        let all = found.join("\n");
        for expected in [
            "end in `_total`",
            "`le` is reserved",
            "duplicate label `a`",
            "applies only to a `histogram`",
            "no doc comment",
            "strictly increasing",
            "duplicate option `unit`",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in\n{all}");
        }
        assert_eq!(found.len(), 7, "{all}");
    }

    #[test]
    fn a_namespace_is_a_valid_metric_name_prefix() {
        // A digit first passes the snake_case rules but not the exposition syntax the registry checks.
        let found = messages(quote! {
            namespace = "9app";
            /// A.
            counter a_total;
        });
        assert_eq!(found, ["namespace `9app` must start with a letter"]);
    }

    #[test]
    fn a_broken_family_body_does_not_hide_the_next_family() {
        let found = messages(quote! {
            /// A.
            counter a_total { job_type JobType }
            /// B.
            gauge b_milliseconds;
        });
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[1].contains("not a base unit"), "{found:?}");
    }
}
