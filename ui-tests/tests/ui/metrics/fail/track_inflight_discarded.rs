//! The guard of `track_inflight` keeps the gauge up while it lives: dropping it at once is the `unused_must_use`
//! warning (denied here to pin its text). `let _ = ..` drops it too, silently: see the rustdoc of `track_inflight`.
#![deny(unused_must_use)]

metrics_core::metrics! {
    /// Jobs running now.
    pub gauge jobs_in_flight;
}

pub fn run() {
    JOBS_IN_FLIGHT.track_inflight();
    // ... the work ...
}

fn main() {}
