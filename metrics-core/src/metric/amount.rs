//! The number types the integer cells take, as traits: a wrong number type (`inc_by(0.5)` on an integer counter)
//! is then an error that says what to do, where a plain `u64` parameter gives only "mismatched types".
//!
//! Each trait has one implementation, so an integer literal still infers the right type (`inc_by(512)`), and
//! `n.into()` still converts.

mod sealed {
    pub trait Sealed {}
    impl Sealed for u64 {}
    impl Sealed for i64 {}
}

/// What an integer counter adds: `u64` only. A fraction needs a counter declared `: f64`.
#[diagnostic::on_unimplemented(
    message = "an integer counter adds a `u64`, not `{Self}`: declare the counter `: f64` to count fractions, or convert a whole number with `u64::from(n)` / `u64::try_from(n)`",
    label = "not a `u64`",
    note = "in `metrics!`: `pub counter cost_usd_total: f64 {{ .. }}` makes `inc_by` take an `f64`"
)]
pub trait CounterAmount: sealed::Sealed + Copy {
    /// The value as the counter's `u64`.
    #[doc(hidden)]
    fn into_u64(self) -> u64;
}

impl CounterAmount for u64 {
    #[inline]
    fn into_u64(self) -> u64 {
        self
    }
}

/// What an integer gauge is set to or moved by: `i64` only. A fraction needs a gauge declared `: f64`.
#[diagnostic::on_unimplemented(
    message = "an integer gauge holds an `i64`, not `{Self}`: declare the gauge `: f64` for fractions, or convert a whole number with `i64::from(n)` / `i64::try_from(n)`",
    label = "not an `i64`",
    note = "in `metrics!`: `pub gauge load_ratio: f64 {{ .. }}` makes `set` take an `f64`"
)]
pub trait GaugeAmount: sealed::Sealed + Copy {
    /// The value as the gauge's `i64`.
    #[doc(hidden)]
    fn into_i64(self) -> i64;
}

impl GaugeAmount for i64 {
    #[inline]
    fn into_i64(self) -> i64 {
        self
    }
}
