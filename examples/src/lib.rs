//! Runnable examples: `quickstart.rs`, and the job scheduler ([`job_scheduler`], run by
//! `job_scheduler.rs`), a library module so that tests can run it in-process on a free port.

pub mod job_scheduler;
