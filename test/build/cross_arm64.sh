#!/usr/bin/env bash
# Cross-compiles for arm64 with depends (HOST=aarch64-linux-gnu), then runs the arm64 crypto addon
# under qemu-user with Debian's arm64 Node.js: it must load, and its hashes and signature checks
# must match the native build's and the known answers.
. "$(dirname "$0")/lib.sh"
: "${SMITHCOIN_BUILD_DIR:?}"
d=$(scratch cross_arm64)
host=aarch64-linux-gnu
# Same IPC choice as the main build, so a build without IPC does not need the IPC packages.
ipc_opt=""
[ "${SMITHCOIN_ENABLE_IPC:-ON}" = ON ] || ipc_opt="NO_IPC=1"
make -C "$SRC/depends" HOST=$host NO_QT=1 $ipc_opt >"$d/depends.log" 2>&1 || { tail -20 "$d/depends.log"; fail "make -C depends HOST=$host failed"; }
make -C "$SRC/depends" HOST=$host qemu-sysroot >>"$d/depends.log" 2>&1 || { tail -20 "$d/depends.log"; fail "qemu-sysroot failed"; }
cmake -S "$SRC" -B "$d/build" --toolchain "$SRC/depends/$host/toolchain.cmake" >"$d/configure.log" 2>&1 || { tail -30 "$d/configure.log"; fail "configure failed"; }
expect_in "Cross compiling ....................... TRUE, for Linux, aarch64" "$d/configure.log"
cmake --build "$d/build" -j2 >"$d/build.log" 2>&1 || { tail -30 "$d/build.log"; fail "cross build failed"; }
addons=("$d/build/js/native/crypto.node" "$d/build/js/native/filelock.node" "$d/build/js/native/support.node")
[ "${SMITHCOIN_ENABLE_IPC:-ON}" = ON ] && addons+=("$d/build/js/native/capnp.node")
# Once depends builds LevelDB, the cross build must carry the leveldb addon too.
with_leveldb=0
[ -f "$SRC/depends/$host/lib/libleveldb.a" ] && { with_leveldb=1; addons+=("$d/build/js/native/leveldb.node"); }
for f in "${addons[@]}" "$d/build/bin/smithcoind"; do
  file -L "$f" | grep -q 'ARM aarch64' || fail "$f is not an arm64 binary: $(file -L "$f")"
done
# depends' libraries are static: the addons need nothing from depends/ at run time.
for f in "${addons[@]}"; do
  dyn=$(readelf -d "$f")
  ! grep -qE 'RPATH|RUNPATH' <<<"$dyn" || fail "$(basename "$f") has a run path: $(grep -E 'RPATH|RUNPATH' <<<"$dyn")"
  ! grep -qE 'NEEDED.*(secp256k1|capnp|kj|leveldb)' <<<"$dyn" || fail "$(basename "$f") needs a shared depends library: $(grep NEEDED <<<"$dyn")"
done
sysroot="$SRC/depends/$host/qemu-sysroot"
arm=$(qemu-aarch64 -L "$sysroot" "$sysroot/usr/bin/node" "$SRC/test/build/cross_check.mjs" "$d/build/js") || fail "the arm64 addon did not run under qemu"
native=$(node "$SRC/test/build/cross_check.mjs" "$SMITHCOIN_BUILD_DIR/js") || fail "the native check failed"
if [ "${SMITHCOIN_ENABLE_IPC:-ON}" = ON ]; then
  qemu-aarch64 -L "$sysroot" "$sysroot/usr/bin/node" -e "require('$d/build/js/native/capnp.node')" || fail "the arm64 capnp codec does not load under qemu"
fi
echo "arm64:  $arm"
echo "native: $native"
node -e '
  const [a, n] = process.argv.slice(1).map((s) => JSON.parse(s));
  const fail = (m) => { console.error("FAIL: " + m); process.exit(1); };
  if (a.arch !== "arm64") fail("not run as arm64");
  if (a.backend !== "native") fail("the arm64 run did not use the native addon");
  if (a.sha256dEmpty !== "5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456") fail("sha256d mismatch");
  if (!a.ecdsaValid || a.ecdsaTampered || !a.schnorrValid || a.schnorrTampered) fail("signature checks wrong");
  if (process.argv[3] === "1" && a.leveldb !== "18656bdd4bd54bda54093eda219076dc9adde59dd344d13944648001f2f622df coin") fail("leveldb check wrong: " + a.leveldb);
  for (const k of Object.keys(n)) if (k !== "arch" && a[k] !== n[k]) fail(k + " differs from the native build");
' "$arm" "$native" "$with_leveldb"
pass "arm64 cross build runs under qemu: addons load, hashes, signatures and LevelDB reads agree with the native build"
