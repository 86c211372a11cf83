# Shared helpers for the configure/build tests. Each test configures a throw-away build of the
# source tree under its own scratch directory, with the toolchain the main build used (if any).
set -euo pipefail
: "${SMITHCOIN_SOURCE_DIR:?}" "${SMITHCOIN_TEST_SCRATCH:?}"
SRC=$SMITHCOIN_SOURCE_DIR
TOOLCHAIN_ARGS=()
if [ -n "${SMITHCOIN_TOOLCHAIN:-}" ]; then TOOLCHAIN_ARGS=(--toolchain "$SMITHCOIN_TOOLCHAIN"); fi

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }

# scratch <name>: a fresh directory for this test.
scratch() {
  local d="$SMITHCOIN_TEST_SCRATCH/$1"
  rm -rf "$d"; mkdir -p "$d"; echo "$d"
}

# configure <builddir> <log> [cmake args...]: returns cmake's exit status, output in <log>.
configure() {
  local dir=$1 log=$2; shift 2
  cmake -S "$SRC" -B "$dir" "${TOOLCHAIN_ARGS[@]}" "$@" >"$log" 2>&1
}

expect_in() { grep -qF -- "$1" "$2" || { echo "--- $2:"; tail -30 "$2"; fail "expected '$1' in $(basename "$2")"; }; }
expect_not_in() { ! grep -qF -- "$1" "$2" || fail "did not expect '$1' in $(basename "$2")"; }
