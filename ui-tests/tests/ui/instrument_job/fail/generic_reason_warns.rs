//! An error type without `ErrorReason` records one generic reason, and the compiler says so with a note on the
//! return type (a warning, denied here to pin its text).
#![deny(deprecated)]

#[metrics_core::instrument_job]
fn work(fail: bool) -> Result<(), String> {
    if fail { Err("boom".to_owned()) } else { Ok(()) }
}

fn main() {
    let _ = work(false);
}
