//! The attribute measures one function: on an `impl` block it says to put it on each method.

pub struct Worker;

#[metrics_core::instrument_job]
impl Worker {
    pub fn run(&self) {}
}

fn main() {}
