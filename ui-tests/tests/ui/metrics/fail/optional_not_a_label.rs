//! `optional` names labels of the family, on kinds whose series can be summed when the label is switched off.

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
pub enum Tenant {
    Acme,
}

metrics_core::metrics! {
    /// Jobs by tenant.
    pub counter jobs_total { tenant: Tenant, optional = [tenant, tennant] }
    /// Breaker state by tenant: a state set cannot be summed.
    pub stateset breaker: Tenant { tenant: Tenant, optional = tenant }
}

fn main() {}
