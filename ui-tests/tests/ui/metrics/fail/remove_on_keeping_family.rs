use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Requests per client.
    pub counter client_requests_total { client: BoundedStr<16> }
}

fn main() {
    CLIENT_REQUESTS_TOTAL.labels("c1").inc();
    let _ = CLIENT_REQUESTS_TOTAL.remove("c1");
}
