//! [`SystemRunner`]: runs commands with `std::process`, each in its own process
//! group so that a timeout kills the whole tree it started.

use super::{finish, CommandError, CommandOutput, CommandRunner, CommandSpec};
use std::io::{self, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Runs commands on the host.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemRunner;

type Reader = JoinHandle<io::Result<Vec<u8>>>;

impl CommandRunner for SystemRunner {
    fn run(&self, cmd: &CommandSpec) -> Result<CommandOutput, CommandError> {
        let io_err = |source| CommandError::Io {
            command: cmd.display(),
            source,
        };
        let mut child = spawn(cmd)?;
        let writer = child
            .stdin
            .take()
            .map(|stdin| feed(stdin, cmd.stdin.clone().unwrap_or_default()));
        let stdout = child.stdout.take().map(drain);
        let stderr = child.stderr.take().map(drain);
        let status = match wait_until(&mut child, cmd.timeout).map_err(io_err)? {
            Some(status) => status,
            None => {
                kill_group(&mut child);
                // The readers are left detached: a grandchild that escaped the
                // process group could keep the pipes open forever.
                return Err(CommandError::Timeout {
                    command: cmd.display(),
                });
            }
        };
        if let Some(writer) = writer {
            // A child that exits without reading its stdin makes the write fail
            // with EPIPE; that is not an error of the command.
            let _ = writer.join();
        }
        let output = CommandOutput {
            status: status.code().unwrap_or(-1),
            stdout: collect(stdout).map_err(io_err)?,
            stderr: collect(stderr).map_err(io_err)?,
        };
        finish(cmd, output, status.signal())
    }
}

fn spawn(cmd: &CommandSpec) -> Result<Child, CommandError> {
    let spawn_err = |source| CommandError::Spawn {
        command: cmd.display(),
        source,
    };
    let Some((program, args)) = cmd.argv.split_first() else {
        return Err(spawn_err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "empty argv",
        )));
    };
    let mut command = Command::new(program);
    command
        .args(args)
        .envs(cmd.env.iter().map(|(k, v)| (k, v)))
        .stdin(if cmd.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    command.spawn().map_err(spawn_err)
}

fn feed(mut stdin: ChildStdin, bytes: Vec<u8>) -> JoinHandle<io::Result<()>> {
    thread::spawn(move || stdin.write_all(&bytes))
}

fn drain(mut pipe: impl Read + Send + 'static) -> Reader {
    thread::spawn(move || {
        let mut buf = Vec::new();
        pipe.read_to_end(&mut buf)?;
        Ok(buf)
    })
}

fn collect(reader: Option<Reader>) -> io::Result<Vec<u8>> {
    match reader {
        None => Ok(Vec::new()),
        Some(handle) => handle
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("output reader panicked"))),
    }
}

/// Wait for the child; `Ok(None)` when the deadline passed first.
fn wait_until(child: &mut Child, timeout: Option<Duration>) -> io::Result<Option<ExitStatus>> {
    let Some(timeout) = timeout else {
        return child.wait().map(Some);
    };
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

fn kill_group(child: &mut Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: plain syscall; the child is unreaped, so its pid (= its
        // process group id, set at spawn) cannot have been reused.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
    }
    // Reap it so no zombie remains; SIGKILL makes this return promptly.
    let _ = child.kill();
    let _ = child.wait();
}
