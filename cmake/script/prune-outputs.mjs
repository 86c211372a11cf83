// Removes compiled files that no source of the tsc program accounts for any more: the outputs of a deleted
// source, or of one the tsconfig now leaves out (e.g. the IPC code after configuring with ENABLE_IPC=OFF).
// tsc itself never deletes an output, and mocha or bench_smithcoin would otherwise still load them.
import fs from 'node:fs';
import path from 'node:path';

// What tsc writes for one source file (with sourceMap and declaration on).
const OUTPUT = /\.(js|js\.map|d\.ts|d\.ts\.map)$/;

/** Output files (absolute paths) that the program's sources produce, per the parsed tsconfig. */
function expectedOutputs(ts, project) {
  const { config, error } = ts.readConfigFile(project, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(project));
  const { rootDir, outDir, tsBuildInfoFile } = parsed.options;
  if (!rootDir || !outDir) throw new Error(`${project}: rootDir and outDir must be set`);
  const expected = new Set();
  for (const file of parsed.fileNames) {
    if (file.endsWith('.d.ts')) continue;
    const base = path.join(outDir, path.relative(rootDir, file)).replace(/\.ts$/, '');
    for (const ext of ['.js', '.js.map', '.d.ts', '.d.ts.map']) expected.add(base + ext);
  }
  return { outDir, expected, buildInfo: tsBuildInfoFile };
}

/** Files under dir (recursively), not following symbolic links. */
function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * Deletes stale outputs in <outDir>/<dir> for each of dirs (and folders left empty); returns how many. After a
 * deletion it also drops the incremental build info, so that tsc's record of what it emitted cannot disagree
 * with the files that are there (the next compile then emits everything once).
 */
export function pruneOutputs(ts, project, dirs) {
  const { outDir, expected, buildInfo } = expectedOutputs(ts, project);
  let removed = 0;
  for (const dir of dirs) {
    for (const file of walk(path.join(outDir, dir))) {
      if (!OUTPUT.test(file) || expected.has(file)) continue;
      fs.rmSync(file);
      removed++;
      // Drop the folders this leaves empty, up to the pruned root.
      for (let d = path.dirname(file); d !== outDir && fs.readdirSync(d).length === 0; d = path.dirname(d)) fs.rmdirSync(d);
    }
  }
  if (removed > 0 && buildInfo) fs.rmSync(buildInfo, { force: true });
  return removed;
}
