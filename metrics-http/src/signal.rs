//! The signals that stop a server: Ctrl-C (SIGINT) everywhere, and SIGTERM on Unix (what `docker stop`,
//! systemd and Kubernetes send).

use std::io;

/// Completes at the first SIGINT (Ctrl-C) or, on Unix, SIGTERM: what [`Server::run`](crate::Server::run) waits
/// for before draining. A program serving with [`spawn`](crate::spawn) can wait for it too and then call
/// [`ServerHandle::shutdown`](crate::ServerHandle::shutdown), as `examples/quickstart.rs` does.
///
/// The handlers are installed when this is called, not when it is first polled: a signal that arrives in
/// between is not lost.
///
/// ```no_run
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let stop = metrics_http::shutdown_signal()?;
/// stop.await;
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// When a signal handler cannot be installed.
pub fn shutdown_signal() -> io::Result<impl Future<Output = ()> + Send> {
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    #[cfg(unix)]
    let mut interrupt = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
}
