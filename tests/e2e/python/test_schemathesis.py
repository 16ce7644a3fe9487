"""Schemathesis against a live virtond: for each operation of the API's OpenAPI document,
generated valid requests (with a ticket cookie and the CSRF header) must get no server
error, and every answer must match the schema.

The document is `GET /api2/openapi.json` of the daemon, else `docs/reference/openapi.json`
of the checkout (else `$VIRTON_E2E_OPENAPI` when set, which wins). Without one, the single
test here is skipped and says why.

Bounded: `$VIRTON_E2E_ST_EXAMPLES` examples per operation (default 20) and a total budget of
`$VIRTON_E2E_ST_SECONDS` (default 300); operations past the budget are skipped.

What is exercised (the daemon runs on a temp root, but some handlers touch the host or the
network): GET everywhere except probes of remote servers, terminals, device queries and
the system report; POST/PUT/DELETE only on `/access` and `/pools`, whose state is the
temp root's config, without login, password change, realms (LDAP sync, OpenID) and VNC
tickets.

"No server error": any 5xx fails, except upstream's deliberate 500 for a refused
operation ("no such user", "already exists", ...): that must come as the JSON error
envelope whose `message` starts with the reason phrase, and it is counted in the output.
"""

from __future__ import annotations

import json
import os
import re
import time

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings

import virton_e2e as e2e

EXAMPLES = int(os.environ.get("VIRTON_E2E_ST_EXAMPLES", "20"))
BUDGET_SECONDS = float(os.environ.get("VIRTON_E2E_ST_SECONDS", "300"))

WRITE_ALLOWED = re.compile(r"^/(access|pools)(/|$)")
NEVER = re.compile(
    r"^/access/(ticket|password|domains|openid|vncticket)(/|$)"
    r"|/scan(/|$)|query-url-metadata|/acme(/|$)|/ceph(/|$)|termproxy|vncwebsocket|vncshell"
    r"|spiceshell|spiceproxy|/disks/smart|file-restore|/apt/changelog|/report$"
)


def selected(path: str, method: str) -> bool:
    """The safety policy of the module docstring."""
    if NEVER.search(path):
        return False
    return method == "get" or WRITE_ALLOWED.search(path) is not None


DOCUMENT, SOURCE = e2e.openapi_document()


def operation_keys() -> list[str]:
    if DOCUMENT is None:
        return []
    return [
        f"{method.upper()} {path}"
        for path, item in sorted(DOCUMENT.get("paths", {}).items())
        for method in sorted(item)
        if method in ("get", "post", "put", "delete") and selected(path, method)
    ]


KEYS = operation_keys()


@pytest.fixture(scope="module")
def schema():
    if DOCUMENT is None:
        print(SOURCE)
        pytest.skip(SOURCE)
    import schemathesis

    return schemathesis.openapi.from_dict(DOCUMENT)


@pytest.fixture(scope="module")
def session(target, users_ready):
    data = e2e.login(target)
    s = requests.Session()
    s.verify = target.ca
    s.cookies.set("PVEAuthCookie", data["ticket"])
    s.headers["CSRFPreventionToken"] = data["CSRFPreventionToken"]
    return s


_clock: dict[str, float] = {}
refused_500: dict[str, set[str]] = {}


def check_no_server_error(key: str, response) -> None:
    """Fails on a 5xx other than upstream's enveloped 500 (see the module docstring)."""
    status, reason = response.status_code, response.message
    if status < 500:
        return
    assert status == 500, f"{key}: {status} {reason}"
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    assert isinstance(body, dict) and body.get("data") is None, f"{key}: 500 without envelope"
    message = body.get("message") or ""
    assert message.split("\n")[0] == reason, f"{key}: reason {reason!r} vs message {message!r}"
    assert "panicked" not in message, f"{key}: {message}"
    refused_500.setdefault(key, set()).add(reason)


@pytest.mark.parametrize("key", KEYS or [SOURCE])
def test_operation_conforms(key, schema, session, target):
    from schemathesis.specs.openapi.checks import response_schema_conformance

    start = _clock.setdefault("start", time.monotonic())
    if time.monotonic() - start > BUDGET_SECONDS:
        pytest.skip(f"schemathesis budget of {BUDGET_SECONDS:.0f} s used up")
    method, path = key.split(" ", 1)
    operation = schema[path][method]
    pinned = {"node": target.node} if "{node}" in path else None

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=pinned))
    def run(case):
        response = case.call(base_url=target.base, session=session, verify=target.ca, timeout=30)
        check_no_server_error(key, response)
        case.validate_response(response, checks=[response_schema_conformance])

    run()
    if key in refused_500:
        print(f"{key}: refused with 500: {sorted(refused_500[key])[:5]}")
