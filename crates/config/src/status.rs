//! `status.cfg`: the external metric servers node statistics are sent to.
//!
//! A section config ([`crate::section`]) with upstream's types `graphite`, `influxdb`
//! and `opentelemetry`. Headers may omit the id (`graphite:` means id `graphite`).
//! Sections of unknown types are kept and written back.
//!
//! Must not depend on: the metric exporters (`virton-stats`).

use crate::section::{self, formats, Diagnostic, OptionSpec, Section, SectionConfig, SectionDef};
use crate::{Format, ParseError};
use indexmap::IndexMap;
use serde_json::{json, Value};
use std::sync::OnceLock;

const O: OptionSpec = OptionSpec::OPTIONAL;
const R: OptionSpec = OptionSpec::REQUIRED;

fn properties() -> IndexMap<String, Value> {
    let s = json!({"type": "string"});
    let b = json!({"type": "boolean"});
    [
        ("disable", b.clone()),
        ("server", json!({"type": "string", "format": "address"})),
        (
            "port",
            json!({"type": "integer", "minimum": 1, "maximum": 65536}),
        ),
        (
            "mtu",
            json!({"type": "integer", "minimum": 512, "maximum": 65536}),
        ),
        ("path", json!({"type": "string", "format": "graphite-path"})),
        ("timeout", json!({"type": "integer", "minimum": 0})),
        ("proto", json!({"type": "string", "enum": ["udp", "tcp"]})),
        ("organization", s.clone()),
        ("bucket", s.clone()),
        ("token", s.clone()),
        ("api-path-prefix", s.clone()),
        (
            "influxdbproto",
            json!({"type": "string", "enum": ["udp", "http", "https"]}),
        ),
        ("max-body-size", json!({"type": "integer", "minimum": 1})),
        ("verify-certificate", b.clone()),
        (
            "otel-protocol",
            json!({"type": "string", "enum": ["http", "https"]}),
        ),
        ("otel-path", s),
        (
            "otel-timeout",
            json!({"type": "integer", "minimum": 1, "maximum": 10}),
        ),
        ("otel-headers", json!({"type": "string", "maxLength": 1024})),
        ("otel-verify-ssl", b),
        (
            "otel-max-body-size",
            json!({"type": "integer", "minimum": 1024}),
        ),
        (
            "otel-resource-attributes",
            json!({"type": "string", "maxLength": 1024}),
        ),
        (
            "otel-compression",
            json!({"type": "string", "enum": ["none", "gzip"]}),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The `status.cfg` grammar (built once).
pub fn status_def() -> &'static SectionDef {
    static DEF: OnceLock<SectionDef> = OnceLock::new();
    DEF.get_or_init(|| {
        let mut def = SectionDef::new(properties())
            .with_type(
                "graphite",
                &[
                    ("server", R),
                    ("port", O),
                    ("mtu", O),
                    ("proto", O),
                    ("timeout", O),
                    ("path", O),
                    ("disable", O),
                ],
            )
            .with_type(
                "influxdb",
                &[
                    ("server", R),
                    ("port", R),
                    ("mtu", O),
                    ("disable", O),
                    ("organization", O),
                    ("bucket", O),
                    ("token", O),
                    ("influxdbproto", O),
                    ("timeout", O),
                    ("max-body-size", O),
                    ("api-path-prefix", O),
                    ("verify-certificate", O),
                ],
            )
            .with_type(
                "opentelemetry",
                &[
                    ("server", R),
                    ("port", O),
                    ("disable", O),
                    ("otel-protocol", O),
                    ("otel-path", O),
                    ("otel-timeout", O),
                    ("otel-headers", O),
                    ("otel-verify-ssl", O),
                    ("otel-max-body-size", O),
                    ("otel-resource-attributes", O),
                    ("otel-compression", O),
                ],
            );
        def.lowercase_type = true;
        def.id_defaults_to_type = true;
        def.id_check = Some(formats::config_id);
        def.formats = Some(status_format);
        def.prepare()
    })
}

fn status_format(name: &str, v: &str) -> Option<Result<(), String>> {
    (name == "graphite-path").then(|| {
        formats::dns_name(v).map_err(|_| "value does not look like a valid graphite path".into())
    })
}

/// The parsed `status.cfg`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatusConfig {
    /// The metric servers in file order.
    pub sections: SectionConfig,
}

impl StatusConfig {
    /// Reads the file as upstream does, reporting problems instead of failing.
    pub fn parse_lenient(file: &str, text: &str) -> (Self, Vec<Diagnostic>) {
        let (sections, diags) = section::parse_lenient(status_def(), file, text);
        (Self { sections }, diags)
    }

    /// The metric server with this id.
    pub fn get(&self, id: &str) -> Option<MetricServer<'_>> {
        self.sections.get(id).map(MetricServer)
    }

    /// All metric servers in file order.
    pub fn servers(&self) -> impl Iterator<Item = MetricServer<'_>> {
        self.sections.iter().map(MetricServer)
    }
}

impl Format for StatusConfig {
    fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        let sections = section::parse_strict(status_def(), file, text)?;
        Ok(Self { sections })
    }

    fn write(&self) -> String {
        section::write(status_def(), &self.sections)
    }
}

/// Typed read access to one metric server.
#[derive(Debug, Clone, Copy)]
pub struct MetricServer<'a>(pub &'a Section);

impl<'a> MetricServer<'a> {
    /// The id.
    pub fn id(&self) -> &'a str {
        &self.0.id
    }

    /// `graphite`, `influxdb` or `opentelemetry`.
    pub fn server_type(&self) -> &'a str {
        &self.0.section_type
    }

    /// Host name or address.
    pub fn server(&self) -> Option<&'a str> {
        self.0.get_str("server")
    }

    /// The configured port, else the type's default (graphite 2003, influxdb 8089).
    pub fn port(&self) -> Option<i64> {
        match self.0.get("port") {
            Some(section::SectionValue::Int(p)) => Some(*p),
            _ => match self.server_type() {
                "graphite" => Some(2003),
                "influxdb" => Some(8089),
                _ => None,
            },
        }
    }

    /// True when the server is disabled.
    pub fn disabled(&self) -> bool {
        self.0.flag("disable")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_servers_parse_and_write_canonically() {
        let text = "influxdb: influx1\n\tport 8089\n\tserver 10.0.0.5\n\tinfluxdbproto udp\n\n\
                    graphite:\n\tserver graphite.example.com\n\tpath proxmox.pve\n\tdisable 1\n";
        let cfg = StatusConfig::parse("status.cfg", text).unwrap();
        assert_eq!(cfg.get("graphite").unwrap().port(), Some(2003));
        assert!(cfg.get("graphite").unwrap().disabled());
        assert_eq!(cfg.get("influx1").unwrap().server(), Some("10.0.0.5"));
        assert_eq!(
            cfg.write(),
            "influxdb: influx1\n\tport 8089\n\tserver 10.0.0.5\n\tinfluxdbproto udp\n\n\
             graphite: graphite\n\tdisable\n\tserver graphite.example.com\n\tpath proxmox.pve\n\n"
        );
    }

    #[test]
    fn opentelemetry_options_are_checked() {
        let (_, d) = StatusConfig::parse_lenient(
            "status.cfg",
            "opentelemetry: otel\n\tserver otel.example.com\n\totel-timeout 11\n",
        );
        assert_eq!(
            d[0].to_string(),
            "file status.cfg line 3 (section 'otel') - unable to parse value of 'otel-timeout': value must have a maximum value of 10"
        );
    }

    #[test]
    fn influxdb_without_port_is_skipped() {
        let (cfg, d) = StatusConfig::parse_lenient("status.cfg", "influxdb: i1\n\tserver h\n");
        assert!(cfg.get("i1").is_none());
        assert_eq!(
            d[0].to_string(),
            "file status.cfg line 2 (skip section 'i1'): missing value for required option 'port'"
        );
    }

    #[test]
    fn invalid_graphite_path_is_rejected() {
        let (_, d) =
            StatusConfig::parse_lenient("status.cfg", "graphite: g1\n\tserver h\n\tpath a..b\n");
        assert!(d[0]
            .to_string()
            .ends_with("invalid format - value does not look like a valid graphite path"));
    }
}
