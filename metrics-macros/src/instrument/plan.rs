//! What one attribute records, validated: the built-in preset it uses, if any, and the user's own families.

use proc_macro2::{Span, TokenStream};
use quote::quote;
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
    /// The function's label value (per-function presets): its name, or the attribute's `name = ".."`.
    pub(crate) name: LitStr,
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
}
