use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Requests per client, removed when a client disconnects.
    pub counter client_requests_total { client: BoundedStr<16>, removable = true }
}

fn main() {
    // The series cannot outlive the closure: its cells may go to another client after a removal.
    let kept = CLIENT_REQUESTS_TOTAL.record("c1", |series| series);
    kept.inc();
}
