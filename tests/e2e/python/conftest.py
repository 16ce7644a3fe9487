"""Fixtures of the client suites: the daemon under test, proxmoxer sessions for the
bootstrap users, root@pam over the local socket, and unique names per test."""

from __future__ import annotations

import itertools
import os

import pytest
from proxmoxer import ProxmoxAPI

import virton_e2e as e2e

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def target() -> e2e.Target:
    try:
        return e2e.target_from_env()
    except KeyError as missing:
        pytest.fail(f"{missing} is not set: run the suites through scripts/e2e-python.sh")


@pytest.fixture(scope="session")
def users_ready(target: e2e.Target) -> None:
    """Stops the requesting test when the bootstrap could not create the test users: a
    skip while the daemon does not implement the endpoints yet (every problem a 501), a
    failure for anything else."""
    err = os.environ.get("VIRTON_E2E_BOOTSTRAP_ERROR")
    if not err:
        return
    lines = [line.removeprefix("bootstrap: ") for line in err.splitlines() if line.strip()]
    if lines and all(": 501 " in line for line in lines):
        pytest.skip(f"test users cannot be created yet: {lines[0]}")
    pytest.fail(f"test users missing; bootstrap over the local socket: {lines}", pytrace=False)


def connect(target: e2e.Target, **auth) -> ProxmoxAPI:
    """proxmoxer over HTTPS, verifying the daemon's certificate against the root's CA."""
    return ProxmoxAPI(target.host, port=target.port, verify_ssl=target.ca, timeout=30, **auth)


@pytest.fixture(scope="session")
def api(target: e2e.Target, users_ready) -> ProxmoxAPI:
    """proxmoxer logged in by ticket as the Administrator test user."""
    return connect(target, user=e2e.TESTER, password=e2e.TESTER_PASSWORD)


@pytest.fixture(scope="session")
def plain_api(target: e2e.Target, users_ready) -> ProxmoxAPI:
    """proxmoxer logged in as the user without any ACL entry."""
    return connect(target, user=e2e.PLAIN, password=e2e.PLAIN_PASSWORD)


@pytest.fixture
def unique() -> str:
    """A short name no other test uses in this run."""
    return f"e2e{os.getpid() % 1000}x{next(_counter)}"


def pytest_report_header(config):
    """Says which OpenAPI document the schemathesis suite uses (or why none)."""
    return f"openapi: {e2e.openapi_document()[1]}"
