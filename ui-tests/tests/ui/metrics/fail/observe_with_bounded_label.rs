//! An observable family's series are its enum label combinations: a `BoundedStr` label has no known values.
use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Rows waiting per tenant.
    pub gauge outbox_pending { tenant: BoundedStr<16>, observe = read_pending }
}

fn read_pending(_: &mut OutboxPendingObserver<'_>) {}

fn main() {}
