//! `#[derive(ApiType)]` for `virton-schema`: builds a type's PVE-dialect schema from its
//! fields, `///` doc comments, serde attributes and `#[api(...)]` constraints.
//!
//! Structs with named fields become object schemas (property strings use them);
//! unit-only enums become string enumerations. The generated code only calls
//! `::virton_schema::typed` helpers, so all schema semantics live in that crate.
//! Must not depend on any VirtOn crate (proc-macro crates cannot be depended on at run
//! time anyway).

mod attrs;
mod case;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Fields, GenericArgument, PathArguments, Type};

/// Derives `virton_schema::ApiType`.
///
/// Field attributes: `#[api(default_key, optional, alias = "x", keyalias = "model",
/// minimum = 1, maximum = 4094, min_length = 1, max_length = 64, pattern = "re",
/// format = "pve-storage-id", typetext = "<size>", default = "32G",
/// format_description = "bridge")]`. `Option<T>` and `#[serde(default)]` fields are
/// optional; `#[serde(skip)]` fields are left out.
#[proc_macro_derive(ApiType, attributes(api))]
pub fn derive_api_type(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "ApiType cannot be derived for generic types",
        ));
    }
    let build = match &input.data {
        Data::Struct(data) => expand_struct(input, &data.fields)?,
        Data::Enum(data) => expand_enum(input, data)?,
        Data::Union(_) => {
            return Err(syn::Error::new_spanned(
                input,
                "ApiType cannot be derived for unions",
            ))
        }
    };
    let name = &input.ident;
    Ok(quote! {
        impl ::virton_schema::ApiType for #name {
            fn api_schema() -> &'static ::virton_schema::Schema {
                static SCHEMA: ::std::sync::OnceLock<::virton_schema::Schema> =
                    ::std::sync::OnceLock::new();
                SCHEMA.get_or_init(|| #build)
            }
        }
    })
}

fn opt_str(value: &Option<String>) -> Tokens {
    match value {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

fn opt_expr(value: &Option<syn::Expr>, ty: Tokens) -> Tokens {
    match value {
        Some(e) => quote!(::std::option::Option::Some((#e) as #ty)),
        None => quote!(::std::option::Option::None),
    }
}

fn expand_struct(input: &DeriveInput, fields: &Fields) -> syn::Result<Tokens> {
    let Fields::Named(named) = fields else {
        return Err(syn::Error::new_spanned(
            input,
            "ApiType needs a struct with named fields",
        ));
    };
    let container = attrs::serde(&input.attrs)?;
    let mut specs = Vec::new();
    for field in &named.named {
        if let Some(spec) = field_spec(field, container.rename_all.as_deref())? {
            specs.push(spec);
        }
    }
    let description = opt_str(&attrs::docs(&input.attrs));
    Ok(quote! {
        ::virton_schema::typed::object_schema(#description, ::std::vec![#(#specs),*])
    })
}

/// `(schema, FieldSpec)` for one field, or `None` for a skipped field.
fn field_spec(field: &syn::Field, rename_all: Option<&str>) -> syn::Result<Option<Tokens>> {
    let serde = attrs::serde(&field.attrs)?;
    if serde.skip {
        return Ok(None);
    }
    if serde.flatten {
        return Err(syn::Error::new_spanned(
            field,
            "ApiType does not support #[serde(flatten)]",
        ));
    }
    let api = attrs::api(&field.attrs)?;
    let ident = field
        .ident
        .as_ref()
        .ok_or_else(|| syn::Error::new_spanned(field, "field without a name"))?;
    let name = wire_name(field, &ident.to_string(), serde.rename, rename_all)?;
    let (inner, is_option) = unwrap_option(&field.ty);
    let optional = is_option || serde.default || api.optional;
    let description = opt_str(&attrs::docs(&field.attrs));
    let aliases = &api.aliases;
    let keyalias = opt_str(&api.keyalias);
    let minimum = opt_expr(&api.minimum, quote!(f64));
    let maximum = opt_expr(&api.maximum, quote!(f64));
    let min_length = opt_expr(&api.min_length, quote!(usize));
    let max_length = opt_expr(&api.max_length, quote!(usize));
    let pattern = opt_str(&api.pattern);
    let format = opt_str(&api.format);
    let typetext = opt_str(&api.typetext);
    let default = opt_str(&api.default);
    let format_description = opt_str(&api.format_description);
    let default_key = api.default_key;
    Ok(Some(quote! {
        (
            <#inner as ::virton_schema::ApiType>::api_schema().clone(),
            ::virton_schema::typed::FieldSpec {
                name: #name,
                description: #description,
                optional: #optional,
                default_key: #default_key,
                aliases: &[#(#aliases),*],
                keyalias: #keyalias,
                minimum: #minimum,
                maximum: #maximum,
                min_length: #min_length,
                max_length: #max_length,
                pattern: #pattern,
                format: #format,
                typetext: #typetext,
                default: #default,
                format_description: #format_description,
            },
        )
    }))
}

/// serde's name for a field: `rename`, else `rename_all` applied, else the identifier.
fn wire_name(
    field: &syn::Field,
    ident: &str,
    rename: Option<String>,
    rename_all: Option<&str>,
) -> syn::Result<String> {
    let raw = ident.strip_prefix("r#").unwrap_or(ident);
    match (rename, rename_all) {
        (Some(name), _) => Ok(name),
        (None, Some(rule)) => case::field(raw, rule).ok_or_else(|| {
            syn::Error::new_spanned(field, format!("unknown rename_all rule `{rule}`"))
        }),
        (None, None) => Ok(raw.to_string()),
    }
}

/// `Option<T>` -> `(T, true)`, anything else -> `(ty, false)`.
fn unwrap_option(ty: &Type) -> (&Type, bool) {
    let Type::Path(path) = ty else {
        return (ty, false);
    };
    let Some(last) = path.path.segments.last() else {
        return (ty, false);
    };
    if last.ident != "Option" {
        return (ty, false);
    }
    match &last.arguments {
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match args.args.first() {
            Some(GenericArgument::Type(inner)) => (inner, true),
            _ => (ty, false),
        },
        _ => (ty, false),
    }
}

fn expand_enum(input: &DeriveInput, data: &syn::DataEnum) -> syn::Result<Tokens> {
    let container = attrs::serde(&input.attrs)?;
    let mut values = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(syn::Error::new_spanned(
                variant,
                "ApiType enums must have unit variants only",
            ));
        }
        let serde = attrs::serde(&variant.attrs)?;
        if serde.skip {
            continue;
        }
        let raw = variant.ident.to_string();
        let value = match (serde.rename, container.rename_all.as_deref()) {
            (Some(name), _) => name,
            (None, Some(rule)) => case::variant(&raw, rule).ok_or_else(|| {
                syn::Error::new_spanned(variant, format!("unknown rename_all rule `{rule}`"))
            })?,
            (None, None) => raw,
        };
        values.push(value);
    }
    let description = opt_str(&attrs::docs(&input.attrs));
    Ok(quote! {
        ::virton_schema::typed::string_enum(#description, &[#(#values),*])
    })
}
