// The built executables: the wrapper's exit codes and messages, and that each program runs in the
// process its caller started (the launchers exec, they do not spawn).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suiteTempDirs } from './temp_dirs.js';

const buildDir = process.env.SMITHCOIN_BUILD_DIR;
const bin = (name: string) => path.join(buildDir ?? '', 'bin', name);

describe('built executables', function () {
  const tempDir = suiteTempDirs('smithcoin-binaries-');
  // The programs run with a home of their own, so nothing they might write lands in the real one or in /tmp.
  let home = '';

  function run(exe: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    const res = spawnSync(exe, args, { encoding: 'utf8', env: { ...process.env, HOME: home, ...env } });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr, pid: res.pid };
  }

  before(function () {
    if (!buildDir) throw new Error('SMITHCOIN_BUILD_DIR is not set (ctest sets it)');
    home = tempDir();
  });

  it('smithcoin without a command prints usage and exits 1', () => {
    const r = run(bin('smithcoin'), []);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Usage: smithcoin \[OPTIONS\] COMMAND\.\.\./);
    assert.match(r.stdout, /Run 'smithcoin help' to see additional commands/);
    assert.equal(r.stderr, '');
  });

  it('smithcoin help exits 0 with the extra commands', () => {
    const r = run(bin('smithcoin'), ['help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Additional less commonly used commands:/);
    assert.equal(r.stderr, '');
  });

  it('prints Core\'s errors with the help hint', () => {
    const r = run(bin('smithcoin'), ['-x']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error: Unknown option: -x\nTry '${bin('smithcoin')} --help' for more information.\n`);
    const u = run(bin('smithcoin'), ['frobnicate']);
    assert.equal(u.stderr, `Error: Unrecognized command: 'frobnicate'\nTry '${bin('smithcoin')} --help' for more information.\n`);
  });

  it('-v prints the version', () => {
    const r = run(bin('smithcoin'), ['-v']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Smithcoin Core version v\d+\.\d+\.\d+\n/);
  });

  it('runs the chosen program in the wrapper\'s own process', () => {
    // SMITHCOIN_NODE replaces the node binary the launchers exec: this one reports its PID and
    // arguments for the daemon's entry point and behaves as node for everything else. The launchers
    // run `node --no-warnings --experimental-vm-modules --v8-pool-size=<n> <boot> <entry> <args>`.
    const dir = tempDir();
    const fake = path.join(dir, 'node');
    fs.writeFileSync(fake, `#!/bin/sh\ncase "$5" in */smithcoind.js) shift 5; echo "pid $$ args $*"; exit 7;; esac\nexec ${process.execPath} "$@"\n`, { mode: 0o755 });
    const r = run(bin('smithcoin'), ['node', '-regtest', '-m'], { SMITHCOIN_NODE: fake });
    assert.equal(r.code, 7, r.stderr);
    assert.equal(r.stdout, `pid ${r.pid} args -regtest -m\n`);
  });

  it('gives V8 one background thread fewer than the CPUs this process may use (1 to 4)', () => {
    // The fake node prints its Node options (the arguments before the boot module) instead of running anything.
    const dir = tempDir();
    const fake = path.join(dir, 'node');
    fs.writeFileSync(fake, '#!/bin/sh\necho "$1 $2 $3"\n', { mode: 0o755 });
    const expected = Math.min(4, Math.max(1, os.availableParallelism() - 1));
    for (const name of ['smithcoind', 'smithcoin-cli']) {
      const r = run(bin(name), ['-version'], { SMITHCOIN_NODE: fake });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `--no-warnings --experimental-vm-modules --v8-pool-size=${expected}\n`);
    }
    // Pinned to one CPU (taskset, util-linux, sets the affinity the launcher counts), V8 still gets a thread.
    const pinned = spawnSync('taskset', ['-c', '0', bin('smithcoind'), '-version'], { env: { ...process.env, SMITHCOIN_NODE: fake }, encoding: 'utf8' });
    assert.equal(pinned.error, undefined);
    assert.equal(pinned.stdout, '--no-warnings --experimental-vm-modules --v8-pool-size=1\n');
  });

  it('smithcoin -m node reaches smithcoin-node or fails as Core does', () => {
    const r = run(bin('smithcoin'), ['-m', 'node', '-regtest', '-version']);
    if (fs.existsSync(bin('smithcoin-node'))) {
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.split('\n')[0]!, /^Smithcoin Core daemon version v\S+ smithcoin-node$/);
    } else {
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `Error: execvp failed to execute '${bin('smithcoin-node')}': No such file or directory\nTry '${bin('smithcoin')} --help' for more information.\n`);
    }
  });

  it('the daemon answers -version with its executable name', () => {
    const r = run(bin('smithcoind'), ['-version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout.split('\n')[0]!, /^Smithcoin Core daemon version v\S+ smithcoind$/);
    assert.equal(r.stderr, '');
  });
});
