//! The per-call inputs, computed once and identical for every library: label values and observations that vary
//! from call to call, so neither the branch predictor nor the compiler can learn a constant.

use std::sync::OnceLock;

use metrics_core::LabelValue;

use crate::labels::{Job, Status};

/// How many distinct calls the table holds; a power of two, so call `i` is `i & MASK`.
pub(crate) const LEN: usize = 4096;
/// Masks a running counter into the table.
pub(crate) const MASK: usize = LEN - 1;

/// The arguments of one recorded call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call {
    /// The job label.
    pub(crate) job: Job,
    /// The status label.
    pub(crate) status: Status,
    /// The position of `(job, status)` in a dense 4 x 3 array (job major), what the floor indexes.
    pub(crate) series: usize,
    /// A latency in seconds, log-uniform over 10 ms to 30 s so every bucket of `buckets::LATENCY` is hit.
    pub(crate) seconds: f64,
}

/// The table of calls: pseudo-random with a fixed seed, the same in every run and for every library.
pub(crate) fn calls() -> &'static [Call; LEN] {
    static CALLS: OnceLock<Box<[Call; LEN]>> = OnceLock::new();
    CALLS.get_or_init(|| {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        Box::new(std::array::from_fn(|_| {
            let job = Job::ALL[rng.below(Job::CARDINALITY)];
            let status = Status::ALL[rng.below(Status::CARDINALITY)];
            // 10^-2 .. 10^1.5: a latency spread over the preset's 50 ms to 20 s bounds and beyond.
            let exponent = -2.0 + 3.5 * rng.unit();
            Call {
                job,
                status,
                series: job.index() * Status::CARDINALITY + status.index(),
                seconds: 10f64.powf(exponent),
            }
        }))
    })
}

/// The calls made by `n` operations starting at `start`, in order (what a run records), for checking results.
pub(crate) fn window(start: usize, n: usize) -> impl Iterator<Item = &'static Call> {
    let calls = calls();
    (start..start + n).map(move |i| &calls[i & MASK])
}

/// Marsaglia's xorshift64: enough to scatter inputs, and needs no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// A float in `[0, 1)` from the top 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_cover_every_series_and_bucket() {
        let mut series = [0usize; 12];
        let mut buckets = [0usize; metrics_core::buckets::LATENCY.len() + 1];
        for call in calls() {
            series[call.series] += 1;
            buckets[metrics_core::buckets::LATENCY.partition_point(|b| *b < call.seconds)] += 1;
        }
        assert!(
            series.iter().all(|&n| n > 200),
            "series are hit evenly: {series:?}"
        );
        assert!(
            buckets.iter().all(|&n| n > 50),
            "every bucket is hit: {buckets:?}"
        );
    }

    #[test]
    fn the_window_wraps_around_the_table() {
        let wrapped: Vec<_> = window(LEN - 1, 2).map(|c| c.series).collect();
        assert_eq!(wrapped, [calls()[LEN - 1].series, calls()[0].series]);
    }
}
