use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Requests per client and route.
    pub counter client_requests_total { client: BoundedStr<16>, route: BoundedStr<8>, removable = true }
}

fn main() {}
