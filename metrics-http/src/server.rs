//! The standalone server: the metrics router on hyper's HTTP/1 connection builder, with a header-read timeout,
//! a response-write timeout, a cap on open connections and a bounded graceful shutdown.

use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tower::Service as _;

use crate::config::{Config, ConfigError};
use crate::connection::GuardedStream;
use crate::router::router_with;
use crate::self_metrics::{RejectReason, reject};

/// A bound metrics server, not yet serving.
///
/// ```no_run
/// # async fn run() -> Result<(), metrics_http::ServeError> {
/// let server = metrics_http::Server::bind(metrics_http::Config::from_env()?).await?;
/// println!("metrics on http://{}/metrics", server.local_addr());
/// server.run().await // until Ctrl-C or SIGTERM
/// # }
/// ```
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    router: Router,
    header_read_timeout: Duration,
    response_write_timeout: Duration,
    max_connections: usize,
    shutdown_drain: Duration,
}

/// The answer to a connection beyond the cap, written before closing it.
const TOO_MANY_CONNECTIONS: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Length: 26\r\n\r\ntoo many open connections\n";

/// How long a connection refused for the cap is kept to drain what the client sent, so that closing it does not
/// reset the connection before the client has read the 503.
const REFUSAL_LINGER: Duration = Duration::from_millis(250);

impl Server {
    /// Validates `config`, builds the router and binds its address (port 0 picks a free port).
    ///
    /// # Errors
    ///
    /// An invalid configuration (such as a non-loopback address without the opt-in), or a bind failure.
    pub async fn bind(config: Config) -> Result<Self, ServeError> {
        Self::bind_with(config, Router::new()).await
    }

    /// As [`Server::bind`], serving `app`'s routes beside the metrics endpoints, behind the same guards (see
    /// [`router_with`](crate::router_with)).
    ///
    /// # Errors
    ///
    /// As [`Server::bind`].
    pub async fn bind_with(config: Config, app: Router) -> Result<Self, ServeError> {
        config.validate()?;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.addr,
                source,
            })?;
        let local_addr = listener.local_addr().map_err(ServeError::Io)?;
        Ok(Self {
            listener,
            local_addr,
            header_read_timeout: config.header_read_timeout,
            response_write_timeout: config.response_write_timeout,
            max_connections: config.max_connections,
            shutdown_drain: config.shutdown_drain,
            router: router_with(config, app)?,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until Ctrl-C or (on Unix) SIGTERM, then shuts down gracefully.
    ///
    /// # Errors
    ///
    /// When the signal handlers cannot be installed.
    pub async fn run(self) -> Result<(), ServeError> {
        let signal = crate::signal::shutdown_signal().map_err(ServeError::Io)?;
        self.run_until(signal).await;
        Ok(())
    }

    /// Serves until `shutdown` completes, then stops accepting, lets open requests finish for at most the
    /// configured drain, and closes whatever is left.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) {
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_read_timeout);
        let graceful = GracefulShutdown::new();
        let mut connections = JoinSet::new();
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        while connections.try_join_next().is_some() {}
                        if connections.len() >= self.max_connections {
                            reject(RejectReason::TooManyConnections);
                            tokio::spawn(refuse(stream));
                            continue;
                        }
                        // Scrape answers are small and latency-bound: do not wait to fill a segment.
                        let _ = stream.set_nodelay(true);
                        let (stream, outcome) = GuardedStream::new(stream, self.response_write_timeout);
                        let connection = builder.serve_connection(TokioIo::new(stream), service(self.router.clone(), peer));
                        let watched = graceful.watch(connection);
                        connections.spawn(async move {
                            if let Err(error) = watched.await {
                                if outcome.write_timed_out() {
                                    reject(RejectReason::WriteTimeout);
                                } else if error.is_timeout() && outcome.request_started() {
                                    // hyper's header timeout also closes idle keep-alive connections: only a
                                    // request left unfinished is a refusal.
                                    reject(RejectReason::HeaderTimeout);
                                }
                            }
                        });
                    }
                    // Out of file descriptors and the like: back off instead of spinning, then keep serving.
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        drop(self.listener);
        let drain = async {
            graceful.shutdown().await;
            while connections.join_next().await.is_some() {}
        };
        // Past the bound, dropping the set aborts the connections still open.
        let _ = tokio::time::timeout(self.shutdown_drain, drain).await;
    }
}

/// Answers a connection beyond the cap with a 503 and closes it: the write cannot block (a fresh socket's buffer
/// is empty), and the wait for the client's bytes is bounded.
async fn refuse(mut stream: TcpStream) {
    let _ = stream.try_write(TOO_MANY_CONNECTIONS);
    let _ = stream.shutdown().await;
    let drain = async {
        let mut sink = [0u8; 1024];
        while matches!(stream.read(&mut sink).await, Ok(read) if read > 0) {}
    };
    let _ = tokio::time::timeout(REFUSAL_LINGER, drain).await;
}

/// The hyper service of one connection: the router, with the peer address where the loopback guard finds it.
fn service(
    router: Router,
    peer: SocketAddr,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Future<Output = Result<axum::response::Response, std::convert::Infallible>> + Send,
> + Clone {
    hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().call(request)
    })
}

/// Binds `config` and serves until Ctrl-C or SIGTERM: the one call a worker's `main` needs.
///
/// # Errors
///
/// As [`Server::bind`] and [`Server::run`].
pub async fn serve(config: Config) -> Result<(), ServeError> {
    Server::bind(config).await?.run().await
}

/// The server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The configuration is invalid.
    Config(ConfigError),
    /// The address could not be bound.
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: io::Error,
    },
    /// Another I/O failure (a runtime or a thread could not be created, a signal handler installed).
    Io(io::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(error) => error.fmt(f),
            Self::Bind { addr, source } => {
                write!(f, "cannot bind the metrics server to {addr}: {source}")
            }
            Self::Io(error) => write!(f, "metrics server: {error}"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Config(error) => Some(error),
            Self::Bind { source, .. } | Self::Io(source) => Some(source),
        }
    }
}

impl From<ConfigError> for ServeError {
    fn from(error: ConfigError) -> Self {
        Self::Config(error)
    }
}
