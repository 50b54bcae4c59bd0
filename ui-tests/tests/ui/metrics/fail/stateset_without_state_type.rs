//! A stateset names its state type: `stateset NAME: StateEnum`.

metrics_core::metrics! {
    /// Circuit breaker state.
    pub stateset breaker { upstream: bool }
}

fn main() {}
