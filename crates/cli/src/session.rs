//! What a tool run needs from outside: the API (through [`Api`], so tests can use a
//! fake), stdout/stderr writers and the terminal's properties.

use crate::output::Terminal;
use serde_json::Value;
use std::io::{IsTerminal, Write};
use virton_client::{Client, ClientError, Transport};
use virton_router::HttpMethod;

/// Calls API methods.
pub trait Api {
    /// Calls `verb` on concrete `path` with form parameters; `data` or the error.
    fn call(
        &self,
        verb: HttpMethod,
        path: &str,
        params: &[(String, String)],
    ) -> Result<Value, ClientError>;
}

impl<T: Transport> Api for Client<T> {
    fn call(
        &self,
        verb: HttpMethod,
        path: &str,
        params: &[(String, String)],
    ) -> Result<Value, ClientError> {
        Client::call(self, verb.as_str(), path, &params.to_vec())
    }
}

/// One tool run's surroundings.
pub struct Session<'a> {
    /// The API.
    pub api: &'a dyn Api,
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
    /// Terminal properties of stdout.
    pub term: Terminal,
}

impl Session<'_> {
    /// Writes `text` to stdout (a closed pipe is not an error worth reporting).
    pub fn print(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
    }

    /// Writes `text` to stderr.
    pub fn eprint(&mut self, text: &str) {
        let _ = self.err.write_all(text.as_bytes());
    }
}

fn locale_is_utf8() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

fn terminal_columns() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let mut size = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one `winsize` into the valid, exclusively borrowed struct.
    let rc = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) };
    (rc == 0 && size.ws_col > 0).then_some(usize::from(size.ws_col))
}

/// The terminal properties of this process's stdout.
pub fn detect_terminal() -> Terminal {
    Terminal {
        columns: terminal_columns(),
        utf8: locale_is_utf8(),
    }
}
