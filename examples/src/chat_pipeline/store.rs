//! The simulated stores: the outbox (Postgres rows waiting to be replicated to the memory service) and the
//! degraded buffer (Redis `degraded:*` keys: memory writes of messages answered in degraded mode).
//!
//! Their sizes are read when Prometheus scrapes (`outbox_pending`, `degraded_buffer_size` are declared
//! `observe = ..`): the gauge is the store's own count at that moment, never a copy that could drift from it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use super::metrics::{DegradedBufferSizeObserver, OutboxPendingObserver};

/// One memory write: a conversation turn to store in the memory service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryWrite {
    /// The message it records.
    pub message: u64,
}

/// The outbox and the degraded buffer.
#[derive(Debug, Default)]
pub struct Stores {
    outbox: Mutex<VecDeque<MemoryWrite>>,
    degraded: Mutex<VecDeque<MemoryWrite>>,
}

/// The stores the observable gauges read: those of the pipeline running now, if any.
static CURRENT: RwLock<Option<Arc<Stores>>> = RwLock::new(None);

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking holder leaves the queue as it was between two whole operations.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Stores {
    /// New empty stores, made the ones the gauges read.
    pub fn install() -> Arc<Self> {
        let stores = Arc::new(Self::default());
        *CURRENT.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&stores));
        stores
    }

    /// Stops the gauges reading these stores (the pipeline stopped).
    pub fn uninstall(self: &Arc<Self>) {
        let mut current = CURRENT.write().unwrap_or_else(PoisonError::into_inner);
        if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, self)) {
            *current = None;
        }
    }

    /// Inserts an outbox row.
    pub fn outbox_insert(&self, write: MemoryWrite) {
        lock(&self.outbox).push_back(write);
    }

    /// How many of the oldest outbox rows (at most `max`) the next batch replicates; they stay in place until
    /// [`Stores::outbox_remove`].
    pub fn outbox_batch(&self, max: usize) -> usize {
        lock(&self.outbox).len().min(max)
    }

    /// Removes the `count` oldest outbox rows once replicated.
    pub fn outbox_remove(&self, count: usize) {
        lock(&self.outbox).drain(..count);
    }

    /// Rows in the outbox.
    pub fn outbox_len(&self) -> usize {
        lock(&self.outbox).len()
    }

    /// Parks a memory write in the degraded buffer.
    pub fn degraded_push(&self, write: MemoryWrite) {
        lock(&self.degraded).push_back(write);
    }

    /// Takes up to `max` of the oldest parked writes, to replay them.
    pub fn degraded_take(&self, max: usize) -> Vec<MemoryWrite> {
        let mut degraded = lock(&self.degraded);
        let count = degraded.len().min(max);
        degraded.drain(..count).collect()
    }

    /// Puts back writes whose replay failed, first in line and in their order.
    pub fn degraded_return(&self, writes: Vec<MemoryWrite>) {
        let mut degraded = lock(&self.degraded);
        for write in writes.into_iter().rev() {
            degraded.push_front(write);
        }
    }

    /// Entries in the degraded buffer.
    pub fn degraded_len(&self) -> usize {
        lock(&self.degraded).len()
    }
}

fn current() -> Option<Arc<Stores>> {
    CURRENT
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
}

/// `degraded_buffer_size` at scrape time; absent while no pipeline runs.
pub fn observe_degraded_buffer(out: &mut DegradedBufferSizeObserver<'_>) {
    if let Some(stores) = current() {
        out.set(i64::try_from(stores.degraded_len()).unwrap_or(i64::MAX));
    }
}

/// `outbox_pending` at scrape time; absent while no pipeline runs.
pub fn observe_outbox(out: &mut OutboxPendingObserver<'_>) {
    if let Some(stores) = current() {
        out.set(i64::try_from(stores.outbox_len()).unwrap_or(i64::MAX));
    }
}
