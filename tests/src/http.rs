//! Support for the end-to-end tests of `metrics-http`: a small HTTP/1.1 client with a deadline on every call,
//! free loopback ports, temporary directories and child processes that are removed or killed on drop.

use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt as _, Empty};
use hyper::body::Bytes;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use metrics_http::{Config, Server};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long one HTTP exchange may take in a test before it fails.
pub const HTTP_DEADLINE: Duration = Duration::from_secs(15);

/// A `metrics-http` server on 127.0.0.1 (a free port), running on the test's runtime; stopped on drop.
#[derive(Debug)]
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Binds `config` on 127.0.0.1 with a free port (whatever address `config` had) and starts serving.
    ///
    /// # Panics
    ///
    /// When the server cannot bind.
    pub async fn start(config: Config) -> Self {
        let server = Server::bind(config.addr(SocketAddr::from(([127, 0, 0, 1], 0))))
            .await
            .expect("bind the metrics server");
        let addr = server.local_addr();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run_until(async {
            let _ = stopped.await;
        }));
        Self {
            addr,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Signals shutdown and waits for the server to finish (at most `deadline`); returns how long it took.
    ///
    /// # Panics
    ///
    /// When the server has not stopped within `deadline`.
    pub async fn stop(mut self, deadline: Duration) -> Duration {
        let start = Instant::now();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            within("server shutdown", deadline, task)
                .await
                .expect("the server task ends cleanly");
        }
        start.elapsed()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as received (still compressed if it was).
    pub body: Vec<u8>,
}

impl Reply {
    /// A header's value as text, if present and ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as UTF-8 text.
    ///
    /// # Panics
    ///
    /// When the body is not UTF-8.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("the body is UTF-8")
    }

    /// The body parsed as JSON.
    ///
    /// # Panics
    ///
    /// When the body is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "the body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Sends `method path` with `headers` to `addr` on a new connection and reads the whole response.
///
/// # Errors
///
/// A description of the failure: connection refused or reset, or [`HTTP_DEADLINE`] passed.
pub async fn try_request(
    method: &str,
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<Reply, String> {
    let exchange = async {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect {addr}: {e}"))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("handshake: {e}"))?;
        let connection = tokio::spawn(connection);
        let mut request = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?)
            .uri(path)
            .header("host", addr.to_string());
        for (name, value) in headers {
            request = request.header(
                HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?,
                HeaderValue::from_str(value).map_err(|e| e.to_string())?,
            );
        }
        let request = request
            .body(Empty::<Bytes>::new())
            .map_err(|e| e.to_string())?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("request: {e}"))?;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| format!("body: {e}"))?
            .to_bytes()
            .to_vec();
        drop(sender);
        connection.abort();
        Ok(Reply {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body,
        })
    };
    tokio::time::timeout(HTTP_DEADLINE, exchange)
        .await
        .unwrap_or_else(|_| {
            Err(format!(
                "{method} {path} took longer than {HTTP_DEADLINE:?}"
            ))
        })
}

/// Like [`try_request`], failing the test on error.
///
/// # Panics
///
/// When the exchange fails.
pub async fn request(
    method: &str,
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> Reply {
    try_request(method, addr, path, headers)
        .await
        .unwrap_or_else(|error| panic!("{error}"))
}

/// `GET path`, failing the test on error.
///
/// # Panics
///
/// When the exchange fails.
pub async fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Reply {
    request("GET", addr, path, headers).await
}

/// Calls `probe` every `every` until it returns `Some`, for at most `deadline`.
///
/// # Panics
///
/// When the deadline passes; the message names `what` and the last probe's note.
pub async fn wait_for<T>(
    what: &str,
    deadline: Duration,
    every: Duration,
    mut probe: impl AsyncFnMut() -> Result<T, String>,
) -> T {
    let start = Instant::now();
    loop {
        match probe().await {
            Ok(value) => return value,
            Err(note) if start.elapsed() >= deadline => {
                panic!("{what}: not done after {deadline:?}; last: {note}")
            }
            Err(_) => tokio::time::sleep(every).await,
        }
    }
}

/// Runs `future` with a deadline.
///
/// # Panics
///
/// When the deadline passes.
pub async fn within<T>(what: &str, deadline: Duration, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(deadline, future)
        .await
        .unwrap_or_else(|_| panic!("{what}: not done after {deadline:?}"))
}

/// A loopback port that was free a moment ago, for a program that must be told its port up front.
///
/// # Panics
///
/// When no port can be bound.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind a free loopback port")
        .port()
}

/// A fresh directory under the system's temporary directory, removed with its contents on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `<tmp>/<prefix>-<pid>-<nanos>`.
    ///
    /// # Panics
    ///
    /// When the directory cannot be created.
    pub fn new(prefix: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        Self(path)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child process killed (and reaped) on drop, so a failing test never leaves it running.
#[derive(Debug)]
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
