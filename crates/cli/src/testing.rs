//! Test helpers shared by the tool tests: a recording fake of the API.

use crate::output::Terminal;
use crate::session::{Api, Session};
use serde_json::Value;
use std::cell::RefCell;
use virton_client::ClientError;
use virton_router::HttpMethod;

/// One recorded call: verb, path, form parameters.
pub type Recorded = (HttpMethod, String, Vec<(String, String)>);

/// Records calls and answers every one with `answer` (or `error`).
pub struct FakeApi {
    /// Calls made, in order.
    pub calls: RefCell<Vec<Recorded>>,
    /// The `data` returned.
    pub answer: Value,
    /// An error returned instead, if set.
    pub error: Option<ClientError>,
}

impl FakeApi {
    /// A fake answering `answer`.
    pub fn new(answer: Value) -> Self {
        FakeApi {
            calls: RefCell::new(Vec::new()),
            answer,
            error: None,
        }
    }
}

impl Api for FakeApi {
    fn call(
        &self,
        verb: HttpMethod,
        path: &str,
        params: &[(String, String)],
    ) -> Result<Value, ClientError> {
        self.calls
            .borrow_mut()
            .push((verb, path.to_string(), params.to_vec()));
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(self.answer.clone()),
        }
    }
}

/// Runs `f` with a session on `api`; returns its result, stdout and stderr.
pub fn with_session<R>(
    api: &FakeApi,
    f: impl FnOnce(&mut Session<'_>) -> R,
) -> (R, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let r = {
        let mut s = Session {
            api,
            out: &mut out,
            err: &mut err,
            term: Terminal::default(),
        };
        f(&mut s)
    };
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (r, text(out), text(err))
}
