// Where the wrapper finds the program to exec: libexec/ beside bin/, its own dir, then PATH.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execCandidates, resolveExec } from '../../../src/common/exec_lookup.js';
import { suiteTempDirs } from './temp_dirs.js';

function exe(file: string, mode = 0o755): void {
  fs.writeFileSync(file, '#!/bin/sh\n', { mode });
}

describe('wrapper executable lookup', () => {
  const tempDir = suiteTempDirs('smithcoin-lookup-');

  /** A fresh <root> with bin/smithcoin, libexec/ and other/ (symlinks resolved: the lookup compares real paths). */
  function makeTree(): string {
    const root = fs.realpathSync(tempDir());
    for (const d of ['bin', 'libexec', 'other']) fs.mkdirSync(path.join(root, d));
    fs.writeFileSync(path.join(root, 'bin', 'smithcoin'), '', { mode: 0o755 });
    return root;
  }

  it('tries libexec first when the wrapper is in bin/', () => {
    const root = makeTree();
    const env = { pathVar: '', cwd: root };
    const c = execCandidates('smithcoin-node', path.join(root, 'bin', 'smithcoin'), env);
    assert.deepEqual(c.map((x) => x.path), [path.join(root, 'libexec', 'smithcoin-node'), path.join(root, 'bin', 'smithcoin-node')]);
    exe(path.join(root, 'bin', 'smithcoin-node'));
    assert.equal(resolveExec(c, env), path.join(root, 'bin', 'smithcoin-node'));
    exe(path.join(root, 'libexec', 'smithcoin-node'));
    assert.equal(resolveExec(c, env), path.join(root, 'libexec', 'smithcoin-node'));
  });

  it('does not search PATH when invoked by path', () => {
    const root = makeTree();
    exe(path.join(root, 'other', 'smithcoind'));
    const env = { pathVar: path.join(root, 'other'), cwd: root };
    const c = execCandidates('smithcoind', path.join(root, 'bin', 'smithcoin'), env);
    assert.throws(() => resolveExec(c, env), {
      message: `execvp failed to execute '${path.join(root, 'bin', 'smithcoind')}': No such file or directory`,
    });
  });

  it('searches PATH when invoked by name, after its own directories', () => {
    const root = makeTree();
    exe(path.join(root, 'other', 'smithcoind'));
    const env = { pathVar: `${path.join(root, 'bin')}:${path.join(root, 'other')}`, cwd: '/' };
    const c = execCandidates('smithcoind', 'smithcoin', env);
    assert.deepEqual(c.map((x) => x.path), [path.join(root, 'libexec', 'smithcoind'), path.join(root, 'bin', 'smithcoind'), 'smithcoind']);
    assert.equal(resolveExec(c, env), path.join(root, 'other', 'smithcoind'));
    fs.rmSync(path.join(root, 'other', 'smithcoind'));
    assert.throws(() => resolveExec(c, env), { message: "execvp failed to execute 'smithcoind': No such file or directory" });
  });

  it('resolves a symlinked wrapper to its real directory', () => {
    const root = makeTree();
    exe(path.join(root, 'libexec', 'smithcoin-gui'));
    const link = path.join(root, 'other', 'sc');
    fs.symlinkSync(path.join(root, 'bin', 'smithcoin'), link);
    const env = { pathVar: '', cwd: root };
    assert.equal(resolveExec(execCandidates('smithcoin-gui', link, env), env), path.join(root, 'libexec', 'smithcoin-gui'));
  });

  it('reports a file that cannot be executed instead of moving on', () => {
    const root = makeTree();
    exe(path.join(root, 'libexec', 'smithcoin-tx'), 0o644);
    exe(path.join(root, 'bin', 'smithcoin-tx'));
    // Even for root, access(X_OK) fails on a file with no x bit at all (mode 0644).
    const env = { pathVar: '', cwd: root };
    assert.throws(() => resolveExec(execCandidates('smithcoin-tx', path.join(root, 'bin', 'smithcoin'), env), env), {
      message: `execvp failed to execute '${path.join(root, 'libexec', 'smithcoin-tx')}': Permission denied`,
    });
  });
});
