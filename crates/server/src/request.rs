//! Request parsing: the `/api2/<format>/<path>` split, URL-encoded and JSON
//! parameters (repeated keys become arrays), and the body limits upstream enforces.
//!
//! Knows nothing about authentication or routing; errors are returned as
//! [`Reply`]s with upstream's wording.

use crate::response::Reply;
use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING};
use http::HeaderMap;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use serde_json::{Map, Value};

/// Largest non-upload request body.
pub const MAX_BODY: usize = 512 * 1024;
/// The API's base path.
pub const BASE_URI: &str = "/api2";

/// `/api2/<format>/<rest>` taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiPath {
    /// The format name (`json`, `extjs`, ...).
    pub format: String,
    /// The path below the format, still percent-encoded, starting with `/`.
    pub raw_rel: String,
    /// The same, percent-decoded (as upstream shows it in messages).
    pub rel: String,
}

/// Split an absolute request path below `/api2`; `None` when it names no format
/// (upstream: `501 no such uri`). The format is `[a-z][a-z0-9]+`, slashes after
/// `/api2` may repeat.
pub fn split_api_path(path: &str) -> Option<ApiPath> {
    let rest = path.strip_prefix(BASE_URI)?;
    if !rest.starts_with('/') {
        return None;
    }
    let rest = rest.trim_start_matches('/');
    let (format, raw_rel) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut chars = format.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !first_ok || !rest_ok || format.len() < 2 {
        return None;
    }
    Some(ApiPath {
        format: format.to_string(),
        raw_rel: raw_rel.to_string(),
        rel: percent_decode(raw_rel),
    })
}

/// Percent-decode (no `+` handling: that is only for form data), lossy UTF-8.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let pair = (
                bytes.get(i + 1).and_then(|c| hex(*c)),
                bytes.get(i + 2).and_then(|c| hex(*c)),
            );
            if let (Some(h), Some(l)) = pair {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Decode `application/x-www-form-urlencoded` data (also query strings): pairs split
/// on `&` or `;`, `+` is a space, keys without `=` are dropped, a repeated key
/// becomes an array of its values in order.
pub fn decode_urlencoded(data: &[u8]) -> Map<String, Value> {
    let mut out = Map::new();
    for pair in data.split(|b| *b == b'&' || *b == b';') {
        let mut kv = pair.splitn(2, |b| *b == b'=');
        let (Some(k), Some(v)) = (kv.next(), kv.next()) else {
            continue;
        };
        let key = form_decode(k);
        if key.is_empty() {
            continue;
        }
        let value = Value::String(form_decode(v));
        match out.get_mut(&key) {
            Some(Value::Array(items)) => items.push(value),
            Some(old) => {
                let first = old.take();
                *old = Value::Array(vec![first, value]);
            }
            None => {
                out.insert(key, value);
            }
        }
    }
    out
}

fn form_decode(s: &[u8]) -> String {
    let plus: Vec<u8> = s
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_decode(&String::from_utf8_lossy(&plus))
}

/// Decode a JSON request body: an object whose `null` members are dropped.
pub fn decode_json(data: &[u8]) -> Result<Map<String, Value>, Reply> {
    if data.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(data) {
        Ok(Value::Object(mut map)) => {
            map.retain(|_, v| !v.is_null());
            Ok(map)
        }
        Ok(_) => Err(Reply::bare(400, "JSON body must be an object")),
        Err(e) => Err(Reply::bare(501, &format!("malformed JSON string: {e}"))),
    }
}

/// The media type of a `Content-Type` value, lower-cased, without parameters.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    let main = ct.split([';', ',']).next()?.trim().to_ascii_lowercase();
    Some(main)
}

/// The `Content-Length` (0 when absent or invalid).
pub fn content_length(headers: &HeaderMap) -> u64 {
    headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// Upstream refuses any `Transfer-Encoding` (a body needs a `Content-Length`).
pub fn check_transfer_encoding(headers: &HeaderMap) -> Result<(), Reply> {
    let Some(te) = headers.get(TRANSFER_ENCODING) else {
        return Ok(());
    };
    let te = String::from_utf8_lossy(te.as_bytes()).into_owned();
    if te.trim().eq_ignore_ascii_case("chunked") {
        return Err(Reply::bare(501, "chunked transfer encoding not supported"));
    }
    Err(Reply::bare(
        501,
        &format!("Unknown transfer encoding '{te}'"),
    ))
}

/// Read a non-upload body: only POST and PUT may carry one, at most [`MAX_BODY`]
/// bytes, as form data (also without `Content-Type`) or JSON.
pub async fn read_params(
    method: &http::Method,
    headers: &HeaderMap,
    body: Incoming,
) -> Result<Map<String, Value>, Reply> {
    let len = content_length(headers);
    if len == 0 {
        return Ok(Map::new());
    }
    if method != http::Method::POST && method != http::Method::PUT {
        return Err(Reply::bare(
            501,
            &format!("Unexpected content for method '{method}'"),
        ));
    }
    if len > MAX_BODY as u64 {
        return Err(Reply::bare(501, "for data too large"));
    }
    let ct = media_type(headers);
    let is_json = match ct.as_deref() {
        None | Some("application/x-www-form-urlencoded") => false,
        Some("application/json") => true,
        Some(_) => {
            let raw = headers
                .get(CONTENT_TYPE)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .unwrap_or_default();
            return Err(Reply::bare(
                506,
                &format!("upload 'Content-Type '{raw}' not implemented"),
            ));
        }
    };
    let data = read_limited(body, MAX_BODY).await?;
    if is_json {
        decode_json(&data)
    } else {
        Ok(decode_urlencoded(&data))
    }
}

async fn read_limited(body: Incoming, limit: usize) -> Result<Bytes, Reply> {
    match Limited::new(body, limit).collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                Err(Reply::bare(501, "for data too large"))
            } else {
                Err(Reply::bare(
                    400,
                    &format!("unable to read request body - {e}"),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests;
