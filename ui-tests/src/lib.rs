//! Compile-fail tests of the macros live in `tests/`.
