use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Requests per client, removed when a client disconnects.
    pub counter client_requests_total { client: BoundedStr<16>, removable = true }
}

fn main() {
    let _ = CLIENT_REQUESTS_TOTAL.find_labels("c1");
}
