//! One library's implementation of one scenario: the work to time and a way to read back what it recorded.

use std::sync::Arc;

/// The libraries compared, with the versions `Cargo.toml` pins (a test checks them against `Cargo.lock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Library {
    /// Hand-written code doing only what the scenario needs: what no library can beat.
    Floor,
    /// This framework.
    Ours,
    /// prometheus-client, the official client.
    PrometheusClient,
    /// prometheus, tikv's client.
    Prometheus,
    /// metrics with metrics-exporter-prometheus.
    Metrics,
    /// measured, neon's client.
    Measured,
    /// fastmetrics.
    Fastmetrics,
}

impl Library {
    /// Every library, in table order.
    pub(crate) const ALL: [Self; 7] = [
        Self::Floor,
        Self::Ours,
        Self::PrometheusClient,
        Self::Prometheus,
        Self::Metrics,
        Self::Measured,
        Self::Fastmetrics,
    ];

    /// The name printed in tables.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Floor => "floor (hand-written)",
            Self::Ours => "**metrics-core (ours)**",
            Self::PrometheusClient => "prometheus-client",
            Self::Prometheus => "prometheus (tikv)",
            Self::Metrics => "metrics + exporter-prometheus",
            Self::Measured => "measured",
            Self::Fastmetrics => "fastmetrics",
        }
    }

    /// The crates and versions measured, as `name version` pairs.
    pub(crate) fn crates(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Floor => &[],
            Self::Ours => &[("metrics-core", "0.1.0")],
            Self::PrometheusClient => &[("prometheus-client", "0.25.2")],
            Self::Prometheus => &[("prometheus", "0.14.0")],
            Self::Metrics => &[
                ("metrics", "0.24.6"),
                ("metrics-exporter-prometheus", "0.18.3"),
            ],
            Self::Measured => &[("measured", "0.0.25")],
            Self::Fastmetrics => &[("fastmetrics", "0.7.1")],
        }
    }
}

/// What a contender runs.
pub(crate) enum Work {
    /// `n` operations on the inputs from `start` on, on the calling thread.
    Ops(Box<dyn FnMut(usize, usize)>),
    /// The same, called from two threads at once.
    TwoThreads(Arc<dyn Fn(usize, usize) + Send + Sync>),
}

/// One library in one scenario.
pub(crate) struct Contender {
    /// Whose code this is.
    pub(crate) library: Library,
    /// How it was used, when that needs saying (`handle`, `OpenMetrics`...).
    pub(crate) note: &'static str,
    /// The timed work.
    pub(crate) work: Work,
    /// The library's own exposition of what was recorded (the floor's: the same lines, hand-written): tests read
    /// the counts back from it, and scenario F reports its size.
    pub(crate) read: Box<dyn Fn() -> String>,
}

impl Contender {
    /// A single-threaded contender.
    pub(crate) fn ops(
        library: Library,
        note: &'static str,
        work: impl FnMut(usize, usize) + 'static,
        read: impl Fn() -> String + 'static,
    ) -> Self {
        Self {
            library,
            note,
            work: Work::Ops(Box::new(work)),
            read: Box::new(read),
        }
    }

    /// A contender run on two threads at once.
    pub(crate) fn two_threads(
        library: Library,
        note: &'static str,
        work: impl Fn(usize, usize) + Send + Sync + 'static,
        read: impl Fn() -> String + 'static,
    ) -> Self {
        Self {
            library,
            note,
            work: Work::TwoThreads(Arc::new(work)),
            read: Box::new(read),
        }
    }

    /// Runs `n` operations from `start` once, untimed (on two threads for a two-thread contender, each doing
    /// `n`, the second from `start + n`, as the harness does).
    #[cfg(test)]
    pub(crate) fn run(&mut self, start: usize, n: usize) {
        match &mut self.work {
            Work::Ops(work) => work(start, n),
            Work::TwoThreads(work) => std::thread::scope(|scope| {
                for thread in 0..2 {
                    let work = Arc::clone(work);
                    scope.spawn(move || work(start + thread * n, n));
                }
            }),
        }
    }
}

impl std::fmt::Debug for Work {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Ops(_) => "Ops",
            Self::TwoThreads(_) => "TwoThreads",
        })
    }
}

impl std::fmt::Debug for Contender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contender")
            .field("library", &self.library)
            .field("note", &self.note)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The versions printed in the tables are the versions built: read back from the workspace's lock file.
    #[test]
    fn versions_match_the_lock_file() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock"))
            .expect("the workspace lock file");
        for library in Library::ALL {
            for (name, version) in library.crates() {
                let entry = format!("name = \"{name}\"\nversion = \"{version}\"\n");
                assert!(
                    lock.contains(&entry),
                    "{name} {version} is not what Cargo.lock resolved"
                );
            }
        }
    }
}
