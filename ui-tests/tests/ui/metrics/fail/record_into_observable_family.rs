//! An observable family is filled by its function at scrape time: recording into it is an error that says so.

metrics_core::metrics! {
    /// Rows waiting in the outbox, read at scrape time.
    pub gauge outbox_pending { observe = read_outbox }
}

fn read_outbox(out: &mut OutboxPendingObserver<'_>) {
    out.observe((), 0);
}

pub fn record() {
    OUTBOX_PENDING.set(3);
}

fn main() {}
