//! `snake_case` spelling, written straight into a formatter so the rules need no allocation.

use core::fmt::{self, Write as _};

/// Displays a `camelCase` or `PascalCase` word in `snake_case`: an `_` before each ASCII capital (unless one is
/// already there), the capital lowered. The spelling a name rule suggests, and a failure reason's default text.
///
/// ```
/// assert_eq!(metrics_rules::Snake("JobType").to_string(), "job_type");
/// assert_eq!(metrics_rules::Snake("HTTPError").to_string(), "h_t_t_p_error");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Snake<'a>(pub &'a str);

impl fmt::Display for Snake<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last = None;
        for (i, c) in self.0.chars().enumerate() {
            let c = if c.is_ascii_uppercase() {
                if i > 0 && last != Some('_') {
                    f.write_char('_')?;
                }
                c.to_ascii_lowercase()
            } else {
                c
            };
            f.write_char(c)?;
            last = Some(c);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::ToString as _;

    use super::Snake;

    #[test]
    fn snake_case_spellings() {
        for (word, snake) in [
            ("JobType", "job_type"),
            ("jobType", "job_type"),
            ("job_type", "job_type"),
            ("Job_Type", "job_type"),
            ("Http5xx", "http5xx"),
            ("A", "a"),
            ("", ""),
            ("Café", "café"),
        ] {
            assert_eq!(Snake(word).to_string(), snake, "{word}");
        }
    }
}
