#!/usr/bin/env bash
# Client-level suites against a real virtond: proxmoxer and schemathesis (tests/e2e/python).
#   1. a venv in .venv/e2e with the pinned packages of tests/e2e/python/requirements.txt
#   2. builds virtond, starts it on a temp root (127.0.0.1, a free port)
#   3. creates the test users as root@pam over the local socket
#   4. runs pytest; stops the daemon and removes the temp root on exit
# Exits with pytest's status; "no tests collected" is a failure. Must run as root (the
# local socket only trusts uid 0). Non-interactive. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=${CI:-true} PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
suite=tests/e2e/python
venv=.venv/e2e

log() { echo "e2e-python: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
  log "must run as root: virtond's local socket only accepts uid 0 as root@pam"; exit 1
fi

# 1. The venv, reinstalled only when requirements.txt changes.
stamp=$venv/.requirements.sha256
want=$(sha256sum "$suite/requirements.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "creating $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$suite/requirements.txt" </dev/null
  echo "$want" > "$stamp"
fi

# 2. The daemon on a temp root; --listen 127.0.0.1:0 picks a free port, read back from stderr.
cargo build --quiet -p virton-daemon --bin virtond
bin=${CARGO_TARGET_DIR:-target}/debug/virtond
root=$(mktemp -d /tmp/virton-e2e-py.XXXXXX)
node=e2e
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$bin" --root "$root" --node "$node" --listen 127.0.0.1:0 </dev/null 2>"$root.log" &
pid=$!
addr=
for _ in $(seq 600); do
  addr=$(grep -oE 'serving https://[^ ]+' "$root.log" 2>/dev/null | head -1 | sed 's|serving https://||') || true
  [ -n "$addr" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$addr" ]; then
  log "virtond did not start:"; cat "$root.log" >&2; rm -f "$root.log"; exit 1
fi
log "virtond (pid $pid) serving https://$addr on root $root"

export VIRTON_E2E_ADDR=$addr VIRTON_E2E_NODE=$node VIRTON_E2E_ROOT=$root
export VIRTON_E2E_CA=$root/etc/pve/pve-root-ca.pem
export VIRTON_E2E_SOCKET=$root/run/virton/api.sock
export VIRTON_E2E_REPO=$PWD HYPOTHESIS_STORAGE_DIRECTORY=$root/hypothesis

# 3. Test users. A failure is passed on to the tests, which report it where they need them.
if ! bootstrap_err=$("$venv/bin/python" "$suite/virton_e2e.py" 2>&1); then
  log "bootstrap incomplete:"; echo "$bootstrap_err" >&2
  export VIRTON_E2E_BOOTSTRAP_ERROR=$bootstrap_err
fi

# 4. pytest. rc 5 is "no tests collected".
rc=0
timeout --kill-after=30 1800 "$venv/bin/python" -m pytest -c "$suite/pytest.ini" "$suite" "$@" </dev/null || rc=$?
if [ "$rc" = 5 ]; then log "pytest collected no tests"; rc=1; fi
if [ "$rc" != 0 ]; then log "virtond log (tail):"; tail -n 40 "$root.log" >&2 || true; fi
rm -f "$root.log"
exit "$rc"
