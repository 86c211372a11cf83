#!/usr/bin/env bash
# `cmake --install` of the main build: user commands in bin/, smithcoin-node and smithcoin-gui in
# libexec/ (as Core does), the JavaScript under lib/smithcoin/js with the npm packages it imports in
# lib/smithcoin/js/node_modules (with the module loader and its V8 code cache), and the installed programs run,
# with the wrapper finding libexec/ from bin/.
. "$(dirname "$0")/lib.sh"
: "${SMITHCOIN_BUILD_DIR:?}"
d=$(scratch install_layout)
cmake --install "$SMITHCOIN_BUILD_DIR" --prefix "$d/prefix" >"$d/install.log" 2>&1 || { tail -20 "$d/install.log"; fail "install failed"; }
p="$d/prefix"
# -version and -help create the default datadir as Core's do (InitConfig comes first): never in the real HOME.
export HOME="$d/home"
mkdir "$HOME"
for exe in smithcoin smithcoind smithcoin-cli smithcoin-tx smithcoin-util smithcoin-wallet; do
  [ -x "$p/bin/$exe" ] || fail "bin/$exe missing"
done
[ -f "$p/lib/smithcoin/js/src/smithcoind.js" ] || fail "lib/smithcoin/js/src/smithcoind.js missing"
[ -f "$p/lib/smithcoin/js/native/crypto.node" ] || fail "the crypto addon was not installed"
[ -f "$p/lib/smithcoin/js/src/boot.js" ] && [ -f "$p/lib/smithcoin/js/code-cache.bin" ] || fail "the module loader or its code cache was not installed"
[ ! -e "$p/lib/smithcoin/js/test" ] || fail "tests were installed"
[ -f "$p/lib/smithcoin/js/node_modules/@noble/curves/package.json" ] || fail "the npm packages of the JS crypto fallback were not installed"
[ ! -e "$p/lib/smithcoin/js/node_modules/typescript" ] || fail "the TypeScript compiler was installed"
first_line() { "$@" 2>&1 | head -n1; }
[ "$(first_line "$p/bin/smithcoind" -version)" = "Smithcoin Core daemon version v0.1.0 smithcoind" ] || fail "installed smithcoind -version: $(first_line "$p/bin/smithcoind" -version)"
[ "$(first_line "$p/bin/smithcoin" node -version)" = "Smithcoin Core daemon version v0.1.0 smithcoind" ] || fail "installed wrapper did not run smithcoind"
if [ "${SMITHCOIN_ENABLE_IPC:-OFF}" = ON ]; then
  [ -x "$p/libexec/smithcoin-node" ] || fail "libexec/smithcoin-node missing"
  [ ! -e "$p/bin/smithcoin-node" ] || fail "smithcoin-node must not be in bin/"
  [ "$(first_line "$p/bin/smithcoin" -m node -version)" = "Smithcoin Core daemon version v0.1.0 smithcoin-node" ] || fail "installed wrapper did not run libexec/smithcoin-node"
  [ -f "$p/lib/smithcoin/js/node_modules/@smithcoin/libmultiprocess/package.json" ] || fail "the IPC runtime package was not installed"
else
  [ ! -e "$p/libexec/smithcoin-node" ] || fail "libexec/smithcoin-node exists without IPC"
fi
[ -f "$HOME/.smithcoin/settings.json" ] || fail "the programs did not run with the scratch HOME"
pass "install layout: bin/, libexec/, lib/smithcoin/js; installed programs run"
