//! Responses in the PVE wire format: the `json`/`extjs`/`htmljs`/`spiceconfig`
//! envelopes, error bodies, the reason phrase taken from the error's first line,
//! the standard headers, gzip, and `Connection: close` after any status >= 400.
//!
//! Pure functions from results to `http::Response`; no I/O, no authentication.

use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use http::header::{HeaderValue, CACHE_CONTROL, CONNECTION, CONTENT_ENCODING, CONTENT_TYPE};
use http::{Response, StatusCode};
use http_body_util::Full;
use serde_json::{Map, Value};
use std::io::Write;
use virton_router::{to_wire, ApiError};

/// The response body type of the server.
pub type Body = Full<Bytes>;

/// Content type of the JSON formats.
const JSON_CT: &str = "application/json;charset=UTF-8";
/// Bodies at most this long are never compressed (as upstream).
const GZIP_MIN: usize = 1024;

/// The result formats of `/api2/<format>/...` this server renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{"data": ...}`, errors as HTTP status.
    Json,
    /// Always HTTP 200 with `success`, `message` and `status` in the body (web UI).
    Extjs,
    /// Like extjs, HTML-escaped, as `text/html` (web UI upload forms).
    Htmljs,
    /// A `[virt-viewer]` file from the result object.
    SpiceConfig,
}

impl Format {
    /// The formatter for a format name, `None` for the ones we do not render.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "json" => Some(Self::Json),
            "extjs" => Some(Self::Extjs),
            "htmljs" => Some(Self::Htmljs),
            "spiceconfig" => Some(Self::SpiceConfig),
            _ => None,
        }
    }
}

/// What a handler produced, before formatting.
#[derive(Debug)]
pub struct Outcome {
    /// The result, or the error.
    pub result: Result<Value, ApiError>,
    /// `total` for the envelope.
    pub total: Option<u64>,
    /// `changes` for the envelope.
    pub changes: Option<Value>,
    /// Put an error message into the body as it is, without the trailing newline
    /// upstream's `die` messages carry (its built-in "not implemented" answer).
    pub verbatim: bool,
}

impl Outcome {
    /// An error outcome.
    pub fn error(e: ApiError) -> Self {
        Outcome {
            result: Err(e),
            total: None,
            changes: None,
            verbatim: false,
        }
    }

    /// An error outcome whose message goes out verbatim.
    pub fn verbatim_error(e: ApiError) -> Self {
        Outcome {
            verbatim: true,
            ..Self::error(e)
        }
    }
}

/// A response before the transport details (gzip, connection) are applied.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Reason phrase (first line of the message); `None` = the standard one.
    pub reason: Option<String>,
    /// Content type; `None` for an empty body.
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: Bytes,
    /// Never compress this body.
    pub nocomp: bool,
    /// Extra headers (e.g. `Location`).
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// A reply with an empty body and `message`'s first line as reason phrase, as
    /// upstream sends for errors outside the API handlers (and for 401).
    pub fn bare(status: u16, message: &str) -> Self {
        Reply {
            status,
            reason: Some(first_line(message)),
            content_type: None,
            body: Bytes::new(),
            nocomp: false,
            headers: Vec::new(),
        }
    }

    /// A 200 reply with a body of the given type.
    pub fn ok(content_type: &'static str, body: impl Into<Bytes>) -> Self {
        Reply {
            status: 200,
            reason: None,
            content_type: Some(content_type),
            body: body.into(),
            nocomp: false,
            headers: Vec::new(),
        }
    }
}

/// The first line of a message without control characters (a valid reason phrase).
pub fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim_end();
    line.chars().filter(|c| !c.is_control()).collect()
}

/// Render an outcome in `format`.
pub fn format_outcome(format: Format, outcome: Outcome) -> Reply {
    let (status, reason, envelope) = envelope(format, outcome);
    let (content_type, body): (&'static str, Bytes) = match format {
        Format::Json | Format::Extjs => (JSON_CT, Bytes::from(envelope.to_string())),
        Format::Htmljs => (
            "text/html;charset=UTF-8",
            html_escape(&envelope.to_string()),
        ),
        Format::SpiceConfig => ("application/x-virt-viewer;charset=UTF-8", spice(&envelope)),
    };
    Reply {
        status,
        reason,
        content_type: Some(content_type),
        body,
        nocomp: false,
        headers: Vec::new(),
    }
}

/// Upstream's `prepare_response_data`: the envelope, and the status and reason the
/// HTTP response keeps (extjs-style formats always answer 200).
fn envelope(format: Format, outcome: Outcome) -> (u16, Option<String>, Value) {
    let mut new = Map::new();
    let wrapped = !matches!(format, Format::Json | Format::SpiceConfig);
    match outcome.result {
        Ok(data) => {
            new.insert("data".into(), to_wire(data));
            if let Some(total) = outcome.total.filter(|t| *t != 0) {
                new.insert("total".into(), total.into());
            }
            if let Some(changes) = outcome.changes.filter(truthy) {
                new.insert("changes".into(), changes);
            }
            if wrapped {
                new.insert("success".into(), 1.into());
            }
            (200, None, Value::Object(new))
        }
        Err(e) => {
            new.insert("data".into(), Value::Null);
            if !e.errors.is_empty() {
                let errors: Map<String, Value> = e
                    .errors
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                new.insert("errors".into(), Value::Object(errors));
            }
            let message = if outcome.verbatim {
                e.message.clone()
            } else {
                e.body_message()
            };
            if wrapped {
                new.insert("success".into(), 0.into());
                new.insert("message".into(), message.into());
                new.insert("status".into(), e.status.into());
                return (200, None, Value::Object(new));
            }
            if format == Format::Json {
                new.insert("message".into(), message.into());
            }
            (e.status, Some(e.reason()), Value::Object(new))
        }
    }
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false))
        && v.as_str() != Some("")
        && v.as_i64() != Some(0)
}

fn html_escape(text: &str) -> Bytes {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Bytes::from(out)
}

fn spice(envelope: &Value) -> Bytes {
    let Some(data) = envelope.get("data").and_then(Value::as_object) else {
        return Bytes::new();
    };
    let mut out = String::from("[virt-viewer]\n");
    for (k, v) in data {
        match v {
            Value::Null => {}
            Value::String(s) => out.push_str(&format!("{k}={s}\n")),
            other => out.push_str(&format!("{k}={other}\n")),
        }
    }
    Bytes::from(out)
}

/// Turn a reply into the HTTP response: standard headers, optional gzip, the reason
/// phrase, and `Connection: close` for any status >= 400.
pub fn finish(reply: Reply, accept_gzip: bool) -> Response<Body> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = reply.body;
    let mut gzipped = false;
    if accept_gzip && !reply.nocomp && body.len() > GZIP_MIN {
        if let Some(z) = gzip(&body) {
            body = z;
            gzipped = true;
        }
    }
    let mut resp = Response::new(Full::new(body));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("max-age=0"));
    h.insert("pragma", HeaderValue::from_static("no-cache"));
    h.insert(
        "expires",
        HeaderValue::from_str(&httpdate_now()).unwrap_or(HeaderValue::from_static("0")),
    );
    h.insert("server", HeaderValue::from_static("pve-api-daemon/3.0"));
    if let Some(ct) = reply.content_type {
        h.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    if gzipped {
        h.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    for (name, value) in reply.headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    let close = reply.status >= 400;
    h.insert(
        CONNECTION,
        HeaderValue::from_static(if close { "close" } else { "Keep-Alive" }),
    );
    if let Some(reason) = reply.reason.filter(|r| !r.is_empty()) {
        if let Ok(phrase) = hyper::ext::ReasonPhrase::try_from(reason.into_bytes()) {
            resp.extensions_mut().insert(phrase);
        }
    }
    resp
}

fn gzip(data: &[u8]) -> Option<Bytes> {
    let mut enc = GzEncoder::new(Vec::with_capacity(data.len() / 2), Compression::default());
    enc.write_all(data).ok()?;
    enc.finish().ok().map(Bytes::from)
}

/// The current time as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn httpdate_now() -> String {
    let now = time::OffsetDateTime::now_utc();
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    now.format(&fmt).unwrap_or_default()
}

#[cfg(test)]
mod tests;
