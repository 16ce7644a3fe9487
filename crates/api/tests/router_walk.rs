//! Walks the whole route tree: every method has a description, a permission, an object
//! parameter schema declaring each `{placeholder}` of its path, and a return schema; and
//! every path is reachable by lookup.

use virton_router::Permission;

#[test]
fn every_method_is_described_and_consistent() {
    let router = virton_api::router();
    let mut problems = Vec::new();
    let mut count = 0;
    router.walk(&mut |path, verb, m| {
        count += 1;
        let at = format!("{verb} {path}");
        if m.description.trim().is_empty() || !m.description.ends_with('.') {
            problems.push(format!(
                "{at}: description must be a sentence ending in '.'"
            ));
        }
        for seg in path.split('/') {
            if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                if !m.parameters().properties.contains_key(name) {
                    problems.push(format!(
                        "{at}: path parameter '{name}' missing from the schema"
                    ));
                }
            }
        }
        if m.proxy_to_node && !m.parameters().properties.contains_key("node") {
            problems.push(format!("{at}: proxy_to_node without a 'node' parameter"));
        }
        if let Permission::Perm { path: p, .. } = &m.permission {
            if !p.starts_with('/') {
                problems.push(format!("{at}: permission path '{p}' is not absolute"));
            }
        }
        let concrete = path.replace(['{', '}'], "");
        if router.lookup(&concrete).is_none() {
            problems.push(format!("{at}: not reachable by lookup"));
        }
    });
    assert!(count > 0);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
