#!/usr/bin/env bash
# A source deleted between two builds takes its compiled files with it. In a copy of the source tree a
# failing unit test and a module are added and built (the test runs, and fails), then deleted and the
# tree rebuilt: their staged copies and outputs (.js, .d.ts, .js.map) are gone and the unit tests pass.
. "$(dirname "$0")/lib.sh"
d=$(scratch stale_outputs)
tree="$d/src"
mkdir -p "$tree"
# The sources only: no build trees, no npm packages (linked), no depends (the toolchain points into $SRC).
tar -C "$SRC" --exclude=./.git --exclude='./build*' --exclude=./node_modules --exclude=./depends -cf - . | tar -C "$tree" -xf -
ln -s "$SRC/node_modules" "$tree/node_modules"
b="$d/build"
cmake -S "$tree" -B "$b" "${TOOLCHAIN_ARGS[@]}" -DENABLE_IPC=OFF -DBUILD_BENCH=OFF >"$d/configure.log" 2>&1 ||
  { tail -30 "$d/configure.log"; fail "configure failed"; }

build() { cmake --build "$b" -j2 >"$d/$1.log" 2>&1 || { tail -30 "$d/$1.log"; fail "$1 failed"; }; }
unit_taproot() { ctest --test-dir "$b" -R '^unit\.taproot$' --output-on-failure >"$d/$1.log" 2>&1; }
outputs=(js/test/unit/taproot/zz_stale.test.js js/test/unit/taproot/zz_stale.test.d.ts
  js/test/unit/taproot/zz_stale.test.js.map js/src/zz_stale.js js/src/zz_stale.d.ts js/src/zz_stale.js.map
  ts/test/unit/taproot/zz_stale.test.ts ts/src/zz_stale.ts)

build build
cat >"$tree/test/unit/taproot/zz_stale.test.ts" <<'EOF'
import assert from 'node:assert/strict';
import { ZZ_STALE } from '../../../src/zz_stale.js';

describe('a test that is deleted again', () => {
  it('runs while its source exists', () => assert.fail(`${ZZ_STALE} ran`));
});
EOF
echo "export const ZZ_STALE = 'zz_stale';" >"$tree/src/zz_stale.ts"
build build-added
for f in "${outputs[@]}"; do [ -f "$b/$f" ] || fail "$f was not built"; done
! unit_taproot ctest-added || fail "unit.taproot passed: the added failing test did not run"
expect_in "zz_stale ran" "$d/ctest-added.log"

rm "$tree/test/unit/taproot/zz_stale.test.ts" "$tree/src/zz_stale.ts"
build build-deleted
for f in "${outputs[@]}"; do [ ! -e "$b/$f" ] || fail "$f is still there after its source was deleted"; done
unit_taproot ctest-deleted || { tail -30 "$d/ctest-deleted.log"; fail "unit.taproot still fails: the deleted test ran"; }
pass "a deleted source leaves no staged copy and no compiled file behind, and its test no longer runs"
