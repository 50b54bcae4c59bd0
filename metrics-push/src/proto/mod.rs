//! The protobuf wire format, for the few OTLP messages this crate sends and reads.
//!
//! Hand-written rather than generated: the exporter streams a registry straight into one reused buffer (no
//! message structs, no per-series allocation), and the build needs no `protoc`. The field numbers are the
//! official opentelemetry-proto ones; the tests decode every request with the official Python modules.

mod read;
mod write;

pub(crate) use read::{Field, Reader};
pub(crate) use write::Writer;
