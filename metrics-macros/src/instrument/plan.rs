//! What one attribute records, validated: the built-in preset it uses, if any, and the user's own families.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Expr, Ident, LitStr};

use super::args::{Reasons, Targets};

/// What one attribute records.
pub(crate) struct Plan {
    /// `#krate::__private`.
    pub(crate) private: TokenStream,
    pub(crate) preset: Option<PresetPlan>,
    pub(crate) targets: Targets,
    pub(crate) reasons: Reasons,
}

/// The built-in families of one preset, and the label values the attribute gives them.
pub(crate) struct PresetPlan {
    pub(crate) preset: Preset,
    /// The attribute's `name = ".."` (per-function presets), which replaces the derived `function` label value.
    pub(crate) name: Option<LitStr>,
    /// Label values evaluated before each call, in the preset's order (per-call presets: LLM provider, model).
    pub(crate) per_call: Vec<Expr>,
}

/// The built-in presets: each is one item of core's `__private::presets`, which describes its families.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Preset {
    /// `#[instrument_job]`.
    Job,
    /// `#[instrument_tool]`.
    Tool,
    /// `#[instrument_llm]`.
    Llm,
}

impl Preset {
    /// The preset's value in core.
    pub(crate) fn item(self, p: &TokenStream) -> TokenStream {
        let name = match self {
            Self::Job => "JOB",
            Self::Tool => "TOOL",
            Self::Llm => "LLM",
        };
        let name = Ident::new(name, Span::call_site());
        quote!(#p::presets::#name)
    }

    /// Whether each function gets its own series set (a static `Operation`); otherwise the series are keyed by
    /// values given at each call.
    pub(crate) fn per_function(self) -> bool {
        match self {
            Self::Job | Self::Tool => true,
            Self::Llm => false,
        }
    }

    /// What a finished run records besides a per-function preset's operation, given the per-call label values:
    /// a statement using `__metrics_outcome` and `__metrics_elapsed`.
    pub(crate) fn record_call(self, p: &TokenStream, labels: &[Ident]) -> Option<TokenStream> {
        match self {
            Self::Job | Self::Tool => None,
            Self::Llm => {
                Some(quote!(#p::record_request(#(#labels,)* __metrics_outcome, __metrics_elapsed);))
            }
        }
    }

    /// What the preset reads from the value the function returned, besides the outcome: the LLM's tokens and
    /// cost. `returned` carries the span of the return type, where a missing `LlmUsage` is reported.
    pub(crate) fn record_returned(
        self,
        p: &TokenStream,
        labels: &[Ident],
        returned: &Ident,
    ) -> Option<TokenStream> {
        match self {
            Self::Job | Self::Tool => None,
            Self::Llm => Some(
                quote_spanned!(returned.span()=> #p::record_returned(#(#labels,)* &#returned);),
            ),
        }
    }
}
