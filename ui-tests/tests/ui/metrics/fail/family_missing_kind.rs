//! A family starts with its type, then its name.

metrics_core::metrics! {
    /// Jobs done.
    pub 42;
}

fn main() {}
