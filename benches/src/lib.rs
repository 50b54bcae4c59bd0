//! Benchmarks of this framework against its peers and the hardware floor, in one run.
//!
//! The scenarios live here, in the library, so that `cargo test --workspace` compiles every one of them and
//! proves, library by library, that each records what the scenario says (`N` increments show up as `N` in that
//! library's own exposition). `cargo bench -p metrics-benches [-- LETTERS]` runs them and prints one markdown
//! table per scenario, from three binaries: `peers` times A to F, H, I and K; `memory` counts G under a counting
//! allocator; `compile` times `cargo check` of generated crates (J). `docs/performance.md` records a run.
//!
//! Every contender gets the same inputs (`inputs.rs`), runs in the same process, and is timed by the same loop
//! (`harness.rs`): warm-up, a batch sized to a few milliseconds, 51 samples, the median.

pub mod alloc;
mod contender;
mod floor;
mod harness;
mod inputs;
mod label_sets;
mod labels;
mod load;
mod report;
pub mod runner;
pub mod scenarios;
mod scrape;

#[cfg(test)]
mod exposition;

/// The test binary counts allocations too, so scenario G's tests measure what the bench measures.
#[cfg(test)]
#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;
