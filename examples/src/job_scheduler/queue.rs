//! The job queue: jobs claimed by compare-and-swap under a lease, so two workers can race for one job and
//! exactly one wins; leases renewed by their holder and expired by a reaper.
//!
//! Records the claim path (`cogo_scheduler_claim_total`, `cogo_scheduler_claim_conflict_total`), the queue
//! phase of `cogo_job_latency_seconds`, and lease renewals and expiries.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::metrics::{
    JOB_LATENCY_SECONDS, JOB_LEASE_EXPIRED_TOTAL, JOB_LEASE_RENEW_TOTAL, JobType, Phase,
    SCHEDULER_CLAIM_CONFLICT_TOTAL, SCHEDULER_CLAIM_TOTAL, Tenant,
};

/// A job as submitted, plus its attempt number.
#[derive(Clone, Copy, Debug)]
pub struct Job {
    /// Its id, for logs.
    pub id: u64,
    /// Whose job it is.
    pub tenant: Tenant,
    /// What it does.
    pub job_type: JobType,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// A payload the validator rejects (synthetic failure).
    pub invalid: bool,
}

/// No one holds the job.
const FREE: u64 = 0;
/// The attempt's outcome was taken by its holder or by the reaper; the slot is leaving the queue.
const DONE: u64 = u64::MAX;

/// A queued job and its claim state.
#[derive(Debug)]
pub struct Slot {
    /// The job.
    pub job: Job,
    /// When it became claimable (enqueued, or its retry backoff ended).
    visible_at: Instant,
    /// `FREE`, `DONE`, or the token of the claim holding it.
    holder: AtomicU64,
    /// Lease deadline, in nanoseconds since the queue's epoch (`u64::MAX` before the first claim).
    lease_until: AtomicU64,
}

/// A claim won: the slot and the token proving it.
#[derive(Debug)]
pub struct Claim {
    /// The claimed slot.
    pub slot: Arc<Slot>,
    token: u64,
    renewed_at: Instant,
}

/// The queue.
#[derive(Debug)]
pub struct Queue {
    pending: Mutex<Vec<Arc<Slot>>>,
    epoch: Instant,
    tokens: AtomicU64,
    lease: Duration,
    capacity: usize,
}

impl Queue {
    /// An empty queue whose claims hold a lease of `lease`, with room for `capacity` jobs.
    pub fn new(lease: Duration, capacity: usize) -> Self {
        Self {
            pending: Mutex::new(Vec::new()),
            epoch: Instant::now(),
            tokens: AtomicU64::new(1),
            lease,
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Arc<Slot>>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn nanos(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.epoch).as_nanos() as u64
    }

    /// Jobs queued or running.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is queued or running.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Queues `job`, claimable after `delay`; false when the queue is full (the producer sheds load).
    pub fn push(&self, job: Job, delay: Duration) -> bool {
        let mut pending = self.lock();
        if pending.len() >= self.capacity {
            return false;
        }
        pending.push(Arc::new(Slot {
            job,
            visible_at: Instant::now() + delay,
            holder: AtomicU64::new(FREE),
            // No deadline until claimed: the reaper must not expire a claim whose winner has not stored it yet.
            lease_until: AtomicU64::new(u64::MAX),
        }));
        true
    }

    /// One of the oldest free, visible jobs: `spread` picks among the first few, so workers usually go for
    /// different jobs but sometimes for the same one.
    pub fn peek(&self, spread: usize) -> Option<Arc<Slot>> {
        let now = Instant::now();
        let pending = self.lock();
        let candidates: Vec<&Arc<Slot>> = pending
            .iter()
            .filter(|slot| slot.visible_at <= now && slot.holder.load(Ordering::Acquire) == FREE)
            .take(2)
            .collect();
        candidates
            .get(spread % candidates.len().max(1))
            .map(|slot| Arc::clone(slot))
    }

    /// Tries to claim `slot` (seen by [`Queue::peek`] a moment ago): the compare-and-swap that decides a race.
    /// The winner counts a claim and the job's queue latency; a loser counts a conflict.
    pub fn try_claim(&self, slot: Arc<Slot>) -> Option<Claim> {
        let token = self.tokens.fetch_add(1, Ordering::Relaxed);
        let now = Instant::now();
        let job = slot.job;
        let won = slot
            .holder
            .compare_exchange(FREE, token, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if !won {
            SCHEDULER_CLAIM_CONFLICT_TOTAL
                .labels(job.tenant, job.job_type)
                .inc();
            return None;
        }
        slot.lease_until
            .store(self.nanos(now + self.lease), Ordering::Release);
        SCHEDULER_CLAIM_TOTAL.labels(job.tenant, job.job_type).inc();
        JOB_LATENCY_SECONDS
            .labels(job.tenant, job.job_type, Phase::Queue)
            .observe_duration(now.saturating_duration_since(slot.visible_at));
        Some(Claim {
            slot,
            token,
            renewed_at: now,
        })
    }

    /// Extends the claim's lease when a third of it has passed; false when the lease was lost (the reaper
    /// expired it), and the holder must give the job up.
    pub fn renew(&self, claim: &mut Claim) -> bool {
        if claim.slot.holder.load(Ordering::Acquire) != claim.token {
            return false;
        }
        let now = Instant::now();
        if now.duration_since(claim.renewed_at) < self.lease / 3 {
            return true;
        }
        claim
            .slot
            .lease_until
            .store(self.nanos(now + self.lease), Ordering::Release);
        // The reaper may have expired the lease between the check and the store: the holder check decides.
        if claim.slot.holder.load(Ordering::Acquire) != claim.token {
            return false;
        }
        claim.renewed_at = now;
        let job = claim.slot.job;
        JOB_LEASE_RENEW_TOTAL.labels(job.tenant, job.job_type).inc();
        true
    }

    /// Takes the attempt's outcome for the holder and removes the job from the queue; false when the lease was
    /// lost first (the reaper owns the outcome then).
    pub fn finish(&self, claim: &Claim) -> bool {
        let won = claim
            .slot
            .holder
            .compare_exchange(claim.token, DONE, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if won {
            self.remove(&claim.slot);
        }
        won
    }

    /// Expires every lease past its deadline: counts the expiry, removes the job, and returns the jobs whose
    /// attempt was lost, for the caller to retry or dead-letter.
    pub fn reap(&self) -> Vec<Job> {
        let now = self.nanos(Instant::now());
        let mut expired = Vec::new();
        self.lock().retain(|slot| {
            let holder = slot.holder.load(Ordering::Acquire);
            if holder == FREE
                || holder == DONE
                || slot.lease_until.load(Ordering::Acquire) > now
                || slot
                    .holder
                    .compare_exchange(holder, DONE, Ordering::AcqRel, Ordering::Acquire)
                    .is_err()
            {
                return true;
            }
            JOB_LEASE_EXPIRED_TOTAL
                .labels(slot.job.tenant, slot.job.job_type)
                .inc();
            expired.push(slot.job);
            false
        });
        expired
    }

    fn remove(&self, slot: &Arc<Slot>) {
        self.lock().retain(|other| !Arc::ptr_eq(other, slot));
    }
}
