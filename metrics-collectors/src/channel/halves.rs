//! The two halves of an instrumented channel: tokio's, counting sends, receives, full events and waits.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Instant;

use tokio::sync::mpsc::{self, error};

use super::Shared;

/// The sending half of an instrumented channel; clone it like tokio's.
#[derive(Debug)]
pub struct Sender<T> {
    pub(super) inner: mpsc::Sender<T>,
    pub(super) shared: Arc<Shared>,
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Sender<T> {
    /// Sends `value`, waiting for room: tokio's `send`, counting a full event and the wait when there was no room.
    ///
    /// # Errors
    ///
    /// When the receiver is gone, with the value.
    pub async fn send(&self, value: T) -> Result<(), error::SendError<T>> {
        let value = match self.inner.try_send(value) {
            Ok(()) => {
                self.sent(0.0);
                return Ok(());
            }
            Err(error::TrySendError::Closed(value)) => return Err(error::SendError(value)),
            Err(error::TrySendError::Full(value)) => value,
        };
        self.shared.slot.full.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        self.inner.send(value).await?;
        self.sent(started.elapsed().as_secs_f64());
        Ok(())
    }

    /// Sends `value` if there is room: tokio's `try_send`, counting a full event when there was none.
    ///
    /// # Errors
    ///
    /// As tokio's: full or closed, with the value.
    pub fn try_send(&self, value: T) -> Result<(), error::TrySendError<T>> {
        match self.inner.try_send(value) {
            Ok(()) => {
                self.sent(0.0);
                Ok(())
            }
            Err(error::TrySendError::Full(value)) => {
                self.shared.slot.full.fetch_add(1, Ordering::Relaxed);
                Err(error::TrySendError::Full(value))
            }
            Err(closed) => Err(closed),
        }
    }

    /// Sends from synchronous code, blocking the thread until there is room: tokio's `blocking_send`.
    ///
    /// # Errors
    ///
    /// When the receiver is gone, with the value.
    ///
    /// # Panics
    ///
    /// When called inside an async runtime, as tokio's does.
    pub fn blocking_send(&self, value: T) -> Result<(), error::SendError<T>> {
        let value = match self.inner.try_send(value) {
            Ok(()) => {
                self.sent(0.0);
                return Ok(());
            }
            Err(error::TrySendError::Closed(value)) => return Err(error::SendError(value)),
            Err(error::TrySendError::Full(value)) => value,
        };
        self.shared.slot.full.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        self.inner.blocking_send(value)?;
        self.sent(started.elapsed().as_secs_f64());
        Ok(())
    }

    fn sent(&self, waited: f64) {
        self.shared.sent.fetch_add(1, Ordering::Relaxed);
        let _ = self.shared.slot.wait.observe(waited);
    }

    /// Room left now (tokio's `capacity`).
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// The bound the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.inner.max_capacity()
    }

    /// Whether the receiver is gone.
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Completes when the receiver is gone.
    pub async fn closed(&self) {
        self.inner.closed().await;
    }
}

/// The receiving half of an instrumented channel.
#[derive(Debug)]
pub struct Receiver<T> {
    pub(super) inner: mpsc::Receiver<T>,
    pub(super) shared: Arc<Shared>,
}

impl<T> Receiver<T> {
    fn received<V>(&self, got: Option<V>) -> Option<V> {
        if got.is_some() {
            self.shared.received.fetch_add(1, Ordering::Relaxed);
        }
        got
    }

    /// The next message, or `None` once every sender is gone and the channel is empty: tokio's `recv`.
    pub async fn recv(&mut self) -> Option<T> {
        let got = self.inner.recv().await;
        self.received(got)
    }

    /// The next message if one is waiting: tokio's `try_recv`.
    ///
    /// # Errors
    ///
    /// As tokio's: empty or disconnected.
    pub fn try_recv(&mut self) -> Result<T, error::TryRecvError> {
        let got = self.inner.try_recv();
        if got.is_ok() {
            self.shared.received.fetch_add(1, Ordering::Relaxed);
        }
        got
    }

    /// Blocks the thread for the next message: tokio's `blocking_recv`.
    ///
    /// # Panics
    ///
    /// When called inside an async runtime, as tokio's does.
    pub fn blocking_recv(&mut self) -> Option<T> {
        let got = self.inner.blocking_recv();
        self.received(got)
    }

    /// Receives up to `limit` messages into `buffer`: tokio's `recv_many`.
    pub async fn recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        let count = self.inner.recv_many(buffer, limit).await;
        self.shared
            .received
            .fetch_add(count as u64, Ordering::Relaxed);
        count
    }

    /// Polls for the next message: tokio's `poll_recv`, for hand-written futures and streams.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match self.inner.poll_recv(cx) {
            Poll::Ready(got) => Poll::Ready(self.received(got)),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Closes the channel to new sends; waiting messages can still be received.
    pub fn close(&mut self) {
        self.inner.close();
    }

    /// Messages waiting now.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether no message is waiting.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The bound the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.inner.max_capacity()
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        // Waiting messages are dropped with the receiver: the channel no longer counts towards capacity or depth.
        self.shared.open.store(false, Ordering::Relaxed);
    }
}
