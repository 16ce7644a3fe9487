//! One request from head to reply, in upstream's order: method and transfer-encoding
//! checks, `/api2` split, authentication (with the 3 s delay on failure), body and
//! query parameters, route lookup (`501 Method 'GET /x' not implemented`), duplicate
//! parameters, token restriction, permission, node check, then the sync handler on a
//! blocking thread, and the formatted reply.
//!
//! Everything async here is transport; handlers, permission checks and parameter
//! verification run in `spawn_blocking`.

use crate::auth::{
    authenticate, authenticate_uid, Authenticated, Authenticator, Credentials, RequestKind,
};
use crate::proxy::NodeRouter;
use crate::request::{
    check_transfer_encoding, decode_urlencoded, media_type, read_params, split_api_path, ApiPath,
};
use crate::response::{finish, format_outcome, Body, Format, Outcome, Reply};
use crate::staticfiles;
use http::{Method, Request, Response};
use hyper::body::Incoming;
use serde_json::{Map, Value};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use virton_router::{merge_params, ApiError, HttpMethod, Permission, Router, RpcEnv};

/// Upstream delays every 401 by this long after the request arrived.
pub const AUTH_FAILURE_DELAY: Duration = Duration::from_secs(3);

/// Everything a request needs, shared by all connections.
pub struct Ctx<S> {
    /// The API.
    pub router: Arc<Router<S>>,
    /// The handlers' state.
    pub state: Arc<S>,
    /// Access control.
    pub auth: Arc<dyn Authenticator>,
    /// Where requests for other nodes go.
    pub nodes: Arc<dyn NodeRouter>,
    /// This node's name.
    pub node: String,
    /// The HTTPS port (for redirects and the index page).
    pub port: u16,
    /// `GET /api2/openapi.json`.
    pub openapi: Arc<str>,
    /// Directory for upload temporary files.
    pub upload_dir: PathBuf,
    /// Built web UI to serve, if any.
    pub ui_dir: Option<PathBuf>,
}

/// Where a request came from.
#[derive(Debug, Clone, Copy)]
pub enum Peer {
    /// A TCP client (TLS).
    Tcp(SocketAddr),
    /// A local client on the Unix socket, with its uid.
    Unix {
        /// SO_PEERCRED uid.
        uid: u32,
    },
}

/// The hyper service function.
pub async fn handle<S: Send + Sync + 'static>(
    ctx: Arc<Ctx<S>>,
    peer: Peer,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let start = Instant::now();
    let accept_gzip = req
        .headers()
        .get_all(http::header::ACCEPT_ENCODING)
        .iter()
        .any(|v| String::from_utf8_lossy(v.as_bytes()).contains("gzip"));
    let reply = route_request(&ctx, peer, req, start).await;
    Ok(finish(reply, accept_gzip))
}

async fn route_request<S: Send + Sync + 'static>(
    ctx: &Arc<Ctx<S>>,
    peer: Peer,
    req: Request<Incoming>,
    start: Instant,
) -> Reply {
    let method = req.method().clone();
    if ![Method::GET, Method::POST, Method::PUT, Method::DELETE].contains(&method) {
        return Reply::bare(501, &format!("method '{method}' not available"));
    }
    if let Err(reply) = check_transfer_encoding(req.headers()) {
        return reply;
    }
    let path = req.uri().path().to_string();
    if path == "/api2/openapi.json" && method == Method::GET {
        return Reply::ok("application/json;charset=UTF-8", ctx.openapi.to_string());
    }
    if path.starts_with(crate::request::BASE_URI) {
        return api_request(ctx, peer, req, start).await;
    }
    let host = req
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    staticfiles::serve(
        &method,
        &path,
        ctx.ui_dir.as_deref(),
        host.as_deref(),
        ctx.port,
    )
}

async fn api_request<S: Send + Sync + 'static>(
    ctx: &Arc<Ctx<S>>,
    peer: Peer,
    req: Request<Incoming>,
    start: Instant,
) -> Reply {
    let (parts, body) = req.into_parts();
    let Some(api) = split_api_path(parts.uri.path()) else {
        return Reply::bare(501, "no such uri");
    };
    let Ok(verb) = parts.method.as_str().parse::<HttpMethod>() else {
        return Reply::bare(501, &format!("method '{}' not available", parts.method));
    };
    let kind = RequestKind {
        method: verb.as_str(),
        rel: &api.rel,
    };
    let who = if is_world(&ctx.router, &api, verb) {
        None
    } else {
        match authenticate_peer(ctx.auth.as_ref(), peer, &parts.headers, kind) {
            Ok(who) => Some(who),
            Err(message) => {
                // Sleeping in this connection's task delays only this client.
                tokio::time::sleep_until(start + AUTH_FAILURE_DELAY).await;
                return Reply::bare(401, &message);
            }
        }
    };
    let trusted = matches!(peer, Peer::Unix { .. });
    let (body_params, query, upload_file) =
        match read_body(ctx, trusted, kind.is_upload(), &parts, body).await {
            Ok(read) => read,
            Err(reply) => return reply,
        };
    let Some(format) = Format::from_name(&api.format) else {
        let msg = format!("no formatter for uri {}, {}", api.rel, api.format);
        return Reply::bare(501, &msg);
    };
    let call = Call {
        verb,
        api,
        who,
        client_ip: match peer {
            Peer::Tcp(addr) => Some(addr.ip()),
            Peer::Unix { .. } => None,
        },
        is_upload: upload_file.is_some(),
        body: body_params,
        query,
    };
    let outcome = run_blocking(ctx.clone(), call).await;
    drop(upload_file);
    if matches!(&outcome.result, Err(e) if e.status == 401) {
        tokio::time::sleep_until(start + AUTH_FAILURE_DELAY).await;
    }
    format_outcome(format, outcome)
}

type BodyRead = (
    Map<String, Value>,
    Map<String, Value>,
    Option<tempfile::TempPath>,
);

/// Body and query parameters; uploads go to a temporary file. Only the server
/// names upload temp files for TCP clients, so theirs are dropped.
async fn read_body<S>(
    ctx: &Ctx<S>,
    trusted: bool,
    is_upload: bool,
    parts: &http::request::Parts,
    body: Incoming,
) -> Result<BodyRead, Reply> {
    let multipart = media_type(&parts.headers).as_deref() == Some("multipart/form-data");
    let mut upload_file = None;
    let mut body_params = if is_upload && (!trusted || multipart) {
        let upload = crate::upload::receive(&parts.headers, body, &ctx.upload_dir).await?;
        upload_file = Some(upload.temp);
        upload.params
    } else {
        read_params(&parts.method, &parts.headers, body).await?
    };
    let mut query = decode_urlencoded(parts.uri.query().unwrap_or("").as_bytes());
    if !trusted {
        query.remove("tmpfilename");
        if upload_file.is_none() {
            body_params.remove("tmpfilename");
        }
    }
    Ok((body_params, query, upload_file))
}

fn is_world<S>(router: &Router<S>, api: &ApiPath, verb: HttpMethod) -> bool {
    router
        .lookup(&api.raw_rel)
        .and_then(|(node, _)| node.get_method(verb))
        .is_some_and(|m| m.permission == Permission::World)
}

fn authenticate_peer(
    auth: &dyn Authenticator,
    peer: Peer,
    headers: &http::HeaderMap,
    kind: RequestKind<'_>,
) -> Result<Authenticated, String> {
    let result = match peer {
        Peer::Unix { uid } => authenticate_uid(uid),
        Peer::Tcp(_) => authenticate(auth, &Credentials::from_headers(headers), kind),
    };
    result.map_err(|f| f.message)
}

/// A request ready for its handler.
struct Call {
    verb: HttpMethod,
    api: ApiPath,
    who: Option<Authenticated>,
    client_ip: Option<std::net::IpAddr>,
    is_upload: bool,
    body: Map<String, Value>,
    query: Map<String, Value>,
}

async fn run_blocking<S: Send + Sync + 'static>(ctx: Arc<Ctx<S>>, call: Call) -> Outcome {
    match tokio::task::spawn_blocking(move || run_call(&ctx, call)).await {
        Ok(outcome) => outcome,
        Err(_) => Outcome::error(ApiError::internal("internal error - handler failed\n")),
    }
}

/// The sync part: route, parameters, token and permission checks, node, handler.
fn run_call<S>(ctx: &Ctx<S>, call: Call) -> Outcome {
    let not_implemented = || {
        let msg = format!("Method '{} {}' not implemented", call.verb, call.api.rel);
        Outcome::verbatim_error(ApiError::not_implemented(msg))
    };
    let Some((node, path_params)) = ctx.router.lookup(&call.api.raw_rel) else {
        return not_implemented();
    };
    let Some(method) = node.get_method(call.verb) else {
        return not_implemented();
    };
    let path_params = decode_path_params(path_params);
    let mut params = match merge_params(path_params, call.body, call.query) {
        Ok(p) => p,
        Err(e) => return Outcome::error(e),
    };
    params.remove("_dc");
    let by_token = call.who.as_ref().is_some_and(|w| w.by_token);
    if by_token && !method.allow_token {
        let what = format!(
            "URI '{}' not available with API token, need proper ticket.\n",
            call.api.rel
        );
        return Outcome::error(ApiError::forbidden(format!(
            "Permission check failed ({what})\n"
        )));
    }
    let mut env = RpcEnv::new(
        call.who.as_ref().map(|w| w.authid.to_string()),
        ctx.node.clone(),
    );
    env.client_ip = call.client_ip;
    env.ticket = call.who.and_then(|w| w.ticket);
    if method.permission != Permission::World {
        let checker = ctx.auth.permission_checker();
        if let Err(e) = method.permission.evaluate(&env, &params, checker.as_ref()) {
            return Outcome::error(e);
        }
    }
    if method.proxy_to_node {
        if let Err(e) = check_node(ctx, &params, call.is_upload) {
            return Outcome::error(e);
        }
    }
    let result = method.call(&ctx.state, &env, params);
    let changes = env.changes.take();
    Outcome {
        result,
        total: env.total.get(),
        changes,
        verbatim: false,
    }
}

/// A `proxy_to_node` method for another node: the node router decides (cluster
/// forwarding plugs in there); uploads are never forwarded.
fn check_node<S>(
    ctx: &Ctx<S>,
    params: &Map<String, Value>,
    is_upload: bool,
) -> Result<(), ApiError> {
    let Some(node) = params.get("node").and_then(Value::as_str) else {
        return Ok(());
    };
    if node == ctx.node || node == "localhost" {
        return Ok(());
    }
    if is_upload {
        return Err(ApiError::internal("unable to proxy file uploads"));
    }
    ctx.nodes.route(node)
}

fn decode_path_params(params: Map<String, Value>) -> Map<String, Value> {
    params
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => (k, Value::String(crate::request::percent_decode(&s))),
            other => (k, other),
        })
        .collect()
}
