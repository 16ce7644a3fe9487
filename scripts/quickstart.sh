#!/usr/bin/env bash
# Quick start: installs the Debian packages a node needs, builds VirtOn, links the CLI
# names, and starts virtond on a self-contained root (./.quickstart/root), then prints the
# URL and a login. Idempotent; run it again to rebuild and restart.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
qs=$top/.quickstart
root=$qs/root
bindir=${VIRTON_BINDIR:-/usr/local/bin}

[ "$(id -u)" = 0 ] || { echo "quickstart: run as root (it installs packages)"; exit 1; }

echo "==> installing Debian packages (QEMU 10 from bookworm-backports, LXC, corosync, ...)"
scripts/install-deps.sh runtime

echo "==> building release binaries"
cargo build --release --locked -p virton-daemon -p virton-cli

echo "==> linking CLI tools into $bindir"
target/release/virton install-links "$bindir"

mkdir -p "$qs"
if [ -f "$qs/virtond.pid" ] && kill -0 "$(cat "$qs/virtond.pid")" 2>/dev/null; then
  echo "==> stopping the previous virtond"
  kill "$(cat "$qs/virtond.pid")" || true
  sleep 1
fi

echo "==> starting virtond on $root"
target/release/virtond --root "$root" >"$qs/virtond.log" 2>&1 &
pid=$!
echo "$pid" > "$qs/virtond.pid"
sleep 1
if kill -0 "$pid" 2>/dev/null; then
  addr=$(hostname -I 2>/dev/null | awk '{print $1}')
  echo "virtond is running (pid $pid, log $qs/virtond.log)"
  echo "URL:   https://${addr:-127.0.0.1}:8006/"
  echo "Login: see $qs/virtond.log"
else
  cat "$qs/virtond.log"
  echo
  echo "quickstart: virtond initialized $root but is not serving yet."
  echo "Missing in this build: the API server (HTTPS :8006, login) and everything on top of it;"
  echo "see README.md, section Status."
fi
