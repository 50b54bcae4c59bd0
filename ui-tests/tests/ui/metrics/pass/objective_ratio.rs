//! A ratio threshold: each depth over its queue's capacity, matched on the labels they share.
use metrics_core::{BoundedStr, Family as _, metrics};

metrics! {
    /// Jobs waiting, by queue and shard.
    pub gauge queue_depth {
        queue: BoundedStr<4>,
        shard: BoundedStr<4>,
        objectives = [above(0.8, of = queue_capacity, for = 15m)],
    }
    /// Room of each queue.
    pub gauge queue_capacity { queue: BoundedStr<4> }
}

fn main() {
    assert_eq!(QUEUE_DEPTH.descriptor().objectives[0].of, "queue_capacity");
}
