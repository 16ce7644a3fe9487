use super::*;
use crate::archive::format_index_line;
use virton_api_types::UpidParts;
use virton_sys::HostRoot;

fn upid(starttime: u32, ty: &str, id: &str, user: &str) -> Upid {
    Upid::new(UpidParts {
        node: "node1".parse().unwrap(),
        pid: starttime,
        pstart: 77,
        starttime,
        worker_type: ty.into(),
        worker_id: id.into(),
        authid: user.into(),
    })
    .unwrap()
}

fn finished(u: Upid, status: &str) -> TaskEntry {
    TaskEntry {
        endtime: Some(u.starttime() + 5),
        upid: u,
        saved: true,
        status: Some(status.into()),
    }
}

/// Index (oldest line first): five finished tasks at t = 100..=500.
fn fixture() -> (tempfile::TempDir, TaskDir) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = TaskDir::new(&HostRoot::new(tmp.path()));
    dir.ensure().unwrap();
    let entries = [
        finished(upid(100, "qmstart", "100", "root@pam"), "OK"),
        finished(upid(200, "vzdump", "101", "alice@pve"), "WARNINGS: 1"),
        finished(upid(300, "qmstart", "101", "alice@pve!ci"), "no space left"),
        finished(upid(400, "vzcreate", "", "Bob@pve"), "unexpected status"),
        finished(upid(500, "qmstart", "100", "root@pam"), "OK"),
    ];
    let text: String = entries
        .iter()
        .map(|e| format_index_line(e) + "\n")
        .collect();
    std::fs::write(dir.index(), text).unwrap();
    (tmp, dir)
}

fn times(dir: &TaskDir, filter: &TaskFilter) -> (u64, Vec<u32>) {
    let (total, tasks) = list(dir, filter, &[]).unwrap();
    (total, tasks.iter().map(|t| t.starttime).collect())
}

fn with(f: impl FnOnce(&mut TaskFilter)) -> TaskFilter {
    let mut filter = TaskFilter::default();
    f(&mut filter);
    filter
}

#[test]
fn archive_lists_newest_first_with_fields() {
    let (_tmp, dir) = fixture();
    let (total, tasks) = list(&dir, &TaskFilter::default(), &[]).unwrap();
    assert_eq!(total, 5);
    assert_eq!(tasks[0].starttime, 500);
    let token = &tasks[2];
    assert_eq!(token.user, "alice@pve");
    assert_eq!(token.tokenid.as_deref(), Some("ci"));
    assert_eq!(token.endtime, Some(305));
    let json = serde_json::to_value(token).unwrap();
    assert_eq!(json["type"], "qmstart");
    assert_eq!(json["pid"], 300);
    assert_eq!(json["status"], "no space left");
}

#[test]
fn start_and_limit_page_but_total_counts_all_matches() {
    let (_tmp, dir) = fixture();
    let filter = with(|f| {
        f.start = 1;
        f.limit = 2;
    });
    assert_eq!(times(&dir, &filter), (5, vec![400, 300]));
    let none = with(|f| f.limit = 0);
    assert_eq!(times(&dir, &none), (5, vec![]));
}

#[test]
fn userfilter_is_case_insensitive_substring_of_user() {
    let (_tmp, dir) = fixture();
    assert_eq!(
        times(&dir, &with(|f| f.userfilter = Some("ALICE".into()))),
        (2, vec![300, 200])
    );
    assert_eq!(
        times(&dir, &with(|f| f.userfilter = Some("bob@".into()))),
        (1, vec![400])
    );
}

#[test]
fn typefilter_and_vmid_match_exactly() {
    let (_tmp, dir) = fixture();
    assert_eq!(
        times(&dir, &with(|f| f.typefilter = Some("qmstart".into()))),
        (3, vec![500, 300, 100])
    );
    assert_eq!(
        times(&dir, &with(|f| f.vmid = Some(101))),
        (2, vec![300, 200])
    );
    assert_eq!(times(&dir, &with(|f| f.vmid = Some(10))), (0, vec![]));
}

#[test]
fn since_and_until_bound_start_time_inclusively() {
    let (_tmp, dir) = fixture();
    let filter = with(|f| {
        f.since = Some(200);
        f.until = Some(400);
    });
    assert_eq!(times(&dir, &filter), (3, vec![400, 300, 200]));
}

#[test]
fn errors_leaves_out_ok_but_keeps_unknown() {
    let (_tmp, dir) = fixture();
    assert_eq!(
        times(&dir, &with(|f| f.errors = true)),
        (3, vec![400, 300, 200])
    );
}

#[test]
fn statusfilter_selects_classes_unless_errors_is_set() {
    let (_tmp, dir) = fixture();
    let classes = parse_status_filter("Error;unknown").unwrap();
    let filter = with(|f| f.statusfilter = Some(classes.clone()));
    assert_eq!(times(&dir, &filter), (2, vec![400, 300]));
    let warn = with(|f| f.statusfilter = Some(vec![StatusClass::Warning]));
    assert_eq!(times(&dir, &warn), (1, vec![200]));
    let both = with(|f| {
        f.statusfilter = Some(classes);
        f.errors = true;
    });
    assert_eq!(times(&dir, &both), (3, vec![400, 300, 200]));
    assert!(parse_status_filter("ok,bogus").is_err());
}

#[test]
fn visible_to_limits_to_own_tasks_and_token_tasks_of_user() {
    let (_tmp, dir) = fixture();
    let user = with(|f| f.visible_to = Some("alice@pve".into()));
    assert_eq!(times(&dir, &user), (2, vec![300, 200]));
    let token = with(|f| f.visible_to = Some("alice@pve!ci".into()));
    assert_eq!(times(&dir, &token), (1, vec![300]));
}

#[test]
fn rotated_index_is_read_after_current_one() {
    let (_tmp, dir) = fixture();
    std::fs::rename(dir.index(), dir.index_old()).unwrap();
    let newer = finished(upid(600, "qmstop", "100", "root@pam"), "OK");
    std::fs::write(dir.index(), format_index_line(&newer) + "\n").unwrap();
    let (total, got) = times(&dir, &TaskFilter::default());
    assert_eq!(total, 6);
    assert_eq!(got, vec![600, 500, 400, 300, 200, 100]);
}

#[test]
fn active_source_skips_saved_and_adds_unlisted_running() {
    let (_tmp, dir) = fixture();
    let running = upid(700, "qmstart", "102", "root@pam");
    let saved = finished(upid(500, "qmstart", "100", "root@pam"), "OK");
    let text = format!(
        "{running} 0\n{}\n",
        crate::archive::format_active_line(&saved)
    );
    std::fs::write(dir.active(), text).unwrap();
    let unlisted = upid(800, "vzdump", "", "root@pam");
    let active = with(|f| f.source = TaskSource::Active);
    let (total, tasks) = list(&dir, &active, &[unlisted.clone(), running.clone()]).unwrap();
    assert_eq!(total, 2);
    assert_eq!(tasks[0].upid, running.to_string());
    assert_eq!(tasks[1].upid, unlisted.to_string());
    assert!(tasks.iter().all(|t| t.status.as_deref() == Some("RUNNING")));
    let all = with(|f| f.source = TaskSource::All);
    assert_eq!(times(&dir, &all).0, 6);
    let only_ok = with(|f| {
        f.source = TaskSource::Active;
        f.statusfilter = Some(vec![StatusClass::Ok]);
    });
    assert_eq!(times(&dir, &only_ok).0, 0, "running tasks count as unknown");
}
