//! The floor of scenario I: a hand-written HTTP/1.1 server on std threads that answers every request with the
//! floor encoder's text. No routing, negotiation, guards, timeouts or compression: what serving costs at least.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running floor server; dropping it stops it (and waits for its accept loop).
#[derive(Debug)]
pub(crate) struct FloorServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl FloorServer {
    /// Serves `encode`'s output on a free port of 127.0.0.1, one thread per connection.
    ///
    /// # Errors
    ///
    /// When the port cannot be bound.
    pub(crate) fn start(encode: Arc<dyn Fn(&mut String) + Send + Sync>) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let accept = std::thread::Builder::new()
            .name("floor-http".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    if stopping.load(Ordering::Acquire) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let encode = Arc::clone(&encode);
                    // A connection thread ends when its client hangs up or goes quiet past the deadline.
                    let _ = std::thread::Builder::new()
                        .name("floor-http-conn".into())
                        .spawn(move || drop(serve(stream, encode.as_ref())));
                }
            })?;
        Ok(Self {
            addr,
            stop,
            accept: Some(accept),
        })
    }

    /// Where it listens.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for FloorServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn serve(stream: TcpStream, encode: &(dyn Fn(&mut String) + Send + Sync)) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut body = String::new();
    loop {
        // Skip the request line and headers, up to the blank line.
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
        }
        body.clear();
        encode(&mut body);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        writer.write_all(head.as_bytes())?;
        writer.write_all(body.as_bytes())?;
    }
}
