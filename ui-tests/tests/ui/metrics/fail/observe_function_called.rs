//! `observe` names the function; it is not called in the declaration.

metrics_core::metrics! {
    /// Rows waiting in the outbox.
    pub gauge outbox_pending { observe = read_outbox() }
}

fn read_outbox(out: &mut OutboxPendingObserver<'_>) {
    out.observe((), 0);
}

fn main() {}
