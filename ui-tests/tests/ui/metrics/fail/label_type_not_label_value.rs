//! A label type implements `LabelValue`: a plain struct does not, and the note says how to derive it.

#[derive(Clone, Copy, Debug)]
pub struct Tenant;

metrics_core::metrics! {
    /// Requests served.
    pub counter requests_total { tenant: Tenant }
}

fn main() {}
