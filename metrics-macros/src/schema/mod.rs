//! `metrics!{}`: parse -> validate -> expand.

mod ast;
mod declared;
mod expand;
mod model;
mod objective;
mod select_first;
mod validate;

use proc_macro2::TokenStream;

use crate::diag::Errors;

// `preset` items: model, validation and expansion in one file (they read only the validated families).
mod preset;

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
    fn expire_after_needs_a_duration_and_one_bounded_label() {
        let found = messages(quote! {
            /// A.
            counter a_total { worker: BoundedStr<8>, expire_after = 10m }
            /// B.
            counter b_total { ok: bool, expire_after = 10m }
            /// C.
            counter c_total { x: BoundedStr<8>, y: BoundedStr<8>, expire_after = 1h }
            /// D.
            gauge d { worker: BoundedStr<8>, expire_after = 600 }
            /// E.
            gauge e { worker: BoundedStr<8>, expire_after = 0s }
            /// F.
            gauge f { worker: BoundedStr<8>, expire_after = 500ms }
            /// G.
            gauge g { worker: BoundedStr<8>, expire_after = 10w }
            /// H.
            gauge h { worker: BoundedStr<8>, expire_after = "10m" }
            /// I.
            gauge i { worker: BoundedStr<8>, expire_after = 400d }
        });
        let expected = [
            "has none",
            "exactly one bounded label, and this family has 2",
            "has no unit: write `600s`",
            "longer than zero",
            "at least `1s`",
            "unknown unit `w`",
            "without quotes",
            "at most a year",
        ];
        assert_eq!(found.len(), expected.len(), "{found:?}");
        for (message, part) in found.iter().zip(expected) {
            assert!(message.contains(part), "{message:?} should say {part:?}");
        }
    }

    #[test]
    fn removable_needs_one_bounded_label() {
        let found = messages(quote! {
            /// A.
            counter a_total { worker: BoundedStr<8>, removable = true }
            /// B.
            counter b_total { ok: bool, removable = true }
            /// C.
            counter c_total { x: BoundedStr<8>, y: BoundedStr<8>, removable = true }
            /// D.
            counter d_total { x: BoundedStr<8>, y: BoundedStr<8>, removable = false }
        });
        let expected = [
            "`removable = true` lets values of a bounded label be removed, and this family has none",
            "`removable` needs exactly one bounded label, and this family has 2",
        ];
        assert_eq!(found.len(), expected.len(), "{found:?}");
        for (message, part) in found.iter().zip(expected) {
            assert!(message.contains(part), "{message:?} should say {part:?}");
        }
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

    /// The tour's DSL mistakes (`docs/compile-errors.md`): each one error that says what to write instead.
    #[test]
    fn plausible_mistakes_each_give_one_error_with_the_fix() {
        let cases = [
            (
                quote!(/// A.
                counter a_total { shard: u32 }),
                "a number is not a label value",
            ),
            (
                quote!(/// A.
                counter a_total { region: Option<Region> }),
                "always present",
            ),
            (
                quote!(/// A.
                counter a_total { tenant: BoundedStr }),
                "`BoundedStr<64>`",
            ),
            (
                quote!(/// A.
                counter a_total { r#type: Kind, type: Kind }),
                "write the label `r#type`",
            ),
            (
                quote!(/// A.
                histogram a_seconds { unit = "seconds" }),
                "`unit = seconds`",
            ),
            (
                quote!(/// A.
                counter a_total { t: BoundedStr<4>, budget = "10" }),
                "`budget = 100`",
            ),
            (
                quote!(/// A.
                gauge a { observe = read() }),
                "`observe = read`",
            ),
            (
                quote!(/// A.
                histogram a_seconds { buckets = tokens() }),
                "`buckets = tokens`",
            ),
            (
                quote!(/// A.
                counter a_total = f64;),
                "`a_total: f64`",
            ),
            (quote!(namespace = app;), "`namespace = \"cogo\";`"),
        ];
        for (input, expected) in cases {
            let found = messages(input.clone());
            assert_eq!(found.len(), 1, "{input}: {found:?}");
            assert!(found[0].contains(expected), "{input}: {found:?}");
        }
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

    #[test]
    fn a_valid_preset_has_no_errors() {
        let found = messages(quote! {
            /// Latency.
            histogram job_latency_seconds { job_type: JobType, phase: Phase, buckets = [0.1, 1.0] }
            /// Running.
            gauge running { worker: BoundedStr<4>, job_type: JobType }
            /// Errors.
            counter errors_total { job_type: JobType, error_type: BoundedStr<8> }
            /// Jobs.
            pub preset jobs: job {
                duration = job_latency_seconds { phase = Phase::Run },
                in_flight = running,
                failures = errors_total { error_type = reason },
            }
        });
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn every_preset_mistake_is_reported() {
        let found = messages(quote! {
            /// Runs.
            counter runs_total { tool: Tool }
            /// Tokens.
            counter tokens_total { direction: Direction }
            /// Latency.
            histogram latency_seconds { tool: BoundedStr<4> }
            preset a: job { runs = runs_total, runs = runs_total, duration = missing }
            preset b: tool { failures = runs_total { tool = outcome }, tokens = tokens_total }
            preset c: llm { tokens = tokens_total { direction = Direction::In } }
            preset d: tool { runs = runs_total, duration = latency_seconds }
            preset e: batch { runs = runs_total }
        });
        let all = found.join("\n");
        for expected in [
            "duplicate role `runs`",
            "no family `missing`",
            "`outcome` cannot label `failures`",
            "unknown role `tokens` for a `tool` preset",
            "`tokens` records input and output tokens apart",
            "the argument `tool` is `Tool` in an earlier role and `&str`",
            "unknown preset kind `batch`",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in\n{all}");
        }
        assert_eq!(found.len(), 7, "{all}");
    }
}
