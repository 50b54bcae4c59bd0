//! When an example stops serving: after its `*_RUN_FOR` setting, or on Ctrl-C or SIGTERM.

use std::time::Duration;

/// Waits until `run_for` has passed (never, without it) or the process is asked to stop (Ctrl-C, or SIGTERM on
/// Unix; never, when the handlers cannot be installed).
pub async fn until_stopped(run_for: Option<Duration>) {
    let deadline = async {
        match run_for {
            Some(duration) => tokio::time::sleep(duration).await,
            None => std::future::pending().await,
        }
    };
    let terminated = async {
        match metrics_http::shutdown_signal() {
            Ok(signal) => signal.await,
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = deadline => {}
        () = terminated => {}
    }
}
