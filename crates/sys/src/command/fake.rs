//! [`FakeRunner`]: a scripted, recording [`CommandRunner`] for tests.
//!
//! It is public (not test-only) so that tests of other crates can drive code
//! that runs commands. Expectations are tried in the order they were added;
//! the first match answers. Every call, matched or not, is recorded.

use super::{finish, CommandError, CommandOutput, CommandRunner, CommandSpec};
use std::sync::{Mutex, MutexGuard};

/// Which argv an expectation answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgvPattern {
    /// The whole argv, exactly.
    Exact(Vec<String>),
    /// Any argv starting with these elements.
    Prefix(Vec<String>),
}

impl ArgvPattern {
    /// Whether `argv` matches.
    pub fn matches(&self, argv: &[String]) -> bool {
        match self {
            ArgvPattern::Exact(want) => want.as_slice() == argv,
            ArgvPattern::Prefix(want) => argv.starts_with(want),
        }
    }
}

/// The canned result of a matched call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FakeResponse {
    /// Exit code (non-zero becomes an error unless the spec allows it).
    pub status: i32,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: Vec<u8>,
    /// Answer as if the command had timed out.
    pub timeout: bool,
}

impl FakeResponse {
    /// Exit code 0 with this standard output.
    pub fn ok(stdout: impl Into<Vec<u8>>) -> Self {
        FakeResponse {
            stdout: stdout.into(),
            ..Default::default()
        }
    }

    /// This exit code with this standard error.
    pub fn fail(status: i32, stderr: impl Into<Vec<u8>>) -> Self {
        FakeResponse {
            status,
            stderr: stderr.into(),
            ..Default::default()
        }
    }

    /// A command that runs into its timeout.
    pub fn timeout() -> Self {
        FakeResponse {
            timeout: true,
            ..Default::default()
        }
    }
}

#[derive(Debug)]
struct Expectation {
    pattern: ArgvPattern,
    response: FakeResponse,
    /// `None`: answers any number of calls.
    remaining: Option<usize>,
}

#[derive(Debug, Default)]
struct State {
    expectations: Vec<Expectation>,
    calls: Vec<CommandSpec>,
}

/// A [`CommandRunner`] that answers from expectations and records calls.
#[derive(Debug, Default)]
pub struct FakeRunner {
    state: Mutex<State>,
}

fn owned<I, S>(argv: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    argv.into_iter().map(Into::into).collect()
}

impl FakeRunner {
    /// A runner with no expectations: every call is unexpected.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not hide the recording from others.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Answer every call matching `pattern` with `response`.
    pub fn expect(&self, pattern: ArgvPattern, response: FakeResponse) -> &Self {
        self.push(pattern, response, None)
    }

    /// Answer only the next call matching `pattern`; later ones fall through.
    pub fn expect_once(&self, pattern: ArgvPattern, response: FakeResponse) -> &Self {
        self.push(pattern, response, Some(1))
    }

    /// Answer every call with exactly this argv.
    pub fn expect_exact<I, S>(&self, argv: I, response: FakeResponse) -> &Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.expect(ArgvPattern::Exact(owned(argv)), response)
    }

    /// Answer every call whose argv starts with `prefix`.
    pub fn expect_prefix<I, S>(&self, prefix: I, response: FakeResponse) -> &Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.expect(ArgvPattern::Prefix(owned(prefix)), response)
    }

    fn push(
        &self,
        pattern: ArgvPattern,
        response: FakeResponse,
        remaining: Option<usize>,
    ) -> &Self {
        self.state().expectations.push(Expectation {
            pattern,
            response,
            remaining,
        });
        self
    }

    /// Every call so far, in order (including unexpected ones).
    pub fn calls(&self) -> Vec<CommandSpec> {
        self.state().calls.clone()
    }

    /// The argv of every call so far, in order.
    pub fn argvs(&self) -> Vec<Vec<String>> {
        self.state().calls.iter().map(|c| c.argv.clone()).collect()
    }

    /// One-shot expectations that were never used.
    pub fn unused_once(&self) -> Vec<ArgvPattern> {
        let state = self.state();
        state
            .expectations
            .iter()
            .filter(|e| e.remaining == Some(1))
            .map(|e| e.pattern.clone())
            .collect()
    }
}

impl CommandRunner for FakeRunner {
    fn run(&self, cmd: &CommandSpec) -> Result<CommandOutput, CommandError> {
        let mut state = self.state();
        state.calls.push(cmd.clone());
        let found = state
            .expectations
            .iter_mut()
            .find(|e| e.remaining != Some(0) && e.pattern.matches(&cmd.argv));
        let Some(expectation) = found else {
            return Err(CommandError::Unexpected {
                command: cmd.display(),
            });
        };
        if let Some(left) = expectation.remaining.as_mut() {
            *left -= 1;
        }
        let response = expectation.response.clone();
        drop(state);
        if response.timeout {
            return Err(CommandError::Timeout {
                command: cmd.display(),
            });
        }
        let output = CommandOutput {
            status: response.status,
            stdout: response.stdout,
            stderr: response.stderr,
        };
        finish(cmd, output, None)
    }
}
