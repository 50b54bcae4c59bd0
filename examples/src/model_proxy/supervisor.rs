//! The app-server worker's supervisor: starts the worker, restarts it after a crash with exponential backoff,
//! and keeps the maintenance flag. Its [`Snapshot`] is what the worker and maintenance gauges read when
//! Prometheus scrapes (their families are declared `observe = ..`), so the gauges cannot drift from the state
//! machine: there is no second copy to forget to update.

use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use metrics_core::LabelValue as _;
use tokio::sync::{Notify, watch};

use super::metrics::{
    MaintenanceModeObserver, WorkerBackoffSecondsObserver, WorkerReadyObserver,
    WorkerRestartsTotalObserver, WorkerState, WorkerStateLabels, WorkerStateObserver,
};

/// The supervisor's state at one moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snapshot {
    /// The worker's state.
    pub state: WorkerState,
    /// Restarts so far.
    pub restarts: u64,
    /// The backoff being waited out (zero unless backing off).
    pub backoff: Duration,
    /// Whether the proxy is in maintenance.
    pub maintenance: bool,
}

/// The supervisor.
#[derive(Debug)]
pub struct Supervisor {
    time_scale: f64,
    inner: Mutex<Snapshot>,
    crashed: Notify,
}

/// The supervisor the gauges read: that of the proxy running now, if any.
static CURRENT: RwLock<Option<Arc<Supervisor>>> = RwLock::new(None);

impl Supervisor {
    /// A supervisor (its worker starting), made the one the gauges read.
    pub fn install(time_scale: f64, maintenance: bool) -> Arc<Self> {
        let supervisor = Arc::new(Self {
            time_scale,
            inner: Mutex::new(Snapshot {
                state: WorkerState::Starting,
                restarts: 0,
                backoff: Duration::ZERO,
                maintenance,
            }),
            crashed: Notify::new(),
        });
        *CURRENT.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&supervisor));
        supervisor
    }

    /// Stops the gauges reading this supervisor.
    pub fn uninstall(self: &Arc<Self>) {
        let mut current = CURRENT.write().unwrap_or_else(PoisonError::into_inner);
        if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, self)) {
            *current = None;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Snapshot> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The state now.
    pub fn snapshot(&self) -> Snapshot {
        *self.lock()
    }

    /// Whether requests can be served: the worker is ready and the proxy is not in maintenance.
    pub fn ready(&self) -> bool {
        let snapshot = self.snapshot();
        snapshot.state == WorkerState::Ready && !snapshot.maintenance
    }

    /// Turns maintenance on or off.
    pub fn set_maintenance(&self, on: bool) {
        self.lock().maintenance = on;
    }

    /// Reports that the worker died (it crashed mid-request); the supervisor backs off and restarts it.
    pub fn crash(&self) {
        let mut inner = self.lock();
        if inner.state == WorkerState::Ready {
            inner.state = WorkerState::Backoff;
            drop(inner);
            self.crashed.notify_one();
        }
    }

    fn scaled(&self, seconds: f64) -> Duration {
        Duration::from_secs_f64(seconds * self.time_scale)
    }

    /// Runs the worker's lifecycle until `stop`: start (300 ms, scaled), serve until a crash, back off (0.5 s
    /// doubling per crash in a row up to 30 s, scaled; a worker that served 10 s starts the count again),
    /// restart.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut in_a_row = 0u32;
        loop {
            tokio::select! {
                () = tokio::time::sleep(self.scaled(0.3)) => {}
                _ = stop.wait_for(|stop| *stop) => return,
            }
            self.lock().state = WorkerState::Ready;
            let ready_at = Instant::now();
            tokio::select! {
                () = self.crashed.notified() => {}
                _ = stop.wait_for(|stop| *stop) => return,
            }
            in_a_row = if ready_at.elapsed() >= self.scaled(10.0) {
                1
            } else {
                in_a_row.saturating_add(1)
            };
            let backoff = self
                .scaled(0.5 * 2f64.powi(in_a_row.clamp(1, 16).cast_signed() - 1))
                .min(self.scaled(30.0));
            self.lock().backoff = backoff;
            tokio::select! {
                () = tokio::time::sleep(backoff) => {}
                _ = stop.wait_for(|stop| *stop) => return,
            }
            let mut inner = self.lock();
            inner.backoff = Duration::ZERO;
            inner.restarts += 1;
            inner.state = WorkerState::Starting;
        }
    }
}

fn current() -> Option<Snapshot> {
    CURRENT
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
        .map(|supervisor| supervisor.snapshot())
}

/// `codex_worker_ready` at scrape time.
pub fn observe_ready(out: &mut WorkerReadyObserver<'_>) {
    if let Some(snapshot) = current() {
        out.set(i64::from(snapshot.state == WorkerState::Ready));
    }
}

/// `codex_worker_state` at scrape time: 1 for the current state, 0 for the others.
pub fn observe_state(out: &mut WorkerStateObserver<'_>) {
    if let Some(snapshot) = current() {
        for &state in WorkerState::ALL {
            out.observe(
                WorkerStateLabels { state },
                i64::from(state == snapshot.state),
            );
        }
    }
}

/// `codex_worker_restarts_total` at scrape time.
pub fn observe_restarts(out: &mut WorkerRestartsTotalObserver<'_>) {
    if let Some(snapshot) = current() {
        out.set(snapshot.restarts);
    }
}

/// `codex_worker_backoff_seconds` at scrape time.
pub fn observe_backoff(out: &mut WorkerBackoffSecondsObserver<'_>) {
    if let Some(snapshot) = current() {
        out.set(snapshot.backoff.as_secs_f64());
    }
}

/// `codex_maintenance_mode` at scrape time.
pub fn observe_maintenance(out: &mut MaintenanceModeObserver<'_>) {
    if let Some(snapshot) = current() {
        out.set(i64::from(snapshot.maintenance));
    }
}
