//! One API method: its metadata, its schemas (from the handler's types) and its handler.

use crate::params::prepare;
use crate::{ApiError, Permission};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use virton_schema::{ApiType, ObjectSchema, Schema};

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// GET: read.
    Get,
    /// POST: create or act.
    Post,
    /// PUT: update.
    Put,
    /// DELETE: remove.
    Delete,
}

impl HttpMethod {
    /// Every method, in upstream's listing order.
    pub const ALL: [HttpMethod; 4] = [Self::Get, Self::Post, Self::Put, Self::Delete];

    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for HttpMethod {
    type Err = ApiError;
    fn from_str(s: &str) -> Result<Self, ApiError> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| ApiError::not_implemented(format!("Method '{s}' not implemented")))
    }
}

/// The caller of a method, as the server established it, plus what the handler reports
/// back for the response envelope.
#[derive(Debug, Default)]
pub struct RpcEnv {
    /// `user@realm` or `user@realm!token`; `None` only for anonymous calls of
    /// `Permission::World` methods.
    pub authid: Option<String>,
    /// The peer address (None on the Unix socket).
    pub client_ip: Option<IpAddr>,
    /// This node's name.
    pub node: String,
    /// The ticket the request carried, if any.
    pub ticket: Option<String>,
    /// `total` for the envelope (list methods with paging).
    pub total: Cell<Option<u64>>,
    /// `changes` for the envelope.
    pub changes: RefCell<Option<Value>>,
}

impl RpcEnv {
    /// An environment for `authid` on `node`.
    pub fn new(authid: Option<String>, node: impl Into<String>) -> Self {
        Self {
            authid,
            node: node.into(),
            ..Default::default()
        }
    }

    /// The caller, or 401 when there is none.
    pub fn caller(&self) -> Result<&str, ApiError> {
        self.authid.as_deref().ok_or_else(ApiError::unauthorized)
    }
}

type Handler<S> = Box<dyn Fn(&S, &RpcEnv, Value) -> Result<Value, ApiError> + Send + Sync>;

/// An API method.
pub struct ApiMethod<S> {
    /// What the method does (one sentence, shown in docs and CLI help).
    pub description: &'static str,
    /// Who may call it.
    pub permission: Permission,
    /// Must run with root privileges (upstream: forwarded to the privileged daemon).
    pub protected: bool,
    /// Runs on the node named by its `node` parameter.
    pub proxy_to_node: bool,
    /// API tokens may call it.
    pub allow_token: bool,
    parameters: &'static ObjectSchema,
    returns: &'static Schema,
    handler: Handler<S>,
}

fn object_schema<P: ApiType>() -> &'static ObjectSchema {
    match P::api_schema() {
        Schema::Object(o) => o,
        other => panic!(
            "parameter type of an API method must have an object schema, got '{}'",
            other.type_name()
        ),
    }
}

impl<S> ApiMethod<S> {
    /// A method whose parameters are `P` and whose result is `R`.
    ///
    /// # Panics
    /// When `P`'s schema is not an object schema: a programming error caught by the
    /// router walk test, never by input.
    pub fn new<P, R, F>(description: &'static str, permission: Permission, handler: F) -> Self
    where
        P: DeserializeOwned + ApiType,
        R: Serialize + ApiType,
        F: Fn(&S, &RpcEnv, P) -> Result<R, ApiError> + Send + Sync + 'static,
    {
        let erased = move |state: &S, env: &RpcEnv, params: Value| {
            let params: P = serde_json::from_value(params).map_err(|e| {
                ApiError::bad_request(format!("Parameter verification failed: {e}"))
            })?;
            let result = handler(state, env, params)?;
            serde_json::to_value(result)
                .map_err(|e| ApiError::internal(format!("unable to encode result: {e}")))
        };
        Self {
            description,
            permission,
            protected: false,
            proxy_to_node: false,
            allow_token: true,
            parameters: object_schema::<P>(),
            returns: R::api_schema(),
            handler: Box::new(erased),
        }
    }

    /// Marks the method `protected`.
    pub fn protected(mut self) -> Self {
        self.protected = true;
        self
    }

    /// Marks the method as running on the node of its `node` parameter.
    pub fn proxy_to_node(mut self) -> Self {
        self.proxy_to_node = true;
        self
    }

    /// Forbids API tokens.
    pub fn no_token(mut self) -> Self {
        self.allow_token = false;
        self
    }

    /// The parameter schema.
    pub fn parameters(&self) -> &ObjectSchema {
        self.parameters
    }

    /// The return schema.
    pub fn returns(&self) -> &Schema {
        self.returns
    }

    /// Shapes and verifies wire parameters, then calls the handler. Permission checks
    /// are the caller's (the server's) job, before this.
    pub fn call(
        &self,
        state: &S,
        env: &RpcEnv,
        params: Map<String, Value>,
    ) -> Result<Value, ApiError> {
        let params = prepare(params, self.parameters)?;
        (self.handler)(state, env, params)
    }
}

impl<S> fmt::Debug for ApiMethod<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiMethod")
            .field("description", &self.description)
            .field("permission", &self.permission.to_string())
            .field("protected", &self.protected)
            .field("proxy_to_node", &self.proxy_to_node)
            .field("allow_token", &self.allow_token)
            .finish()
    }
}
