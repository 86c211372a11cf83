// bench_smithcoin: runs every suite in bench/*.bench.js (or those matching -filter=<regex>).
// -quick makes each measurement short; ctest uses it as a smoke test that the benchmarks still run.
// A suite that cannot run in this build throws BenchSkipped: it is reported, and counted for ctest.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BenchSkipped, type BenchmarkSuite } from './lib/bench.js';

function usage(): string {
  return [
    'Usage: bench_smithcoin [options]',
    '',
    'Options:',
    '  -filter=<regex>  Run only the suites whose name matches <regex>',
    '  -list            List the suites and exit',
    '  -quick           Short measurements (smoke test)',
    '  -rounds=<n>      Rounds for suites that repeat whole runs, e.g. node.operations (default: the suite\'s own)',
    '  -h, -help        Print this help message and exit',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  let filter: RegExp | undefined;
  let list = false;
  let quick = false;
  let rounds: number | undefined;
  for (const arg of argv) {
    if (arg === '-h' || arg === '-help' || arg === '--help') { console.log(usage()); return 0; }
    else if (arg === '-list') list = true;
    else if (arg === '-quick') quick = true;
    else if (arg.startsWith('-filter=')) filter = new RegExp(arg.slice('-filter='.length));
    else if (/^-rounds=[1-9][0-9]*$/.test(arg)) rounds = Number(arg.slice('-rounds='.length));
    else { console.error(`Error: Invalid parameter ${arg}`); return 1; }
  }
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.js')).sort();
  const suites: BenchmarkSuite[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { benchmarks?: BenchmarkSuite[] };
    for (const s of mod.benchmarks ?? []) suites.push(s);
  }
  const selected = filter ? suites.filter((s) => filter.test(s.name)) : suites;
  if (list) { for (const s of selected) console.log(s.name); return 0; }
  if (filter && selected.length === 0) { console.error('Error: no benchmark matches the filter'); return 1; }
  const skipped: string[] = [];
  for (const s of selected) {
    console.log(`# ${s.name}`);
    try {
      await s.run({ quick, rounds });
    } catch (e) {
      if (!(e instanceof BenchSkipped)) throw e;
      console.log(`skipped: ${e.message}`);
      skipped.push(`${s.name}: ${e.message}`);
    }
  }
  writeCounts(selected.length - skipped.length, skipped);
  return 0;
}

/** Counts for ctest's skip summary, written to $SMITHCOIN_TEST_COUNTS when ctest runs the benchmarks. */
function writeCounts(passed: number, skipped: string[]): void {
  const file = process.env.SMITHCOIN_TEST_COUNTS;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ passed, failed: 0, skipped }, null, 1) + '\n');
}

process.exitCode = await main(process.argv.slice(2));
