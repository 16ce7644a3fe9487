//! `domains.cfg`: the authentication realms (`pam`, `pve`, `ad`, `ldap`, `openid`).
//!
//! A section config ([`crate::section`]) with upstream's realm types and options. Realm
//! comments are stored percent-encoded in the file (control and non-ASCII characters,
//! `:` and `%`); the model holds them decoded. Sections of unknown types are kept.
//!
//! Must not depend on: the authentication code (`virton-access`).

use crate::section::{
    self, formats, Diagnostic, OptionSpec, Section, SectionConfig, SectionDef, SectionValue,
};
use crate::{Format, ParseError};
use indexmap::IndexMap;
use serde_json::{json, Value};
use std::sync::OnceLock;

const O: OptionSpec = OptionSpec::OPTIONAL;
const R: OptionSpec = OptionSpec::REQUIRED;
const OF: OptionSpec = OptionSpec::OPTIONAL_FIXED;

/// Comment upstream gives the `pam` realm when it has none.
pub const PAM_COMMENT: &str = "Linux PAM standard authentication";
/// Comment upstream gives the `pve` realm when it has none.
pub const PVE_COMMENT: &str = "Proxmox VE authentication server";

fn tfa_format() -> Value {
    json!({
        "type": {"type": "string", "enum": ["yubico", "oath"]},
        "id": {"type": "string", "optional": 1},
        "key": {"type": "string", "optional": 1},
        "url": {"type": "string", "optional": 1},
        "digits": {"type": "integer", "minimum": 6, "maximum": 8, "optional": 1},
        "step": {"type": "integer", "minimum": 10, "optional": 1},
    })
}

fn sync_options_format() -> Value {
    json!({
        "scope": {"type": "string", "enum": ["users", "groups", "both"], "optional": 1},
        "remove-vanished": {"type": "string", "optional": 1,
            "pattern": "(?:(?:(?:acl|properties|entry);)*(?:acl|properties|entry))|none"},
        "full": {"type": "boolean", "optional": 1},
        "enable-new": {"type": "boolean", "optional": 1},
        "purge": {"type": "boolean", "optional": 1},
    })
}

const S: &str = r#"{"type":"string"}"#;
const B: &str = r#"{"type":"boolean"}"#;
const S256: &str = r#"{"type":"string","maxLength":256}"#;
const URI_SAFE: &str = r#"{"type":"string","pattern":"^[^\\x00-\\x1F\\x7F <>#\"]*$"}"#;
const ADDRESS: &str = r#"{"type":"string","format":"address","maxLength":256}"#;
const ATTR_LIST: &str = r#"{"type":"string","format":"ldap-simple-attr-list"}"#;

/// The global property list: key and schema as JSON text (`tfa` and
/// `sync-defaults-options` get their inline formats in [`properties`]).
const PROPERTIES: &[(&str, &str)] = &[
    ("comment", r#"{"type":"string","maxLength":4096}"#),
    ("default", B),
    ("tfa", S),
    ("server1", ADDRESS),
    ("server2", ADDRESS),
    ("secure", B),
    (
        "sslversion",
        r#"{"type":"string","enum":["tlsv1","tlsv1_1","tlsv1_2","tlsv1_3"]}"#,
    ),
    ("port", r#"{"type":"integer","minimum":1,"maximum":65535}"#),
    (
        "domain",
        r#"{"type":"string","pattern":"\\S+","maxLength":256}"#,
    ),
    ("base_dn", S256),
    (
        "user_attr",
        r#"{"type":"string","pattern":"\\S{2,}","maxLength":256}"#,
    ),
    ("bind_dn", S256),
    ("password", S),
    ("verify", B),
    ("capath", S),
    ("cert", S),
    ("certkey", S),
    ("filter", r#"{"type":"string","maxLength":2048}"#),
    (
        "sync_attributes",
        r#"{"type":"string","pattern":"\\w+=[^,]+(,\\s*\\w+=[^,]+)*"}"#,
    ),
    ("user_classes", ATTR_LIST),
    ("group_dn", S256),
    (
        "group_name_attr",
        r#"{"type":"string","format":"ldap-simple-attr","maxLength":256}"#,
    ),
    ("group_filter", r#"{"type":"string","maxLength":2048}"#),
    ("group_classes", ATTR_LIST),
    ("sync-defaults-options", S),
    (
        "mode",
        r#"{"type":"string","enum":["ldap","ldaps","ldap+starttls"]}"#,
    ),
    ("case-sensitive", B),
    ("issuer-url", S256),
    ("client-id", S256),
    ("client-key", S256),
    ("autocreate", B),
    ("username-claim", S),
    (
        "groups-claim",
        r#"{"type":"string","pattern":"[A-Za-z0-9\\.\\-_]+","maxLength":256}"#,
    ),
    ("groups-autocreate", B),
    ("groups-overwrite", B),
    (
        "prompt",
        r#"{"type":"string","pattern":"(?:none|login|consent|select_account|\\S+)"}"#,
    ),
    ("scopes", S),
    ("acr-values", URI_SAFE),
    ("query-userinfo", B),
    ("audiences", URI_SAFE),
];

fn properties() -> IndexMap<String, Value> {
    let mut props: IndexMap<String, Value> = PROPERTIES
        .iter()
        .map(|(k, v)| {
            (
                (*k).to_string(),
                serde_json::from_str(v).unwrap_or(Value::Null),
            )
        })
        .collect();
    let tfa = json!({"type": "string", "maxLength": 128, "format": tfa_format()});
    props.insert("tfa".into(), tfa);
    let sync = json!({"type": "string", "format": sync_options_format()});
    props.insert("sync-defaults-options".into(), sync);
    props
}

const DIRECTORY_OPTS: &[(&str, OptionSpec)] = &[
    ("server2", O),
    ("port", O),
    ("secure", O),
    ("sslversion", O),
    ("default", O),
    ("comment", O),
    ("tfa", O),
    ("verify", O),
    ("capath", O),
    ("cert", O),
    ("certkey", O),
    ("bind_dn", O),
    ("password", O),
    ("filter", O),
    ("sync_attributes", O),
    ("user_classes", O),
    ("group_dn", O),
    ("group_name_attr", O),
    ("group_filter", O),
    ("group_classes", O),
    ("sync-defaults-options", O),
    ("mode", O),
    ("case-sensitive", O),
];

/// The `domains.cfg` grammar (built once).
pub fn domains_def() -> &'static SectionDef {
    static DEF: OnceLock<SectionDef> = OnceLock::new();
    DEF.get_or_init(|| {
        let local = [("default", O), ("comment", O), ("tfa", O)];
        let ad: Vec<_> = DIRECTORY_OPTS
            .iter()
            .copied()
            .chain([
                ("server1", R),
                ("domain", R),
                ("base_dn", O),
                ("user_attr", O),
            ])
            .collect();
        let ldap: Vec<_> = DIRECTORY_OPTS
            .iter()
            .copied()
            .chain([("server1", R), ("base_dn", R), ("user_attr", R)])
            .collect();
        let openid = [
            ("issuer-url", R),
            ("client-id", R),
            ("client-key", O),
            ("autocreate", O),
            ("username-claim", OF),
            ("groups-claim", O),
            ("groups-autocreate", O),
            ("groups-overwrite", O),
            ("prompt", O),
            ("scopes", O),
            ("acr-values", O),
            ("audiences", O),
            ("default", O),
            ("comment", O),
            ("query-userinfo", O),
        ];
        let mut def = SectionDef::new(properties())
            .with_type("pam", &local)
            .with_type("pve", &local)
            .with_type("ad", &ad)
            .with_type("ldap", &ldap)
            .with_type("openid", &openid);
        def.lowercase_type = true;
        def.id_check = Some(formats::realm);
        def.prepare()
    })
}

/// Percent-encodes what upstream escapes in comments: control and non-ASCII bytes,
/// `%` and `:`.
pub fn encode_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        let safe = matches!(b, 0x20..=0x24 | 0x26..=0x39 | 0x3b..=0x7e);
        if safe {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reverses [`encode_text`]; malformed escapes stay as they are, invalid UTF-8 becomes U+FFFD.
pub fn decode_text(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .filter(|_| bytes.get(i) == Some(&b'%'));
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.extend(bytes.get(i));
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The parsed `domains.cfg` (comments decoded).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DomainsConfig {
    /// The realms in file order.
    pub sections: SectionConfig,
}

impl DomainsConfig {
    /// The file of a fresh install: the `pam` and `pve` realms.
    pub fn fresh_install() -> Self {
        let mut cfg = Self::default();
        cfg.ensure_builtin_realms();
        cfg
    }

    /// Reads the file as upstream does, reporting problems instead of failing.
    pub fn parse_lenient(file: &str, text: &str) -> (Self, Vec<Diagnostic>) {
        let (mut sections, diags) = section::parse_lenient(domains_def(), file, text);
        map_comments(&mut sections, decode_text);
        (Self { sections }, diags)
    }

    /// What upstream's reader adds: the `pam` and `pve` realms with their types forced
    /// and default comments, and at most one realm marked `default` (the first).
    pub fn ensure_builtin_realms(&mut self) {
        for (id, comment) in [("pam", PAM_COMMENT), ("pve", PVE_COMMENT)] {
            let realm = self
                .sections
                .sections
                .entry(id.to_string())
                .or_insert_with(|| Section::new(id, id));
            realm.section_type = id.to_string();
            realm.known = true;
            if !realm.flag("comment") {
                realm.set("comment", SectionValue::Str(comment.to_string()));
            }
        }
        let mut seen_default = false;
        for realm in self.sections.sections.values_mut() {
            if realm.flag("default") {
                if seen_default {
                    realm.props.shift_remove("default");
                }
                seen_default = true;
            }
        }
    }

    /// The realm with this id.
    pub fn get(&self, realm: &str) -> Option<&Section> {
        self.sections.get(realm)
    }

    /// The realm marked as default for the login form.
    pub fn default_realm(&self) -> Option<&str> {
        self.sections
            .iter()
            .find(|s| s.flag("default"))
            .map(|s| s.id.as_str())
    }
}

fn map_comments(cfg: &mut SectionConfig, f: fn(&str) -> String) {
    for s in cfg.sections.values_mut() {
        if let Some(SectionValue::Str(c)) = s.props.get_mut("comment") {
            if !c.is_empty() && c != "0" {
                *c = f(c);
            }
        }
    }
}

impl Format for DomainsConfig {
    fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        let mut sections = section::parse_strict(domains_def(), file, text)?;
        map_comments(&mut sections, decode_text);
        Ok(Self { sections })
    }

    fn write(&self) -> String {
        let mut sections = self.sections.clone();
        map_comments(&mut sections, encode_text);
        section::write(domains_def(), &sections)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_install_has_pam_and_pve() {
        assert_eq!(
            DomainsConfig::fresh_install().write(),
            "pam: pam\n\tcomment Linux PAM standard authentication\n\n\
             pve: pve\n\tcomment Proxmox VE authentication server\n\n"
        );
    }

    #[test]
    fn comments_are_percent_encoded_in_the_file() {
        let mut cfg = DomainsConfig::fresh_install();
        let pve = cfg.sections.get_mut("pve").unwrap();
        pve.set("comment", SectionValue::Str("Größe: 100%".into()));
        let text = cfg.write();
        assert!(
            text.contains("\tcomment Gr%C3%B6%C3%9Fe%3A 100%25\n"),
            "{text}"
        );
        let back = DomainsConfig::parse("domains.cfg", &text).unwrap();
        assert_eq!(back, cfg);
    }

    #[test]
    fn ldap_realm_requires_base_dn_and_user_attr() {
        let (cfg, d) = DomainsConfig::parse_lenient(
            "domains.cfg",
            "ldap: corp\n\tserver1 ldap.example.com\n\tuser_attr uid\n",
        );
        assert!(cfg.get("corp").is_none());
        assert_eq!(
            d[0].to_string(),
            "file domains.cfg line 3 (skip section 'corp'): missing value for required option 'base_dn'"
        );
    }

    #[test]
    fn realms_write_in_canonical_order() {
        let text = "ad: win\n\tdomain example.com\n\tserver1 dc1.example.com\n\tdefault 1\n\tcomment Windows\n\tmode ldaps\n\n\
                    openid: sso\n\tclient-id pve\n\tissuer-url https://id.example.com\n\tautocreate 1\n";
        let cfg = DomainsConfig::parse("domains.cfg", text).unwrap();
        assert_eq!(cfg.default_realm(), Some("win"));
        assert_eq!(
            cfg.write(),
            "ad: win\n\tcomment Windows\n\tdomain example.com\n\tserver1 dc1.example.com\n\tdefault 1\n\tmode ldaps\n\n\
             openid: sso\n\tclient-id pve\n\tissuer-url https://id.example.com\n\tautocreate 1\n\n"
        );
    }

    #[test]
    fn bad_realm_id_skips_section() {
        let (_, d) = DomainsConfig::parse_lenient("domains.cfg", "pve: 9x\n");
        assert_eq!(
            d[0].to_string(),
            "file domains.cfg line 1 (skip section '9x'): value does not look like a valid realm"
        );
    }

    #[test]
    fn only_first_default_realm_is_kept() {
        let mut cfg = DomainsConfig::parse(
            "domains.cfg",
            "pve: pve\n\tdefault 1\n\npam: pam\n\tdefault 1\n",
        )
        .unwrap();
        cfg.ensure_builtin_realms();
        assert!(!cfg.get("pam").unwrap().flag("default"));
        assert_eq!(cfg.default_realm(), Some("pve"));
    }

    #[test]
    fn tfa_property_string_is_checked() {
        let (_, d) =
            DomainsConfig::parse_lenient("domains.cfg", "pam: pam\n\ttfa type=oath,digits=9\n");
        assert!(
            d[0].to_string()
                .contains("digits: value must have a maximum value of 8"),
            "{}",
            d[0]
        );
    }
}
