//! The JSON endpoints: `/api/metrics/summary` and `/api/metrics/schema`.

mod json;
pub(crate) mod schema;
pub(crate) mod summary;
