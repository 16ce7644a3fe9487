//! Completion candidates.

use super::*;
use crate::testing::FakeApi;
use serde_json::json;

fn words(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn pveum_completes_command_words() {
    let api = FakeApi::new(Value::Null);
    let tree = tree::api();
    assert!(candidates(tree, &api, &words(&["pveum", "us"])).contains(&"user".to_string()));
    let c = candidates(tree, &api, &words(&["pveum", "user", "t"]));
    assert_eq!(c, vec!["tfa", "token"]);
}

#[test]
fn pveum_completes_ids_from_the_api() {
    let api = FakeApi::new(json!([{"userid": "joe@pve"}, {"userid": "root@pam"}]));
    let c = candidates(tree::api(), &api, &words(&["pveum", "user", "delete", "j"]));
    assert_eq!(c, vec!["joe@pve"]);
    assert_eq!(api.calls.borrow()[0].1, "/access/users");
}

#[test]
fn pvesh_completes_commands_paths_and_options() {
    let api = FakeApi::new(Value::Null);
    let tree = tree::api();
    assert_eq!(candidates(tree, &api, &words(&["pvesh", "l"])), vec!["ls"]);
    assert_eq!(
        candidates(tree, &api, &words(&["pvesh", "get", "/ver"])),
        vec!["/version"]
    );
    let opts = candidates(tree, &api, &words(&["pvesh", "get", "/version", "--out"]));
    assert_eq!(opts, vec!["--output-format"]);
    let vals = candidates(
        tree,
        &api,
        &words(&["pvesh", "get", "/version", "--output-format", "j"]),
    );
    assert_eq!(vals, vec!["json", "json-pretty"]);
}

#[test]
fn scripts_call_the_hidden_entry_point() {
    assert!(script("bash").contains("complete -o default -F _virton_complete pvesh pveum"));
    assert!(script("zsh").starts_with("#compdef pvesh pveum"));
    assert!(script("bash").contains("virton __complete"));
}
