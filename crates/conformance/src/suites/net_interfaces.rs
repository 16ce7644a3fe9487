//! Suite `net-interfaces`: replays upstream's `/etc/network/interfaces` traces (read,
//! modify the parsed model, write, compare) against `virton_config::interfaces`.
//!
//! Model steps address upstream's interface hash by key (`["ifaces", NAME, KEY]`); they
//! go through [`Interface::set_key`]/[`Interface::get_key`]. `new_iface`,
//! `update_iface` and `delete_iface` are the helpers of upstream's test runner, redone
//! here on the model.
//!
//! Must not be depended on by product crates.

use serde_json::Value;
use std::collections::BTreeMap;
use virton_config::interfaces::{Family, HostLinks, Interface, IpLink, KeyValue, NetworkConfig};

/// Checks one case.
pub fn check(case: &Value) -> Result<(), String> {
    let steps = case["steps"].as_array().ok_or("case has no steps")?;
    let mut run = Run::default();
    for (i, step) in steps.iter().enumerate() {
        run.step(step)
            .map_err(|e| format!("step {i} ({}): {e}", step["op"]))?;
    }
    Ok(())
}

/// The state of one replay.
#[derive(Default)]
struct Run {
    cfg: NetworkConfig,
    outputs: BTreeMap<u64, String>,
}

impl Run {
    fn step(&mut self, step: &Value) -> Result<(), String> {
        match step["op"].as_str().unwrap_or("") {
            "read" => {
                let text = self.text(&step["text"])?;
                self.cfg = NetworkConfig::read(&text, &host_links(step)?);
            }
            "expect" => {
                let want = self.text(&step["text"])?;
                let got = self.cfg.try_write(true).map_err(|e| e.to_string())?;
                if got != want {
                    return Err(diff(&want, &got));
                }
            }
            "write" => {
                let n = step["output"].as_u64().ok_or("write without output")?;
                let got = self.cfg.try_write(true).map_err(|e| e.to_string())?;
                self.outputs.insert(n, got);
            }
            "set" => self.set(&step["path"], &step["value"])?,
            "delete" => self.set(&step["path"], &Value::Null)?,
            "new_iface" => self.new_iface(step)?,
            "update_iface" => self.update_iface(step)?,
            "delete_iface" => self.delete_iface(step)?,
            "check" => self.check_value(step)?,
            "unrecorded_read" => {
                // The trace holds no value to compare; the path must still resolve.
                self.iface_at(&step["path"])?;
            }
            // The recorded trace does not say what was checked.
            "unrecorded_check" => {}
            other => return Err(format!("unknown op '{other}'")),
        }
        Ok(())
    }

    fn text(&self, v: &Value) -> Result<String, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Object(o) if o.contains_key("output_of") => {
                let n = o["output_of"].as_u64().ok_or("bad output_of")?;
                self.outputs
                    .get(&n)
                    .cloned()
                    .ok_or_else(|| format!("no output {n}"))
            }
            Value::Object(o) if o.contains_key("concat") => {
                let parts = o["concat"].as_array().ok_or("bad concat")?;
                parts.iter().map(|p| self.text(p)).collect()
            }
            other => Err(format!("bad text {other}")),
        }
    }

    /// `["ifaces", NAME, ...]` -> NAME and the rest.
    fn iface_at<'a>(&self, path: &'a Value) -> Result<(String, &'a [Value]), String> {
        let p = path.as_array().ok_or("path is not a list")?;
        match p.as_slice() {
            [root, name, rest @ ..] if root == "ifaces" => {
                Ok((name.as_str().ok_or("bad name")?.to_string(), rest))
            }
            _ => Err(format!("unsupported path {path}")),
        }
    }

    fn set(&mut self, path: &Value, value: &Value) -> Result<(), String> {
        let (name, rest) = self.iface_at(path)?;
        match rest {
            [] if value.is_null() => {
                self.cfg.ifaces.remove(&name);
            }
            [] => {
                let obj = value
                    .as_object()
                    .ok_or("interface value is not an object")?;
                let entries = obj
                    .iter()
                    .filter_map(|(k, v)| key_value(v).map(|kv| (k.as_str(), kv)));
                let iface = Interface::from_entries(entries)?;
                self.cfg.ifaces.insert(name, iface);
            }
            [key] => {
                let key = key.as_str().ok_or("bad key")?;
                let iface = self.cfg.ifaces.entry(name).or_default();
                match key_value(value) {
                    Some(kv) => iface.set_key(key, kv)?,
                    None => iface.delete_key(key),
                }
            }
            _ => return Err(format!("unsupported path {path}")),
        }
        Ok(())
    }

    fn check_value(&self, step: &Value) -> Result<(), String> {
        let (name, rest) = self.iface_at(&step["path"])?;
        let [key] = rest else {
            return Err("check path must name a key".to_string());
        };
        let key = key.as_str().ok_or("bad key")?;
        let got = self
            .cfg
            .ifaces
            .get(&name)
            .and_then(|i| i.get_key(key))
            .map(|v| v.joined());
        let want = key_value(&step["value"]).map(|v| v.joined());
        if step["cmp"].as_str().unwrap_or("eq") != "eq" {
            return Err(format!("unsupported cmp {}", step["cmp"]));
        }
        if got != want {
            return Err(format!("{name}.{key}: got {got:?}, expected {want:?}"));
        }
        Ok(())
    }

    fn new_iface(&mut self, step: &Value) -> Result<(), String> {
        let name = step["name"].as_str().ok_or("no name")?;
        if self.cfg.ifaces.contains_key(name) {
            return Err(format!("interface already exists: {name}"));
        }
        let mut iface = Interface::default();
        let kind = step["type"].as_str().ok_or("no type")?;
        iface.set_key("type", KeyValue::Str(kind.to_string()))?;
        self.cfg.ifaces.insert(name.to_string(), iface);
        self.update_iface(step)
    }

    /// Upstream's `update_iface`: merge extra keys, then per family set the method
    /// (static with an address, else manual) and the given address/netmask/gateway/options.
    fn update_iface(&mut self, step: &Value) -> Result<(), String> {
        let name = step["name"].as_str().ok_or("no name")?;
        let iface = self
            .cfg
            .ifaces
            .get_mut(name)
            .ok_or_else(|| format!("no such interface: {name}"))?;
        iface.exists = true;
        if let Some(extra) = step["extra"].as_object() {
            for (k, v) in extra {
                match key_value(v) {
                    Some(kv) => iface.set_key(k, kv)?,
                    None => iface.delete_key(k),
                }
            }
        }
        for fam in step["families"].as_array().into_iter().flatten() {
            let fname = fam["family"].as_str().ok_or("family without name")?;
            let family = Family::parse(fname).ok_or_else(|| format!("bad family {fname}"))?;
            iface.families.retain(|f| *f != Some(family));
            iface.families.push(Some(family));
            let suffix = if family == Family::Inet6 { "6" } else { "" };
            let has_addr = fam["address"].as_str().is_some_and(truthy);
            let method = if has_addr { "static" } else { "manual" };
            iface.set_key(&format!("method{suffix}"), KeyValue::Str(method.into()))?;
            for k in ["address", "netmask", "gateway", "options"] {
                if let Some(kv) = key_value(&fam[k]).filter(|v| truthy(&v.joined())) {
                    iface.set_key(&format!("{k}{suffix}"), kv)?;
                }
            }
        }
        Ok(())
    }

    /// Upstream's `delete_iface`: the whole interface, or one family's settings.
    fn delete_iface(&mut self, step: &Value) -> Result<(), String> {
        let name = step["name"].as_str().ok_or("no name")?;
        let Some(fname) = step["family"].as_str() else {
            self.cfg.ifaces.remove(name);
            return Ok(());
        };
        let family = Family::parse(fname).ok_or_else(|| format!("bad family {fname}"))?;
        let iface = self.cfg.ifaces.entry(name.to_string()).or_default();
        iface.families.retain(|f| *f != Some(family));
        let suffix = if family == Family::Inet6 { "6" } else { "" };
        for k in ["address", "netmask", "gateway", "options"] {
            iface.delete_key(&format!("{k}{suffix}"));
        }
        Ok(())
    }
}

fn truthy(s: &str) -> bool {
    !s.is_empty() && s != "0"
}

/// A JSON value as an interface hash value; `None` for null.
fn key_value(v: &Value) -> Option<KeyValue> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(KeyValue::Str(s.clone())),
        Value::Array(items) => Some(KeyValue::List(items.iter().map(scalar).collect())),
        other => Some(KeyValue::Str(scalar(other))),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "1" } else { "" }.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn host_links(step: &Value) -> Result<HostLinks, String> {
    let mut host = HostLinks::default();
    for (name, link) in step["ip_links"].as_object().into_iter().flatten() {
        let altnames = link["altnames"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str().map(str::to_string))
            .collect();
        host.links.insert(
            name.clone(),
            IpLink {
                link_type: link["link_type"].as_str().unwrap_or("").to_string(),
                info_kind: link["linkinfo"]["info_kind"].as_str().map(str::to_string),
                altnames,
            },
        );
    }
    host.active = step["active"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    Ok(host)
}

/// The first differing line, for the failure message.
fn diff(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let n = w.iter().zip(&g).take_while(|(a, b)| a == b).count();
    format!(
        "text differs at line {}: expected {:?}, got {:?}\n--- expected\n{want}--- got\n{got}",
        n + 1,
        w.get(n),
        g.get(n)
    )
}
