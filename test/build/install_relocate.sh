#!/usr/bin/env bash
# An install stands on its own: `cmake --install` of the main build to a prefix, the prefix moved,
# then, in a private mount namespace where the source tree, the build tree and the depends prefix
# are hidden under empty tmpfs mounts (as if deleted), the installed programs run, the crypto addon
# hashes and checks signatures, the pure-JS fallbacks find their npm packages in the install, and
# the launchers pick Node.js in order: SMITHCOIN_NODE, the configured node, then node on PATH.
# No installed ELF file may carry an RPATH/RUNPATH other than $ORIGIN-relative, nor load a library
# from a hidden tree. Needs root (or user namespaces) for unshare and mount.
. "$(dirname "$0")/lib.sh"
: "${SMITHCOIN_BUILD_DIR:?}"
here=$(cd "$(dirname "$0")" && pwd)
src=$(realpath "$SRC")
build=$(realpath "$SMITHCOIN_BUILD_DIR")
node=$(sed -n 's/^NODE_EXECUTABLE:[A-Z]*=//p' "$build/CMakeCache.txt")
case "$node" in /*) ;; *) fail "the build's NODE_EXECUTABLE is not an absolute path: '$node'" ;; esac

# Everything the install must not need. The depends prefix is the toolchain file's directory.
hide=()
under_hidden() {
  local h
  for h in "${hide[@]}"; do case "$1/" in "$h"/*) return 0 ;; esac; done
  return 1
}
for dir in "$src" "$build" ${SMITHCOIN_TOOLCHAIN:+"$(dirname "$(realpath "$SMITHCOIN_TOOLCHAIN")")"}; do
  under_hidden "$dir" || hide+=("$dir")
done

# The scratch space must survive the hiding, so it lives outside every hidden tree.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smithcoin-relocate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
! under_hidden "$tmp" || fail "the scratch directory $tmp would be hidden"

cmake --install "$build" --prefix "$tmp/first/prefix" >"$tmp/install.log" 2>&1 || { tail -20 "$tmp/install.log"; fail "install failed"; }
mkdir "$tmp/moved"
mv "$tmp/first/prefix" "$tmp/moved/p"
rmdir "$tmp/first"
p="$tmp/moved/p"
cp "$here/install_relocate_check.mjs" "$tmp/check.mjs"

# Only what the installed code imports: the crypto fallbacks' packages, no build or test tools.
nm="$p/lib/smithcoin/js/node_modules"
for pkg in @noble/curves @noble/hashes; do
  [ -f "$nm/$pkg/package.json" ] || fail "npm package $pkg was not installed"
done
for pkg in typescript mocha ts-morph @ts-morph node-addon-api node-api-headers @types; do
  [ ! -e "$nm/$pkg" ] || fail "build-time npm package $pkg was installed"
done

# No link may lead out of the prefix.
while IFS= read -r -d '' link; do
  case "$(realpath -m "$link")/" in "$p"/*) ;; *) fail "$link points outside the install: $(readlink "$link")" ;; esac
done < <(find "$p" -type l -print0)

# ELF files: RPATH/RUNPATH may only be relative to the file itself.
elves=()
while IFS= read -r -d '' f; do
  [ "$(head -c4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && elves+=("$f")
done < <(find "$p" -type f -print0)
[ "${#elves[@]}" -ge 3 ] || fail "expected the launchers and addons among the installed ELF files, found ${#elves[@]}"
for f in "${elves[@]}"; do
  paths=$(readelf -d "$f" | sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]$/\2/p' | tr ':' '\n')
  while IFS= read -r entry; do
    [ -z "$entry" ] && continue
    case "$entry" in '$ORIGIN'*) ;; *) fail "${f#"$p"/} has RPATH/RUNPATH $entry (not relative to the install)" ;; esac
  done <<<"$paths"
done

# The hidden part runs in its own bash, so that no one reads this script after its tree is hidden.
# -version creates the default datadir as Core's does (InitConfig comes first): never in the real HOME.
mkdir "$tmp/home"
export P="$p" TMP="$tmp" NODE="$node" ENABLE_IPC="${SMITHCOIN_ENABLE_IPC:-OFF}" HOME="$tmp/home"
export HIDE="$(printf '%s\n' "${hide[@]}")" ELVES="$(printf '%s\n' "${elves[@]}")"
unshare_args=(--mount --propagation private)
[ "$(id -u)" = 0 ] || unshare_args+=(--map-root-user)
unshare "${unshare_args[@]}" bash -euo pipefail -s <<'HIDDEN' || fail "the moved install does not stand on its own (see above)"
fail() { echo "FAIL: $*" >&2; exit 1; }
while IFS= read -r h; do
  mount -t tmpfs -o size=1m,mode=0755 smithcoin-hidden "$h"
done <<<"$HIDE"
while IFS= read -r h; do [ -z "$(ls -A "$h")" ] || fail "$h is still visible"; done <<<"$HIDE"

while IFS= read -r f; do
  out=$(ldd "$f" 2>&1) || true
  if grep -q 'not found' <<<"$out"; then fail "${f#"$P"/} needs a library that is not found: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ')"; fi
  while IFS= read -r h; do
    ! grep -qF "$h/" <<<"$out" || fail "${f#"$P"/} loads a library from $h"
  done <<<"$HIDE"
done <<<"$ELVES"

# expect_first <line> <command...>: the command succeeds and its first line of output is <line>.
expect_first() {
  local want=$1 out; shift
  out=$("$@" 2>&1) || fail "$* failed: $out"
  [ "${out%%$'\n'*}" = "$want" ] || fail "$*: got '${out%%$'\n'*}', want '$want'"
}
expect_first "Smithcoin Core version v0.1.0" "$P/bin/smithcoin" -v
expect_first "Smithcoin Core daemon version v0.1.0 smithcoind" "$P/bin/smithcoind" -version
if [ "$ENABLE_IPC" = ON ]; then
  expect_first "Smithcoin Core daemon version v0.1.0 smithcoin-node" "$P/bin/smithcoin" -m node -version
else
  echo "ENABLE_IPC=OFF: no smithcoin-node to run with -m node"
fi
"$NODE" "$TMP/check.mjs" "$P/lib/smithcoin/js"
if [ -x "$P/libexec/bench_smithcoin" ]; then
  # Loads every benchmark module, and with them the npm packages they import (capnp-es).
  "$P/libexec/bench_smithcoin" -list >"$TMP/bench.list" || fail "installed bench_smithcoin -list failed"
  [ -s "$TMP/bench.list" ] || fail "installed bench_smithcoin lists no benchmark"
fi

# recording_node <dir>: <dir>/node runs the real node and appends a line to <dir>/ran each time.
recording_node() {
  mkdir "$1"
  printf '#!/bin/sh\necho "$$" >>"%s/ran"\nexec "%s" "$@"\n' "$1" "$NODE" >"$1/node"
  chmod +x "$1/node"
}
# While it exists, the configured node comes before a node on PATH.
recording_node "$TMP/decoy"
expect_first "Smithcoin Core daemon version v0.1.0 smithcoind" env PATH="$TMP/decoy:$PATH" "$P/bin/smithcoin" node -version
[ ! -e "$TMP/decoy/ran" ] || fail "a node on PATH ran although the configured $NODE exists"

# SMITHCOIN_NODE comes first, also for the program the wrapper execs, and is not second-guessed.
recording_node "$TMP/chosen"
expect_first "Smithcoin Core daemon version v0.1.0 smithcoind" env SMITHCOIN_NODE="$TMP/chosen/node" "$P/bin/smithcoin" node -version
[ -f "$TMP/chosen/ran" ] && [ "$(wc -l <"$TMP/chosen/ran")" = 2 ] || fail "SMITHCOIN_NODE was not used for both the wrapper and the program it ran"
set +e
out=$(SMITHCOIN_NODE="$TMP/absent/node" "$P/bin/smithcoind" -version 2>&1); rc=$?
set -e
[ "$rc" = 127 ] || fail "a missing SMITHCOIN_NODE: exit $rc, want 127"
[ "$out" = "Error: cannot run Node.js from SMITHCOIN_NODE=$TMP/absent/node: No such file or directory" ] || fail "a missing SMITHCOIN_NODE: '$out'"

# The configured node gone (a whiteout over it in an overlay of its directory): node on PATH is used.
mkdir "$TMP/pathnode" "$TMP/ovl"
touch "$TMP/pathnode/node"
mount --bind "$NODE" "$TMP/pathnode/node"
mount -t tmpfs smithcoin-ovl "$TMP/ovl"
mkdir "$TMP/ovl/up" "$TMP/ovl/work"
mknod "$TMP/ovl/up/$(basename "$NODE")" c 0 0
nodedir=$(dirname "$NODE")
mount -t overlay smithcoin-gone -o "lowerdir=$nodedir,upperdir=$TMP/ovl/up,workdir=$TMP/ovl/work" "$nodedir"
[ ! -e "$NODE" ] || fail "could not make $NODE disappear"
expect_first "Smithcoin Core version v0.1.0" env PATH="$TMP/pathnode:$PATH" "$P/bin/smithcoin" -v
if [ "$ENABLE_IPC" = ON ]; then
  expect_first "Smithcoin Core daemon version v0.1.0 smithcoin-node" env PATH="$TMP/pathnode:$PATH" "$P/bin/smithcoin" -m node -version
fi
set +e
out=$(env PATH="$TMP/absent" "$P/bin/smithcoind" -version 2>&1); rc=$?
set -e
[ "$rc" = 127 ] || fail "no node at all: exit $rc, want 127"
[ "$out" = "Error: cannot find Node.js: $NODE is gone and there is no node on PATH. Install Node.js or set SMITHCOIN_NODE to its path." ] || fail "no node at all: '$out'"
HIDDEN
[ -f "$tmp/home/.smithcoin/settings.json" ] || fail "the programs did not run with the scratch HOME"
pass "install relocated: runs with the source, build and depends trees hidden; addon, npm fallbacks, node choice, no RUNPATH"
