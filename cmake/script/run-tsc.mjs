// Runs the pinned tsc on the staged tree and maps diagnostics back to the real source paths,
// so that compiler errors point at files a developer can open.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [project, stageRoot, srcRoot, stamp] = process.argv.slice(2);
const require = createRequire(path.join(srcRoot, 'package.json'));
const tsc = require.resolve('typescript/bin/tsc');
// Run from the stage so diagnostics name paths relative to it, which are the source-relative paths.
const res = spawnSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { encoding: 'utf8', cwd: stageRoot });
const mapLine = (line) => line.replace(/^((?:src|test|bench)\/[^(]*\.ts)\(/, (_m, file) => `${path.join(srcRoot, file)}(`);
const out = (res.stdout || '') + (res.stderr || '');
if (out.trim()) process.stderr.write(out.split('\n').map(mapLine).join('\n'));
if (res.status !== 0) process.exit(res.status ?? 1);
fs.writeFileSync(stamp, new Date().toISOString() + '\n');
