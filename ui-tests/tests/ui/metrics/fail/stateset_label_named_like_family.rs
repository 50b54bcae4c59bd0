//! A stateset's own name is the label that carries its state.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum BreakerState {
    Closed,
    Open,
}

metrics_core::metrics! {
    /// Circuit breaker state.
    pub stateset breaker: BreakerState { breaker: bool }
}

fn main() {}
