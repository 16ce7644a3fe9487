//! Suite `access-perm`: effective roles and privileges of a user or API token on a path.
//!
//! Each case gives a `user.cfg` and a query (`roles` or `permissions`); the expected
//! answer is the sorted, comma-joined list of role or privilege names.
//!
//! Must not depend on: anything but `virton-access`, `virton-config` and `serde_json`.

use serde_json::Value;
use virton_access::Permissions;
use virton_config::user_cfg::UserConfig;
use virton_config::Format;

/// Checks one case.
pub fn check(case: &Value) -> Result<(), String> {
    let text = case["inputs"]["user.cfg"]
        .as_str()
        .ok_or("case has no inputs.user.cfg")?;
    let cfg = UserConfig::parse("user.cfg", text).map_err(|e| e.to_string())?;
    let query = &case["query"];
    let user = query["user"].as_str().ok_or("query has no user")?;
    let path = query["path"].as_str().ok_or("query has no path")?;
    let perms = Permissions::new(&cfg);
    let got: Vec<String> = match query["kind"].as_str() {
        Some("roles") => perms.roles(user, path).into_keys().collect(),
        Some("permissions") | Some("privs") => perms.privileges(user, path).into_iter().collect(),
        other => return Err(format!("unknown query kind {other:?}")),
    };
    let got = got.join(",");
    let want = case["expected"]["result"]
        .as_str()
        .ok_or("case has no expected.result")?;
    if got == want {
        Ok(())
    } else {
        Err(format!("got {got:?}, want {want:?}"))
    }
}
