"""proxmoxer against a live virtond: logins (ticket, renewal, TFA, API token), CRUD of
the access objects and pools, error reporting, and task polling.

Every call goes through proxmoxer as a user of it would write it; raw `requests` calls
only check what proxmoxer hides (login response fields, renewal by ticket)."""

from __future__ import annotations

import io
import urllib.parse

import pytest
import requests
from proxmoxer import AuthenticationError, ResourceException
from proxmoxer.tools import Tasks

import virton_e2e as e2e
from conftest import connect


def raw_login(target: e2e.Target, **form) -> requests.Response:
    """`POST /access/ticket` as proxmoxer sends it (form-encoded)."""
    return requests.post(f"{target.base}/access/ticket", data=form, verify=target.ca, timeout=30)


def raises_resource(call, *args, **kwargs) -> ResourceException:
    """Runs `call`, expects a ResourceException and returns it."""
    with pytest.raises(ResourceException) as info:
        call(*args, **kwargs)
    return info.value


# --- TLS and the unauthenticated answer -----------------------------------------------


def test_tls_verifies_against_the_root_ca_and_no_ticket_is_401(target):
    r = requests.get(f"{target.base}/version", verify=target.ca, timeout=30)
    assert r.status_code == 401
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{target.base}/version", verify=True, timeout=30)


# --- ticket login -------------------------------------------------------------------


def test_ticket_login_then_version(api):
    version = api.version.get()
    assert isinstance(version["version"], str) and version["version"]
    assert isinstance(version["release"], str) and version["release"]


def test_ticket_response_has_the_fields_clients_read(target, users_ready):
    r = raw_login(target, username=e2e.TESTER, password=e2e.TESTER_PASSWORD)
    assert r.status_code == 200, r.reason
    data = r.json()["data"]
    assert data["ticket"].startswith(f"PVE:{e2e.TESTER}:")
    assert ":" in data["CSRFPreventionToken"]
    assert data["username"] == e2e.TESTER
    assert isinstance(data["cap"], dict)
    assert "NeedTFA" not in data
    assert "set-cookie" not in {k.lower() for k in r.headers}, "JSON login sets no cookie"


def test_wrong_password_is_an_authentication_error(target, users_ready):
    with pytest.raises(AuthenticationError, match="code: 401"):
        connect(target, user=e2e.TESTER, password="not-the-password")


def test_proxmoxer_renews_its_ticket_by_posting_it_as_password(target, users_ready, unique):
    api = connect(target, user=e2e.TESTER, password=e2e.TESTER_PASSWORD)
    auth = api._backend.auth
    posted = []
    renew = auth._get_new_tokens

    def spy(password=None, otp=None, otptype=None):
        posted.append(auth.pve_auth_ticket if password is None else password)
        renew(password=password, otp=otp, otptype=otptype)

    auth._get_new_tokens = spy
    born = auth.birth_time
    auth.birth_time = born - auth.renew_age  # what 3600 s of use look like to proxmoxer
    assert api.version.get()["release"]
    assert len(posted) == 1 and posted[0].startswith(f"PVE:{e2e.TESTER}:")
    assert auth.birth_time >= born, "renewal stored a fresh ticket"
    assert auth.pve_auth_ticket.startswith(f"PVE:{e2e.TESTER}:")
    # The renewed ticket and its CSRF token work for a write.
    api.access.groups.post(groupid=unique)
    api.access.groups(unique).delete()


def test_ticket_renewal_by_raw_post(target, users_ready):
    first = raw_login(target, username=e2e.TESTER, password=e2e.TESTER_PASSWORD).json()["data"]
    r = raw_login(target, username=e2e.TESTER, password=first["ticket"])
    assert r.status_code == 200, r.reason
    data = r.json()["data"]
    assert data["username"] == e2e.TESTER
    assert data["ticket"].startswith(f"PVE:{e2e.TESTER}:")
    assert data["CSRFPreventionToken"]


def test_tampered_ticket_does_not_renew(target, users_ready):
    ticket = raw_login(target, username=e2e.TESTER, password=e2e.TESTER_PASSWORD).json()["data"][
        "ticket"
    ]
    head, _, sig = ticket.rpartition("::")
    forged = f"{head}::{'A' if sig[:1] != 'A' else 'B'}{sig[1:]}"
    r = raw_login(target, username=e2e.TESTER, password=forged)
    assert r.status_code == 401


# --- TFA ------------------------------------------------------------------------------


@pytest.fixture
def tfa_user(api, unique):
    """A pve user with a password and one TOTP factor; yields (userid, password, secret)."""
    userid, password = f"{unique}@pve", "e2e-Tfa-pw-1"
    api.access.users.post(userid=userid, password=password)
    secret = e2e.random_base32_secret()
    uri = f"otpauth://totp/VirtOn:{urllib.parse.quote(userid)}?secret={secret}&issuer=VirtOn"
    added = api.access.tfa(userid).post(
        type="totp",
        description="e2e",
        totp=uri,
        value=e2e.totp(secret),
        password=e2e.TESTER_PASSWORD,  # upstream: non-root callers confirm their password
    )
    assert added["id"]
    entries = api.access.tfa(userid).get()
    assert [e["type"] for e in entries] == ["totp"]
    yield userid, password, secret
    api.access.users(userid).delete()


def test_tfa_login_through_proxmoxer_need_tfa_flow(target, tfa_user):
    userid, password, secret = tfa_user
    api = connect(target, user=userid, password=password, otp=e2e.totp(secret))
    assert not api.get_tokens()[0].startswith("PVE:!tfa!")
    assert api.version.get()["release"]


def test_tfa_first_step_answers_need_tfa_with_a_pending_ticket(target, tfa_user):
    userid, password, _ = tfa_user
    r = raw_login(target, username=userid, password=password)
    assert r.status_code == 200, r.reason
    data = r.json()["data"]
    assert data["NeedTFA"] == 1
    assert data["ticket"].startswith("PVE:!tfa!")
    # A pending ticket opens nothing but the TFA step.
    v = requests.get(
        f"{target.base}/version",
        cookies={"PVEAuthCookie": data["ticket"]},
        verify=target.ca,
        timeout=30,
    )
    assert v.status_code == 401


def test_tfa_single_step_otp_is_accepted(target, tfa_user):
    userid, password, secret = tfa_user
    r = raw_login(target, username=userid, password=password, otp=e2e.totp(secret))
    assert r.status_code == 200, r.reason
    data = r.json()["data"]
    assert "NeedTFA" not in data
    assert data["ticket"].startswith(f"PVE:{userid}:")


def test_tfa_wrong_code_is_refused(target, tfa_user):
    userid, password, secret = tfa_user
    valid = {e2e.totp(secret, at=__import__("time").time() + d) for d in (-30, 0, 30)}
    wrong = next(c for c in ("000000", "111111", "222222") if c not in valid)
    with pytest.raises((AuthenticationError, requests.exceptions.JSONDecodeError)):
        connect(target, user=userid, password=password, otp=wrong)


# --- API tokens -----------------------------------------------------------------------


def test_token_crud_and_login(target, api, unique):
    tokens = api.access.users(e2e.TESTER).token
    made = tokens(unique).post(privsep=0, comment="e2e")
    assert made["full-tokenid"] == f"{e2e.TESTER}!{unique}"
    assert made["value"]
    assert unique in [t["tokenid"] for t in tokens.get()]
    tokens(unique).put(comment="changed")
    assert tokens(unique).get()["comment"] == "changed"

    tapi = connect(target, user=e2e.TESTER, token_name=unique, token_value=made["value"])
    assert tapi.version.get()["release"]
    # privsep=0: the token has its user's privileges, and sends no CSRF token for writes.
    tapi.access.groups.post(groupid=unique)
    tapi.access.groups(unique).delete()

    tokens(unique).delete()
    assert unique not in [t["tokenid"] for t in tokens.get()]
    gone = raises_resource(tapi.version.get)
    assert gone.status_code == 401


def test_privilege_separated_token_without_acl_is_refused(target, api, unique):
    tokens = api.access.users(e2e.TESTER).token
    made = tokens(unique).post(privsep=1)
    try:
        tapi = connect(target, user=e2e.TESTER, token_name=unique, token_value=made["value"])
        err = raises_resource(tapi.access.groups.post, groupid=unique)
        assert err.status_code == 403
        assert err.content.startswith("Permission check failed")
    finally:
        tokens(unique).delete()


# --- CRUD -----------------------------------------------------------------------------


def test_user_crud(api, unique):
    userid = f"{unique}@pve"
    api.access.users.post(userid=userid, email="e2e@example.com", firstname="E", comment="c1")
    try:
        listed = {u["userid"]: u for u in api.access.users.get()}
        assert listed[userid]["enable"] == 1
        assert listed[userid]["email"] == "e2e@example.com"
        api.access.users(userid).put(comment="c2", lastname="Two")
        got = api.access.users(userid).get()
        assert got["comment"] == "c2" and got["lastname"] == "Two" and got["firstname"] == "E"
    finally:
        api.access.users(userid).delete()
    assert userid not in [u["userid"] for u in api.access.users.get()]


def test_group_crud_and_membership(api, unique):
    userid = f"{unique}@pve"
    api.access.groups.post(groupid=unique, comment="g1")
    api.access.users.post(userid=userid, groups=unique)
    try:
        assert unique in [g["groupid"] for g in api.access.groups.get()]
        got = api.access.groups(unique).get()
        assert got["members"] == [userid]
        api.access.groups(unique).put(comment="g2")
        assert api.access.groups(unique).get()["comment"] == "g2"
        assert api.access.users(userid).get()["groups"] == [unique]
    finally:
        api.access.users(userid).delete()
        api.access.groups(unique).delete()
    assert unique not in [g["groupid"] for g in api.access.groups.get()]


def test_role_crud(api, unique):
    api.access.roles.post(roleid=unique, privs="VM.Audit,Sys.Audit")
    try:
        assert api.access.roles(unique).get() == {"VM.Audit": 1, "Sys.Audit": 1}
        api.access.roles(unique).put(privs="Datastore.Audit", append=1)
        assert set(api.access.roles(unique).get()) == {"VM.Audit", "Sys.Audit", "Datastore.Audit"}
        roles = {r["roleid"]: r for r in api.access.roles.get()}
        assert roles[unique].get("special", 0) == 0
        assert roles["Administrator"]["special"] == 1
    finally:
        api.access.roles(unique).delete()
    assert unique not in [r["roleid"] for r in api.access.roles.get()]


def test_acl_crud(api, unique):
    userid = f"{unique}@pve"
    api.access.users.post(userid=userid)
    api.access.groups.post(groupid=unique)
    try:
        api.access.acl.put(path="/vms", users=userid, roles="PVEAuditor")
        api.access.acl.put(path="/storage", groups=unique, roles="PVEDatastoreUser", propagate=0)
        acl = api.access.acl.get()
        assert {
            "path": "/vms",
            "type": "user",
            "ugid": userid,
            "roleid": "PVEAuditor",
            "propagate": 1,
        } in acl
        assert {
            "path": "/storage",
            "type": "group",
            "ugid": unique,
            "roleid": "PVEDatastoreUser",
            "propagate": 0,
        } in acl
        api.access.acl.put(path="/vms", users=userid, roles="PVEAuditor", delete=1)
        assert not [a for a in api.access.acl.get() if a["ugid"] == userid]
    finally:
        api.access.users(userid).delete()
        api.access.groups(unique).delete()
    assert not [a for a in api.access.acl.get() if a["ugid"] in (userid, unique)]


def test_pool_crud_in_both_path_styles(api, unique):
    api.pools.post(poolid=unique, comment="p1")
    try:
        assert {"poolid": unique, "comment": "p1"}.items() <= next(
            p for p in api.pools.get() if p["poolid"] == unique
        ).items()
        assert api.pools(unique).get()["members"] == []
        api.pools.put(poolid=unique, comment="p2")  # the newer query-parameter form
        [one] = api.pools.get(poolid=unique)
        assert one["comment"] == "p2" and one["members"] == []
        dup = raises_resource(api.pools.post, poolid=unique)
        assert dup.status_code == 500 and "already exists" in dup.content
    finally:
        api.pools.delete(poolid=unique)
    assert unique not in [p["poolid"] for p in api.pools.get()]


# --- errors ---------------------------------------------------------------------------


def test_duplicate_user_is_500_already_exists(api):
    err = raises_resource(api.access.users.post, userid=e2e.TESTER)
    assert err.status_code == 500
    assert "already exists" in err.content


def test_unprivileged_user_gets_403_with_the_failed_check(plain_api, unique):
    err = raises_resource(plain_api.access.groups.post, groupid=unique)
    assert err.status_code == 403
    assert err.content == "Permission check failed (/access/groups, Group.Allocate)"


def test_unprivileged_user_lists_only_itself(plain_api):
    assert [u["userid"] for u in plain_api.access.users.get()] == [e2e.PLAIN]


def test_missing_parameter_is_400_with_errors(api):
    err = raises_resource(api.access.roles.post)
    assert err.status_code == 400
    assert err.content == "Parameter verification failed."
    assert "roleid" in err.errors


def test_malformed_parameter_is_400_naming_it(api):
    err = raises_resource(api.access.users.post, userid="no-realm-here")
    assert err.status_code == 400
    assert err.content == "Parameter verification failed."
    assert set(err.errors) == {"userid"}


def test_unknown_path_is_501_not_implemented(api):
    err = raises_resource(api.no.such.path.get)
    assert err.status_code == 501
    assert err.content == "Method 'GET /no/such/path' not implemented"


# --- tasks ----------------------------------------------------------------------------

# Worker endpoints that are harmless on an empty node, in order of preference.
TASK_CANDIDATES = [
    ("POST /nodes/{node}/startall", lambda api, node: api.nodes(node).startall.post()),
    ("POST /nodes/{node}/stopall", lambda api, node: api.nodes(node).stopall.post()),
    (
        "POST /nodes/{node}/storage/local/upload",
        lambda api, node: api.nodes(node)
        .storage("local")
        .upload.post(content="iso", filename="e2e-task.iso", file=io.BytesIO(b"\0" * 4096)),
    ),
]


def start_some_task(api, node):
    """Starts the first candidate worker the daemon offers; returns (endpoint, upid) or
    (None, reasons) when none exists yet."""
    missing = []
    for name, start in TASK_CANDIDATES:
        try:
            return name, start(api, node)
        except ResourceException as e:
            if e.status_code != 501:
                raise
            missing.append(f"{name}: 501 {e.content}")
    return None, missing


def test_task_polling_with_blocking_status(api, target):
    endpoint, upid = start_some_task(api, target.node)
    if endpoint is None:
        reason = "no worker endpoint is implemented yet: " + "; ".join(upid)
        print(reason)
        pytest.skip(reason)
    info = Tasks.decode_upid(upid)
    assert info["node"] == target.node and info["user"] == e2e.TESTER
    status = Tasks.blocking_status(api, upid, timeout=120)
    assert status is not None, f"{endpoint}: task {upid} did not stop within 120 s"
    assert status["status"] == "stopped"
    assert status["upid"] == upid and isinstance(status["pid"], int)
    assert status["exitstatus"] == "OK" or status["exitstatus"].startswith("WARNINGS"), status
    log = api.nodes(target.node).tasks(upid).log.get()
    assert all(isinstance(line["n"], int) and "t" in line for line in log)
    assert isinstance(Tasks.decode_log(log), str)
