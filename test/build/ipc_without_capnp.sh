#!/usr/bin/env bash
# Asking for IPC where Cap'n Proto cannot be found fails configure and names the fix. Cap'n Proto
# is hidden by configuring without the depends toolchain and ignoring the system's include/lib dirs.
. "$(dirname "$0")/lib.sh"
d=$(scratch ipc_without_capnp)
TOOLCHAIN_ARGS=()
if configure "$d/build" "$d/configure.log" -DENABLE_IPC=ON \
    "-DCMAKE_IGNORE_PATH=/usr/include;/usr/local/include;/usr/lib/x86_64-linux-gnu;/usr/lib" \
    -DCAPNP_EXECUTABLE=/bin/true; then
  fail "configure succeeded without Cap'n Proto"
fi
expect_in "ENABLE_IPC is ON but the Cap'n Proto" "$d/configure.log"
expect_in "apt-get install capnproto libcapnp-dev" "$d/configure.log"
expect_in "make -C depends" "$d/configure.log"
pass "ENABLE_IPC without Cap'n Proto fails with the packages to install"
