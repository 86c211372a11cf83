// Run by ctest around the tests (CTestCustom.cmake, written by cmake/module/TestCounts.cmake):
//   begin DIR                      empties DIR, where each test runner writes <test>.json
//   end DIR CTEST FEATURES_OFF     prints "Skipped tests: N" and every skipped case, and exits 1 when
//                                  a test skipped in a build with every optional feature on (FEATURES_OFF
//                                  is empty), or when a registered test neither writes counts nor says
//                                  that it is one check.
// A counts file is {"passed": n, "failed": n, "skipped": ["<case>: <why>", ...]}.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Set for the nested `ctest --show-only` below, which runs these hooks again: they must do nothing then.
const NESTED = 'SMITHCOIN_TEST_COUNTS_NESTED';
const COUNTS_ENV = 'SMITHCOIN_TEST_COUNTS=';
const ONE_CHECK_ENV = 'SMITHCOIN_TEST_ONE_CHECK=1';
// ctest's own ways to skip or switch off a test, which would bypass the counts.
const CTEST_SKIPS = ['SKIP_RETURN_CODE', 'SKIP_REGULAR_EXPRESSION', 'DISABLED'];

function begin(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

/** The counts every runner of this ctest run wrote, by test name. */
function readCounts(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const counts = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    for (const key of ['passed', 'failed']) {
      if (!Number.isInteger(counts[key])) throw new Error(`${f}: "${key}" is not a count`);
    }
    if (!Array.isArray(counts.skipped)) throw new Error(`${f}: "skipped" is not a list`);
    return { test: f.slice(0, -'.json'.length), ...counts };
  });
}

/** Problems with how the registered tests report: each must write counts or be one check. */
function checkRegistration(ctest) {
  const res = spawnSync(ctest, ['--show-only=json-v1'], { encoding: 'utf8', env: { ...process.env, [NESTED]: '1' } });
  if (res.status !== 0) return [`could not list the tests (${ctest} --show-only=json-v1): ${res.stderr}`];
  const problems = [];
  for (const test of JSON.parse(res.stdout.slice(res.stdout.indexOf('{'))).tests) {
    const props = Object.fromEntries((test.properties ?? []).map((p) => [p.name, p.value]));
    const env = [props.ENVIRONMENT ?? []].flat();
    if (!env.some((e) => e.startsWith(COUNTS_ENV) || e === ONE_CHECK_ENV)) {
      problems.push(`${test.name}: sets neither ${COUNTS_ENV}<file> nor ${ONE_CHECK_ENV} (cmake/module/TestCounts.cmake)`);
    }
    for (const prop of CTEST_SKIPS.filter((p) => p in props)) {
      problems.push(`${test.name}: ${prop} lets ctest skip it; a test reports its own skips instead`);
    }
  }
  return problems;
}

function end(dir, ctest, featuresOff) {
  const runs = readCounts(dir);
  const cases = runs.reduce((n, r) => n + r.passed + r.failed + r.skipped.length, 0);
  const skipped = runs.flatMap((r) => r.skipped.map((s) => `${r.test}: ${s}`));
  for (const line of skipped) console.log(`  skipped  ${line}`);
  console.log(`Skipped tests: ${skipped.length} (of ${cases} test cases reported by ${runs.length} test runs)`);
  const problems = checkRegistration(ctest);
  for (const p of problems) console.log(`Error: ${p}`);
  const off = featuresOff.split(',').filter(Boolean);
  if (skipped.length > 0) {
    if (off.length === 0) {
      console.log('Error: a test may skip only when a feature it needs is off, and every optional feature is on in this build');
      return 1;
    }
    console.log(`Skips are allowed in this build, which leaves out: ${off.join(', ')}`);
  }
  return problems.length > 0 ? 1 : 0;
}

function main([mode, dir, ctest, featuresOff = '']) {
  if (process.env[NESTED]) return 0;
  if (mode === 'begin' && dir) { begin(dir); return 0; }
  if (mode === 'end' && dir && ctest) return end(dir, ctest, featuresOff);
  console.error('usage: test-counts.mjs begin DIR | end DIR CTEST FEATURES_OFF');
  return 2;
}

process.exitCode = main(process.argv.slice(2));
