//! Runnable examples: `quickstart.rs`, the job scheduler of seed 000 ([`job_scheduler`], run by
//! `job_scheduler.rs`) and traced work with exemplars ([`traced`], run by `traced_work.rs`): library modules so
//! that tests can run them in-process.

pub mod job_scheduler;
pub mod traced;
