//! Generated items do not collide with the user's in ordinary use: a state set named after the user's own enum
//! (`stateset breaker: Breaker`), and a short family name whose static and type would read alike (`g2`).
//! Reading a bounded series creates nothing.

use metrics_core::{BoundedStr, Format, LabelValue, Registry, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Breaker {
    Closed,
    Open,
}

metrics! {
    /// The circuit breaker's state.
    pub stateset breaker: Breaker;
    /// A short name.
    pub gauge g2;
    /// Requests by tenant.
    pub counter tenant_requests_total { tenant: BoundedStr<2> }
}

fn main() {
    BREAKER.set(Breaker::Open);
    G2.set(2);
    let _: &BreakerFamily = &BREAKER;
    let _: &G2Family = &G2;
    assert!(TENANT_REQUESTS_TOTAL.find_labels("probe").is_none());
    let text = Registry::global()
        .expect("valid")
        .encode_to_string(Format::Text004)
        .expect("encodes");
    assert!(!text.contains("probe"), "{text}");
    TENANT_REQUESTS_TOTAL.labels("acme").inc();
    assert_eq!(TENANT_REQUESTS_TOTAL.find_labels("acme").map(|c| c.get()), Some(1));
}
