//! Man pages (roff) for `pvesh` and `pveum`, generated from the same command tables and
//! schemas the tools parse with; `virton man <tool>` prints one, docs/man/ holds them.

use crate::pveum::{self, table};
use crate::tree::ApiRouter;
use crate::usage::{self, UsageSpec};
use crate::{pvesh, stdopts};

/// Tools with a generated man page.
pub const TOOLS: [&str; 2] = ["pvesh", "pveum"];

/// Escapes text for roff: backslashes, leading dots and quotes, hyphens in options.
fn esc(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.replace('\\', "\\e").replace('-', "\\-");
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn header(tool: &str, summary: &str) -> String {
    format!(
        ".TH {} 1 \"\" \"VirtOn\" \"VirtOn Manual\"\n.SH NAME\n{tool} \\- {summary}\n",
        tool.to_uppercase()
    )
}

fn block(title: &str, body: &str) -> String {
    format!(
        ".TP\n.B {}\n.nf\n{}\n.fi\n",
        esc(title),
        esc(body.trim_end())
    )
}

/// The man page of `tool` (`pvesh` or `pveum`).
pub fn page(tree: &ApiRouter, tool: &str) -> String {
    if tool == "pvesh" {
        pvesh_page()
    } else {
        pveum_page(tree)
    }
}

fn format_options() -> String {
    let spec = UsageSpec {
        prefix: "FORMAT_OPTIONS",
        description: "",
        schema: stdopts::schema(),
        args: &[],
        skip: &[],
        format_options: false,
    };
    let long = usage::long(&spec, false);
    let body = long.split_once('\n').map_or("", |(_, rest)| rest);
    format!(".SH FORMAT OPTIONS\n.nf\n{}\n.fi\n", esc(body.trim_end()))
}

fn pvesh_page() -> String {
    let mut out = header("pvesh", "shell interface for the VirtOn API");
    out.push_str(".SH SYNOPSIS\n.nf\n");
    out.push_str(&esc(pvesh::help().trim_end()));
    out.push_str(
        "\n.fi\n.SH DESCRIPTION\nCalls the methods of the API tree on the local node. \
                  Options are the parameters of the method at the given path; \
                  use \\fBpvesh usage\\fR <path> \\-\\-verbose to list them.\n",
    );
    out.push_str(&format_options());
    out
}

fn pveum_page(tree: &ApiRouter) -> String {
    let mut out = header(
        "pveum",
        "user, group, role, ACL, realm, pool and token management",
    );
    out.push_str(".SH SYNOPSIS\n\\fBpveum\\fR \\fI<COMMAND>\\fR [\\fIARGS\\fR] [\\fIOPTIONS\\fR]\n.SH COMMANDS\n");
    for c in table::COMMANDS {
        let method = pveum::method_of(tree, c);
        let schema = pveum::command_schema(c, method);
        let prefix = format!("pveum {}", c.words);
        let skip: Vec<&str> = stdopts::NAMES.to_vec();
        let spec = UsageSpec {
            prefix: &prefix,
            description: method.map_or("Not available in this build (the API answers 501).", |m| {
                m.description
            }),
            schema: &schema,
            args: c.args,
            skip: &skip,
            format_options: matches!(c.output, table::Output::Api | table::Output::Perm),
        };
        let long = usage::long(&spec, true);
        let body = long.split_once('\n').map_or("", |(_, rest)| rest);
        out.push_str(&block(usage::short(&spec).trim_end(), body));
    }
    out.push_str(".SH ALIASES\n.nf\n");
    for (alias, target) in table::ALIASES {
        out.push_str(&format!("pveum {alias} = pveum {target}\n"));
    }
    out.push_str(".fi\n");
    out.push_str(&format_options());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_roff_with_every_command() {
        let tree = crate::tree::api();
        let p = page(tree, "pveum");
        assert!(p.starts_with(".TH PVEUM 1"));
        for c in table::COMMANDS {
            assert!(
                p.contains(&format!(".B pveum {}", esc(c.words))),
                "{}",
                c.words
            );
        }
        assert!(page(tree, "pvesh").contains("\\-\\-output\\-format"));
    }

    #[test]
    fn committed_pages_are_fresh() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/man");
        for tool in TOOLS {
            let file = dir.join(format!("{tool}.1"));
            let committed = std::fs::read_to_string(&file).unwrap_or_default();
            assert_eq!(
                committed,
                page(crate::tree::api(), tool),
                "{} is stale: run `virton man {tool} > docs/man/{tool}.1`",
                file.display()
            );
        }
    }
}
