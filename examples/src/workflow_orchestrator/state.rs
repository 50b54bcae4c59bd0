//! Tasks in progress by lifecycle state, read at scrape time by `tasker_tasks_active` (`observe = ..`): the
//! orchestrator's own counts at that moment, never a copy that could drift from them.

use std::sync::atomic::{AtomicI64, Ordering};

use super::metrics::{TaskState, TaskerTasksActiveLabels, TaskerTasksActiveObserver};

const STATES: [TaskState; 3] = [
    TaskState::Initializing,
    TaskState::StepsInProcess,
    TaskState::Finalizing,
];

static ACTIVE: [AtomicI64; 3] = [const { AtomicI64::new(0) }; 3];

fn index(state: TaskState) -> usize {
    STATES.iter().position(|s| *s == state).unwrap_or(0)
}

/// A task in a state: counted from [`Active::enter`] until dropped, so a task whose future is cancelled, or
/// whose message is dropped with its channel, leaves the count too.
#[derive(Debug)]
pub struct Active(TaskState);

impl Active {
    /// A task enters `state`.
    pub fn enter(state: TaskState) -> Self {
        ACTIVE[index(state)].fetch_add(1, Ordering::Relaxed);
        Self(state)
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        ACTIVE[index(self.0)].fetch_sub(1, Ordering::Relaxed);
    }
}

/// Tasks in `state` now.
pub fn active(state: TaskState) -> i64 {
    ACTIVE[index(state)].load(Ordering::Relaxed)
}

/// `tasker_tasks_active{state}` at scrape time.
pub fn observe_active_tasks(out: &mut TaskerTasksActiveObserver<'_>) {
    for state in STATES {
        out.observe(TaskerTasksActiveLabels { state }, active(state));
    }
}
