//! Scenario I's load generator: scrapers on keep-alive connections for a fixed time while writer threads update
//! the metrics being served. Everything is bounded in time: the run stops at its deadline, and every socket read
//! has one too.

mod client;
mod floor_server;

pub(crate) use client::Client;
pub(crate) use floor_server::FloorServer;

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How hard and how long to load.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Load {
    /// Scrapers, each on its own connection, each sending its next request when the previous one is answered.
    pub(crate) clients: usize,
    /// Threads updating counters meanwhile.
    pub(crate) writers: usize,
    /// How long the scrapers run.
    pub(crate) duration: Duration,
}

/// What a load run measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Outcome {
    /// Answered requests, all `200`.
    pub(crate) requests: usize,
    /// Requests per second, all scrapers together.
    pub(crate) per_second: f64,
    /// Median latency.
    pub(crate) p50: Duration,
    /// 99th percentile latency.
    pub(crate) p99: Duration,
    /// Body size of the last answer, as sent (compressed when asked).
    pub(crate) bytes: usize,
    /// Counter updates per second, all writers together.
    pub(crate) updates_per_second: f64,
}

/// Scrapes `addr` with `headers` under `load` while the writers call `update(i)` with a running `i`.
///
/// # Errors
///
/// When a connection fails, or any answer is not `200`.
pub(crate) fn run(
    addr: SocketAddr,
    headers: &[(&str, &str)],
    load: Load,
    update: &(dyn Fn(usize) + Sync),
) -> io::Result<Outcome> {
    let stop = AtomicBool::new(false);
    let began = Instant::now();
    let deadline = began + load.duration;
    let (scrapes, updates) = std::thread::scope(|scope| {
        let writer_threads: Vec<_> = (0..load.writers)
            .map(|writer| {
                let stop = &stop;
                scope.spawn(move || {
                    let mut i = writer * 7919;
                    while !stop.load(Ordering::Relaxed) {
                        for _ in 0..256 {
                            update(i);
                            i += 1;
                        }
                    }
                    i - writer * 7919
                })
            })
            .collect();
        let scraper_threads: Vec<_> = (0..load.clients)
            .map(|_| scope.spawn(move || scrape_until(addr, headers, deadline)))
            .collect();
        let scrapes: Vec<_> = scraper_threads
            .into_iter()
            .map(|s| s.join().expect("a scraper thread panicked"))
            .collect();
        stop.store(true, Ordering::Relaxed);
        let updates: usize = writer_threads
            .into_iter()
            .map(|w| w.join().expect("a writer thread panicked"))
            .sum();
        (scrapes, updates)
    });
    let elapsed = began.elapsed().as_secs_f64();
    let mut latencies = Vec::new();
    let mut bytes = 0;
    for scrape in scrapes {
        let (mut times, last) = scrape?;
        latencies.append(&mut times);
        bytes = last;
    }
    latencies.sort_unstable();
    let at = |percent: usize| {
        latencies
            .get(latencies.len().saturating_sub(1) * percent / 100)
            .copied()
            .unwrap_or_default()
    };
    Ok(Outcome {
        requests: latencies.len(),
        per_second: latencies.len() as f64 / elapsed,
        p50: at(50),
        p99: at(99),
        bytes,
        updates_per_second: updates as f64 / elapsed,
    })
}

/// One scraper: requests back to back until `deadline`; each latency, and the last body's size.
fn scrape_until(
    addr: SocketAddr,
    headers: &[(&str, &str)],
    deadline: Instant,
) -> io::Result<(Vec<Duration>, usize)> {
    let mut client = Client::connect(addr, headers)?;
    let mut body = Vec::new();
    let mut latencies = Vec::new();
    while Instant::now() < deadline {
        let sent = Instant::now();
        let status = client.get(&mut body)?;
        latencies.push(sent.elapsed());
        if status != 200 {
            return Err(io::Error::other(format!(
                "status {status}: {}",
                String::from_utf8_lossy(&body)
            )));
        }
    }
    Ok((latencies, body.len()))
}

/// The body of one `GET /metrics` with `headers`.
#[cfg(test)]
///
/// # Errors
///
/// When the request fails.
pub(crate) fn fetch(addr: SocketAddr, headers: &[(&str, &str)]) -> io::Result<(u16, Vec<u8>)> {
    let mut body = Vec::new();
    let status = Client::connect(addr, headers)?.get(&mut body)?;
    Ok((status, body))
}
