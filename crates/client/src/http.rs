//! One HTTP/1.1 exchange: write a request with `Connection: close`, read the status
//! line, the headers and the body (by `Content-Length`, chunked, or until the server
//! closes). No compression is requested, so none is decoded.

use crate::transport::Stream;
use std::io::{self, BufRead, BufReader, Read, Write};

/// Largest response body accepted (guards against a runaway peer).
const MAX_BODY: usize = 256 << 20;
/// Largest status or header line accepted.
const MAX_LINE: usize = 64 << 10;

/// A request to write.
pub struct Request<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The request target (`/api2/json/version?x=1`), already escaped.
    pub target: &'a str,
    /// The `Host` header value.
    pub host: &'a str,
    /// Extra headers.
    pub headers: &'a [(String, String)],
    /// A form-encoded body (POST, PUT); `None` sends no body.
    pub body: Option<&'a str>,
}

/// A response read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The reason phrase.
    pub reason: String,
    /// Header names (lower-cased) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header named `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// Writes `req` to `stream` and reads the response.
pub fn exchange(stream: &mut dyn Stream, req: &Request<'_>) -> io::Result<Response> {
    write_request(stream, req)?;
    read_response(&mut BufReader::new(stream))
}

/// Writes the request head and body.
pub fn write_request(out: &mut dyn Write, req: &Request<'_>) -> io::Result<()> {
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\nConnection: close\r\n",
        req.method, req.target, req.host
    );
    for (name, value) in req.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = req.body {
        head.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if let Some(body) = req.body {
        out.write_all(body.as_bytes())?;
    }
    out.flush()
}

fn read_line(r: &mut dyn BufRead) -> io::Result<String> {
    let mut buf = Vec::new();
    r.take(MAX_LINE as u64).read_until(b'\n', &mut buf)?;
    if !buf.ends_with(b"\n") {
        return Err(bad("connection closed in the middle of a line"));
    }
    let text = String::from_utf8(buf).map_err(|_| bad("header is not UTF-8"))?;
    Ok(text.trim_end_matches(['\r', '\n']).to_string())
}

/// Reads a response: status line, headers, body.
pub fn read_response(r: &mut dyn BufRead) -> io::Result<Response> {
    let status_line = read_line(r)?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/1.") {
        return Err(bad(format!("not an HTTP response: '{status_line}'")));
    }
    let status = parts
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| bad(format!("bad status line '{status_line}'")))?;
    let reason = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let line = read_line(r)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad(format!("bad header line '{line}'")))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let mut response = Response {
        status,
        reason,
        headers,
        body: Vec::new(),
    };
    response.body = read_body(r, &response)?;
    Ok(response)
}

fn read_body(r: &mut dyn BufRead, resp: &Response) -> io::Result<Vec<u8>> {
    let chunked = resp
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        return read_chunked(r);
    }
    if let Some(len) = resp.header("content-length") {
        let len: usize = len
            .parse()
            .map_err(|_| bad(format!("bad Content-Length '{len}'")))?;
        if len > MAX_BODY {
            return Err(bad("response body too large"));
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body)?;
        return Ok(body);
    }
    let mut body = Vec::new();
    r.take(MAX_BODY as u64 + 1).read_to_end(&mut body)?;
    if body.len() > MAX_BODY {
        return Err(bad("response body too large"));
    }
    Ok(body)
}

fn read_chunked(r: &mut dyn BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(r)?;
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| bad(format!("bad chunk size '{line}'")))?;
        if size == 0 {
            // Trailers, up to the empty line.
            while !read_line(r)?.is_empty() {}
            return Ok(body);
        }
        if body.len() + size > MAX_BODY {
            return Err(bad("response body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        r.read_exact(&mut body[start..])?;
        if !read_line(r)?.is_empty() {
            return Err(bad("chunk not followed by CRLF"));
        }
    }
}
