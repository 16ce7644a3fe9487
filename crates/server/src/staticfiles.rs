//! Everything outside `/api2`: the built web UI when one is installed, else a
//! short page pointing at the API. Upstream answers unknown files with
//! `501 no such file '<path>'`.

use crate::response::Reply;
use http::Method;
use std::path::Path;

/// Content types by file extension; `true` = already compressed, never gzip.
const TYPES: &[(&str, &str, bool)] = &[
    ("html", "text/html", false),
    ("css", "text/css", false),
    ("js", "application/javascript", false),
    ("json", "application/json", false),
    ("map", "application/json", false),
    ("svg", "image/svg+xml", false),
    ("png", "image/png", true),
    ("ico", "image/x-icon", true),
    ("gif", "image/gif", true),
    ("woff", "application/font-woff", true),
    ("woff2", "application/font-woff2", true),
    ("ttf", "application/font-snft", true),
];

/// Answer a non-API request.
pub fn serve(
    method: &Method,
    path: &str,
    ui_dir: Option<&Path>,
    host: Option<&str>,
    port: u16,
) -> Reply {
    let no_file = || Reply::bare(501, &format!("no such file '{path}'"));
    if method != Method::GET {
        return no_file();
    }
    if let Some(dir) = ui_dir {
        let rel = if path == "/" {
            "index.html"
        } else {
            path.trim_start_matches('/')
        };
        if let Some(reply) = ui_file(dir, rel) {
            return reply;
        }
    }
    if path == "/" {
        return Reply::ok("text/html;charset=UTF-8", index_page(host, port));
    }
    no_file()
}

fn ui_file(dir: &Path, rel: &str) -> Option<Reply> {
    let simple = rel.split('/').all(|seg| {
        !seg.is_empty()
            && !seg.starts_with('.')
            && seg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    });
    if !simple {
        return None;
    }
    let ext = rel.rsplit_once('.')?.1;
    let (_, ct, nocomp) = TYPES.iter().find(|(e, _, _)| *e == ext)?;
    let data = std::fs::read(dir.join(rel)).ok()?;
    let mut reply = Reply::ok(ct, data);
    reply.nocomp = *nocomp;
    Some(reply)
}

fn index_page(host: Option<&str>, port: u16) -> String {
    let host = host.map(crate::listener::strip_port).unwrap_or("this-host");
    let host = html_text(host);
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>VirtOn</title></head>\n<body>\n\
         <h1>VirtOn</h1>\n<p>The web interface is not built yet on this node.</p>\n\
         <p>The REST API is available at <code>https://{host}:{port}/api2/json/</code>, \
         compatible with the Proxmox VE API; its OpenAPI description is at \
         <a href=\"/api2/openapi.json\"><code>/api2/openapi.json</code></a>.</p>\n\
         </body></html>\n"
    )
}

fn html_text(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-._[]:".contains(*c))
        .collect()
}
