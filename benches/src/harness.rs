//! The measuring loop: warm up, size a batch to a few milliseconds, take many samples, keep the median.
//!
//! A sample times one call of a batch of `batch` operations, so the clock is read twice per batch and its cost
//! (tens of ns) vanishes in ~6 ms. The median of 51 samples ignores the preemptions a shared machine inflicts on a
//! few of them; the 10th and 90th percentiles show how noisy the run was.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// How long and how often to measure.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Samples per contender (odd, so the median is one sample).
    pub(crate) samples: usize,
    /// The time one sample should take; the batch is sized to it.
    pub(crate) sample_time: Duration,
    /// How long to run before the first sample: caches, branch predictors, lazily created series, CPU clocks.
    pub(crate) warm_up: Duration,
    /// How long scenario I loads each server.
    pub(crate) load_time: Duration,
    /// Only contenders whose name or note contains this text (any case): to profile one library.
    pub(crate) only: Option<String>,
    /// Time a scenario's contenders interleaved, one batch of each in turn ([`measure_interleaved`]), rather than
    /// one after the other: on a shared machine every row then sees the same load, so the ratios hold.
    pub(crate) interleaved: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            samples: 51,
            sample_time: Duration::from_millis(6),
            warm_up: Duration::from_millis(150),
            load_time: Duration::from_secs(3),
            only: None,
            interleaved: false,
        }
    }
}

impl Config {
    /// Whether the contender called `name` (with its note) is selected by [`Config::only`].
    pub(crate) fn selects(&self, name: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|only| name.to_lowercase().contains(&only.to_lowercase()))
    }

    /// A short configuration for smoke tests: still every step, in a few milliseconds.
    pub(crate) fn quick() -> Self {
        Self {
            samples: 5,
            sample_time: Duration::from_micros(300),
            warm_up: Duration::from_millis(1),
            load_time: Duration::from_millis(200),
            only: None,
            interleaved: false,
        }
    }
}

/// Nanoseconds per operation over the samples of one contender.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stats {
    /// The median sample.
    pub(crate) median: f64,
    /// The 10th percentile sample.
    pub p10: f64,
    /// The 90th percentile sample.
    pub p90: f64,
    /// Operations per sample.
    pub(crate) batch: usize,
}

impl Stats {
    fn from_samples(mut per_op: Vec<f64>, batch: usize) -> Self {
        per_op.sort_by(f64::total_cmp);
        let at = |percent: usize| per_op[(per_op.len() - 1) * percent / 100];
        Self {
            median: at(50),
            p10: at(10),
            p90: at(90),
            batch,
        }
    }
}

/// Measures `work(start, n)`, which performs `n` operations on the inputs from `start` on, on this thread.
pub(crate) fn measure(config: &Config, work: &mut dyn FnMut(usize, usize)) -> Stats {
    let mut start = 0;
    let mut timed = |n: usize| {
        let began = Instant::now();
        work(start, n);
        let elapsed = began.elapsed();
        start = start.wrapping_add(n);
        elapsed
    };
    let batch = calibrate(config, &mut timed);
    let warm_until = Instant::now() + config.warm_up;
    while Instant::now() < warm_until {
        timed(batch);
    }
    let samples = (0..config.samples)
        .map(|_| per_op(timed(batch), batch))
        .collect();
    Stats::from_samples(samples, batch)
}

/// Measures several contenders in turn, one batch of each per round, instead of each in its own stretch of time:
/// a change in the machine's load during the run then slows every contender alike, so their ratios hold to a few
/// percent where sequential timing moves them by tens of percent. For contenders a few percent apart (scenario H).
/// Each batch takes a tenth of `config.sample_time`, over ten times `config.samples` rounds.
pub(crate) fn measure_interleaved(
    config: &Config,
    works: &mut [&mut dyn FnMut(usize, usize)],
) -> Vec<Stats> {
    let short = Config {
        sample_time: config.sample_time / 10,
        ..config.clone()
    };
    let mut starts = vec![0usize; works.len()];
    let mut timed = |index: usize, n: usize, works: &mut [&mut dyn FnMut(usize, usize)]| {
        let began = Instant::now();
        works[index](starts[index], n);
        let elapsed = began.elapsed();
        starts[index] = starts[index].wrapping_add(n);
        elapsed
    };
    let batches: Vec<usize> = (0..works.len())
        .map(|index| calibrate(&short, &mut |n| timed(index, n, works)))
        .collect();
    let warm_until = Instant::now() + config.warm_up;
    while Instant::now() < warm_until {
        for (index, &batch) in batches.iter().enumerate() {
            timed(index, batch, works);
        }
    }
    let mut samples = vec![Vec::with_capacity(config.samples * 10); works.len()];
    for _ in 0..config.samples * 10 {
        for (index, &batch) in batches.iter().enumerate() {
            samples[index].push(per_op(timed(index, batch, works), batch));
        }
    }
    samples
        .into_iter()
        .zip(batches)
        .map(|(samples, batch)| Stats::from_samples(samples, batch))
        .collect()
}

/// Measures `work(start, n)` run by two threads at once, each on its own inputs: nanoseconds per operation
/// per thread, taken from the slower thread of each sample.
pub(crate) fn measure_two_threads(
    config: &Config,
    work: &Arc<dyn Fn(usize, usize) + Send + Sync>,
) -> Stats {
    let mut start = 0;
    let mut timed = |n: usize| {
        let barrier = Barrier::new(2);
        let elapsed = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..2)
                .map(|thread| {
                    let (barrier, work) = (&barrier, Arc::clone(work));
                    // The threads read different inputs, as two workers would.
                    let from = start + thread * n;
                    scope.spawn(move || {
                        barrier.wait();
                        let began = Instant::now();
                        work(from, n);
                        began.elapsed()
                    })
                })
                .collect();
            threads
                .into_iter()
                .map(|t| t.join().expect("a benchmark thread panicked"))
                .max()
                .unwrap_or_default()
        });
        start = start.wrapping_add(2 * n);
        elapsed
    };
    let batch = calibrate(config, &mut timed);
    let warm_until = Instant::now() + config.warm_up;
    while Instant::now() < warm_until {
        timed(batch);
    }
    let samples = (0..config.samples)
        .map(|_| per_op(timed(batch), batch))
        .collect();
    Stats::from_samples(samples, batch)
}

/// The batch size whose run takes about `config.sample_time`: doubled until a run takes a tenth of it, then
/// scaled. A first call (which may build lazily created inputs and series) is not timed, and the estimate is
/// taken twice, keeping the larger: a preemption during calibration makes a batch look slow, never fast.
fn calibrate(config: &Config, timed: &mut dyn FnMut(usize) -> Duration) -> usize {
    timed(1);
    let target = config.sample_time.as_nanos();
    let mut estimate = || {
        let mut batch = 1usize;
        loop {
            let took = timed(batch).as_nanos();
            if took >= target / 10 || batch >= 1 << 40 {
                let scaled = batch as u128 * target / took.max(1);
                return usize::try_from(scaled).unwrap_or(usize::MAX).max(1);
            }
            batch *= 2;
        }
    };
    estimate().max(estimate())
}

fn per_op(elapsed: Duration, batch: usize) -> f64 {
    elapsed.as_nanos() as f64 / batch as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hint::black_box;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn measures_a_known_amount_of_work() {
        let ops = AtomicU64::new(0);
        let stats = measure(&Config::quick(), &mut |_, n| {
            for _ in 0..n {
                black_box(&ops).fetch_add(1, Ordering::Relaxed);
            }
        });
        assert!(stats.batch > 1, "a batch is many operations: {stats:?}");
        assert!(stats.p10 <= stats.median && stats.median <= stats.p90);
        assert!(stats.median > 0.0 && stats.median < 10_000.0, "{stats:?}");
        assert!(ops.load(Ordering::Relaxed) >= (Config::quick().samples * stats.batch) as u64);
    }

    #[test]
    fn interleaved_contenders_are_told_apart() {
        let (cheap, dear) = (AtomicU64::new(0), AtomicU64::new(0));
        let mut one = |_: usize, n: usize| {
            for _ in 0..n {
                black_box(&cheap).fetch_add(1, Ordering::Relaxed);
            }
        };
        let mut four = |_: usize, n: usize| {
            for _ in 0..4 * n {
                black_box(&dear).fetch_add(1, Ordering::Relaxed);
            }
        };
        let stats = measure_interleaved(&Config::quick(), &mut [&mut one, &mut four]);
        assert_eq!(stats.len(), 2);
        assert!(stats[0].median < stats[1].median, "{stats:?}");
        assert!(
            cheap.load(Ordering::Relaxed) >= (Config::quick().samples * 10 * stats[0].batch) as u64
        );
    }

    #[test]
    fn two_threads_each_run_the_batch() {
        let ops = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&ops);
        let work: Arc<dyn Fn(usize, usize) + Send + Sync> = Arc::new(move |_, n| {
            for _ in 0..n {
                counted.fetch_add(1, Ordering::Relaxed);
            }
        });
        let stats = measure_two_threads(&Config::quick(), &work);
        assert!(stats.median > 0.0, "{stats:?}");
        assert!(ops.load(Ordering::Relaxed) >= (2 * Config::quick().samples * stats.batch) as u64);
    }

    #[test]
    fn percentiles_of_sorted_samples() {
        let stats = Stats::from_samples((1..=11).rev().map(f64::from).collect(), 7);
        assert_eq!((stats.p10, stats.median, stats.p90), (2.0, 6.0, 10.0));
    }
}
