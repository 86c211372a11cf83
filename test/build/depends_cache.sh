#!/usr/bin/env bash
# depends' package builds, offline, with a copy of depends whose only package is a tiny CMake
# library: it is built as a static -fPIC library into depends/<host>, cached in built/ under the
# hash of its recipe, not rebuilt when nothing changed, taken from the cache when the prefix is
# gone, and rebuilt when its recipe changes.
. "$(dirname "$0")/lib.sh"
d=$(scratch depends_cache)
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/depends/packages" "$d/mirror/pool/main/t/tiny" "$d/tiny-1.0"
cp -r "$SRC/depends/Makefile" "$SRC/depends/scripts" "$SRC/depends/toolchain.cmake.in" "$d/depends/"
printf 'packages := tiny\nipc_packages :=\nipc_native_packages :=\n' >"$d/depends/packages/packages.mk"
cat >"$d/tiny-1.0/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.16)
project(tiny C)
add_library(tiny tiny.c)
install(TARGETS tiny)
install(FILES tiny.h TYPE INCLUDE)
CM
# -fPIC, not the compiler's default -fPIE: a shared object (the addons) can link only the former.
printf '#if !defined(__PIC__) || defined(__PIE__)\n#error not compiled with -fPIC\n#endif\nint tiny(void) { return TINY_VALUE; }\n' >"$d/tiny-1.0/tiny.c"
echo 'int tiny(void);' >"$d/tiny-1.0/tiny.h"
tar -czf "$d/mirror/pool/main/t/tiny/tiny_1.0.orig.tar.gz" -C "$d" tiny-1.0
sha=$(sha256sum "$d/mirror/pool/main/t/tiny/tiny_1.0.orig.tar.gz" | cut -d' ' -f1)
recipe() { # value of TINY_VALUE
  printf 'package=tiny\n$(package)_version=1.0\n$(package)_pool=main/t/tiny\n$(package)_file_name:=tiny_1.0.orig.tar.gz\n$(package)_sha256_hash=%s\n$(package)_config_opts=-DCMAKE_C_FLAGS=-DTINY_VALUE=%s\n$(package)_stage_cmds=stage_install\n' \
    "$sha" "$1" >"$d/depends/packages/tiny.mk"
}
run() { make -C "$d/depends" NO_IPC=1 SOURCES_PATH="$d/sources" DEPENDS_MIRRORS="file://$d/mirror" >"$d/out.log" 2>&1 || { cat "$d/out.log"; fail "make -C depends failed"; }; }
host=$(make -s -C "$d/depends" print-HOST | sed 's/^HOST=//')
prefix="$d/depends/$host"

recipe 7
run
expect_in "depends: building tiny 1.0 for $host" "$d/out.log"
[ -f "$prefix/lib/libtiny.a" ] && [ -f "$prefix/include/tiny.h" ] || fail "tiny was not installed into $prefix"
[ -z "$(find "$prefix" -name '*.so*')" ] || fail "depends installed a shared library"
expect_in "include(\"\${CMAKE_CURRENT_LIST_DIR}/$host/toolchain.cmake\")" "$d/depends/toolchain.cmake"
expect_in 'list(PREPEND CMAKE_PREFIX_PATH "${_depends}")' "$prefix/toolchain.cmake"
ls "$d/depends/built/$host"/tiny-1.0-*.tar.gz >/dev/null 2>&1 || fail "no cached build of tiny in built/$host"

run
expect_not_in "tiny" "$d/out.log"

rm -rf "$prefix"
run
expect_in "depends: tiny 1.0 for $host: from the cache" "$d/out.log"
expect_not_in "depends: building tiny" "$d/out.log"
[ -f "$prefix/lib/libtiny.a" ] || fail "the cached tiny was not installed"

recipe 8
run
expect_in "depends: building tiny 1.0 for $host" "$d/out.log"
[ "$(ls "$d/depends/built/$host"/tiny-1.0-*.tar.gz | wc -l)" = 2 ] || fail "the changed recipe did not get its own cache entry"
pass "depends builds a package as a static PIC library, caches it by recipe hash and rebuilds it when the recipe changes"
