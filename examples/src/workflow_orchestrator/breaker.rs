//! A circuit breaker: opens after `threshold` consecutive failures, lets one probe through after `cooldown`,
//! closes on its success, opens again on its failure. Every transition sets
//! `tasker_circuit_breaker_state{component}`.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::metrics::{BreakerState, Component, TASKER_CIRCUIT_BREAKER_STATE};

/// One component's breaker.
#[derive(Debug)]
pub struct Breaker {
    component: Component,
    threshold: u32,
    cooldown: Duration,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    state: BreakerState,
    failures: u32,
    opened: Instant,
}

impl Breaker {
    /// A closed breaker for `component`.
    pub fn new(component: Component, threshold: u32, cooldown: Duration) -> Self {
        TASKER_CIRCUIT_BREAKER_STATE
            .labels(component)
            .set(BreakerState::Closed);
        Self {
            component,
            threshold,
            cooldown,
            inner: Mutex::new(Inner {
                state: BreakerState::Closed,
                failures: 0,
                opened: Instant::now(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, inner: &mut Inner, state: BreakerState) {
        if inner.state != state {
            inner.state = state;
            TASKER_CIRCUIT_BREAKER_STATE
                .labels(self.component)
                .set(state);
        }
    }

    /// Whether a call may go through now: always when closed; once (the probe) when the cooldown has passed.
    pub fn allow(&self) -> bool {
        let mut inner = self.lock();
        match inner.state {
            BreakerState::Closed => true,
            BreakerState::Open if inner.opened.elapsed() >= self.cooldown => {
                self.set(&mut inner, BreakerState::HalfOpen);
                true
            }
            BreakerState::Open | BreakerState::HalfOpen => false,
        }
    }

    /// A call went through and succeeded.
    pub fn success(&self) {
        let mut inner = self.lock();
        inner.failures = 0;
        self.set(&mut inner, BreakerState::Closed);
    }

    /// A call went through and failed.
    pub fn failure(&self) {
        let mut inner = self.lock();
        inner.failures += 1;
        if inner.state == BreakerState::HalfOpen || inner.failures >= self.threshold {
            inner.opened = Instant::now();
            self.set(&mut inner, BreakerState::Open);
        }
    }

    /// The state now.
    pub fn state(&self) -> BreakerState {
        self.lock().state
    }
}
