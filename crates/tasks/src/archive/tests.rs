use super::*;
use proptest::prelude::*;
use virton_api_types::UpidParts;
use virton_sys::HostRoot;

fn upid(pid: u32, starttime: u32, ty: &str) -> Upid {
    Upid::new(UpidParts {
        node: "node1".parse().unwrap(),
        pid,
        pstart: 1000 + u64::from(pid),
        starttime,
        worker_type: ty.into(),
        worker_id: "100".into(),
        authid: "root@pam".into(),
    })
    .unwrap()
}

fn field() -> impl Strategy<Value = String> {
    "[A-Za-z0-9@!._-]{1,12}"
}

prop_compose! {
    fn any_upid()(
        node in "[a-z][a-z0-9-]{0,10}[a-z0-9]",
        pid in any::<u32>(),
        pstart in 0u64..=0xF_FFFF_FFFF,
        starttime in any::<u32>(),
        ty in field(),
        id in "[A-Za-z0-9._-]{0,8}",
        authid in field(),
    ) -> Upid {
        Upid::new(UpidParts {
            node: node.parse().unwrap(),
            pid, pstart, starttime,
            worker_type: ty, worker_id: id, authid,
        }).unwrap()
    }
}

proptest! {
    #[test]
    fn upid_text_round_trips(u in any_upid()) {
        let text = u.to_string();
        prop_assert_eq!(text.split(':').count(), 9);
        prop_assert!(text.ends_with(':'));
        let back: Upid = text.parse().unwrap();
        prop_assert_eq!(back, u);
    }

    #[test]
    fn active_line_round_trips(
        u in any_upid(),
        saved in any::<bool>(),
        end in proptest::option::of(any::<u32>()),
        status in proptest::option::of("[A-Za-z0-9:][A-Za-z0-9 :'-]{0,30}"),
    ) {
        let status = end.and(status);
        let e = TaskEntry { upid: u, saved, endtime: end, status };
        prop_assert_eq!(parse_active_line(&format_active_line(&e)), Some(e));
    }

    #[test]
    fn index_line_round_trips(u in any_upid(), end in any::<u32>(), status in "[A-Za-z0-9:][A-Za-z0-9 :'-]{0,30}") {
        let e = TaskEntry { upid: u, saved: true, endtime: Some(end), status: Some(status) };
        prop_assert_eq!(parse_index_line(&format_index_line(&e)), Some(e));
    }

    #[test]
    fn line_parsers_never_panic(line in "\\PC{0,120}") {
        let _ = parse_active_line(&line);
        let _ = parse_index_line(&line);
    }
}

#[test]
fn index_line_matches_upstream_shape() {
    let e = TaskEntry {
        upid: upid(0x1234, 0x65A1B2C3, "qmstart"),
        saved: true,
        endtime: Some(0x65A1B2D0),
        status: Some("WARNINGS: 2".into()),
    };
    assert_eq!(
        format_index_line(&e),
        "UPID:node1:00001234:0000161C:65A1B2C3:qmstart:100:root@pam: 65A1B2D0 WARNINGS: 2"
    );
    let running = TaskEntry {
        saved: false,
        endtime: None,
        status: None,
        ..e
    };
    assert_eq!(
        format_active_line(&running),
        "UPID:node1:00001234:0000161C:65A1B2C3:qmstart:100:root@pam: 0"
    );
}

#[test]
fn malformed_lines_are_skipped() {
    assert_eq!(parse_active_line("UPID:broken 0"), None);
    let u = upid(1, 2, "x");
    assert_eq!(parse_active_line(&format!("{u} 2")), None);
    assert_eq!(parse_index_line(&format!("{u} 1234")), None);
    assert!(parse_index_line(&format!("{u}")).is_some());
}

fn setup() -> (tempfile::TempDir, TaskDir) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = TaskDir::new(&HostRoot::new(tmp.path()));
    dir.ensure().unwrap();
    (tmp, dir)
}

fn write_log(dir: &TaskDir, u: &Upid, text: &str) {
    std::fs::write(dir.log_path(u).unwrap(), text).unwrap();
}

#[test]
fn update_lists_new_task_as_running() {
    let (_tmp, dir) = setup();
    let u = upid(10, 100, "a");
    write_log(&dir, &u, "");
    let live = update(&dir, std::slice::from_ref(&u), &|_| true, 200).unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].endtime, None);
    let text = std::fs::read_to_string(dir.active()).unwrap();
    assert_eq!(text, format!("{u} 0\n"));
    assert!(!dir.index().exists());
}

#[test]
fn update_archives_finished_task_once_with_log_status() {
    let (_tmp, dir) = setup();
    let u = upid(10, 100, "a");
    write_log(&dir, &u, "hello\nTASK ERROR: disk full\n");
    update(&dir, std::slice::from_ref(&u), &|_| true, 150).unwrap();
    let live = update(&dir, &[], &|_| false, 200).unwrap();
    assert_eq!(live[0].status.as_deref(), Some("disk full"));
    assert!(live[0].saved);
    update(&dir, &[], &|_| false, 300).unwrap();
    let index = std::fs::read_to_string(dir.index()).unwrap();
    assert_eq!(index, format!("{u} 000000C8 disk full\n"));
    let active = std::fs::read_to_string(dir.active()).unwrap();
    assert_eq!(active, format!("{u} 1 000000C8 disk full\n"));
}

#[test]
fn vanished_worker_gets_unexpected_status() {
    let (_tmp, dir) = setup();
    let u = upid(10, 100, "a");
    write_log(&dir, &u, "started\n");
    std::fs::write(dir.active(), format!("{u} 0\n")).unwrap();
    let live = update(&dir, &[], &|_| false, 200).unwrap();
    assert_eq!(live[0].status.as_deref(), Some("unexpected status"));
    let index = std::fs::read_to_string(dir.index()).unwrap();
    assert!(index.ends_with("000000C8 unexpected status\n"), "{index}");
}

#[test]
fn active_keeps_running_then_newest_finished_up_to_limit() {
    let (_tmp, dir) = setup();
    let mut text = String::new();
    for i in 0..40u32 {
        let u = upid(i + 1, 1000 + i, "t");
        write_log(&dir, &u, "TASK OK\n");
        text.push_str(&format!("{u} 0\n"));
    }
    std::fs::write(dir.active(), text).unwrap();
    let running_pid = 40;
    let live = update(&dir, &[], &|u| u.pid() == running_pid, 5000).unwrap();
    assert_eq!(live.len(), MAX_ACTIVE_ENTRIES);
    assert_eq!(live[0].upid.pid(), running_pid);
    assert_eq!(live[1].upid.starttime(), 1038);
    let index = std::fs::read_to_string(dir.index()).unwrap();
    assert_eq!(index.lines().count(), 39);
}

#[test]
fn duplicate_active_lines_are_listed_once() {
    let (_tmp, dir) = setup();
    let u = upid(10, 100, "a");
    write_log(&dir, &u, "");
    std::fs::write(dir.active(), format!("{u} 0\n{u} 0\n")).unwrap();
    let live = update(&dir, &[], &|_| true, 200).unwrap();
    assert_eq!(live.len(), 1);
}

#[test]
fn index_rotates_past_size_limit() {
    let (_tmp, dir) = setup();
    let filler = "x".repeat(usize::try_from(INDEX_MAX_SIZE).unwrap());
    std::fs::write(dir.index(), format!("{filler}\n")).unwrap();
    let u = upid(10, 100, "a");
    write_log(&dir, &u, "TASK OK\n");
    std::fs::write(dir.active(), format!("{u} 0\n")).unwrap();
    update(&dir, &[], &|_| false, 200).unwrap();
    assert!(!dir.index().exists());
    let old = std::fs::read_to_string(dir.index_old()).unwrap();
    assert!(old.ends_with(&format!("{u} 000000C8 OK\n")));
}

proptest! {
    #[test]
    fn accepted_lines_reparse_after_format(
        u in any_upid(),
        tail in "[ \t]?[0-9A-Za-z]{0,9}([ \t][ \tA-Za-z0-9:]{0,12})?",
    ) {
        let line = format!("{u}{tail}");
        if let Some(e) = parse_index_line(&line) {
            prop_assert_eq!(parse_index_line(&format_index_line(&e)), Some(e));
        }
        let line = format!("{u} 0{tail}");
        if let Some(e) = parse_active_line(&line) {
            prop_assert_eq!(parse_active_line(&format_active_line(&e)), Some(e));
        }
    }
}
