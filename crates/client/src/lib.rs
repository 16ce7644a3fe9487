//! `virton-client`: a small synchronous HTTP/1.1 client of the VirtOn API for the CLI
//! tools (no async runtime).
//!
//! - [`transport`]: how bytes reach the server ([`Transport`]); the local Unix socket
//!   `<root>/run/virton/api.sock` now, TLS later.
//! - [`form`]: `application/x-www-form-urlencoded` encoding of parameters.
//! - [`http`]: writing one request and reading one response (`Content-Length`,
//!   chunked, or until close).
//! - [`Client`]: `METHOD /api2/json/<path>` with parameters in the query string (GET,
//!   DELETE) or the body (POST, PUT); `data` on success, [`ClientError`] otherwise.
//!
//! Must not depend on the API, router or domain crates: it speaks the wire only.

pub mod form;
pub mod http;
pub mod transport;

pub use transport::{Transport, UnixTransport};

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// An error answer of the API (or a failure to reach it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ClientError {
    /// HTTP status; 0 when no answer was received (connection or protocol failure).
    pub status: u16,
    /// The HTTP reason phrase (the first line of the server's message).
    pub reason: String,
    /// Per-parameter errors of a 400 answer.
    pub errors: BTreeMap<String, String>,
    /// The server's full `message` field, or the reason when the body had none.
    pub message: String,
}

impl ClientError {
    /// A failure before any HTTP answer: connection refused, broken response, ...
    pub fn transport(message: impl Into<String>) -> Self {
        let message = message.into();
        ClientError {
            status: 0,
            reason: message.clone(),
            errors: BTreeMap::new(),
            message,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.status != 0 {
            write!(f, "{} ", self.status)?;
        }
        f.write_str(self.message.trim_end())?;
        for (k, v) in &self.errors {
            write!(f, "\n{k}: {}", v.trim_end())?;
        }
        Ok(())
    }
}

/// Ordered request parameters; a key may repeat (arrays go out as repeated keys).
pub type Params = Vec<(String, String)>;

/// A client of one API endpoint.
pub struct Client<T: Transport> {
    transport: T,
    headers: Vec<(String, String)>,
}

impl Client<UnixTransport> {
    /// A client of the local daemon's socket below `root` (`<root>/run/virton/api.sock`).
    pub fn local(root: &Path) -> Self {
        Client::new(UnixTransport::new(root.join("run/virton/api.sock")))
    }

    /// A client of the local daemon, with the root from `VIRTON_ROOT` (default `/`).
    pub fn from_env() -> Self {
        let root = std::env::var_os("VIRTON_ROOT").unwrap_or_else(|| "/".into());
        Client::local(Path::new(&root))
    }
}

impl<T: Transport> Client<T> {
    /// A client over `transport`.
    pub fn new(transport: T) -> Self {
        Client {
            transport,
            headers: Vec::new(),
        }
    }

    /// Adds a header sent with every request (e.g. `Authorization` for tokens over TLS).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Calls `method` (GET, POST, PUT, DELETE) on `path` (below `/api2/json`) and returns
    /// the `data` member of the answer.
    pub fn call(&self, method: &str, path: &str, params: &Params) -> Result<Value, ClientError> {
        let path = path.trim_start_matches('/');
        let encoded = form::encode(params);
        let in_query = matches!(method, "GET" | "DELETE");
        let mut target = format!("/api2/json/{}", form::encode_path(path));
        if in_query && !encoded.is_empty() {
            target.push('?');
            target.push_str(&encoded);
        }
        let body = if in_query { None } else { Some(encoded) };
        let request = http::Request {
            method,
            target: &target,
            host: self.transport.host(),
            headers: &self.headers,
            body: body.as_deref(),
        };
        let mut stream = self
            .transport
            .connect()
            .map_err(|e| ClientError::transport(format!("unable to connect to API: {e}")))?;
        let response = http::exchange(&mut *stream, &request)
            .map_err(|e| ClientError::transport(format!("API request failed: {e}")))?;
        decode(response)
    }

    /// `GET path`.
    pub fn get(&self, path: &str, params: &Params) -> Result<Value, ClientError> {
        self.call("GET", path, params)
    }

    /// `POST path`.
    pub fn post(&self, path: &str, params: &Params) -> Result<Value, ClientError> {
        self.call("POST", path, params)
    }

    /// `PUT path`.
    pub fn put(&self, path: &str, params: &Params) -> Result<Value, ClientError> {
        self.call("PUT", path, params)
    }

    /// `DELETE path`.
    pub fn delete(&self, path: &str, params: &Params) -> Result<Value, ClientError> {
        self.call("DELETE", path, params)
    }
}

/// Turns a response into `data` or a [`ClientError`].
fn decode(response: http::Response) -> Result<Value, ClientError> {
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    if (200..300).contains(&response.status) {
        return match body {
            Some(Value::Object(mut map)) => Ok(map.remove("data").unwrap_or(Value::Null)),
            Some(_) | None if response.body.is_empty() => Ok(Value::Null),
            _ => Err(ClientError::transport("API answer is not a JSON object")),
        };
    }
    let mut err = ClientError {
        status: response.status,
        reason: response.reason.clone(),
        errors: BTreeMap::new(),
        message: response.reason,
    };
    if let Some(Value::Object(map)) = body {
        if let Some(Value::String(m)) = map.get("message") {
            err.message = m.clone();
        }
        if let Some(Value::Object(errors)) = map.get("errors") {
            for (k, v) in errors {
                let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                err.errors.insert(k.clone(), text);
            }
        }
    }
    Err(err)
}

#[cfg(test)]
mod tests;
