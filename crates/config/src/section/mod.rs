//! The generic section-config engine: the grammar of `storage.cfg`, `domains.cfg`,
//! `status.cfg` and every other `/etc/pve` file made of typed sections.
//!
//! A file is a list of sections. Each opens with a header line `type: id` and continues
//! with indented `key value` lines up to the next blank line; lines starting with `#` are
//! comments and are dropped. Which keys a section may hold depends on its type: a
//! [`SectionDef`] lists the global property schemas and, per type, which of them the type
//! uses and whether they are optional or fixed (settable only on creation).
//!
//! Parsing follows upstream's lenient behaviour ([`parse_lenient`]): a bad value drops
//! the key, a section missing a required key is skipped, stray lines are ignored, and each
//! of these yields a [`Diagnostic`] worded as upstream warns. [`parse_strict`] turns the
//! first diagnostic into a [`ParseError`]. Writing ([`write`]) is canonical as upstream:
//! header, `comment`, `disable`, the required keys sorted, then the optional keys sorted,
//! each section followed by a blank line. Sections of types the definition does not know
//! are kept verbatim (keys in file order are re-emitted `comment` first, then sorted).
//!
//! Must not depend on: any concrete file (storage, realms, ...); those live in sibling
//! modules that build a [`SectionDef`].

mod check;
pub mod formats;
mod parse;
mod write;

#[cfg(test)]
mod tests;

use crate::ParseError;
use check::CompiledProp;
use indexmap::IndexMap;
use std::fmt;
use std::sync::OnceLock;

pub use check::{check_value, is_integer, is_number, perl_number, split_list, Kind};
pub use parse::{parse_lenient, parse_strict};
pub use write::{validate, write, WriteError};

/// One property value as stored in a section.
#[derive(Debug, Clone, PartialEq)]
pub enum SectionValue {
    /// A `boolean` property (written as `0`/`1`).
    Bool(bool),
    /// An `integer` property.
    Int(i64),
    /// A `number` property.
    Number(f64),
    /// A `string` property (property strings stay in their string form).
    Str(String),
    /// An `array` property, or a key repeated in a section of unknown type.
    List(Vec<String>),
}

impl SectionValue {
    /// The string value, when this is a [`SectionValue::Str`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The truth value as upstream's Perl sees it (`""`, `"0"`, `0` and empty lists are false).
    pub fn is_truthy(&self) -> bool {
        match self {
            Self::Bool(b) => *b,
            Self::Int(i) => *i != 0,
            Self::Number(n) => *n != 0.0,
            Self::Str(s) => !s.is_empty() && s != "0",
            Self::List(l) => !l.is_empty(),
        }
    }
}

impl fmt::Display for SectionValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bool(b) => write!(f, "{}", u8::from(*b)),
            Self::Int(i) => write!(f, "{i}"),
            Self::Number(n) => f.write_str(&perl_number(*n)),
            Self::Str(s) => f.write_str(s),
            Self::List(l) => f.write_str(&l.join(",")),
        }
    }
}

/// One section: its type, id and properties (in file order).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The section type (the part before `:` in the header).
    pub section_type: String,
    /// The section id (the part after `:`).
    pub id: String,
    /// The properties, without `type`.
    pub props: IndexMap<String, SectionValue>,
    /// False for sections whose type the definition does not know; they are kept raw.
    pub known: bool,
}

impl Section {
    /// A new section of a known type without properties.
    pub fn new(section_type: impl Into<String>, id: impl Into<String>) -> Self {
        Self {
            section_type: section_type.into(),
            id: id.into(),
            props: IndexMap::new(),
            known: true,
        }
    }

    /// A property value.
    pub fn get(&self, key: &str) -> Option<&SectionValue> {
        self.props.get(key)
    }

    /// A string property.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.props.get(key).and_then(SectionValue::as_str)
    }

    /// A boolean property (false when unset).
    pub fn flag(&self, key: &str) -> bool {
        self.props.get(key).is_some_and(SectionValue::is_truthy)
    }

    /// Sets a property, keeping its position when it already exists.
    pub fn set(&mut self, key: impl Into<String>, value: SectionValue) {
        self.props.insert(key.into(), value);
    }
}

/// A parsed section-config file: sections by id, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SectionConfig {
    /// The sections by id; the map order is the file order.
    pub sections: IndexMap<String, Section>,
}

impl SectionConfig {
    /// An empty file.
    pub fn new() -> Self {
        Self::default()
    }

    /// The section with this id.
    pub fn get(&self, id: &str) -> Option<&Section> {
        self.sections.get(id)
    }

    /// The section with this id, mutably.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Section> {
        self.sections.get_mut(id)
    }

    /// Adds or replaces a section (a new id goes to the end, as upstream orders new ids).
    pub fn insert(&mut self, section: Section) {
        self.sections.insert(section.id.clone(), section);
    }

    /// Removes a section, keeping the order of the others.
    pub fn remove(&mut self, id: &str) -> Option<Section> {
        self.sections.shift_remove(id)
    }

    /// The sections in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Section> {
        self.sections.values()
    }
}

/// How a type uses one property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OptionSpec {
    /// The key may be absent.
    pub optional: bool,
    /// The key may only be set when the section is created.
    pub fixed: bool,
}

impl OptionSpec {
    /// Optional and changeable.
    pub const OPTIONAL: Self = Self {
        optional: true,
        fixed: false,
    };
    /// Required and changeable.
    pub const REQUIRED: Self = Self {
        optional: false,
        fixed: false,
    };
    /// Required and only settable on creation.
    pub const FIXED: Self = Self {
        optional: false,
        fixed: true,
    };
    /// Optional and only settable on creation.
    pub const OPTIONAL_FIXED: Self = Self {
        optional: true,
        fixed: true,
    };
}

/// Validates a section id from the header; `Err` carries upstream's message.
pub type IdCheck = fn(&str) -> Result<(), String>;
/// Checks a named string format the definition knows (`None`: not one of ours).
pub type FormatCheck = fn(&str, &str) -> Option<Result<(), String>>;
/// Type-specific checks after a section is read: may normalise values, add warnings to
/// the vector, or reject the whole section with `Err`.
pub type SectionHook = fn(&mut Section, &mut Vec<String>) -> Result<(), String>;

/// The grammar of one section-config file: global property schemas and the per-type
/// option sets.
///
/// The property schemas are read into their checked form once, on the first check (or
/// when [`SectionDef::prepare`] is called); `properties` and `formats` must not change
/// after that.
#[derive(Debug, Clone)]
pub struct SectionDef {
    /// Property schemas in upstream's JSON-schema dialect, by key.
    pub properties: IndexMap<String, serde_json::Value>,
    /// Per section type, the options it uses.
    pub types: IndexMap<String, IndexMap<String, OptionSpec>>,
    /// Lower-case the type in headers (storage, realms and metric servers do).
    pub lowercase_type: bool,
    /// Headers may omit the id, which then equals the type (`status.cfg`).
    pub id_defaults_to_type: bool,
    /// Section id validation.
    pub id_check: Option<IdCheck>,
    /// Named formats local to this file's grammar.
    pub formats: Option<FormatCheck>,
    /// Checks after a section is read.
    pub section_hook: Option<SectionHook>,
    /// `properties` read once for checking, and per-type key orders (see
    /// [`SectionDef::prepare`]).
    prepared: OnceLock<Prepared>,
}

/// What a [`SectionDef`] derives once from its properties and types.
#[derive(Debug, Clone)]
struct Prepared {
    /// Property schemas in checked form, by key.
    props: IndexMap<String, CompiledProp>,
    /// Per type: the keys in write order (required sorted, then optional sorted;
    /// without `comment` and `disable`).
    write_order: IndexMap<String, Vec<String>>,
    /// Per type: its required keys, sorted.
    required: IndexMap<String, Vec<String>>,
}

impl SectionDef {
    /// A definition without types; add them with [`SectionDef::with_type`].
    pub fn new(properties: IndexMap<String, serde_json::Value>) -> Self {
        Self {
            properties,
            types: IndexMap::new(),
            lowercase_type: false,
            id_defaults_to_type: false,
            id_check: None,
            formats: None,
            section_hook: None,
            prepared: OnceLock::new(),
        }
    }

    /// Reads every property schema into its checked form now rather than on the first
    /// check; call it when the definition is complete (after setting `formats`).
    pub fn prepare(self) -> Self {
        self.prepared();
        self
    }

    fn prepared(&self) -> &Prepared {
        self.prepared.get_or_init(|| {
            let props = self
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), CompiledProp::new(v, self.formats)))
                .collect();
            let mut write_order = IndexMap::new();
            let mut required = IndexMap::new();
            for (ty, opts) in &self.types {
                let mut keys: Vec<&String> = opts.keys().collect();
                keys.sort();
                let (req, opt): (Vec<&String>, Vec<&String>) = keys
                    .into_iter()
                    .partition(|k| opts.get(k.as_str()).is_some_and(|o| !o.optional));
                let order = req
                    .iter()
                    .chain(&opt)
                    .filter(|k| k.as_str() != "comment" && k.as_str() != "disable")
                    .map(|k| (*k).clone())
                    .collect();
                write_order.insert(ty.clone(), order);
                required.insert(ty.clone(), req.into_iter().cloned().collect());
            }
            Prepared {
                props,
                write_order,
                required,
            }
        })
    }

    fn compiled(&self) -> &IndexMap<String, CompiledProp> {
        &self.prepared().props
    }

    /// The keys of `section_type` in the order the writer puts them (without `comment`
    /// and `disable`, which come first when set).
    pub(crate) fn write_order(&self, section_type: &str) -> &[String] {
        self.prepared()
            .write_order
            .get(section_type)
            .map_or(&[], Vec::as_slice)
    }

    /// The required keys of `section_type`, sorted.
    pub(crate) fn required_keys(&self, section_type: &str) -> &[String] {
        self.prepared()
            .required
            .get(section_type)
            .map_or(&[], Vec::as_slice)
    }

    /// The value kind of a property (`None`: no such property).
    pub fn kind(&self, key: &str) -> Option<Kind> {
        self.compiled().get(key).map(CompiledProp::kind)
    }

    /// Adds a section type with its options.
    pub fn with_type(mut self, name: &str, options: &[(&str, OptionSpec)]) -> Self {
        let opts = options
            .iter()
            .map(|(k, o)| ((*k).to_string(), *o))
            .collect();
        self.types.insert(name.to_string(), opts);
        // a new type changes what was derived from the types
        self.prepared = OnceLock::new();
        self
    }

    /// The schema of a property.
    pub fn schema(&self, key: &str) -> Option<&serde_json::Value> {
        self.properties.get(key)
    }

    /// The options of a type.
    pub fn options(&self, section_type: &str) -> Option<&IndexMap<String, OptionSpec>> {
        self.types.get(section_type)
    }

    /// True when `key` is fixed (creation-only) for `section_type`.
    pub fn is_fixed(&self, section_type: &str, key: &str) -> bool {
        self.options(section_type)
            .and_then(|o| o.get(key))
            .is_some_and(|o| o.fixed)
    }

    /// Checks one raw value of `key` for `section_type` as upstream does when reading a
    /// line, and converts it to its typed form.
    pub fn check_property(
        &self,
        section_type: &str,
        key: &str,
        raw: Option<&str>,
    ) -> Result<SectionValue, String> {
        let opts = self
            .options(section_type)
            .ok_or_else(|| format!("unknown section type '{section_type}'"))?;
        if !opts.contains_key(key) {
            return Err(format!("unexpected property '{key}'"));
        }
        let schema = self.compiled().get(key).ok_or("unknown property type")?;
        schema.check(raw, self.formats)
    }

    /// Checks that an update of an existing section of `section_type` may set `keys`
    /// (fixed options may only be set on creation).
    pub fn check_update<'k>(
        &self,
        section_type: &str,
        keys: impl IntoIterator<Item = &'k str>,
    ) -> Result<(), String> {
        for key in keys {
            if self.is_fixed(section_type, key) {
                return Err(format!("can't change value of fixed parameter '{key}'"));
            }
        }
        Ok(())
    }

    /// Removes `delete` keys from `section` as upstream's `delete_from_config` does:
    /// only optional, non-fixed options, and none that `set` also sets.
    pub fn delete_keys(
        &self,
        section: &mut Section,
        set: &[&str],
        delete: &[&str],
    ) -> Result<(), String> {
        let opts = self.options(&section.section_type);
        for key in delete {
            let spec = opts
                .and_then(|o| o.get(*key))
                .ok_or_else(|| format!("no such option '{key}'"))?;
            if !spec.optional {
                return Err(format!("unable to delete required option '{key}'"));
            }
            if spec.fixed {
                return Err(format!("unable to delete fixed option '{key}'"));
            }
            if set.contains(key) {
                return Err(format!(
                    "cannot set and delete property '{key}' at the same time!"
                ));
            }
            section.props.shift_remove(*key);
        }
        Ok(())
    }

    /// Checks a whole section as upstream does on creation: every value, then that all
    /// required options are present. Unknown types pass unchecked.
    pub fn check_section(&self, section: &Section) -> Result<(), String> {
        let Some(opts) = self.options(&section.section_type) else {
            return Ok(());
        };
        for (key, value) in &section.props {
            let raw = value.to_string();
            match value {
                SectionValue::List(items) => {
                    for item in items {
                        self.check_property(&section.section_type, key, Some(item))?;
                    }
                }
                _ => {
                    self.check_property(&section.section_type, key, Some(&raw))?;
                }
            }
        }
        for (key, spec) in opts {
            if !spec.optional && !section.props.contains_key(key) {
                return Err(format!("missing value for required option '{key}'"));
            }
        }
        Ok(())
    }
}

/// What kind of problem a [`Diagnostic`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagnosticKind {
    /// A line that is neither a header nor a property line; it was ignored.
    IgnoredLine,
    /// A value failed its check; the key was dropped.
    BadValue,
    /// The whole section was dropped (bad header id, missing required key, ...).
    SkippedSection,
    /// A value was accepted but partly dropped (e.g. an unsupported content type).
    Warning,
}

/// A problem found while reading, worded as upstream warns about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// File name given to the parser.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// The section id, when inside a section.
    pub section: Option<String>,
    /// The key, for value errors.
    pub key: Option<String>,
    /// What happened.
    pub kind: DiagnosticKind,
    /// The upstream error text (without the `file X line N` prefix).
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "file {} line {}", self.file, self.line)?;
        let sect = self.section.as_deref().unwrap_or_default();
        match self.kind {
            DiagnosticKind::IgnoredLine if self.section.is_some() => {
                write!(f, " (section '{sect}') - {}", self.message)
            }
            DiagnosticKind::IgnoredLine | DiagnosticKind::Warning => {
                write!(f, " - {}", self.message)
            }
            DiagnosticKind::BadValue => write!(
                f,
                " (section '{sect}') - unable to parse value of '{}': {}",
                self.key.as_deref().unwrap_or_default(),
                self.message
            ),
            DiagnosticKind::SkippedSection => {
                write!(f, " (skip section '{sect}'): {}", self.message)
            }
        }
    }
}

impl From<Diagnostic> for ParseError {
    fn from(d: Diagnostic) -> Self {
        let message = match (&d.kind, &d.section) {
            (DiagnosticKind::BadValue, Some(s)) => format!(
                "section '{s}': unable to parse value of '{}': {}",
                d.key.as_deref().unwrap_or_default(),
                d.message
            ),
            (DiagnosticKind::SkippedSection, Some(s)) => {
                format!("skip section '{s}': {}", d.message)
            }
            (_, Some(s)) => format!("section '{s}': {}", d.message),
            (_, None) => d.message.clone(),
        };
        let mut e = ParseError::new(d.file, message).at_line(d.line);
        if let Some(k) = d.key {
            e = e.with_key(k);
        }
        e
    }
}
