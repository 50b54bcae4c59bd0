//! How generated code reads an outcome and a failure reason from a return value of any type.
//!
//! Autoref specialisation (dtolnay's "case study"): the call `(&&&Tag::of(&value)).__metrics_outcome(&value)`
//! resolves, at compile time and per call site, to the first of three impls whose receiver matches:
//!
//! 1. `&&Tag<Result<T, E>>` with `E: ErrorReason`: failures carry the error's own reason;
//! 2. `&Tag<Result<T, E>>`: failures carry the generic reason `error`, and the method is `#[deprecated]` so that the
//!    compiler shows a note suggesting `#[derive(ErrorReason)]` (the only note stable Rust can raise on a
//!    successful compile);
//! 3. `Tag<T>`: any other type is a success whenever the function returns.
//!
//! It also works in generic functions: an `E` without an `ErrorReason` bound falls through to the generic reason.

use std::marker::PhantomData;

use super::ErrorReason;

/// The reason recorded for an error whose type does not implement [`ErrorReason`].
pub const GENERIC_REASON: &str = "error";

/// What a return value says about the run: success, or failure with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    /// Not an `Err`.
    Success,
    /// An `Err`, with its reason.
    Failure(&'static str),
}

/// A zero-sized stand-in for a value's type, on which the three dispatch traits are implemented.
pub struct Tag<T: ?Sized>(PhantomData<fn() -> *const T>);

impl<T: ?Sized> Tag<T> {
    /// The tag of a type named in code (for the reasons known before any run).
    #[inline]
    pub const fn new() -> Self {
        Self(PhantomData)
    }

    /// The tag of `value`'s type.
    #[inline]
    pub const fn of(_value: &T) -> Self {
        Self(PhantomData)
    }
}

impl<T: ?Sized> Default for Tag<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: ?Sized> std::fmt::Debug for Tag<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tag")
    }
}

/// Case 1: a `Result` whose error maps to reasons.
pub trait ViaErrorReason {
    /// The return type.
    type Value;
    /// Success, or failure with the error's reason.
    fn __metrics_outcome(&self, value: &Self::Value) -> Returned;
    /// The same, for a function that asked for the generic reason.
    fn __metrics_outcome_generic(&self, value: &Self::Value) -> Returned;
    /// Every reason the function can fail with.
    fn __metrics_reasons(&self) -> &'static [&'static str];
    /// The one generic reason.
    fn __metrics_reasons_generic(&self) -> &'static [&'static str];
}

impl<T, E: ErrorReason> ViaErrorReason for &&Tag<Result<T, E>> {
    type Value = Result<T, E>;

    #[inline]
    fn __metrics_outcome(&self, value: &Result<T, E>) -> Returned {
        match value {
            Ok(_) => Returned::Success,
            Err(error) => Returned::Failure(error.reason()),
        }
    }

    #[inline]
    fn __metrics_outcome_generic(&self, value: &Result<T, E>) -> Returned {
        generic(value)
    }

    fn __metrics_reasons(&self) -> &'static [&'static str] {
        E::REASONS
    }

    fn __metrics_reasons_generic(&self) -> &'static [&'static str] {
        &[GENERIC_REASON]
    }
}

/// Case 2: a `Result` whose error does not map to reasons.
pub trait ViaGenericError {
    /// The return type.
    type Value;
    /// Success, or failure with the generic reason.
    #[deprecated(
        note = "this function's error type does not implement `metrics_core::ErrorReason`, so every failure is \
                recorded with the one reason `error`: add `#[derive(metrics_core::ErrorReason)]` to the error enum, \
                or write `reasons = \"generic\"` in the attribute to keep the single reason without this warning"
    )]
    fn __metrics_outcome(&self, value: &Self::Value) -> Returned;
    /// The same, for a function that asked for the generic reason.
    fn __metrics_outcome_generic(&self, value: &Self::Value) -> Returned;
    /// The one generic reason.
    fn __metrics_reasons(&self) -> &'static [&'static str];
    /// The one generic reason.
    fn __metrics_reasons_generic(&self) -> &'static [&'static str];
}

impl<T, E> ViaGenericError for &Tag<Result<T, E>> {
    type Value = Result<T, E>;

    #[inline]
    fn __metrics_outcome(&self, value: &Result<T, E>) -> Returned {
        generic(value)
    }

    #[inline]
    fn __metrics_outcome_generic(&self, value: &Result<T, E>) -> Returned {
        generic(value)
    }

    fn __metrics_reasons(&self) -> &'static [&'static str] {
        &[GENERIC_REASON]
    }

    fn __metrics_reasons_generic(&self) -> &'static [&'static str] {
        &[GENERIC_REASON]
    }
}

/// Case 3: any other type; the function succeeded if it returned.
pub trait ViaAnyValue {
    /// The return type.
    type Value: ?Sized;
    /// Always a success.
    fn __metrics_outcome(&self, value: &Self::Value) -> Returned;
    /// Always a success.
    fn __metrics_outcome_generic(&self, value: &Self::Value) -> Returned;
    /// No reasons: the function cannot fail by returning.
    fn __metrics_reasons(&self) -> &'static [&'static str];
    /// No reasons: the function cannot fail by returning.
    fn __metrics_reasons_generic(&self) -> &'static [&'static str];
}

impl<T: ?Sized> ViaAnyValue for Tag<T> {
    type Value = T;

    #[inline]
    fn __metrics_outcome(&self, _: &T) -> Returned {
        Returned::Success
    }

    #[inline]
    fn __metrics_outcome_generic(&self, _: &T) -> Returned {
        Returned::Success
    }

    fn __metrics_reasons(&self) -> &'static [&'static str] {
        &[]
    }

    fn __metrics_reasons_generic(&self) -> &'static [&'static str] {
        &[]
    }
}

#[inline]
fn generic<T, E>(value: &Result<T, E>) -> Returned {
    match value {
        Ok(_) => Returned::Success,
        Err(_) => Returned::Failure(GENERIC_REASON),
    }
}

/// Implemented by the return types that can report a failure: `errors(..)` targets and `reason` labels need one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot carry a failure, but the attribute records failures",
    label = "this return type is never an `Err`",
    note = "`errors(..)` and the `reason` label record only when the function returns `Err`: return a `Result`, or \
            remove the option"
)]
pub trait CanFail {}

impl<T, E> CanFail for Result<T, E> {}

/// Never called: naming it checks that `T` can carry a failure.
pub const fn assert_can_fail<T: CanFail + ?Sized>() {}

#[cfg(test)]
// The borrows select the impl: clippy cannot see that they change which method is called.
#[allow(clippy::needless_borrow)]
mod tests {
    use super::*;

    #[derive(Debug)]
    enum Known {
        Timeout,
    }

    impl ErrorReason for Known {
        const REASONS: &'static [&'static str] = &["timeout"];
        fn reason_index(&self) -> usize {
            match self {
                Self::Timeout => 0,
            }
        }
    }

    #[test]
    #[allow(deprecated)]
    fn each_case_picks_its_impl() {
        let known: Result<(), Known> = Err(Known::Timeout);
        assert_eq!(
            (&&&Tag::of(&known)).__metrics_outcome(&known),
            Returned::Failure("timeout")
        );
        assert_eq!(
            (&&&Tag::of(&known)).__metrics_outcome_generic(&known),
            Returned::Failure("error")
        );
        assert_eq!(
            (&&&Tag::<Result<(), Known>>::new()).__metrics_reasons(),
            ["timeout"]
        );

        let unknown: Result<(), String> = Err("boom".to_owned());
        assert_eq!(
            (&&&Tag::of(&unknown)).__metrics_outcome(&unknown),
            Returned::Failure("error")
        );
        assert_eq!(
            (&&&Tag::<Result<(), String>>::new()).__metrics_reasons(),
            ["error"]
        );

        let ok: Result<u8, String> = Ok(1);
        assert_eq!((&&&Tag::of(&ok)).__metrics_outcome(&ok), Returned::Success);

        let plain = 5_u32;
        assert_eq!(
            (&&&Tag::of(&plain)).__metrics_outcome(&plain),
            Returned::Success
        );
        assert!((&&&Tag::<u32>::new()).__metrics_reasons().is_empty());
    }

    fn in_generic_code<E>(value: &Result<(), E>) -> Returned {
        (&&&Tag::of(value)).__metrics_outcome_generic(value)
    }

    #[test]
    fn generic_error_types_fall_back_to_the_generic_reason() {
        assert_eq!(
            in_generic_code::<Known>(&Err(Known::Timeout)),
            Returned::Failure("error")
        );
    }
}
