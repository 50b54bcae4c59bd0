//! The summary's sampler: the ring of snapshots and the thread that fills it, owned by one router.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};

use super::ring::Ring;
use crate::config::Config;

/// The ring behind `/api/metrics/summary` and its sampler thread, which stops when this is dropped (with the last
/// clone of the router).
#[derive(Debug)]
pub(crate) struct Sampler {
    ring: Arc<Ring>,
    _stop: mpsc::Sender<()>,
}

impl Sampler {
    /// An empty ring sized by `config` (already validated), and a thread that records a snapshot into it now and
    /// then once per interval.
    ///
    /// A plain thread rather than a task: the router may be built outside any runtime, and a snapshot is a short
    /// burst of synchronous work anyway. If the thread cannot be started, the summary still answers from the
    /// snapshot it takes at request time.
    pub(crate) fn start(config: &Config) -> Self {
        let ring = Arc::new(Ring::new(config));
        let (stop, stopped) = mpsc::channel::<()>();
        let filled = Arc::clone(&ring);
        let config = config.clone();
        let _ = std::thread::Builder::new()
            .name("metrics-summary".into())
            .spawn(move || {
                loop {
                    if let Ok(registry) = config.resolve_registry() {
                        filled.record(registry);
                    }
                    match stopped.recv_timeout(filled.interval()) {
                        Err(RecvTimeoutError::Timeout) => {}
                        Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            });
        Self { ring, _stop: stop }
    }

    /// The ring of snapshots.
    pub(crate) fn ring(&self) -> &Ring {
        &self.ring
    }
}
