// Mirrors TypeScript sources into the build tree so that tsc sees them side by side with the
// code mpgen generates there. Only changed files are rewritten, which keeps incremental builds cheap.
import fs from 'node:fs';
import path from 'node:path';

const [srcRoot, stageRoot, ...dirs] = process.argv.slice(2);
if (!srcRoot || !stageRoot || dirs.length === 0) {
  console.error('usage: stage-sources.mjs SRC_ROOT STAGE_ROOT DIR...');
  process.exit(2);
}
// Files that the build writes into the stage itself and that therefore have no source twin.
const GENERATED = /\.capnp\.ts$/;
const STAGED = /\.(ts|json)$/;

function walk(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (STAGED.test(entry.name)) out.push(full);
  }
  return out;
}

function sameFile(a, b) {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    // utimes below sets the time through a Date, to the millisecond at best: compare at that precision.
    return sa.size === sb.size && Math.abs(sa.mtimeMs - sb.mtimeMs) < 1;
  } catch {
    return false;
  }
}

let copied = 0;
let removed = 0;
for (const dir of dirs) {
  const wanted = new Set();
  for (const src of walk(path.join(srcRoot, dir), [])) {
    const rel = path.relative(srcRoot, src);
    const dst = path.join(stageRoot, rel);
    wanted.add(dst);
    if (sameFile(src, dst)) continue;
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.copyFileSync(src, dst);
    const st = fs.statSync(src);
    fs.utimesSync(dst, st.atime, st.mtime);
    copied++;
  }
  for (const dst of walk(path.join(stageRoot, dir), [])) {
    if (!wanted.has(dst) && !GENERATED.test(dst)) {
      fs.rmSync(dst);
      removed++;
    }
  }
}
if (copied || removed) console.log(`staged ${copied} changed file(s), removed ${removed}`);
