//! Bounded failure reasons: an error type names, at compile time, every reason it can report.

/// An error type whose values map to a closed set of reason texts: the `reason` label of failure counters.
///
/// Derive it on an error enum: each variant becomes a reason, its name in `snake_case` unless renamed with
/// `#[metrics(reason = "..")]`. A reason set is closed, so a failure counter's cardinality is known at compile
/// time and a message or an id can never leak into a label.
///
/// ```
/// use metrics_core::ErrorReason;
///
/// #[derive(Debug, ErrorReason)]
/// enum FetchError {
///     Timeout,
///     #[metrics(reason = "http_5xx")]
///     Upstream { status: u16 },
///     Decode(String),
/// }
///
/// assert_eq!(FetchError::REASONS, ["timeout", "http_5xx", "decode"]);
/// assert_eq!(FetchError::Upstream { status: 502 }.reason(), "http_5xx");
/// ```
///
/// An instrumented function whose error type does not implement it records every failure under the single
/// reason `error`, and the compiler warns with a note that suggests the derive.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not map its values to failure reasons",
    label = "not an `ErrorReason`",
    note = "consider adding `#[derive(metrics_core::ErrorReason)]` to the error enum"
)]
pub trait ErrorReason {
    /// Every reason text, in index order: non-empty, unique, no control characters.
    const REASONS: &'static [&'static str];

    /// The index of this value's reason in [`ErrorReason::REASONS`].
    fn reason_index(&self) -> usize;

    /// This value's reason text.
    #[inline]
    fn reason(&self) -> &'static str {
        Self::REASONS[self.reason_index()]
    }
}

/// An error that cannot happen has no reason.
impl ErrorReason for core::convert::Infallible {
    const REASONS: &'static [&'static str] = &[];

    fn reason_index(&self) -> usize {
        match *self {}
    }
}

/// I/O errors report their [`std::io::ErrorKind`] (`not_found`, `timed_out`, ...), or `other` for kinds added to
/// the standard library after this list was written.
impl ErrorReason for std::io::Error {
    const REASONS: &'static [&'static str] = &[
        "not_found",
        "permission_denied",
        "connection_refused",
        "connection_reset",
        "connection_aborted",
        "not_connected",
        "addr_in_use",
        "addr_not_available",
        "broken_pipe",
        "already_exists",
        "would_block",
        "invalid_input",
        "invalid_data",
        "timed_out",
        "write_zero",
        "interrupted",
        "unsupported",
        "unexpected_eof",
        "out_of_memory",
        "other",
    ];

    fn reason_index(&self) -> usize {
        use std::io::ErrorKind;
        match self.kind() {
            ErrorKind::NotFound => 0,
            ErrorKind::PermissionDenied => 1,
            ErrorKind::ConnectionRefused => 2,
            ErrorKind::ConnectionReset => 3,
            ErrorKind::ConnectionAborted => 4,
            ErrorKind::NotConnected => 5,
            ErrorKind::AddrInUse => 6,
            ErrorKind::AddrNotAvailable => 7,
            ErrorKind::BrokenPipe => 8,
            ErrorKind::AlreadyExists => 9,
            ErrorKind::WouldBlock => 10,
            ErrorKind::InvalidInput => 11,
            ErrorKind::InvalidData => 12,
            ErrorKind::TimedOut => 13,
            ErrorKind::WriteZero => 14,
            ErrorKind::Interrupted => 15,
            ErrorKind::Unsupported => 16,
            ErrorKind::UnexpectedEof => 17,
            ErrorKind::OutOfMemory => 18,
            _ => 19,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_report_their_kind() {
        let error = std::io::Error::from(std::io::ErrorKind::TimedOut);
        assert_eq!(error.reason(), "timed_out");
        assert_eq!(std::io::Error::other("boom").reason(), "other");
    }
}
