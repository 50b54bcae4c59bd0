//! The server on its own thread, for programs without an async runtime: batch jobs, synchronous workers.

use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use crate::config::Config;
use crate::server::{ServeError, Server};

/// Starts the server on a new thread with its own single-threaded Tokio runtime and returns once it is bound.
///
/// ```
/// let handle = metrics_http::spawn(metrics_http::Config::default().addr("127.0.0.1:0".parse().unwrap())).unwrap();
/// println!("metrics on http://{}/metrics", handle.local_addr());
/// // ... the program's work ...
/// handle.shutdown();
/// ```
///
/// # Errors
///
/// As [`Server::bind`], or when the thread or its runtime cannot be created.
pub fn spawn(config: Config) -> Result<ServerHandle, ServeError> {
    let (ready, bound) = mpsc::channel::<Result<SocketAddr, ServeError>>();
    let (stop, stopped) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("metrics-http".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = ready.send(Err(ServeError::Io(error)));
                    return;
                }
            };
            runtime.block_on(async move {
                match Server::bind(config).await {
                    Ok(server) => {
                        let _ = ready.send(Ok(server.local_addr()));
                        // A dropped handle closes the channel, which stops the server too.
                        server.run_until(async { drop(stopped.await) }).await;
                    }
                    Err(error) => drop(ready.send(Err(error))),
                }
            });
            // Encoding work past its deadline may still be running: it must not hold the thread back.
            runtime.shutdown_background();
        })
        .map_err(ServeError::Io)?;
    match bound.recv() {
        Ok(Ok(addr)) => Ok(ServerHandle {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }),
        Ok(Err(error)) => {
            let _ = thread.join();
            Err(error)
        }
        Err(_) => Err(ServeError::Io(std::io::Error::other(
            "the metrics server thread stopped before binding",
        ))),
    }
}

/// A server running on its own thread. Dropping the handle stops the server without waiting; keep it for as
/// long as metrics should be served.
#[derive(Debug)]
#[must_use = "dropping the handle stops the server"]
pub struct ServerHandle {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl ServerHandle {
    /// The address the server is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server and waits for it: at most the configured shutdown drain, plus a moment.
    pub fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
