#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs every check.
#   1. cargo xtask ci      fmt, clippy -D warnings, layer rule, unit/golden/property tests
#   2. conformance         Proxmox VE's peer cases from ../shared/peer (skipped if absent)
#   3. fuzz smoke          every cargo-fuzz target briefly (needs nightly; skipped if absent)
#   4. python clients      proxmoxer and schemathesis against a live virtond (root only)
# Ends with one line "N passed, M failed" over all of them. Non-interactive (CI=true).
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
log=$(mktemp -d)/test.log
trap 'rm -rf "$(dirname "$log")"' EXIT
failed_steps=()

step() { # name, command...
  local name=$1; shift
  echo "==> $name"
  if ! "$@" 2>&1 | tee -a "$log"; then failed_steps+=("$name"); fi
}

if [ "$(id -u)" = 0 ]; then
  step "install test dependencies" scripts/install-deps.sh test
fi
step "xtask ci" cargo xtask ci
step "conformance" cargo xtask conformance
if rustup toolchain list 2>/dev/null | grep -q '^nightly' && cargo fuzz --version >/dev/null 2>&1; then
  step "fuzz smoke" cargo xtask fuzz --smoke
else
  echo "==> fuzz smoke skipped: needs the nightly toolchain and cargo-fuzz"
fi
if [ "$(id -u)" = 0 ]; then
  step "python client suites" scripts/e2e-python.sh
else
  echo "==> python client suites skipped: scripts/e2e-python.sh needs root (virtond's socket trusts only uid 0)"
fi

# Sum up: nextest's summary, the conformance total, the fuzz targets and pytest's summary.
tests_passed=$(grep -oE '[0-9]+ tests? run: [0-9]+ passed' "$log" | tail -1 | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
tests_failed=$(grep -oE 'tests? run: [0-9]+ passed(, [0-9]+ failed)?' "$log" | tail -1 | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
conf_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
conf_passed=$(echo "${conf_line:-0 passed, 0 failed}" | awk '{print $1}')
conf_failed=$(echo "${conf_line:-0 passed, 0 failed}" | awk '{print $3}')
fuzz_passed=$(grep -oE '^fuzz: [0-9]+ targets' "$log" | grep -oE '[0-9]+' || echo 0)
py_line=$(grep -E '^=+ .*[0-9]+ (passed|failed|errors?|skipped|deselected).* in [0-9.]+s' "$log" | tail -1)
py_passed=$(echo "$py_line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
py_failed=$(echo "$py_line" | grep -oE '[0-9]+ (failed|errors?)' | awk '{s += $1} END {print s + 0}')
passed=$(( ${tests_passed:-0} + ${conf_passed:-0} + ${fuzz_passed:-0} + ${py_passed:-0} ))
failed=$(( ${tests_failed:-0} + ${conf_failed:-0} + ${py_failed:-0} ))
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed steps: ${failed_steps[*]}"
  [ "$failed" -eq 0 ] && failed=${#failed_steps[@]}
fi
echo "tests ${tests_passed:-0}, conformance cases ${conf_passed:-0}, fuzz targets ${fuzz_passed:-0}, python client tests ${py_passed:-0}"
[ -n "$py_line" ] && echo "python client suites: ${py_line//=/}"
echo "$passed passed, $failed failed"
[ ${#failed_steps[@]} -eq 0 ]
