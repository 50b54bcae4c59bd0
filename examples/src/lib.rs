//! Runnable examples: see `quickstart.rs`.
