#!/usr/bin/env bash
# The configure step names the libsecp256k1 modules it found (with depends: all of recovery,
# extrakeys, schnorrsig and ellswift), and a library without a module the crypto addon needs stops
# it with that module's name.
. "$(dirname "$0")/lib.sh"
: "${SMITHCOIN_BUILD_DIR:?}"
d=$(scratch depends_secp256k1_modules)
trap 'rm -rf "$d"' EXIT
cache() { sed -n "s/^$1:[A-Z]*=//p" "$SMITHCOIN_BUILD_DIR/CMakeCache.txt"; }
inc=$(cache SECP256K1_INCLUDE_DIR); lib=$(cache SECP256K1_LIBRARY)
[ -f "$inc/secp256k1.h" ] && [ -f "$lib" ] || fail "the main build found no libsecp256k1"
case "${SMITHCOIN_TOOLCHAIN:-}" in
  */depends/*)
    configure "$d/ok" "$d/ok.log" -DENABLE_IPC=OFF || { tail -30 "$d/ok.log"; fail "configure failed"; }
    expect_in "-- libsecp256k1 modules: recovery extrakeys schnorrsig ellswift ($lib)" "$d/ok.log"
    [ "${lib##*.}" = a ] || fail "depends' libsecp256k1 is not a static library: $lib" ;;
esac
# The same library, seen through headers that lack the recovery module's.
mkdir -p "$d/include"
cp "$inc"/secp256k1*.h "$d/include/"
rm "$d/include/secp256k1_recovery.h"
if configure "$d/norecovery" "$d/norecovery.log" -DENABLE_IPC=OFF -DSECP256K1_INCLUDE_DIR="$d/include" -DSECP256K1_LIBRARY="$lib"; then
  fail "configure accepted a libsecp256k1 without the recovery module"
fi
# CMake wraps the message: compare with the lines joined.
tr -s ' \n' '  ' <"$d/norecovery.log" >"$d/norecovery.joined"
expect_in "libsecp256k1 ($lib) lacks the module(s) recovery, which the crypto addon needs for signature checks" "$d/norecovery.joined"
expect_not_in "-- libsecp256k1 modules: recovery" "$d/norecovery.log"
pass "configure reports the libsecp256k1 modules and names a missing one the crypto addon needs"
