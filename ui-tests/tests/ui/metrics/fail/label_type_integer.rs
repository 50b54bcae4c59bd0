//! A number is not a label value: the error says to use an enum or `BoundedStr<CAP>`.

metrics_core::metrics! {
    /// Requests by shard.
    pub counter requests_total { shard: u32 }
}

fn main() {}
