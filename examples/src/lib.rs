//! Runnable examples: `quickstart.rs`, the job scheduler ([`job_scheduler`], run by `job_scheduler.rs`), traced
//! work with exemplars ([`traced`], run by `traced_work.rs`), an OTLP export (`otlp_export.rs`) and the seeds'
//! systems ([`chat_pipeline`], [`model_proxy`], [`agent_platform`], [`workflow_orchestrator`]): library modules so
//! that tests can run them in-process.

pub mod agent_platform;
pub mod chat_pipeline;
pub mod job_scheduler;
pub mod model_proxy;
pub mod settings;
pub mod stop;
pub mod traced;
pub mod workflow_orchestrator;
