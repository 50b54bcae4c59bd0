//! The bearer token as a value: checked when configured, compared in constant time, never printed. The
//! configuration holds one; the guard middleware asks it whether a request presents it.

use std::fmt;

use axum::http::HeaderValue;
use subtle::ConstantTimeEq as _;

/// A secret bearer token. Its `Debug` output is redacted, so it cannot leak through logs or panic messages.
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken(Box<[u8]>);

impl BearerToken {
    /// A token from its text. Surrounding whitespace (a trailing newline in a token file) is dropped.
    ///
    /// # Errors
    ///
    /// When the token is empty, or holds characters an `Authorization` header cannot carry (control characters,
    /// spaces, non-ASCII): such a token could never match, so it is a configuration mistake.
    pub fn new(token: &str) -> Result<Self, InvalidToken> {
        let token = token.trim();
        if token.is_empty() {
            return Err(InvalidToken("the bearer token is empty"));
        }
        // The value of the header, pasted whole: the scheme is not part of the secret.
        if token
            .get(..7)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer "))
        {
            return Err(InvalidToken(
                "the bearer token is the secret alone: drop the `Bearer ` in front of it",
            ));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidToken(
                "the bearer token must be printable ASCII without spaces",
            ));
        }
        Ok(Self(token.as_bytes().into()))
    }

    /// Whether an `Authorization` header value presents this token as `Bearer <token>` (scheme case-insensitive).
    ///
    /// The token bytes are compared in constant time; only the length can be learnt from timing.
    pub fn matches(&self, authorization: Option<&HeaderValue>) -> bool {
        let Some(value) = authorization else {
            return false;
        };
        let value = value.as_bytes();
        let scheme = b"bearer ";
        if value.len() < scheme.len() || !value[..scheme.len()].eq_ignore_ascii_case(scheme) {
            return false;
        }
        let presented = value[scheme.len()..].trim_ascii();
        bool::from(presented.ct_eq(&self.0))
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

/// A bearer token that cannot be used; the message never contains the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidToken(&'static str);

impl fmt::Display for InvalidToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for InvalidToken {}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> HeaderValue {
        HeaderValue::from_str(text).unwrap()
    }

    #[test]
    fn only_the_exact_token_matches() {
        let token = BearerToken::new("s3cret-token\n").unwrap();
        assert!(token.matches(Some(&header("Bearer s3cret-token"))));
        assert!(token.matches(Some(&header("bearer s3cret-token"))));
        assert!(!token.matches(None));
        assert!(!token.matches(Some(&header("Bearer s3cret-toke"))));
        assert!(!token.matches(Some(&header("Bearer s3cret-token2"))));
        assert!(!token.matches(Some(&header("Basic s3cret-token"))));
        assert!(!token.matches(Some(&header("s3cret-token"))));
        assert!(!token.matches(Some(&header("Bearer"))));
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = BearerToken::new("s3cret-token").unwrap();
        assert!(!format!("{token:?}").contains("s3cret"));
    }

    #[test]
    fn empty_or_unsendable_tokens_are_rejected() {
        assert!(BearerToken::new(" \n").is_err());
        assert!(BearerToken::new("two words").is_err());
        assert!(BearerToken::new("tökén").is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            /// The `Authorization` parser: any header is judged without panicking, the token itself always
            /// matches, and a header without the token never does.
            #[test]
            fn the_bearer_parser_never_panics_and_matches_only_the_token(
                token in "[!-~]{1,40}",
                header in prop_oneof![
                    "[ -~\t]{0,80}",
                    "(?i:bearer)[ \t]{0,3}[!-~]{0,40}[ \t]{0,3}",
                ],
            ) {
                let token_value = BearerToken::new(&token).unwrap();
                if let Ok(value) = HeaderValue::from_str(&header) {
                    let matched = token_value.matches(Some(&value));
                    if !header.contains(token.as_str()) {
                        prop_assert!(!matched, "{header:?} does not hold the token");
                    }
                }
                let presented = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
                prop_assert!(token_value.matches(Some(&presented)));
                let longer = HeaderValue::from_str(&format!("Bearer {token}x")).unwrap();
                prop_assert!(!token_value.matches(Some(&longer)));
            }

            /// Arbitrary bytes, including obs-text, never panic.
            #[test]
            fn arbitrary_header_bytes_are_judged(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
                let token = BearerToken::new("s3cret").unwrap();
                if let Ok(value) = HeaderValue::from_bytes(&bytes) {
                    let _ = token.matches(Some(&value));
                }
            }
        }
    }
}
