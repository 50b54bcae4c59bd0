//! The JSON endpoints: `/api/metrics/summary` and `/api/metrics/schema`.

mod json;
mod quantile;
pub(crate) mod ring;
pub(crate) mod schema;
pub(crate) mod summary;
mod window;
