//! Each entry of a family body is `label: Type` or `option = value`.

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total { outcome metrics_core::Outcome }
}

fn main() {}
