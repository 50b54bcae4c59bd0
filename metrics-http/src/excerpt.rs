//! Bounded quotes of client or user input, for error messages: an answer never grows with what was sent.

use std::fmt::Write as _;

/// The most characters of an input an error message quotes.
pub(crate) const EXCERPT_CHARS: usize = 64;

/// `text` quoted as a Rust string literal (control characters escaped), cut to [`EXCERPT_CHARS`] characters;
/// a cut quote ends with `…` and says how long the whole input was.
pub(crate) fn excerpt(text: &str) -> String {
    let mut chars = text.char_indices();
    match chars.nth(EXCERPT_CHARS) {
        None => format!("{text:?}"),
        Some((end, _)) => {
            let mut quoted = format!("{:?}", &text[..end]);
            // `{:?}` always ends with the closing quote: put the ellipsis inside it.
            quoted.pop();
            let _ = write!(quoted, "…\" ({} bytes)", text.len());
            quoted
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_inputs_are_quoted_whole() {
        assert_eq!(excerpt("abc"), "\"abc\"");
        assert_eq!(excerpt("a\nb"), "\"a\\nb\"");
        assert_eq!(excerpt(""), "\"\"");
    }

    #[test]
    fn long_inputs_are_cut_and_measured() {
        let long = "x".repeat(50_000);
        let quoted = excerpt(&long);
        assert_eq!(
            quoted,
            format!("\"{}…\" (50000 bytes)", "x".repeat(EXCERPT_CHARS))
        );
    }

    proptest! {
        #[test]
        fn an_excerpt_is_bounded_whatever_the_input(text in ".{0,400}") {
            // At most 64 characters, each escaped to at most 10 bytes (`\u{10ffff}`), plus quotes and the length.
            prop_assert!(excerpt(&text).len() <= EXCERPT_CHARS * 10 + 32);
        }
    }
}
