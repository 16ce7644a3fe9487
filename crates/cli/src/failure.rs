//! [`CliError`]: how a failed command reports itself, in upstream's shape.
//!
//! Upstream's CLI tools die with a `PVE::Exception` whose text is `NNN message`, one
//! `param: error` line per failing parameter and, for 400s, the command's short usage.
//! Errors without a status (a plain `die`, our 500s) print the message alone. Scripts
//! (proxmoxer's local backend) read the leading `NNN reason` line to get the status.

use std::collections::BTreeMap;
use virton_client::ClientError;
use virton_router::ApiError;

/// A failed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// HTTP-like status printed before the message; 0 and 500 print none.
    pub status: u16,
    /// The message (first line = reason).
    pub message: String,
    /// Per-parameter errors.
    pub errors: BTreeMap<String, String>,
    /// Text printed before the error (Getopt-style warnings such as `Unknown option: x`).
    pub notes: String,
    /// The command's short usage, appended to 400 errors.
    pub usage: Option<String>,
    /// Process exit code.
    pub exit: u8,
}

impl CliError {
    /// An error with `status` and `message`, exit code 255 (what a Perl `die` gives).
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        CliError {
            status,
            message: message.into(),
            errors: BTreeMap::new(),
            notes: String::new(),
            usage: None,
            exit: 255,
        }
    }

    /// A message without status (upstream's plain `die "...\n"`).
    pub fn plain(message: impl Into<String>) -> Self {
        Self::new(0, message)
    }

    /// 400 with a message (`not enough arguments`, `unable to parse option`, ...).
    pub fn bad(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }

    /// Sets the exit code.
    pub fn exit_code(mut self, code: u8) -> Self {
        self.exit = code;
        self
    }

    /// Adds the usage line for 400 errors (others do not show it, as upstream).
    pub fn with_usage(mut self, usage: impl FnOnce() -> String) -> Self {
        if self.status == 400 && self.usage.is_none() {
            self.usage = Some(usage());
        }
        self
    }

    /// The text printed on stderr.
    pub fn render(&self) -> String {
        let mut out = self.notes.clone();
        if self.status != 0 && self.status != 500 {
            out.push_str(&format!("{} ", self.status));
        }
        out.push_str(self.message.trim_end_matches('\n'));
        out.push('\n');
        for (k, v) in &self.errors {
            out.push_str(&format!("{k}: {}\n", v.trim_end_matches('\n')));
        }
        if let Some(usage) = &self.usage {
            out.push_str(usage);
            if !usage.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }
}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        let mut c = CliError::new(e.status, e.message);
        c.errors = e.errors.into_iter().collect();
        c
    }
}

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        let mut c = CliError::new(e.status, e.message);
        c.errors = e.errors;
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use virton_schema::ParameterErrors;

    #[test]
    fn param_error_renders_status_errors_and_usage() {
        let mut errs = ParameterErrors::default();
        errs.add("vmid", "value must have a minimum value of 100");
        let e = CliError::from(ApiError::params(errs)).with_usage(|| "pvesh get <api_path>".into());
        assert_eq!(
            e.render(),
            "400 Parameter verification failed.\nvmid: value must have a minimum value of 100\npvesh get <api_path>\n"
        );
        assert_eq!(e.exit, 255);
    }

    #[test]
    fn internal_errors_print_the_message_alone() {
        let e = CliError::from(ApiError::internal("user 'x@pve' already exists\n"));
        assert_eq!(e.render(), "user 'x@pve' already exists\n");
        let e = CliError::from(ApiError::forbidden(
            "Permission check failed (/, Sys.Audit)",
        ));
        assert_eq!(e.render(), "403 Permission check failed (/, Sys.Audit)\n");
    }
}
