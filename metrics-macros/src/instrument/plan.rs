//! What one attribute records, validated: the built-in preset it uses, if any, and the user's own families.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;
use syn::{Expr, Ident, LitStr, Path};

use crate::names::to_pascal;

use super::args::{Reasons, Targets};

/// What one attribute records.
pub(crate) struct Plan {
    /// `#krate::__private`.
    pub(crate) private: TokenStream,
    pub(crate) preset: Option<PresetPlan>,
    /// A preset the application declared in `metrics!`, in place of the built-in one.
    pub(crate) configured: Option<Configured>,
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

/// `preset = path, labels(..)`: a preset declared with `metrics!` (`preset jobs: job { .. }`). Its families,
/// names and bindings are the generated preset's business; the attribute only names it.
pub(crate) struct Configured {
    /// Which attribute names it: a preset of another kind is a bound error on `path`.
    pub(crate) attribute: Preset,
    pub(crate) path: Path,
    /// The arguments, one per label the preset leaves unbound: fields of `{Name}PresetArgs`.
    pub(crate) labels: Vec<(Ident, Expr)>,
}

impl Configured {
    /// `path::JOBS` -> `path::JobsPresetArgs`, spanned on the user's path so a missing argument is reported there.
    pub(crate) fn args_struct(&self) -> Path {
        let mut path = self.path.clone();
        if let Some(last) = path.segments.last_mut() {
            let text = last.ident.unraw().to_string().to_lowercase();
            last.ident = Ident::new(
                &format!("{}PresetArgs", to_pascal(&text)),
                last.ident.span(),
            );
        }
        path
    }

    /// The never-called check whose bound says which attribute the preset belongs to.
    pub(crate) fn assert_fn(&self) -> Ident {
        let name = match self.attribute {
            Preset::Job => "assert_job_preset",
            Preset::Tool => "assert_tool_preset",
            Preset::Llm => "assert_llm_preset",
        };
        Ident::new(name, self.path.span())
    }
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
