//! A family has at most 16 labels.

metrics_core::metrics! {
    /// Flags seen.
    pub counter flags_total {
        a: bool, b: bool, c: bool, d: bool, e: bool, f: bool, g: bool, h: bool,
        i: bool, j: bool, k: bool, l: bool, m: bool, n: bool, o: bool, p: bool,
        q: bool,
        budget = 1000000
    }
}

fn main() {}
