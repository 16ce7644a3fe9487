use super::*;
use crate::{ApiError, Permission, RpcEnv};
use serde::{Deserialize, Serialize};
use serde_json::json;
use virton_schema::ApiType;

/// No parameters.
#[derive(Deserialize, ApiType)]
struct NoParams {}

/// Guest parameters.
// Only the schema matters here; the handler never reads the fields.
#[allow(dead_code)]
#[derive(Deserialize, ApiType)]
struct GuestParams {
    /// The node.
    #[api(format = "pve-node")]
    node: String,
    /// The guest.
    #[api(minimum = 100)]
    vmid: u64,
    /// Start it too.
    start: Option<bool>,
    /// Name pattern.
    #[api(pattern = "[a-z]+")]
    name: Option<String>,
}

/// A guest's status.
#[derive(Serialize, ApiType)]
struct Status {
    /// Running?
    running: bool,
    /// The name, when set.
    name: Option<String>,
}

const AUDIT: Permission = Permission::Perm {
    path: "/vms/{vmid}",
    privs: &["VM.Audit", "VM.Console"],
    any: true,
};

fn status(_: &(), _: &RpcEnv, _: GuestParams) -> Result<Status, ApiError> {
    Ok(Status {
        running: true,
        name: None,
    })
}

fn tree() -> Router<()> {
    let guest = || {
        Router::new()
            .get(ApiMethod::new("Guest status.", AUDIT, status).proxy_to_node())
            .post(ApiMethod::new("Start the guest.", AUDIT, status).protected())
    };
    Router::new()
        .get(ApiMethod::new(
            "Index.",
            Permission::All,
            |_: &(), _: &RpcEnv, _: NoParams| Ok(Vec::<String>::new()),
        ))
        .subdir(
            "version",
            Router::new().get(
                ApiMethod::new(
                    "Version.",
                    Permission::World,
                    |_: &(), _: &RpcEnv, _: NoParams| Ok("1".to_string()),
                )
                .no_token(),
            ),
        )
        .subdir(
            "nodes",
            Router::new().param(
                "node",
                Router::new().subdir("qemu", Router::new().param("vmid", guest())),
            ),
        )
}

#[test]
fn entries_follow_walk_order_with_templates() {
    let t = tree();
    let seen: Vec<String> = entries(&t)
        .iter()
        .map(|e| format!("{} {}", e.verb, e.path))
        .collect();
    assert_eq!(
        seen,
        [
            "GET /",
            "GET /version",
            "GET /nodes/{node}/qemu/{vmid}",
            "POST /nodes/{node}/qemu/{vmid}"
        ]
    );
}

#[test]
fn operation_names_use_pvesh_verbs_and_are_unique() {
    assert_eq!(
        operation_name(HttpMethod::Put, "/nodes/{node}/qemu/{vmid}/config"),
        "set_nodes_node_qemu_vmid_config"
    );
    assert_eq!(operation_name(HttpMethod::Get, "/"), "get_index");
    assert_eq!(
        operation_name(HttpMethod::Post, "/access/tfa-x"),
        "create_access_tfa_x"
    );
    let t = tree();
    let names = operation_names(&entries(&t));
    let unique: std::collections::BTreeSet<_> = names.iter().collect();
    assert_eq!(unique.len(), names.len());
}

#[test]
fn openapi_get_has_path_and_query_parameters_and_envelope() {
    let doc = openapi::document(&tree());
    assert_eq!(doc["openapi"], "3.1.0");
    let op = &doc["paths"]["/nodes/{node}/qemu/{vmid}"]["get"];
    assert_eq!(op["operationId"], "get_nodes_node_qemu_vmid");
    assert_eq!(op["summary"], "Guest status.");
    let params = op["parameters"].as_array().unwrap();
    let names: Vec<_> = params
        .iter()
        .map(|p| (p["name"].clone(), p["in"].clone()))
        .collect();
    assert_eq!(names[0], (json!("node"), json!("path")));
    assert_eq!(names[1], (json!("vmid"), json!("path")));
    assert!(names.contains(&(json!("start"), json!("query"))));
    let start = params.iter().find(|p| p["name"] == "start").unwrap();
    assert_eq!(start["required"], false);
    assert_eq!(start["schema"]["enum"], json!([0, 1]));
    let name = params.iter().find(|p| p["name"] == "name").unwrap();
    assert_eq!(name["schema"]["pattern"], "^(?:[a-z]+)$");
    let data = &op["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(data["required"], json!(["data"]));
    let running = &data["properties"]["data"]["properties"]["running"];
    assert_eq!(running["type"], "integer");
    assert_eq!(running["enum"], json!([0, 1]));
    let optional = &data["properties"]["data"]["properties"]["name"];
    assert_eq!(optional["type"], json!(["string", "null"]));
    assert_eq!(
        op["x-permission"],
        "perm(/vms/{vmid},[VM.Audit|VM.Console],any)"
    );
    assert_eq!(op["x-proxy-to-node"], true);
    assert_eq!(op["x-protected"], false);
}

#[test]
fn openapi_post_has_both_body_encodings_and_csrf() {
    let doc = openapi::document(&tree());
    let op = &doc["paths"]["/nodes/{node}/qemu/{vmid}"]["post"];
    let content = &op["requestBody"]["content"];
    let form = &content["application/x-www-form-urlencoded"]["schema"];
    let body = &content["application/json"]["schema"];
    assert_eq!(form["properties"]["start"]["type"], "integer");
    assert_eq!(body["properties"]["start"]["oneOf"][0]["type"], "boolean");
    assert!(
        body["properties"].get("vmid").is_none(),
        "path params stay in the path"
    );
    assert_eq!(op["security"][0], json!({"ticket": [], "csrf": []}));
    assert_eq!(op["security"][1], json!({"token": []}));
    assert_eq!(op["x-protected"], true);
}

#[test]
fn openapi_world_method_needs_no_auth_and_no_token_hides_token() {
    let doc = openapi::document(&tree());
    let op = &doc["paths"]["/version"]["get"];
    assert_eq!(op["security"], json!([{}]));
    assert_eq!(op["x-allow-token"], false);
    let index = &doc["paths"]["/"]["get"];
    assert_eq!(index["security"], json!([{"ticket": []}, {"token": []}]));
}

#[test]
fn apidoc_tree_has_upstream_shape() {
    let doc = pve::apidoc(&tree());
    let top = doc.as_array().unwrap();
    assert_eq!(top[0]["path"], "/");
    assert_eq!(top[1]["path"], "/version");
    assert_eq!(top[1]["leaf"], 1);
    assert_eq!(
        top[1]["info"]["GET"]["permissions"],
        json!({"user": "world"})
    );
    assert_eq!(top[1]["info"]["GET"]["allowtoken"], 0);
    let nodes = &top[2];
    assert_eq!(nodes["leaf"], 0);
    assert!(nodes.get("info").is_none());
    let guest = &nodes["children"][0]["children"][0]["children"][0];
    assert_eq!(guest["path"], "/nodes/{node}/qemu/{vmid}");
    assert_eq!(guest["text"], "{vmid}");
    let get = &guest["info"]["GET"];
    assert_eq!(get["proxyto"], "node");
    assert_eq!(
        get["permissions"]["check"],
        json!(["perm", "/vms/{vmid}", ["VM.Audit", "VM.Console"], "any", 1])
    );
    let vmid = &get["parameters"]["properties"]["vmid"];
    assert_eq!(vmid["typetext"], "<integer> (100 - N)");
    assert_eq!(get["parameters"]["properties"]["start"]["optional"], 1);
    assert_eq!(get["returns"]["properties"]["running"]["type"], "boolean");
    assert_eq!(guest["info"]["POST"]["protected"], 1);
}

#[test]
fn dumps_are_deterministic_and_sorted() {
    let a = openapi_json(&tree());
    assert_eq!(a, openapi_json(&tree()));
    assert!(a.ends_with("}\n"));
    let v: Value = serde_json::from_str(&a).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    let mut sorted_keys = keys.clone();
    sorted_keys.sort();
    assert_eq!(keys, sorted_keys);
    assert_eq!(apidoc_json(&tree()), apidoc_json(&tree()));
}

#[test]
fn root_only_has_no_permissions_and_combinations_nest() {
    assert_eq!(pve::permissions(&Permission::RootOnly), None);
    const OR: Permission = Permission::Or(&[
        Permission::UseridParam,
        Permission::UseridGroup(&["User.Modify"]),
    ]);
    assert_eq!(
        pve::check(&OR),
        json!([
            "or",
            ["userid-param", "self"],
            ["userid-group", ["User.Modify"]]
        ])
    );
}

#[test]
fn property_string_synopsis_lists_keys() {
    use virton_schema::{ObjectSchema, Property, Schema, StringSchema};
    let mut o = ObjectSchema::default();
    let model = StringSchema {
        enum_values: Some(vec!["virtio".into(), "e1000".into()]),
        ..Default::default()
    };
    let mut p = Property::new(Schema::String(model));
    p.default_key = true;
    o.properties.insert("model".into(), p);
    o.properties.insert(
        "bridge".into(),
        Property::new(Schema::String(StringSchema::default())).optional(),
    );
    assert_eq!(
        openapi::schema::synopsis(&o),
        "[model=]<virtio|e1000> [,bridge=<string>]"
    );
}
