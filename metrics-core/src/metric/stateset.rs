//! State sets: which one of a closed set of states a thing is in (a circuit breaker: closed, half-open, open).

use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Metric, SampleScratch};
use crate::label::LabelValue;
use crate::series::Sample;

/// The current state out of the closed set `S`. Exposed as one sample per state, 1 for the current one.
///
/// ```
/// use metrics_core::{LabelValue, StateSet};
///
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
/// #[metrics(rename_all = "snake_case")]
/// enum Breaker { Closed, HalfOpen, Open }
///
/// let state = StateSet::<Breaker>::new();
/// assert_eq!(state.get(), Breaker::Closed, "starts in the first state");
/// state.set(Breaker::HalfOpen);
/// assert_eq!(state.get(), Breaker::HalfOpen);
/// ```
#[derive(Debug)]
pub struct StateSet<S: LabelValue> {
    current: AtomicUsize,
    _states: PhantomData<fn() -> S>,
}

impl<S: LabelValue> StateSet<S> {
    /// A state set in the first state of `S`.
    pub const fn new() -> Self {
        Self {
            current: AtomicUsize::new(0),
            _states: PhantomData,
        }
    }

    /// Moves to `state`.
    #[inline]
    pub fn set(&self, state: S) {
        self.current.store(state.index(), Ordering::Relaxed);
    }

    /// The current state.
    pub fn get(&self) -> S {
        // Only `set` writes the index, always from a valid `S`.
        S::ALL[self.current.load(Ordering::Relaxed)]
    }
}

impl<S: LabelValue> Default for StateSet<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: LabelValue> Metric for StateSet<S> {
    fn sample<'a>(&self, _: &'a mut SampleScratch) -> Sample<'a> {
        Sample::StateSet {
            current: self.current.load(Ordering::Relaxed),
        }
    }

    fn reset(&self) {
        self.current.store(0, Ordering::Relaxed);
    }
}
