//! The derive's attributes, read by darling: unknown keys and duplicates are rejected with suggestions.

use darling::{FromDeriveInput, FromMeta, FromVariant};
use syn::{Ident, Path};

#[derive(FromDeriveInput)]
#[darling(attributes(metrics), supports(enum_unit))]
pub(crate) struct EnumAttrs {
    pub(crate) ident: Ident,
    pub(crate) generics: syn::Generics,
    pub(crate) data: darling::ast::Data<VariantAttrs, ()>,
    #[darling(default)]
    pub(crate) rename_all: Option<RenameAll>,
    #[darling(rename = "crate", default)]
    pub(crate) krate: Option<Path>,
}

#[derive(FromVariant)]
#[darling(attributes(metrics))]
pub(crate) struct VariantAttrs {
    pub(crate) ident: Ident,
    #[darling(default)]
    pub(crate) rename: Option<crate::diag::Quoted>,
}

/// How variant names become label values when not renamed one by one.
#[derive(Clone, Copy)]
pub(crate) struct RenameAll {
    pub(crate) rule: Rule,
}

#[derive(Clone, Copy)]
pub(crate) enum Rule {
    Lower,
    Upper,
    Snake,
    ScreamingSnake,
    Kebab,
    Camel,
    Pascal,
}

const RULES: &[(&str, Rule)] = &[
    ("lowercase", Rule::Lower),
    ("UPPERCASE", Rule::Upper),
    ("snake_case", Rule::Snake),
    ("SCREAMING_SNAKE_CASE", Rule::ScreamingSnake),
    ("kebab-case", Rule::Kebab),
    ("camelCase", Rule::Camel),
    ("PascalCase", Rule::Pascal),
];

impl FromMeta for RenameAll {
    fn from_string(value: &str) -> darling::Result<Self> {
        RULES
            .iter()
            .find(|(name, _)| *name == value)
            .map(|(_, rule)| Self { rule: *rule })
            .ok_or_else(|| {
                let names: Vec<_> = RULES.iter().map(|(n, _)| format!("\"{n}\"")).collect();
                darling::Error::custom(format!(
                    "unknown `rename_all` rule \"{value}\": expected one of {}",
                    names.join(", ")
                ))
            })
    }
}

impl Rule {
    pub(crate) fn apply(self, variant: &str) -> String {
        let snake = crate::names::to_snake(variant);
        match self {
            Self::Lower => variant.to_lowercase(),
            Self::Upper => variant.to_uppercase(),
            Self::Snake => snake,
            Self::ScreamingSnake => snake.to_uppercase(),
            Self::Kebab => snake.replace('_', "-"),
            Self::Pascal => variant.to_owned(),
            Self::Camel => {
                let mut chars = variant.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            }
        }
    }
}
