#!/usr/bin/env bash
# The last step of `make -C depends`, after package.sh installed the packages: builds the native
# mpgen (IPC only) and writes depends/<host>/toolchain.cmake, and for the build machine's own host
# also depends/toolchain.cmake, which includes it.
# Inputs from the Makefile: HOST BUILD PREFIX NO_IPC NO_QT NO_WALLET NO_ZMQ.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"

# Files of the layout that unpacked Debian binary packages (depends before it built from source).
rm -rf "$PREFIX/usr" "$PREFIX/native/usr" "$PREFIX"/.unpacked-* "$PREFIX"/native/.unpacked-* "$PREFIX"/.options-*

# Builds mpgen (the in-tree libmultiprocess package) for the build machine. It is rebuilt when its
# sources or the capnp it runs change: the stamp holds their hash.
build_mpgen() {
  local native=$1 top pkg key stamp
  top=$(cd "$here/.." && pwd)
  pkg="$top/src/ipc/libmultiprocess"
  [ -f "$pkg/CMakeLists.txt" ] || die "cannot build mpgen: $pkg/CMakeLists.txt is missing"
  key=$( { (cd "$pkg" && find . -type f ! -path '*/node_modules/*' -print0 | sort -z | xargs -0 sha256sum)
           head -n1 "$native/.stamp_native_capnp"; } | sha256sum | cut -c1-16)
  stamp="$native/.stamp_mpgen"
  if [ -x "$native/bin/mpgen" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then return 0; fi
  if [ ! -f "$top/node_modules/.package-lock.json" ]; then
    log "installing npm packages (mpgen needs them)"
    (cd "$top" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  log "building mpgen"
  rm -rf "$native/build-mpgen"
  { cmake -S "$pkg" -B "$native/build-mpgen" -DCMAKE_INSTALL_PREFIX="$native" \
      -DCAPNP_EXECUTABLE="$native/bin/capnp" -DMP_NODE_MODULES="$top/node_modules" &&
    cmake --build "$native/build-mpgen" -j "$JOBS" &&
    cmake --install "$native/build-mpgen"; } >"$native/mpgen-build.log" 2>&1 ||
    { tail -30 "$native/mpgen-build.log" >&2; die "mpgen failed to build (full log: $native/mpgen-build.log)"; }
  [ -x "$native/bin/mpgen" ] || die "mpgen was not installed to $native/bin"
  echo "$key" > "$stamp"
}

host_arch=$(debian_arch "$HOST")
cross=0
[ "$host_arch" != "$(debian_arch "$BUILD")" ] && cross=1
select_compilers host

enable_ipc=OFF
if [ -z "$NO_IPC" ]; then
  build_mpgen "$PREFIX/native"
  enable_ipc=ON
fi

onoff() { [ -n "$1" ] && echo OFF || echo ON; }
sed -e "s|@HOST@|$HOST|g" \
    -e "s|@CROSS@|$cross|g" \
    -e "s|@CC@|$cc|g" -e "s|@CXX@|$cxx|g" \
    -e "s|@SYSTEM_PROCESSOR@|$(cmake_processor "$host_arch")|g" \
    -e "s|@ENABLE_IPC@|$enable_ipc|g" \
    -e "s|@BUILD_GUI@|$(onoff "$NO_QT")|g" \
    -e "s|@ENABLE_WALLET@|$(onoff "$NO_WALLET")|g" \
    -e "s|@WITH_ZMQ@|OFF|g" \
    "$here/toolchain.cmake.in" > "$PREFIX/toolchain.cmake.tmp"
mv "$PREFIX/toolchain.cmake.tmp" "$PREFIX/toolchain.cmake"
log "wrote $PREFIX/toolchain.cmake"
if [ "$HOST" = "$BUILD" ]; then
  # A stable name for the build machine's toolchain, so the quick start is the same on every
  # machine. Cross builds never move it: a build configured with it stays native.
  printf '# Written by make -C depends: the toolchain of this machine (%s).\ninclude("${CMAKE_CURRENT_LIST_DIR}/%s/toolchain.cmake")\n' \
    "$HOST" "$HOST" > "$here/toolchain.cmake.tmp"
  mv "$here/toolchain.cmake.tmp" "$here/toolchain.cmake"
  log "done. Configure with: cmake -B build --toolchain depends/toolchain.cmake  (the same as depends/$HOST/toolchain.cmake)"
else
  log "done. Configure with: cmake -B build --toolchain depends/$HOST/toolchain.cmake"
fi
