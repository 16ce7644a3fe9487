//! Command-line arguments of `virtond`.

use anyhow::{bail, Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use virton_api_types::NodeName;

/// Parsed arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    /// Host root directory (`/` in production).
    pub root: PathBuf,
    /// This node's name.
    pub node: String,
    /// Address and port of the HTTPS API.
    pub listen: SocketAddr,
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Parsed {
    /// Run the daemon.
    Run(Args),
    /// Print this help text.
    Help(&'static str),
}

const HELP: &str = "usage: virtond [--root DIR] [--node NAME] [--listen ADDR:PORT]
  --root DIR          host root holding etc/pve, var/lib/vz, run/virton, ... (default /)
  --node NAME         this node's name (default: the short host name)
  --listen ADDR:PORT  HTTPS API address (default 0.0.0.0:8006)";

impl Args {
    /// Parses `argv` without the program name.
    pub fn parse(argv: impl IntoIterator<Item = String>) -> Result<Parsed> {
        let mut root = PathBuf::from("/");
        let mut node = None;
        let mut listen: SocketAddr = "0.0.0.0:8006".parse().context("default listen address")?;
        let mut it = argv.into_iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| it.next())
                    .with_context(|| format!("{name} needs a value"))
            };
            match flag.as_str() {
                "--root" => root = PathBuf::from(value("--root")?),
                "--node" => node = Some(value("--node")?),
                "--listen" => {
                    let v = value("--listen")?;
                    listen = v
                        .parse()
                        .with_context(|| format!("invalid --listen address '{v}'"))?;
                }
                "-h" | "--help" => return Ok(Parsed::Help(HELP)),
                other => bail!("unknown argument '{other}'\n{HELP}"),
            }
        }
        let node = match node {
            Some(n) => n,
            None => short_hostname()?,
        };
        node.parse::<NodeName>()
            .map_err(|e| anyhow::anyhow!("invalid node name: {e}"))?;
        Ok(Parsed::Run(Args { root, node, listen }))
    }
}

/// The host name up to the first dot, as upstream names nodes.
fn short_hostname() -> Result<String> {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is valid for writes of its full length; gethostname NUL-terminates
    // within that length on success.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        bail!(
            "cannot get the host name: {}",
            std::io::Error::last_os_error()
        );
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    let name = String::from_utf8_lossy(&buf[..end]).to_string();
    Ok(name.split('.').next().unwrap_or_default().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &[&str]) -> Result<Parsed> {
        Args::parse(v.iter().map(|s| s.to_string()))
    }

    #[test]
    fn all_flags_are_read_in_both_spellings() {
        let Parsed::Run(a) =
            parse(&["--root", "/tmp/r", "--node=n1", "--listen", "127.0.0.1:9"]).unwrap()
        else {
            panic!("expected run");
        };
        assert_eq!(a.root, PathBuf::from("/tmp/r"));
        assert_eq!(a.node, "n1");
        assert_eq!(a.listen.to_string(), "127.0.0.1:9");
    }

    #[test]
    fn bad_values_are_rejected() {
        assert!(parse(&["--listen", "nowhere"]).is_err());
        assert!(parse(&["--node", "bad_name!"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }
}
