#!/usr/bin/env bash
# depends' download step, offline: a copy of depends with a fake package whose "mirror" is a local
# directory. A source is fetched once and then used without the network; a tarball whose sha256 is
# not the pinned one, or a version the mirror does not have, fails with a message that names the
# package, the version and what was expected.
. "$(dirname "$0")/lib.sh"
d=$(scratch depends_fetch)
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/depends/packages" "$d/mirror/pool/main/f/fake"
cp -r "$SRC/depends/Makefile" "$SRC/depends/scripts" "$d/depends/"
printf 'packages := fake\nipc_packages :=\nipc_native_packages :=\n' >"$d/depends/packages/packages.mk"
echo "fake source" >"$d/mirror/pool/main/f/fake/fake_1.0.orig.tar.gz"
good=$(sha256sum "$d/mirror/pool/main/f/fake/fake_1.0.orig.tar.gz" | cut -d' ' -f1)
bad=0000000000000000000000000000000000000000000000000000000000000000
recipe() { # version sha256
  printf 'package=fake\n$(package)_version=%s\n$(package)_pool=main/f/fake\n$(package)_file_name:=fake_$($(package)_version).orig.tar.gz\n$(package)_sha256_hash=%s\n' \
    "$1" "$2" >"$d/depends/packages/fake.mk"
}
download() { make -s -C "$d/depends" SOURCES_PATH="$d/sources" DEPENDS_MIRRORS="file://$d/$1" download >"$d/out.log" 2>&1; }

recipe 1.0 "$good"
download mirror || { cat "$d/out.log"; fail "download of a source with the pinned hash failed"; }
[ "$(sha256sum "$d/sources/fake_1.0.orig.tar.gz" | cut -d' ' -f1)" = "$good" ] || fail "the source was not stored in SOURCES_PATH"
# Later runs need no network: the mirror is gone, the checked copy is used.
download no-mirror || { cat "$d/out.log"; fail "a cached source was downloaded again"; }

# A cached copy that does not match is fetched again.
echo corrupt >"$d/sources/fake_1.0.orig.tar.gz"
download mirror || { cat "$d/out.log"; fail "a corrupt cached source was not replaced"; }
[ "$(sha256sum "$d/sources/fake_1.0.orig.tar.gz" | cut -d' ' -f1)" = "$good" ] || fail "the corrupt copy is still there"

rm -rf "$d/sources"
recipe 1.0 "$bad"
if download mirror; then fail "a tarball with another sha256 was accepted"; fi
expect_in "depends: error: fake 1.0: fake_1.0.orig.tar.gz from file://$d/mirror/pool/main/f/fake/fake_1.0.orig.tar.gz has sha256 $good, but $d/depends/packages/fake.mk expects $bad" "$d/out.log"
[ ! -e "$d/sources/fake_1.0.orig.tar.gz" ] || fail "the mismatching tarball was kept in SOURCES_PATH"

recipe 2.0 "$good"
if download mirror; then fail "a version the mirror does not have was reported as downloaded"; fi
expect_in "depends: error: fake 2.0: cannot download fake_2.0.orig.tar.gz (sha256 $good), which $d/depends/packages/fake.mk expects; tried: file://$d/mirror/pool/main/f/fake/fake_2.0.orig.tar.gz" "$d/out.log"
pass "depends downloads pinned sources once, and names package, version and expectation when a hash or a version is wrong"
