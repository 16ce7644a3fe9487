#!/usr/bin/env bash
# Installs what VirtOn needs on a Debian 12 machine. Idempotent and non-interactive.
#   scripts/install-deps.sh runtime   packages a running node needs (QEMU 10, LXC, corosync, ...)
#   scripts/install-deps.sh test      what the test suite needs (build tools, nightly fuzzing)
#   scripts/install-deps.sh all       both
set -euo pipefail
what=${1:-all}
export DEBIAN_FRONTEND=noninteractive

log() { echo "install-deps: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
  log "must run as root (it installs Debian packages)"; exit 1
fi

backports() {
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    log "adding bookworm-backports (for QEMU 10)"
    cat > /etc/apt/sources.list.d/virton-backports.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    rm -f /var/lib/apt/periodic/virton-update-stamp
  fi
}

apt_update() {
  local stamp=/var/lib/apt/periodic/virton-update-stamp
  if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
    apt-get update -qq
    mkdir -p "$(dirname "$stamp")" && touch "$stamp"
  fi
}

# Installs the named packages that are not installed yet; extra apt-get args before "--".
apt_install() {
  local opts=() pkgs=() missing=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  pkgs=("$@")
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_update
  log "apt-get install ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${opts[@]}" "${missing[@]}" >/dev/null
}

runtime() {
  backports
  apt_update
  apt_install -t bookworm-backports -- qemu-system-x86 qemu-utils
  apt_install -- ovmf swtpm swtpm-tools lxc lxcfs corosync \
    libcpg-dev libcfg-dev libcmap-dev libquorum-dev libvotequorum-dev \
    iproute2 nftables btrfs-progs openssl curl libpam0g-dev libcrypt-dev pkg-config
}

tests() {
  apt_install -- build-essential pkg-config libcrypt-dev libpam0g-dev
  apt_install -- python3 python3-venv   # scripts/e2e-python.sh makes a venv
  if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    log "no nightly toolchain: fuzz smoke runs will be skipped"
  elif ! cargo fuzz --version >/dev/null 2>&1; then
    log "installing cargo-fuzz"
    cargo install --quiet --locked cargo-fuzz
  fi
  if ! cargo nextest --version >/dev/null 2>&1; then
    log "installing cargo-nextest"
    cargo install --quiet --locked cargo-nextest
  fi
}

case "$what" in
  runtime) runtime ;;
  test) tests ;;
  all) runtime; tests ;;
  *) log "unknown set '$what' (runtime|test|all)"; exit 2 ;;
esac
log "done ($what)"
