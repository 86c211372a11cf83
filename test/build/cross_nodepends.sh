#!/usr/bin/env bash
# Cross build for arm64 WITHOUT depends' toolchain: a hand-written toolchain file names the cross
# compilers and a sysroot holding the arm64 libraries, and the build machine's tools are passed as
# -DMPGEN_EXECUTABLE / -DCAPNP_EXECUTABLE / -DCAPNPC_CXX_EXECUTABLE (doc/build-unix.md §4).
. "$(dirname "$0")/lib.sh"
: "${SMITHCOIN_BUILD_DIR:?}"
d=$(scratch cross_nodepends)
host=aarch64-linux-gnu
ipc=${SMITHCOIN_ENABLE_IPC:-OFF}
# The arm64 libraries: depends' static libraries, built from source with the cross compiler, used as
# a plain sysroot (include/, lib/); the toolchain below is our own.
ipc_opt=""; [ "$ipc" = ON ] || ipc_opt="NO_IPC=1"
make -C "$SRC/depends" HOST=$host NO_QT=1 $ipc_opt >"$d/depends.log" 2>&1 || { tail -20 "$d/depends.log"; fail "fetching the arm64 libraries failed"; }
sysroot="$SRC/depends/$host"
cat >"$d/aarch64.cmake" <<TC
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER $host-gcc)
set(CMAKE_CXX_COMPILER $host-g++)
set(CMAKE_FIND_ROOT_PATH "$sysroot")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
TC
tool_args=(-DENABLE_IPC=$ipc)
if [ "$ipc" = ON ]; then
  cache() { sed -n "s/^$1:[A-Z]*=//p" "$SMITHCOIN_BUILD_DIR/CMakeCache.txt"; }
  capnp=$(cache CAPNP_EXECUTABLE); capnpc=$(cache CAPNPC_CXX_EXECUTABLE)
  mpgen="$SMITHCOIN_BUILD_DIR/libmultiprocess/bin/mpgen"
  [ -x "$mpgen" ] || mpgen=$(cache MPGEN_EXECUTABLE)
  [ -x "$mpgen" ] && [ -x "$capnp" ] && [ -x "$capnpc" ] || fail "the main build has no mpgen/capnp/capnpc-c++ to pass on"
  tool_args+=(-DMPGEN_EXECUTABLE="$mpgen" -DCAPNP_EXECUTABLE="$capnp" -DCAPNPC_CXX_EXECUTABLE="$capnpc")
fi
cmake -S "$SRC" -B "$d/build" --toolchain "$d/aarch64.cmake" "${tool_args[@]}" >"$d/configure.log" 2>&1 || { tail -30 "$d/configure.log"; fail "configure failed"; }
expect_in "Cross compiling ....................... TRUE, for Linux, aarch64" "$d/configure.log"
expect_in "  IPC ................................. $ipc" "$d/configure.log"
cmake --build "$d/build" -j2 >"$d/build.log" 2>&1 || { tail -30 "$d/build.log"; fail "cross build failed"; }
file -L "$d/build/js/native/crypto.node" | grep -q 'ARM aarch64' || fail "crypto.node is not arm64"
make -C "$SRC/depends" HOST=$host qemu-sysroot >>"$d/depends.log" 2>&1 || fail "qemu-sysroot failed"
qroot="$SRC/depends/$host/qemu-sysroot"
out=$(qemu-aarch64 -L "$qroot" "$qroot/usr/bin/node" "$SRC/test/build/cross_check.mjs" "$d/build/js") || fail "the arm64 crypto addon did not run under qemu"
echo "$out" | grep -q '"backend":"native"' || fail "arm64 run did not use the native addon: $out"
echo "$out" | grep -q '"ecdsaValid":true,"ecdsaTampered":false,"schnorrValid":true,"schnorrTampered":false' || fail "arm64 signature checks wrong: $out"
if [ "$ipc" = ON ]; then
  file -L "$d/build/js/native/capnp.node" | grep -q 'ARM aarch64' || fail "capnp.node is not arm64"
  [ -f "$d/build/ts/src/ipc/capnp/mining.capnp.ts" ] || fail "the external mpgen did not generate mining.capnp.ts"
  grep -q "^MPGEN_EXECUTABLE:FILEPATH=$mpgen\$" "$d/build/CMakeCache.txt" || fail "MPGEN_EXECUTABLE was not used"
  qemu-aarch64 -L "$qroot" "$qroot/usr/bin/node" -e "require('$d/build/js/native/capnp.node')" || fail "the arm64 capnp codec does not load under qemu"
fi
pass "arm64 cross build without depends' toolchain (tools passed with -D) builds and runs under qemu"
