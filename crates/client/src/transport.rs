//! How request bytes reach the server: the [`Transport`] trait and the local Unix
//! socket implementation. A TLS transport implements the same trait.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

/// A bidirectional byte stream to the server.
pub trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

/// Opens one connection per request.
pub trait Transport {
    /// A fresh connection to the server.
    fn connect(&self) -> io::Result<Box<dyn Stream>>;
    /// The value of the `Host` header.
    fn host(&self) -> &str;
}

/// The daemon's Unix socket.
#[derive(Debug, Clone)]
pub struct UnixTransport {
    path: PathBuf,
    timeout: Option<Duration>,
}

impl UnixTransport {
    /// A transport to the socket at `path` without a read timeout (worker calls can take
    /// long; the daemon answers them with a UPID at once anyway).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        UnixTransport {
            path: path.into(),
            timeout: None,
        }
    }

    /// Sets a read/write timeout for every connection.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The socket path.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

impl Transport for UnixTransport {
    fn connect(&self) -> io::Result<Box<dyn Stream>> {
        let stream = UnixStream::connect(&self.path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", self.path.display())))?;
        stream.set_read_timeout(self.timeout)?;
        stream.set_write_timeout(self.timeout)?;
        Ok(Box::new(stream))
    }

    fn host(&self) -> &str {
        "localhost"
    }
}
