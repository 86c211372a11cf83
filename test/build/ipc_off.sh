#!/usr/bin/env bash
# ENABLE_IPC=OFF: the summary says so, the build has no smithcoin-node, and `smithcoin -m node`
# fails exactly as Core's wrapper does without it.
. "$(dirname "$0")/lib.sh"
d=$(scratch ipc_off)
configure "$d/build" "$d/configure.log" -DENABLE_IPC=OFF || { cat "$d/configure.log"; fail "configure failed"; }
expect_in "  IPC ................................. OFF" "$d/configure.log"
expect_in "  smithcoin-node (multiprocess) ....... OFF" "$d/configure.log"
cmake --build "$d/build" -j2 >"$d/build.log" 2>&1 || { tail -30 "$d/build.log"; fail "build failed"; }
[ -x "$d/build/bin/smithcoind" ] || fail "bin/smithcoind missing"
[ ! -e "$d/build/bin/smithcoin-node" ] || fail "bin/smithcoin-node exists without IPC"
set +e
out=$("$d/build/bin/smithcoin" -m node -regtest 2>&1); rc=$?
set -e
[ $rc = 1 ] || fail "smithcoin -m node exited $rc"
[ "$out" = "Error: execvp failed to execute '$d/build/bin/smithcoin-node': No such file or directory
Try '$d/build/bin/smithcoin --help' for more information." ] || fail "unexpected output: $out"
# A second build with no change must not recompile anything.
cmake --build "$d/build" -j2 >"$d/rebuild.log" 2>&1
expect_not_in "Compiling TypeScript" "$d/rebuild.log"
expect_not_in "Building C" "$d/rebuild.log"
pass "ENABLE_IPC=OFF builds without smithcoin-node; no-op rebuild is a no-op"
