#!/usr/bin/env bash
# Does the work of `make -C depends`: maps HOST to a Debian architecture, fetches and unpacks the
# packages in packages.txt, wraps the native tools, builds mpgen and writes toolchain.cmake.
# Inputs come from the Makefile's environment: HOST BUILD PREFIX SOURCES_PATH NO_IPC NO_QT NO_WALLET NO_ZMQ.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"

host_arch=$(debian_arch "$HOST")
host_multiarch=$(debian_multiarch "$host_arch")
build_arch=$(debian_arch "$BUILD")
build_multiarch=$(debian_multiarch "$build_arch")
cross=0
[ "$host_arch" != "$build_arch" ] && cross=1

log "host $HOST (Debian $host_arch), build $BUILD ($build_arch), IPC $([ -n "$NO_IPC" ] && echo off || echo on)"
mkdir -p "$PREFIX" "$PREFIX/native" "$SOURCES_PATH"

if [ $cross = 1 ]; then
  ensure_cross_compiler "$host_multiarch"
  ensure_foreign_arch "$host_arch"
  cc="$host_multiarch-gcc"; cxx="$host_multiarch-g++"
else
  cc=$(command -v gcc || command -v cc); cxx=$(command -v g++ || command -v c++)
fi

groups="base"
[ -z "$NO_IPC" ] && groups="$groups ipc"
while read -r group where pkg; do
  case "$group" in ''|'#'*) continue ;; esac
  case " $groups " in *" $group "*) ;; *) continue ;; esac
  if [ "$where" = host ]; then
    unpack_package "$pkg" "$host_arch" "$PREFIX"
  else
    unpack_package "$pkg" "$build_arch" "$PREFIX/native"
  fi
done < "$here/packages.txt"

enable_ipc=OFF
if [ -z "$NO_IPC" ]; then
  wrap_native_tools "$PREFIX/native" "$build_multiarch"
  build_mpgen "$PREFIX/native"
  enable_ipc=ON
fi

onoff() { [ -n "$1" ] && echo OFF || echo ON; }
sed -e "s|@HOST@|$HOST|g" \
    -e "s|@CROSS@|$cross|g" \
    -e "s|@CC@|$cc|g" -e "s|@CXX@|$cxx|g" \
    -e "s|@SYSTEM_PROCESSOR@|$(cmake_processor "$host_arch")|g" \
    -e "s|@MULTIARCH@|$host_multiarch|g" \
    -e "s|@ENABLE_IPC@|$enable_ipc|g" \
    -e "s|@BUILD_GUI@|$(onoff "$NO_QT")|g" \
    -e "s|@ENABLE_WALLET@|$(onoff "$NO_WALLET")|g" \
    -e "s|@WITH_ZMQ@|OFF|g" \
    -e "s|@NO_ZMQ@|$NO_ZMQ|g" \
    "$here/toolchain.cmake.in" > "$PREFIX/toolchain.cmake.tmp"
mv "$PREFIX/toolchain.cmake.tmp" "$PREFIX/toolchain.cmake"
log "wrote $PREFIX/toolchain.cmake"
