//! The schema model: PVE's JSON-schema dialect as Rust types.
//!
//! Owns the data types only (no parsing of JSON, no validation): [`Schema`] and its
//! per-type structs, [`Property`] (a named member of an object with the property-string
//! attributes `default_key`, `alias`, `keyAlias`, `optional`) and [`StringFormat`].
//! Must not depend on any other module of this crate.

use indexmap::IndexMap;

/// A schema in PVE's dialect: one variant per JSON type.
#[derive(Debug, Clone, PartialEq)]
pub enum Schema {
    /// `type => 'boolean'`.
    Boolean(BooleanSchema),
    /// `type => 'integer'`.
    Integer(IntegerSchema),
    /// `type => 'number'`.
    Number(NumberSchema),
    /// `type => 'string'` (also used for a missing type and for `any`).
    String(StringSchema),
    /// `type => 'array'`.
    Array(ArraySchema),
    /// `type => 'object'`.
    Object(ObjectSchema),
    /// `type => 'null'`.
    Null,
}

/// A boolean. On the wire and in files PVE writes `1`/`0`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BooleanSchema {
    /// Human readable description.
    pub description: Option<String>,
    /// Value assumed when the property is absent.
    pub default: Option<bool>,
}

/// An integer with an optional inclusive range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntegerSchema {
    /// Human readable description.
    pub description: Option<String>,
    /// Inclusive lower bound.
    pub minimum: Option<i64>,
    /// Inclusive upper bound.
    pub maximum: Option<i64>,
    /// Value assumed when the property is absent.
    pub default: Option<i64>,
    /// A named format checked on the decimal text (upstream's `pve-vmid` is an integer
    /// with a format); checked before the range, as upstream does.
    pub format: Option<String>,
}

/// A floating point number with an optional inclusive range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumberSchema {
    /// Human readable description.
    pub description: Option<String>,
    /// Inclusive lower bound.
    pub minimum: Option<f64>,
    /// Inclusive upper bound.
    pub maximum: Option<f64>,
    /// Value assumed when the property is absent.
    pub default: Option<f64>,
}

/// A string with optional length, pattern, enumeration and format constraints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringSchema {
    /// Human readable description.
    pub description: Option<String>,
    /// Value assumed when the property is absent.
    pub default: Option<String>,
    /// Minimum length in characters.
    pub min_length: Option<usize>,
    /// Maximum length in characters.
    pub max_length: Option<usize>,
    /// A regular expression the whole value must match (anchored as `^pattern$`).
    pub pattern: Option<String>,
    /// The allowed values.
    pub enum_values: Option<Vec<String>>,
    /// A named format or a property-string sub-format.
    pub format: Option<StringFormat>,
    /// Text shown for the value in generated usage (`<size>`).
    pub typetext: Option<String>,
    /// Short, usually one-word description used in property-string usage text.
    pub format_description: Option<String>,
}

/// What a string's `format` names.
#[derive(Debug, Clone, PartialEq)]
pub enum StringFormat {
    /// A registered named format: `pve-storage-id`, `mac-addr`, `pve-vmid-list`, ...
    /// (see [`crate::check_format`]).
    Named(String),
    /// A `key=value,...` string with its own object schema.
    PropertyString(Box<ObjectSchema>),
}

/// An array of items of one schema.
#[derive(Debug, Clone, PartialEq)]
pub struct ArraySchema {
    /// Human readable description.
    pub description: Option<String>,
    /// Schema of every element.
    pub items: Box<Schema>,
}

/// An object: named properties in declaration order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectSchema {
    /// Human readable description.
    pub description: Option<String>,
    /// The properties, in declaration order.
    pub properties: IndexMap<String, Property>,
    /// Whether keys not listed in `properties` are accepted.
    pub additional_properties: bool,
}

/// One named member of an [`ObjectSchema`].
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The value's schema.
    pub schema: Schema,
    /// The property may be absent.
    pub optional: bool,
    /// In a property string, a value without `key=` belongs to this property.
    pub default_key: bool,
    /// This key is another name for the property named here; its value is stored there.
    pub alias: Option<String>,
    /// With `alias`: the key itself is stored as the value of the property named here
    /// (`virtio=MAC` means `model=virtio,macaddr=MAC`).
    pub keyalias: Option<String>,
}

impl Property {
    /// A required property without property-string attributes.
    pub fn new(schema: Schema) -> Self {
        Property {
            schema,
            optional: false,
            default_key: false,
            alias: None,
            keyalias: None,
        }
    }

    /// The same property marked optional.
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
}

impl ObjectSchema {
    /// The property marked `default_key`, if any (the first one in declaration order).
    pub fn default_key(&self) -> Option<&str> {
        self.properties
            .iter()
            .find(|(_, p)| p.default_key)
            .map(|(k, _)| k.as_str())
    }

    /// Looks a property up by its key.
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties.get(key)
    }

    /// `keyAlias` target -> `alias` target for every key-alias property
    /// (for `virtio => {alias => 'macaddr', keyAlias => 'model'}`: `model -> macaddr`).
    pub fn key_alias_targets(&self) -> IndexMap<&str, &str> {
        let mut out = IndexMap::new();
        for prop in self.properties.values() {
            if let (Some(alias), Some(keyalias)) = (&prop.alias, &prop.keyalias) {
                out.entry(keyalias.as_str()).or_insert(alias.as_str());
            }
        }
        out
    }
}

impl Schema {
    /// The description of any variant.
    pub fn description(&self) -> Option<&str> {
        match self {
            Schema::Boolean(s) => s.description.as_deref(),
            Schema::Integer(s) => s.description.as_deref(),
            Schema::Number(s) => s.description.as_deref(),
            Schema::String(s) => s.description.as_deref(),
            Schema::Array(s) => s.description.as_deref(),
            Schema::Object(s) => s.description.as_deref(),
            Schema::Null => None,
        }
    }

    /// Upstream's name of the type (`'boolean'`, `'integer'`, ...) as used in error texts.
    pub fn type_name(&self) -> &'static str {
        match self {
            Schema::Boolean(_) => "boolean",
            Schema::Integer(_) => "integer",
            Schema::Number(_) => "number",
            Schema::String(_) => "string",
            Schema::Array(_) => "array",
            Schema::Object(_) => "object",
            Schema::Null => "null",
        }
    }
}
