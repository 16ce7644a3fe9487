"""Shared plumbing of the Python client suites: where the daemon is, raw HTTP over the
local socket (root@pam) and over HTTPS, a tiny RFC 6238 TOTP, and the bootstrap of the
test users.

Owns no test. Reads its settings from the environment that scripts/e2e-python.sh sets.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import http.client
import json
import os
import socket
import struct
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import requests

# Users the bootstrap creates. Passwords are throw-away: the daemon runs on a temp root.
TESTER = "tester@pve"
TESTER_PASSWORD = "e2e-Tester-pw-1"
PLAIN = "plain@pve"
PLAIN_PASSWORD = "e2e-Plain-pw-1"

REPO = Path(os.environ.get("VIRTON_E2E_REPO", Path(__file__).resolve().parents[3]))
COMMITTED = REPO / "docs" / "reference" / "openapi.json"


@dataclass(frozen=True)
class Target:
    """The running daemon under test."""

    host: str
    port: int
    ca: str
    socket: str
    node: str
    root: str

    @property
    def base(self) -> str:
        """Base URL of the JSON API."""
        return f"https://{self.host}:{self.port}/api2/json"


def target_from_env() -> Target:
    """The daemon the script started (raises KeyError naming a missing variable)."""
    env = os.environ
    addr = env["VIRTON_E2E_ADDR"]
    host, _, port = addr.rpartition(":")
    return Target(
        host=host,
        port=int(port),
        ca=env["VIRTON_E2E_CA"],
        socket=env["VIRTON_E2E_SOCKET"],
        node=env["VIRTON_E2E_NODE"],
        root=env["VIRTON_E2E_ROOT"],
    )


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float = 30):
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


@dataclass
class Reply:
    """One HTTP answer, decoded."""

    status: int
    reason: str
    body: dict | None

    @property
    def data(self):
        return (self.body or {}).get("data")


def unix_call(sock_path: str, method: str, path: str, params: dict | None = None) -> Reply:
    """One API call over the local socket, where the peer uid 0 is root@pam (no ticket,
    no CSRF). `path` is below /api2/json; `params` go in the query for GET/DELETE and in a
    form body otherwise."""
    conn = _UnixConnection(sock_path)
    url = "/api2/json/" + path.lstrip("/")
    body = None
    headers = {"Accept": "application/json"}
    encoded = urllib.parse.urlencode(params or {}, doseq=True)
    if method in ("GET", "DELETE"):
        if encoded:
            url += "?" + encoded
    else:
        body = encoded
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, url, body=body, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        return Reply(resp.status, resp.reason, _json_or_none(raw))
    finally:
        conn.close()


def _json_or_none(raw: bytes) -> dict | None:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def totp(secret_b32: str, at: float | None = None, digits: int = 6, period: int = 30) -> str:
    """RFC 6238 TOTP (HMAC-SHA1) for a base32 secret."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    word = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(word % 10**digits).zfill(digits)


def random_base32_secret(nbytes: int = 20) -> str:
    """A fresh TOTP secret, base32 without padding."""
    return base64.b32encode(os.urandom(nbytes)).decode("ascii").rstrip("=")


def bootstrap(t: Target) -> list[str]:
    """Creates the test users as root@pam over the socket: TESTER with Administrator on
    `/`, PLAIN without any ACL. Idempotent. Returns the problems met (empty on success)."""
    problems = []
    steps = [
        ("POST", "access/users", {"userid": TESTER, "password": TESTER_PASSWORD}),
        ("POST", "access/users", {"userid": PLAIN, "password": PLAIN_PASSWORD}),
        ("PUT", "access/acl", {"path": "/", "users": TESTER, "roles": "Administrator"}),
    ]
    for method, path, params in steps:
        r = unix_call(t.socket, method, path, params)
        if r.status == 200 or "already exists" in r.reason:
            continue
        what = params.get("userid") or params.get("users")
        problems.append(f"{method} /{path} ({what}) as root@pam: {r.status} {r.reason}")
    return problems


def login(t: Target) -> dict:
    """A ticket for the Administrator test user (raises with the server's reason)."""
    r = requests.post(
        f"{t.base}/access/ticket",
        data={"username": TESTER, "password": TESTER_PASSWORD},
        verify=t.ca,
        timeout=30,
    )
    if r.status_code != 200:
        raise RuntimeError(f"login as {TESTER}: {r.status_code} {r.reason}")
    return r.json()["data"]


@functools.cache
def openapi_document() -> tuple[dict | None, str]:
    """The API's OpenAPI document: `$VIRTON_E2E_OPENAPI` if set, else the daemon's
    `GET /api2/openapi.json` if it has paths, else docs/reference/openapi.json.
    Returns (document, where from) or (None, why there is none)."""
    explicit = os.environ.get("VIRTON_E2E_OPENAPI")
    if explicit:
        return json.loads(Path(explicit).read_text()), explicit
    notes = []
    try:
        t = target_from_env()
        url = f"https://{t.host}:{t.port}/api2/openapi.json"
        r = requests.get(url, verify=t.ca, timeout=30)
        if r.status_code == 401:
            ticket = login(t)["ticket"]
            r = requests.get(url, verify=t.ca, timeout=30, cookies={"PVEAuthCookie": ticket})
        served = r.json() if r.status_code == 200 else None
        if isinstance(served, dict) and served.get("paths"):
            return served, url
        if r.status_code == 200:
            notes.append("GET /api2/openapi.json served a document without paths")
        else:
            notes.append(f"GET /api2/openapi.json answered {r.status_code} {r.reason}")
    except (KeyError, OSError, RuntimeError, ValueError) as e:
        notes.append(f"GET /api2/openapi.json failed: {e}")
    if COMMITTED.exists():
        where = "; ".join(notes + [f"using {COMMITTED.relative_to(REPO)}"])
        return json.loads(COMMITTED.read_text()), where
    notes.append(f"{COMMITTED.relative_to(REPO)} does not exist")
    return None, "no OpenAPI document: " + "; ".join(notes)


if __name__ == "__main__":
    import sys

    issues = bootstrap(target_from_env())
    for line in issues:
        print(f"bootstrap: {line}", file=sys.stderr)
    sys.exit(1 if issues else 0)
