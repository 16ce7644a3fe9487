//! Running external programs behind the [`CommandRunner`] trait.
//!
//! Domain code describes a command as a [`CommandSpec`] and gets back a
//! [`CommandOutput`] or a [`CommandError`] worded as Proxmox VE's `run_command`
//! words it. [`SystemRunner`] really runs it; [`FakeRunner`] answers from canned
//! expectations and records every call, for tests in any crate.

mod fake;
mod system;

pub use fake::{ArgvPattern, FakeResponse, FakeRunner};
pub use system::SystemRunner;

use std::io;
use std::time::Duration;

/// One command to run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandSpec {
    /// Program and arguments; `argv[0]` is looked up in `PATH`.
    pub argv: Vec<String>,
    /// Environment variables set (or overridden) for the child.
    pub env: Vec<(String, String)>,
    /// Bytes written to the child's standard input (closed after them).
    pub stdin: Option<Vec<u8>>,
    /// Kill the child when it runs longer than this.
    pub timeout: Option<Duration>,
    /// Return the output instead of an error on a non-zero exit code.
    pub allow_nonzero: bool,
}

impl CommandSpec {
    /// A command from its argv, no stdin, no timeout, non-zero exit is an error.
    pub fn new<I, S>(argv: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CommandSpec {
            argv: argv.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }

    /// Set an environment variable for the child.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Feed these bytes to the child's standard input.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Kill the child after `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Treat a non-zero exit code as a normal result.
    pub fn allow_nonzero(mut self) -> Self {
        self.allow_nonzero = true;
        self
    }

    /// The command as a shell-quoted string, as used in error messages.
    pub fn display(&self) -> String {
        self.argv
            .iter()
            .map(|a| shell_quote(a))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a finished command produced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandOutput {
    /// Exit code.
    pub status: i32,
    /// Everything written to standard output.
    pub stdout: Vec<u8>,
    /// Everything written to standard error.
    pub stderr: Vec<u8>,
}

impl CommandOutput {
    /// Standard output as text (invalid UTF-8 replaced).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard error as text (invalid UTF-8 replaced).
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// A command did not run to a successful end.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The program could not be started (not found, not executable, ...).
    #[error("command '{command}' failed: unable to execute")]
    Spawn {
        /// The shell-quoted command.
        command: String,
        /// The underlying system error.
        #[source]
        source: io::Error,
    },
    /// Talking to the child over its pipes failed.
    #[error("command '{command}' failed: I/O error")]
    Io {
        /// The shell-quoted command.
        command: String,
        /// The underlying system error.
        #[source]
        source: io::Error,
    },
    /// The program exited with a non-zero code.
    #[error(
        "command '{command}' failed: exit code {code}{}",
        stderr_suffix(stderr)
    )]
    Exit {
        /// The shell-quoted command.
        command: String,
        /// The exit code.
        code: i32,
        /// Its standard error, as text.
        stderr: String,
    },
    /// The program was killed by a signal.
    #[error(
        "command '{command}' failed: got signal {signal}{}",
        stderr_suffix(stderr)
    )]
    Signal {
        /// The shell-quoted command.
        command: String,
        /// The signal number.
        signal: i32,
        /// Its standard error, as text.
        stderr: String,
    },
    /// The program ran longer than its timeout and was killed.
    #[error("command '{command}' failed: got timeout")]
    Timeout {
        /// The shell-quoted command.
        command: String,
    },
    /// A [`FakeRunner`] got a call no expectation matches.
    #[error("unexpected command '{command}'")]
    Unexpected {
        /// The shell-quoted command.
        command: String,
    },
}

fn stderr_suffix(stderr: &str) -> String {
    let trimmed = stderr.trim_end();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("\n{trimmed}")
    }
}

/// Runs commands; implemented by [`SystemRunner`] and [`FakeRunner`].
pub trait CommandRunner: Send + Sync {
    /// Run `cmd` to completion.
    fn run(&self, cmd: &CommandSpec) -> Result<CommandOutput, CommandError>;
}

/// Turn a finished child's raw result into the output or the upstream-style error.
fn finish(
    cmd: &CommandSpec,
    output: CommandOutput,
    signal: Option<i32>,
) -> Result<CommandOutput, CommandError> {
    if let Some(signal) = signal {
        return Err(CommandError::Signal {
            command: cmd.display(),
            signal,
            stderr: output.stderr_text(),
        });
    }
    if output.status != 0 && !cmd.allow_nonzero {
        return Err(CommandError::Exit {
            command: cmd.display(),
            code: output.status,
            stderr: output.stderr_text(),
        });
    }
    Ok(output)
}

/// Quote one argument for display the way a POSIX shell would need it.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests;
