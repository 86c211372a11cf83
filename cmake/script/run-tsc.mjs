// Runs the pinned tsc on the staged tree and maps diagnostics back to the real source paths,
// so that compiler errors point at files a developer can open. First it removes the outputs of sources
// that are gone from the program (in the output folders of DIRS).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pruneOutputs } from './prune-outputs.mjs';

const [project, stageRoot, srcRoot, stamp, ...dirs] = process.argv.slice(2);
const require = createRequire(path.join(srcRoot, 'package.json'));
const tsc = require.resolve('typescript/bin/tsc');
const removed = pruneOutputs(require('typescript'), project, dirs);
if (removed) console.log(`removed ${removed} compiled file(s) whose source is gone`);
// Run from the stage so diagnostics name paths relative to it, which are the source-relative paths.
const res = spawnSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { encoding: 'utf8', cwd: stageRoot });
const mapLine = (line) => line.replace(/^((?:src|test|bench)\/[^(]*\.ts)\(/, (_m, file) => `${path.join(srcRoot, file)}(`);
const out = (res.stdout || '') + (res.stderr || '');
if (out.trim()) process.stderr.write(out.split('\n').map(mapLine).join('\n'));
if (res.status !== 0) process.exit(res.status ?? 1);
fs.writeFileSync(stamp, new Date().toISOString() + '\n');
