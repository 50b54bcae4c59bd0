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

/// A task enters `state`.
pub fn enter(state: TaskState) {
    ACTIVE[index(state)].fetch_add(1, Ordering::Relaxed);
}

/// A task leaves `state`.
pub fn leave(state: TaskState) {
    ACTIVE[index(state)].fetch_sub(1, Ordering::Relaxed);
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
