//! Scenario G, bytes per series, under a counting global allocator (kept out of the timed scenarios' binary so
//! their allocations are not slowed by the counting).

#[global_allocator]
static ALLOCATOR: metrics_benches::alloc::Counting = metrics_benches::alloc::Counting;

fn main() {
    metrics_benches::runner::main(&metrics_benches::scenarios::memory());
}
