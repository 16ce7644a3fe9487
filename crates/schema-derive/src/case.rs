//! serde's `rename_all` rules, applied to field names (snake_case in Rust) and to
//! variant names (PascalCase in Rust), so schema keys equal serde's wire names.

/// Applies `rule` to a snake_case field name; `None` for an unknown rule.
pub fn field(name: &str, rule: &str) -> Option<String> {
    let parts: Vec<&str> = name.split('_').collect();
    Some(match rule {
        "lowercase" | "snake_case" => name.to_string(),
        "UPPERCASE" | "SCREAMING_SNAKE_CASE" => name.to_ascii_uppercase(),
        "kebab-case" => name.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => name.replace('_', "-").to_ascii_uppercase(),
        "PascalCase" => parts.iter().map(|p| capitalize(p)).collect(),
        "camelCase" => {
            let pascal: String = parts.iter().map(|p| capitalize(p)).collect();
            lower_first(&pascal)
        }
        _ => return None,
    })
}

/// Applies `rule` to a PascalCase variant name; `None` for an unknown rule.
pub fn variant(name: &str, rule: &str) -> Option<String> {
    Some(match rule {
        "lowercase" => name.to_ascii_lowercase(),
        "UPPERCASE" => name.to_ascii_uppercase(),
        "PascalCase" => name.to_string(),
        "camelCase" => lower_first(name),
        "snake_case" => words(name, '_'),
        "SCREAMING_SNAKE_CASE" => words(name, '_').to_ascii_uppercase(),
        "kebab-case" => words(name, '-'),
        "SCREAMING-KEBAB-CASE" => words(name, '-').to_ascii_uppercase(),
        _ => return None,
    })
}

fn capitalize(part: &str) -> String {
    let mut chars = part.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// `WriteBack` -> `write_back` with the given separator (serde's algorithm).
fn words(name: &str, sep: char) -> String {
    let mut out = String::new();
    for (i, c) in name.char_indices() {
        if c.is_uppercase() && i > 0 {
            out.push(sep);
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_rules_match_serde() {
        assert_eq!(
            field("iops_rd_max", "kebab-case").as_deref(),
            Some("iops-rd-max")
        );
        assert_eq!(
            field("iops_rd_max", "camelCase").as_deref(),
            Some("iopsRdMax")
        );
        assert_eq!(
            field("iops_rd_max", "PascalCase").as_deref(),
            Some("IopsRdMax")
        );
        assert_eq!(field("a_b", "SCREAMING-KEBAB-CASE").as_deref(), Some("A-B"));
        assert_eq!(field("a", "bogus"), None);
    }

    #[test]
    fn variant_rules_match_serde() {
        assert_eq!(
            variant("WriteBack", "lowercase").as_deref(),
            Some("writeback")
        );
        assert_eq!(
            variant("WriteBack", "kebab-case").as_deref(),
            Some("write-back")
        );
        assert_eq!(
            variant("WriteBack", "snake_case").as_deref(),
            Some("write_back")
        );
        assert_eq!(
            variant("WriteBack", "camelCase").as_deref(),
            Some("writeBack")
        );
        assert_eq!(variant("E1000", "lowercase").as_deref(), Some("e1000"));
    }
}
