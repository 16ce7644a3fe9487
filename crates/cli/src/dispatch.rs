//! Resolves which tool a `virton` invocation means and runs it.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::ExitCode;

/// The tool names `virton` answers to, as upstream names its commands.
pub const TOOLS: &[&str] = &[
    "qm",
    "pct",
    "pvesm",
    "pveum",
    "pvecm",
    "pvesh",
    "pvenode",
    "pveam",
    "vzdump",
    "qmrestore",
    "ha-manager",
];

/// What an invocation asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation<'a> {
    /// Run `tool` with `args`.
    Tool { tool: &'a str, args: &'a [String] },
    /// `virton install-links DIR`.
    InstallLinks(&'a str),
    /// `virton`, `virton help`, `virton --help`.
    Help,
    /// Hidden: `virton completion bash|zsh` prints a completion script.
    Completion(&'a str),
    /// Hidden: `virton __complete <tool> <words...>` prints candidates (used by the scripts).
    Complete(&'a [String]),
    /// Hidden: `virton man <tool>` prints the tool's roff man page.
    Man(&'a str),
}

/// Resolves `argv` (including argv[0]) into an invocation.
pub fn resolve(argv: &[String]) -> Result<Invocation<'_>> {
    let Some((argv0, rest)) = argv.split_first() else {
        return Ok(Invocation::Help);
    };
    let called = Path::new(argv0)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("virton");
    if let Some(tool) = TOOLS.iter().find(|t| **t == called) {
        return Ok(Invocation::Tool { tool, args: rest });
    }
    match rest.split_first() {
        None => Ok(Invocation::Help),
        Some((first, _)) if matches!(first.as_str(), "help" | "--help" | "-h") => {
            Ok(Invocation::Help)
        }
        Some((first, more)) if first == "install-links" => match more {
            [dir] => Ok(Invocation::InstallLinks(dir)),
            _ => bail!("usage: virton install-links DIR"),
        },
        Some((first, more)) if first == "completion" => match more {
            [shell] if shell == "bash" || shell == "zsh" => Ok(Invocation::Completion(shell)),
            _ => bail!("usage: virton completion bash|zsh"),
        },
        Some((first, more)) if first == "__complete" => Ok(Invocation::Complete(more)),
        Some((first, more)) if first == "man" => match more {
            [tool] if crate::man::TOOLS.contains(&tool.as_str()) => Ok(Invocation::Man(tool)),
            _ => bail!("usage: virton man {}", crate::man::TOOLS.join("|")),
        },
        Some((first, more)) => match TOOLS.iter().find(|t| **t == first.as_str()) {
            Some(tool) => Ok(Invocation::Tool { tool, args: more }),
            None => bail!("virton: unknown command '{first}' (try 'virton help')"),
        },
    }
}

/// Runs an invocation.
pub fn run(argv: &[String]) -> Result<ExitCode> {
    match resolve(argv)? {
        Invocation::Help => {
            println!("usage: virton <tool> [ARGS...]   or call a link named after the tool");
            println!("       virton install-links DIR");
            println!("tools: {}", TOOLS.join(", "));
            Ok(ExitCode::SUCCESS)
        }
        Invocation::InstallLinks(dir) => install_links(Path::new(dir)).map(|()| ExitCode::SUCCESS),
        Invocation::Completion(shell) => {
            print!("{}", crate::complete::script(shell));
            Ok(ExitCode::SUCCESS)
        }
        Invocation::Complete(words) => {
            let api = virton_client::Client::from_env();
            for c in crate::complete::candidates(crate::tree::api(), &api, words) {
                println!("{c}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Invocation::Man(tool) => {
            print!("{}", crate::man::page(crate::tree::api(), tool));
            Ok(ExitCode::SUCCESS)
        }
        Invocation::Tool { tool, args } if CLIENT_TOOLS.contains(&tool) => {
            Ok(run_client_tool(tool, args))
        }
        Invocation::Tool { tool, .. } => {
            eprintln!(
                "{tool}: this build of VirtOn has no API server yet, and {tool} is a client of it; \
                 it arrives with the API server (see README, Status)"
            );
            Ok(ExitCode::from(2))
        }
    }
}

/// The tools implemented here as clients of the API.
pub const CLIENT_TOOLS: &[&str] = &["pvesh", "pveum"];

/// Runs `pvesh` or `pveum` against the local daemon, printing errors as upstream.
fn run_client_tool(tool: &str, args: &[String]) -> ExitCode {
    let api = virton_client::Client::from_env();
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    let mut s = crate::session::Session {
        api: &api,
        out: &mut out,
        err: &mut err,
        term: crate::session::detect_terminal(),
    };
    let tree = crate::tree::api();
    let result = match tool {
        "pvesh" => crate::pvesh::run(tree, &mut s, args),
        _ => crate::pveum::run(tree, &mut s, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let text = e.render();
            if text.trim().is_empty() {
                return ExitCode::from(e.exit);
            }
            s.eprint(&text);
            ExitCode::from(e.exit)
        }
    }
}

/// Links every tool name in `dir` to the running `virton` binary, replacing old links.
pub fn install_links(dir: &Path) -> Result<()> {
    let exe = std::env::current_exe().context("cannot find the virton binary")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for tool in TOOLS {
        let link = dir.join(tool);
        match std::fs::symlink_metadata(&link) {
            Ok(m) if m.file_type().is_symlink() => std::fs::remove_file(&link)?,
            Ok(_) => bail!(
                "{} exists and is not a link; not replacing it",
                link.display()
            ),
            Err(_) => {}
        }
        std::os::unix::fs::symlink(&exe, &link)
            .with_context(|| format!("cannot link {}", link.display()))?;
    }
    eprintln!(
        "linked {} tools in {} to {}",
        TOOLS.len(),
        dir.display(),
        exe.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn link_name_selects_the_tool() {
        let a = argv(&["/usr/local/bin/qm", "list"]);
        assert_eq!(
            resolve(&a).unwrap(),
            Invocation::Tool {
                tool: "qm",
                args: &a[1..]
            }
        );
    }

    #[test]
    fn first_argument_selects_the_tool_under_virton() {
        let a = argv(&["virton", "ha-manager", "status"]);
        assert_eq!(
            resolve(&a).unwrap(),
            Invocation::Tool {
                tool: "ha-manager",
                args: &a[2..]
            }
        );
    }

    #[test]
    fn hidden_subcommands_resolve() {
        let a = argv(&["virton", "completion", "zsh"]);
        assert_eq!(resolve(&a).unwrap(), Invocation::Completion("zsh"));
        let a = argv(&["virton", "man", "pveum"]);
        assert_eq!(resolve(&a).unwrap(), Invocation::Man("pveum"));
        let a = argv(&["virton", "__complete", "pveum", "user"]);
        assert_eq!(resolve(&a).unwrap(), Invocation::Complete(&a[2..]));
        assert!(resolve(&argv(&["virton", "completion", "fish"])).is_err());
        assert!(resolve(&argv(&["virton", "man", "qm"])).is_err());
    }

    #[test]
    fn unknown_tool_is_rejected() {
        let a = argv(&["virton", "rm"]);
        let e = resolve(&a).unwrap_err().to_string();
        assert!(e.contains("unknown command 'rm'"), "{e}");
    }

    #[test]
    fn install_links_creates_one_link_per_tool() {
        let dir = std::env::temp_dir().join(format!("virton-links-{}", std::process::id()));
        install_links(&dir).unwrap();
        install_links(&dir).unwrap(); // idempotent
        for tool in TOOLS {
            assert!(std::fs::symlink_metadata(dir.join(tool))
                .unwrap()
                .file_type()
                .is_symlink());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
