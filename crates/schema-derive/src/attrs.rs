//! Reading the attributes the derive honours: `///` doc comments, the serde
//! attributes that change wire names or presence, and our `#[api(...)]` constraints.

use syn::{Attribute, Expr, LitStr, Token};

/// The doc comment of an item, lines joined with `\n`, or `None`.
pub fn docs(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_string()
        })
        .collect();
    let text = lines.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// The serde attributes that matter for the schema.
#[derive(Default)]
pub struct Serde {
    pub rename: Option<String>,
    pub rename_all: Option<String>,
    pub skip: bool,
    pub default: bool,
    pub flatten: bool,
}

/// Reads every `#[serde(...)]` on an item; unknown serde options are skipped.
pub fn serde(attrs: &[Attribute]) -> syn::Result<Serde> {
    let mut out = Serde::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            match name.as_str() {
                "rename" if meta.input.peek(Token![=]) => {
                    out.rename = Some(meta.value()?.parse::<LitStr>()?.value())
                }
                "rename_all" if meta.input.peek(Token![=]) => {
                    out.rename_all = Some(meta.value()?.parse::<LitStr>()?.value())
                }
                "skip" => out.skip = true,
                "default" => out.default = true,
                "flatten" => out.flatten = true,
                _ => {}
            }
            skip_rest(&meta)
        })?;
    }
    Ok(out)
}

/// Consumes `= value` or `(...)` after an option we do not interpret.
fn skip_rest(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

/// `#[api(...)]` on a field.
#[derive(Default)]
pub struct Api {
    pub default_key: bool,
    pub optional: bool,
    pub aliases: Vec<String>,
    pub keyalias: Option<String>,
    pub minimum: Option<Expr>,
    pub maximum: Option<Expr>,
    pub min_length: Option<Expr>,
    pub max_length: Option<Expr>,
    pub pattern: Option<String>,
    pub format: Option<String>,
    pub typetext: Option<String>,
    pub default: Option<String>,
    pub format_description: Option<String>,
}

/// Reads every `#[api(...)]` on a field; unknown options are errors.
pub fn api(attrs: &[Attribute]) -> syn::Result<Api> {
    let mut out = Api::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("api")) {
        attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            let text = |meta: &syn::meta::ParseNestedMeta<'_>| -> syn::Result<String> {
                Ok(meta.value()?.parse::<LitStr>()?.value())
            };
            match name.as_str() {
                "default_key" => out.default_key = true,
                "optional" => out.optional = true,
                "alias" => out.aliases.push(text(&meta)?),
                "keyalias" => out.keyalias = Some(text(&meta)?),
                "minimum" => out.minimum = Some(meta.value()?.parse()?),
                "maximum" => out.maximum = Some(meta.value()?.parse()?),
                "min_length" => out.min_length = Some(meta.value()?.parse()?),
                "max_length" => out.max_length = Some(meta.value()?.parse()?),
                "pattern" => out.pattern = Some(text(&meta)?),
                "format" => out.format = Some(text(&meta)?),
                "typetext" => out.typetext = Some(text(&meta)?),
                "default" => out.default = Some(text(&meta)?),
                "format_description" => out.format_description = Some(text(&meta)?),
                _ => return Err(meta.error(format!("unknown api attribute `{name}`"))),
            }
            Ok(())
        })?;
    }
    Ok(out)
}
