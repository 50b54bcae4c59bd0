//! A trait method without a body has nothing to measure: the attribute goes on its implementations.

trait Job {
    #[metrics_core::instrument_job]
    fn run(&self);
}

fn main() {}
