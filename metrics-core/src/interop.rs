//! Interoperation with prometheus-client.
