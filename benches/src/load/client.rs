//! A minimal HTTP/1.1 client on one keep-alive connection: what a scraper does, without a dependency.
//!
//! It sends the same `GET` again and again and reads each answer whole, with `Content-Length` or chunked
//! framing. Every read has a deadline, so a stuck server fails the run instead of hanging it.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// How long any single read or write may wait.
const IO_DEADLINE: Duration = Duration::from_secs(10);

/// One connection and the request it repeats.
#[derive(Debug)]
pub(crate) struct Client {
    stream: BufReader<TcpStream>,
    request: Vec<u8>,
    line: String,
}

impl Client {
    /// Connects to `addr`; each request asks for `/metrics` with these extra header lines (`Accept: ..`).
    ///
    /// # Errors
    ///
    /// When the connection cannot be made.
    pub(crate) fn connect(addr: SocketAddr, headers: &[(&str, &str)]) -> io::Result<Self> {
        let stream = TcpStream::connect_timeout(&addr, IO_DEADLINE)?;
        stream.set_read_timeout(Some(IO_DEADLINE))?;
        stream.set_write_timeout(Some(IO_DEADLINE))?;
        stream.set_nodelay(true)?;
        let mut request = format!("GET /metrics HTTP/1.1\r\nHost: {addr}\r\n");
        for (name, value) in headers {
            request.extend([*name, ": ", *value, "\r\n"]);
        }
        request.push_str("\r\n");
        Ok(Self {
            stream: BufReader::with_capacity(64 * 1024, stream),
            request: request.into_bytes(),
            line: String::new(),
        })
    }

    /// Sends the request and reads the answer's body into `body` (replacing it); returns the status code.
    ///
    /// # Errors
    ///
    /// On a connection error, a deadline, or an answer that is not HTTP/1.1 as this client reads it.
    pub(crate) fn get(&mut self, body: &mut Vec<u8>) -> io::Result<u16> {
        self.stream.get_mut().write_all(&self.request)?;
        let status = self.read_line()?;
        let status: u16 = status
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| invalid(format!("bad status line {status:?}")))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            let header = self.read_line()?.to_ascii_lowercase();
            if header.is_empty() {
                break;
            }
            if let Some(value) = header.strip_prefix("content-length:") {
                length = Some(value.trim().parse::<usize>().map_err(invalid)?);
            } else if header.starts_with("transfer-encoding:") && header.contains("chunked") {
                chunked = true;
            }
        }
        body.clear();
        if chunked {
            loop {
                let size = self.read_line()?;
                let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16)
                    .map_err(invalid)?;
                if size == 0 {
                    // The (empty) trailer ends the message.
                    while !self.read_line()?.is_empty() {}
                    break;
                }
                self.read_into(body, size)?;
                self.read_line()?;
            }
        } else {
            let length = length.ok_or_else(|| invalid("no Content-Length and not chunked"))?;
            self.read_into(body, length)?;
        }
        Ok(status)
    }

    fn read_into(&mut self, body: &mut Vec<u8>, n: usize) -> io::Result<()> {
        let start = body.len();
        body.resize(start + n, 0);
        self.stream.read_exact(&mut body[start..])
    }

    /// The next line without its `\r\n`.
    fn read_line(&mut self) -> io::Result<&str> {
        self.line.clear();
        if self.stream.read_line(&mut self.line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        Ok(self.line.trim_end_matches(['\r', '\n']))
    }
}

fn invalid(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error)
}
