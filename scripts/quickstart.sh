#!/usr/bin/env bash
# Quick start: installs the Debian packages a node needs, builds VirtOn, links the CLI
# names, starts virtond on a self-contained root (./.quickstart/root) and prints the URL
# and a login. Idempotent: run it again to rebuild and restart.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
qs=$top/.quickstart
root=$qs/root
bindir=${VIRTON_BINDIR:-/usr/local/bin}
port=${VIRTON_PORT:-8006}

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
  for _ in $(seq 50); do kill -0 "$(cat "$qs/virtond.pid")" 2>/dev/null || break; sleep 0.1; done
fi

echo "==> starting virtond on $root (port $port)"
setsid target/release/virtond --root "$root" --listen "0.0.0.0:$port" >"$qs/virtond.log" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$qs/virtond.pid"
sock=$root/run/virton/api.sock
for _ in $(seq 100); do [ -S "$sock" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if ! [ -S "$sock" ]; then
  cat "$qs/virtond.log"
  echo "quickstart: virtond did not start; see $qs/virtond.log"
  exit 1
fi

# A login of our own: admin@pve with a generated password and the Administrator role.
# Over the local socket the caller is root@pam, so no password is needed to set it up.
api() { curl -s --unix-socket "$sock" -X "$1" "http://localhost/api2/json/$2" "${@:3}"; }
pwfile=$qs/admin-password
[ -f "$pwfile" ] || { head -c 12 /dev/urandom | base64 | tr -d '/+=' > "$pwfile"; chmod 600 "$pwfile"; }
login="root@pam with this machine's root password"
if [ "$(api GET access/users -o /dev/null -w '%{http_code}')" = 200 ]; then
  api POST access/users -d userid=admin@pve --data-urlencode "password=$(cat "$pwfile")" >/dev/null
  api PUT access/acl -d path=/ -d users=admin@pve -d roles=Administrator >/dev/null
  login="admin@pve / $(cat "$pwfile")  (realm: Proxmox VE authentication server)"
fi

addr=$(hostname -I 2>/dev/null | awk '{print $1}')
fp=$(sed -n 's/.*certificate fingerprint \([0-9A-F:]*\).*/\1/p' "$qs/virtond.log" | head -1)
echo
echo "virtond is running (pid $pid, log $qs/virtond.log)"
echo "URL:          https://${addr:-127.0.0.1}:$port/"
echo "API:          https://${addr:-127.0.0.1}:$port/api2/json/"
echo "Login:        $login"
echo "Fingerprint:  ${fp:-see log}"
echo "CLI:          VIRTON_ROOT=$root pvesh get /version"
echo "Stop:         kill \$(cat $qs/virtond.pid)"
