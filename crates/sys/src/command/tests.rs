use super::*;
use std::time::Instant;

fn sh(script: &str) -> CommandSpec {
    CommandSpec::new(["sh", "-c", script])
}

#[test]
fn system_runner_captures_stdout_and_stderr() {
    let out = SystemRunner.run(&sh("echo out; echo err >&2")).unwrap();
    assert_eq!(out.status, 0);
    assert_eq!(out.stdout, b"out\n");
    assert_eq!(out.stderr_text(), "err\n");
}

#[test]
fn system_runner_feeds_stdin_and_env() {
    let spec = sh("cat; printf %s \"$FOO\"")
        .stdin(b"in:".to_vec())
        .env("FOO", "bar");
    let out = SystemRunner.run(&spec).unwrap();
    assert_eq!(out.stdout_text(), "in:bar");
}

#[test]
fn system_runner_nonzero_exit_is_upstream_error_with_stderr() {
    let err = SystemRunner.run(&sh("echo boom >&2; exit 3")).unwrap_err();
    assert!(matches!(err, CommandError::Exit { code: 3, .. }));
    assert_eq!(
        err.to_string(),
        "command 'sh -c 'echo boom >&2; exit 3'' failed: exit code 3\nboom"
    );
}

#[test]
fn system_runner_nonzero_allowed_returns_output() {
    let out = SystemRunner.run(&sh("exit 4").allow_nonzero()).unwrap();
    assert_eq!(out.status, 4);
}

#[test]
fn system_runner_timeout_kills_child_tree() {
    let start = Instant::now();
    // The background sleep holds the pipes open; killing the group must end it too.
    let spec = sh("sleep 30 & sleep 30").timeout(Duration::from_millis(200));
    let err = SystemRunner.run(&spec).unwrap_err();
    assert!(matches!(err, CommandError::Timeout { .. }), "{err}");
    assert!(err.to_string().ends_with("failed: got timeout"));
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn system_runner_missing_program_is_spawn_error() {
    let err = SystemRunner
        .run(&CommandSpec::new(["/nonexistent/prog"]))
        .unwrap_err();
    assert!(matches!(err, CommandError::Spawn { .. }));
    let err = SystemRunner.run(&CommandSpec::default()).unwrap_err();
    assert!(matches!(err, CommandError::Spawn { .. }));
}

#[test]
fn system_runner_signal_is_reported() {
    let err = SystemRunner.run(&sh("kill -9 $$")).unwrap_err();
    assert!(
        matches!(err, CommandError::Signal { signal: 9, .. }),
        "{err}"
    );
}

#[test]
fn fake_runner_answers_exact_and_prefix_and_records_calls() {
    let fake = FakeRunner::new();
    fake.expect_exact(["lvs", "--version"], FakeResponse::ok("2.03"))
        .expect_prefix(["lvs"], FakeResponse::fail(5, "no such vg"));
    assert_eq!(
        fake.run(&CommandSpec::new(["lvs", "--version"]))
            .unwrap()
            .stdout,
        b"2.03"
    );
    let err = fake
        .run(&CommandSpec::new(["lvs", "-o", "name"]))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "command 'lvs -o name' failed: exit code 5\nno such vg"
    );
    assert_eq!(
        fake.argvs(),
        vec![vec!["lvs", "--version"], vec!["lvs", "-o", "name"]]
    );
}

#[test]
fn fake_runner_unexpected_call_is_error_and_recorded() {
    let fake = FakeRunner::new();
    let spec = CommandSpec::new(["rm", "-rf", "/"]).stdin(b"x".to_vec());
    let err = fake.run(&spec).unwrap_err();
    assert_eq!(err.to_string(), "unexpected command 'rm -rf /'");
    assert_eq!(fake.calls(), vec![spec]);
}

#[test]
fn fake_runner_once_expectations_are_consumed_in_order() {
    let fake = FakeRunner::new();
    fake.expect_once(ArgvPattern::Exact(vec!["a".into()]), FakeResponse::ok("1"))
        .expect_once(ArgvPattern::Exact(vec!["a".into()]), FakeResponse::ok("2"))
        .expect_once(
            ArgvPattern::Prefix(vec!["b".into()]),
            FakeResponse::ok("never"),
        );
    let run = |argv: &str| fake.run(&CommandSpec::new([argv])).map(|o| o.stdout_text());
    assert_eq!(run("a").unwrap(), "1");
    assert_eq!(run("a").unwrap(), "2");
    assert!(matches!(run("a"), Err(CommandError::Unexpected { .. })));
    assert_eq!(
        fake.unused_once(),
        vec![ArgvPattern::Prefix(vec!["b".into()])]
    );
}

#[test]
fn fake_runner_timeout_and_allowed_nonzero() {
    let fake = FakeRunner::new();
    fake.expect_prefix(["slow"], FakeResponse::timeout())
        .expect_prefix(["grep"], FakeResponse::fail(1, ""));
    assert!(matches!(
        fake.run(&CommandSpec::new(["slow"])),
        Err(CommandError::Timeout { .. })
    ));
    assert_eq!(
        fake.run(&CommandSpec::new(["grep", "x"]).allow_nonzero())
            .unwrap()
            .status,
        1
    );
}

#[test]
fn display_quotes_arguments_like_a_shell() {
    let spec = CommandSpec::new(["echo", "a b", "", "it's", "--opt=x,y"]);
    assert_eq!(spec.display(), r"echo 'a b' '' 'it'\''s' --opt=x,y");
}
