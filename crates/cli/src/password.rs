//! Reading a password from the terminal without echo (upstream's `read_password` and
//! `get_confirmed_password`); from a pipe, one line of stdin.

use crate::failure::CliError;
use std::io::{BufRead, IsTerminal, Write};

struct EchoOff {
    saved: Option<libc::termios>,
}

impl EchoOff {
    fn new() -> Self {
        if !std::io::stdin().is_terminal() {
            return EchoOff { saved: None };
        }
        // SAFETY: termios is plain data; tcgetattr fills it for the valid stdin fd.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: `t` is a valid, exclusively borrowed termios.
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut t) } != 0 {
            return EchoOff { saved: None };
        }
        let saved = t;
        t.c_lflag &= !libc::ECHO;
        // SAFETY: `t` is a valid termios read from the same fd.
        unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t) };
        EchoOff { saved: Some(saved) }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(saved) = &self.saved {
            // SAFETY: restores the settings read from the same fd in `new`.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved) };
            eprintln!();
        }
    }
}

/// Prompts on stderr and reads one line without echo.
pub fn read(prompt: &str) -> Result<String, CliError> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let guard = EchoOff::new();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::plain(format!("unable to read password: {e}")))?;
    drop(guard);
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Prompts for a new password twice; they must match.
pub fn confirmed() -> Result<String, CliError> {
    let first = read("Enter new password: ")?;
    let second = read("Retype new password: ")?;
    if first != second {
        return Err(CliError::plain("passwords do not match"));
    }
    Ok(first)
}
