//! Pure parsers for QEMU's `--version` and `-machine help` output. No I/O here.

/// The `(major, minor, micro)` from `QEMU emulator version 8.1.5 (...)`.
pub fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let line = text.lines().find(|l| l.contains("version"))?;
    let after = line.split("version").nth(1)?.trim_start();
    let word = after
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()?;
    let mut numbers = word.split('.').map(str::parse::<u32>);
    let major = numbers.next()?.ok()?;
    let minor = numbers.next().and_then(Result::ok).unwrap_or(0);
    let micro = numbers.next().and_then(Result::ok).unwrap_or(0);
    Some((major, minor, micro))
}

/// Machine type names from `-machine help`, in QEMU's order.
pub fn parse_machine_help(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.starts_with("Supported machines are:"))
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_version_reads_debian_qemu_banner() {
        let text = "QEMU emulator version 9.2.1 (Debian 1:9.2.1+ds-1)\nCopyright (c) 2003-2024 Fabrice Bellard\n";
        assert_eq!(parse_version(text), Some((9, 2, 1)));
        assert_eq!(
            parse_version("QEMU emulator version 10.0\n"),
            Some((10, 0, 0))
        );
    }

    #[test]
    fn parse_version_rejects_unrelated_text() {
        assert_eq!(parse_version("command not found"), None);
        assert_eq!(parse_version("version x.y"), None);
        assert_eq!(parse_version(""), None);
    }

    #[test]
    fn parse_machine_help_lists_names() {
        let text = "Supported machines are:\n\
            microvm              microvm (i386)\n\
            pc                   Standard PC (i440FX + PIIX, 1996) (alias of pc-i440fx-9.2)\n\
            pc-i440fx-9.2        Standard PC (i440FX + PIIX, 1996) (default)\n\
            q35                  Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-9.2)\n\
            none                 empty machine\n";
        assert_eq!(
            parse_machine_help(text),
            vec!["microvm", "pc", "pc-i440fx-9.2", "q35", "none"]
        );
        assert!(parse_machine_help("garbage\n").is_empty());
    }
}
