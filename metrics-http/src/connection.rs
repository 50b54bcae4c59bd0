//! One accepted connection as the server sees it: a TCP stream whose writes are bounded in time, and which
//! remembers whether a request was being received when hyper gave up on it.
//!
//! hyper bounds the time to read request headers, not the time to write a response. A client that pipelines
//! requests and never reads would otherwise hold its connection, and every answer queued for it, forever: here
//! each response must reach the socket within the write timeout, counted from its first byte to the flush that
//! ends it.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

/// What the connection's task learns about how it ended.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Bytes arrived since the last answer was flushed: a request was under way, not an idle keep-alive wait.
    request_started: AtomicBool,
    /// A response missed its write deadline.
    write_timed_out: AtomicBool,
}

impl Outcome {
    /// Whether the client had started sending a request that was not answered yet. A partial request that came
    /// in the same read as an answered, pipelined one is not seen: the answer's flush clears the mark.
    pub(crate) fn request_started(&self) -> bool {
        self.request_started.load(Ordering::Relaxed)
    }

    /// Whether the connection was closed because a response was not written in time.
    pub(crate) fn write_timed_out(&self) -> bool {
        self.write_timed_out.load(Ordering::Relaxed)
    }
}

/// A TCP stream with a write deadline.
#[derive(Debug)]
pub(crate) struct GuardedStream {
    stream: TcpStream,
    write_timeout: Duration,
    deadline: Pin<Box<Sleep>>,
    /// The deadline is running: a response is being written.
    writing: bool,
    /// Bytes were written since the last flush.
    wrote: bool,
    outcome: Arc<Outcome>,
}

impl GuardedStream {
    /// Wraps `stream`; must be called within a Tokio runtime (the deadline is a Tokio timer).
    pub(crate) fn new(stream: TcpStream, write_timeout: Duration) -> (Self, Arc<Outcome>) {
        let outcome = Arc::new(Outcome::default());
        let guarded = Self {
            stream,
            write_timeout,
            deadline: Box::pin(tokio::time::sleep(write_timeout)),
            writing: false,
            wrote: false,
            outcome: Arc::clone(&outcome),
        };
        (guarded, outcome)
    }

    /// Runs one write under the deadline: starts it with the first write of a response, and fails the write
    /// once it has passed while the socket still cannot take the bytes.
    fn write_with_deadline(
        &mut self,
        cx: &mut Context<'_>,
        write: impl FnOnce(Pin<&mut TcpStream>, &mut Context<'_>) -> Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        if !self.writing {
            self.writing = true;
            let deadline = Instant::now() + self.write_timeout;
            self.deadline.as_mut().reset(deadline);
        }
        match write(Pin::new(&mut self.stream), cx) {
            Poll::Ready(Ok(written)) => {
                self.wrote |= written > 0;
                Poll::Ready(Ok(written))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => {
                ready!(self.deadline.as_mut().poll(cx));
                self.outcome.write_timed_out.store(true, Ordering::Relaxed);
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client did not read the response within the write timeout",
                )))
            }
        }
    }
}

impl AsyncRead for GuardedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = ready!(Pin::new(&mut this.stream).poll_read(cx, buf));
        if result.is_ok() && buf.filled().len() > before {
            this.outcome.request_started.store(true, Ordering::Relaxed);
        }
        Poll::Ready(result)
    }
}

impl AsyncWrite for GuardedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut()
            .write_with_deadline(cx, |stream, cx| stream.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut()
            .write_with_deadline(cx, |stream, cx| stream.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(Pin::new(&mut this.stream).poll_flush(cx))?;
        // hyper flushes after every answer (and at times with nothing written): only a flush that follows writes
        // ends a response.
        if this.wrote {
            this.wrote = false;
            this.writing = false;
            this.outcome.request_started.store(false, Ordering::Relaxed);
        }
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
