#!/usr/bin/env bash
# Builds one package from its pinned source (or takes it from the built-package cache) and
# installs it into depends/<host> (PKG_KIND=host) or depends/<host>/native (PKG_KIND=native).
# Inputs from the Makefile: PKG_NAME PKG_VERSION PKG_POOL PKG_FILE PKG_SHA256 PKG_RECIPE
# PKG_CONFIG_OPTS PKG_BUILD_TARGETS PKG_STAGE_CMDS PKG_KIND, and HOST BUILD PREFIX SOURCES_PATH
# BASE_CACHE WORK_PATH JOBS.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"

case "$PKG_KIND" in
  host) triplet=$HOST; dest=$PREFIX ;;
  native) triplet=$BUILD; dest=$PREFIX/native ;;
  *) die "PKG_KIND must be host or native, not '$PKG_KIND'" ;;
esac
select_compilers "$PKG_KIND"

# The cache key: everything that decides the package's files. Native packages do not depend on
# HOST, so every host built on this machine shares one build of them.
package_key() {
  {
    cat "$PKG_RECIPE" "$here/scripts/package.sh"
    printf '%s\n' "$PKG_KIND" "$triplet" "$PKG_VERSION" "$PKG_FILE" "$PKG_SHA256" \
      "$PKG_CONFIG_OPTS" "$PKG_BUILD_TARGETS" "$PKG_STAGE_CMDS" "$cc" "$cxx"
    "$cc" -dumpfullversion -dumpmachine
  } | sha256sum | cut -c1-16
}

# Stage commands the recipes use; they run in the package's work dir with $src, $build, $stage.
stage_install() { cmake --install "$build" --prefix "$stage" >/dev/null; }

stage_capnp_libs() {
  local lib a
  mkdir -p "$stage/lib" "$stage/include"
  for lib in "$@"; do
    a=$(find "$build" -name "lib$lib.a" -print -quit)
    [ -n "$a" ] || die "$PKG_NAME: lib$lib.a was not built"
    cp "$a" "$stage/lib/"
  done
  # The headers and schemas of kj and capnp, as `make install` lays them out, without the tests'.
  (cd "$src/src" && find kj capnp \( -name '*.h' -o -name '*.capnp' \) ! -name '*test*' ! -path '*/testdata/*' |
    tar -cf - -T - | tar -xf - -C "$stage/include")
}

stage_capnp_tools() {
  local tool
  mkdir -p "$stage/bin" "$stage/libexec/capnp" "$stage/include"
  for tool in capnp capnpc-c++ capnpc-capnp; do
    cp "$build/src/capnp/$tool" "$stage/libexec/capnp/$tool"
  done
  # capnp looks for plugins on PATH and for the standard schemas (/capnp/c++.capnp, ...) in the
  # include dir compiled into it; the wrapper points both at this prefix wherever it now lives.
  cat > "$stage/bin/capnp" <<'WRAP'
#!/bin/sh
# depends wrapper: runs capnp with its plugins and the standard schemas of this prefix.
here=$(dirname "$(readlink -f "$0")")
PATH="$here/../libexec/capnp:$PATH"; export PATH
if [ $# -gt 0 ]; then
  sub=$1; shift
  case "$sub" in
    compile|id|decode|encode|eval|convert) exec "$here/../libexec/capnp/capnp" "$sub" -I "$here/../include" "$@" ;;
    *) exec "$here/../libexec/capnp/capnp" "$sub" "$@" ;;
  esac
fi
exec "$here/../libexec/capnp/capnp"
WRAP
  chmod +x "$stage/bin/capnp"
  ln -s ../libexec/capnp/capnpc-c++ "$stage/bin/capnpc-c++"
  ln -s ../libexec/capnp/capnpc-capnp "$stage/bin/capnpc-capnp"
  (cd "$src/src" && find capnp -name '*.capnp' ! -name '*test*' ! -path '*/testdata/*' | tar -cf - -T - | tar -xf - -C "$stage/include")
}

build_package() {
  local work="$WORK_PATH/$triplet/$PKG_NAME-$PKG_VERSION-$key" log gen=() cross_args=() targets=()
  fetch_source
  log "building $PKG_NAME $PKG_VERSION for $triplet"
  rm -rf "$work"; mkdir -p "$work/src" "$work/build" "$work/stage"
  log="$work/build.log"
  tar -xf "$SOURCES_PATH/$PKG_FILE" -C "$work/src" --strip-components=1
  command -v ninja >/dev/null && gen=(-G Ninja)
  if [ "$cross" = 1 ]; then
    cross_args=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR="$(cmake_processor "$(debian_arch "$HOST")")"
      -DCMAKE_FIND_ROOT_PATH="$dest" -DCMAKE_FIND_ROOT_PATH_MODE_PROGRAM=NEVER
      -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=ONLY -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=ONLY
      -DCMAKE_FIND_ROOT_PATH_MODE_PACKAGE=ONLY)
  fi
  [ -n "$PKG_BUILD_TARGETS" ] && targets=(--target $PKG_BUILD_TARGETS)
  # Static libraries with position-independent code, so that the addons (shared objects) can
  # link them; no debug info, -O2 as Core's depends.
  # shellcheck disable=SC2086 # the recipe's options are words
  if ! { cmake -S "$work/src" -B "$work/build" "${gen[@]}" "${cross_args[@]}" \
           -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release \
           -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
           -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_SHARED_LIBS=OFF \
           -DCMAKE_INSTALL_PREFIX="$dest" -DCMAKE_INSTALL_LIBDIR=lib $PKG_CONFIG_OPTS &&
         cmake --build "$work/build" -j "$JOBS" "${targets[@]}"; } >"$log" 2>&1; then
    tail -30 "$log" >&2
    die "$PKG_NAME $PKG_VERSION failed to build for $triplet (full log: $log)"
  fi
  src="$work/src" build="$work/build" stage="$work/stage"
  eval "$PKG_STAGE_CMDS"
  mkdir -p "$(dirname "$cached")"
  tar -czf "$cached.part" -C "$stage" .
  mv "$cached.part" "$cached"
  rm -rf "$work"
}

key=$(package_key)
stamp="$dest/.stamp_$PKG_NAME"
if [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$key" ]; then exit 0; fi
cached="$BASE_CACHE/$triplet/$PKG_NAME-$PKG_VERSION-$key.tar.gz"
if [ -f "$cached" ]; then log "$PKG_NAME $PKG_VERSION for $triplet: from the cache $cached"; else build_package; fi
# Replace an older install of this package: remove the files it listed.
if [ -f "$stamp" ]; then
  tail -n +2 "$stamp" | while read -r f; do [ -d "$dest/$f" ] || rm -f "$dest/$f"; done
fi
mkdir -p "$dest"
tar -xzf "$cached" -C "$dest"
{ echo "$key"; tar -tzf "$cached"; } > "$stamp"
log "installed $PKG_NAME $PKG_VERSION into $dest"
