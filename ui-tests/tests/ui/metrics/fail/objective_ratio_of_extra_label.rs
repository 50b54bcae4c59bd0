//! The family divided by must not have labels the judged family lacks: each series divides by exactly one.
use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Jobs waiting, over all shards.
    pub gauge queue_depth {
        objectives = [below(0.1, of = queue_capacity, for = 5m)],
    }
    /// Room in each shard.
    pub gauge queue_capacity { shard: BoundedStr<4> }
}

fn main() {}
