//! Authentication realms in `domains.cfg`. Options are checked against the realm
//! type's schema; `pam` and `pve` are built in (they cannot be created, and always
//! exist when read). Directory bind passwords and connection checks are not handled.
//!
//! Must not depend on: HTTP types (see the parent module).

use super::{split_list, AdminError, DOMAINS_CFG};
use serde_json::{Map, Value};
use virton_config::domains::{domains_def, DomainsConfig};
use virton_config::section::{Section, SectionValue};
use virton_config::store::ConfigStore;

/// Parameters that are not stored in the realm section.
const NOT_STORED: &[&str] = &[
    "password",
    "check-connection",
    "realm",
    "type",
    "digest",
    "delete",
];

fn raw(v: &Value) -> String {
    match v {
        Value::Bool(b) => u8::from(*b).to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn typed_props(
    kind: &str,
    props: &Map<String, Value>,
) -> Result<Vec<(String, SectionValue)>, AdminError> {
    let def = domains_def();
    props
        .iter()
        .filter(|(k, _)| !NOT_STORED.contains(&k.as_str()))
        .map(|(k, v)| {
            def.check_property(kind, k, Some(&raw(v)))
                .map(|sv| (k.clone(), sv))
                .map_err(|e| AdminError::param(k.clone(), e))
        })
        .collect()
}

fn clear_default(cfg: &mut DomainsConfig, props: &[(String, SectionValue)]) {
    if props.iter().any(|(k, v)| k == "default" && v.is_truthy()) {
        for s in cfg.sections.sections.values_mut() {
            s.props.shift_remove("default");
        }
    }
}

/// Adds a realm of type `kind`.
pub fn create_realm(
    store: &ConfigStore,
    realm: &str,
    kind: &str,
    props: &Map<String, Value>,
) -> Result<(), AdminError> {
    store
        .update::<DomainsConfig, _, AdminError>(DOMAINS_CFG, None, |cfg| {
            cfg.ensure_builtin_realms();
            if cfg.get(realm).is_some() {
                return Err(AdminError::failed(format!(
                    "domain '{realm}' already exists"
                )));
            }
            if realm == "pam" || realm == "pve" {
                return Err(AdminError::failed(format!(
                    "unable to use reserved name '{realm}'"
                )));
            }
            if kind == "pam" || kind == "pve" {
                return Err(AdminError::failed(format!(
                    "unable to create builtin type '{kind}'"
                )));
            }
            let typed = typed_props(kind, props)?;
            let mut section = Section::new(kind, realm);
            for (k, v) in &typed {
                section.set(k.clone(), v.clone());
            }
            domains_def()
                .check_section(&section)
                .map_err(AdminError::failed)?;
            clear_default(cfg, &typed);
            cfg.sections.insert(section);
            Ok(())
        })
        .map_err(|e| e.context("add auth server failed"))
}

/// Changes a realm's options; `delete` lists options to remove.
pub fn update_realm(
    store: &ConfigStore,
    realm: &str,
    props: &Map<String, Value>,
    delete: Option<&str>,
    digest: Option<&str>,
) -> Result<(), AdminError> {
    store
        .update::<DomainsConfig, _, AdminError>(DOMAINS_CFG, digest, |cfg| {
            cfg.ensure_builtin_realms();
            let kind = cfg
                .get(realm)
                .map(|s| s.section_type.clone())
                .ok_or_else(|| AdminError::failed(format!("domain '{realm}' does not exist")))?;
            let typed = typed_props(&kind, props)?;
            let deletes = split_list(delete);
            if typed.is_empty() && deletes.is_empty() && !props.contains_key("password") {
                return Err(AdminError::failed("no options specified"));
            }
            let def = domains_def();
            def.check_update(&kind, typed.iter().map(|(k, _)| k.as_str()))
                .map_err(AdminError::failed)?;
            clear_default(cfg, &typed);
            let section = cfg
                .sections
                .get_mut(realm)
                .ok_or_else(|| AdminError::failed(format!("domain '{realm}' does not exist")))?;
            let set: Vec<&str> = typed.iter().map(|(k, _)| k.as_str()).collect();
            let del: Vec<&str> = deletes.iter().map(String::as_str).collect();
            def.delete_keys(section, &set, &del)
                .map_err(AdminError::failed)?;
            for (k, v) in typed {
                section.set(k, v);
            }
            Ok(())
        })
        .map_err(|e| e.context("update auth server failed"))
}

/// Removes a realm (`pam` and `pve` come back with their defaults when read).
pub fn delete_realm(store: &ConfigStore, realm: &str) -> Result<(), AdminError> {
    store
        .update::<DomainsConfig, _, AdminError>(DOMAINS_CFG, None, |cfg| {
            cfg.sections.remove(realm).ok_or_else(|| {
                AdminError::failed(format!("authentication domain '{realm}' does not exist"))
            })?;
            Ok(())
        })
        .map_err(|e| e.context("delete auth server failed"))
}

/// The realms with the built-in ones added, as every reader sees them.
pub fn read_realms(store: &ConfigStore) -> Result<(DomainsConfig, String), AdminError> {
    let (doc, digest) = store.read::<DomainsConfig>(DOMAINS_CFG)?;
    let mut cfg = doc.into_inner();
    cfg.ensure_builtin_realms();
    Ok((cfg, digest.to_string()))
}
