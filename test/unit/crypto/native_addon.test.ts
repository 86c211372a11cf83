// Loading of the native addons, and the façades picking the crypto addon when the build has it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cryptoAddon } from '../../../src/crypto/native.js';
import * as secp from '../../../src/crypto/secp256k1.js';
import { loadNativeAddon, NativeAddonError, nativeAddonPath } from '../../../src/util/native_addon.js';
import { SOURCE_DIR } from '../util/paths.js';
import { hex, unhex } from './secp256k1_helpers.js';

describe('loadNativeAddon', () => {
  it('finds the crypto addon two levels above src/util', () => {
    assert.ok(fs.existsSync(nativeAddonPath('crypto')), nativeAddonPath('crypto'));
    assert.ok(/[\\/]native[\\/]crypto\.node$/.test(nativeAddonPath('crypto')));
    const addon = loadNativeAddon<{ ecdsaVerify: unknown }>('crypto');
    assert.ok(addon !== null && typeof addon.ecdsaVerify === 'function');
    assert.equal(addon, cryptoAddon, 'loaded once per process');
  });

  it('returns null for an addon the build did not produce', () => {
    assert.equal(loadNativeAddon('no_such_addon'), null);
  });

  it('throws for a present but unloadable addon, and for bad names', () => {
    const name = `broken_test_addon_${process.pid}`;
    const file = nativeAddonPath(name);
    fs.writeFileSync(file, 'not a shared object');
    try {
      assert.throws(() => loadNativeAddon(name), (err: unknown) => {
        assert.ok(err instanceof NativeAddonError);
        assert.ok(err.message.startsWith(`cannot load native addon ${file}: `), err.message);
        return true;
      });
    } finally {
      fs.rmSync(file);
    }
    assert.throws(() => loadNativeAddon('../crypto'), NativeAddonError);
  });
});

describe('secp256k1 façade', () => {
  it('uses the native backend in this build', () => {
    assert.equal(secp.secp256k1Backend, 'native');
    assert.equal(cryptoAddon?.hasSha256, true);
  });

  it('forwards to the backend', () => {
    const sk = unhex('0000000000000000000000000000000000000000000000000000000000000003');
    const msg = new Uint8Array(32).fill(7);
    const pub = secp.pubkeyCreate(sk);
    assert.equal(hex(pub), '02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9');
    assert.ok(secp.ecdsaVerify(secp.ecdsaSign(msg, sk), msg, pub));
    const xonly = secp.xonlyFromSeckey(sk);
    assert.ok(secp.schnorrVerify(secp.schnorrSign(msg, sk), msg, xonly));
    assert.deepEqual(secp.ecdsaRecover(secp.ecdsaSignRecoverable(msg, sk, true), msg), pub);
    assert.ok(secp.isValidPubKey(pub) && secp.isValidXOnly(xonly) && secp.seckeyVerify(sk));
    assert.deepEqual(secp.pubkeyCompress(secp.pubkeyCompress(pub, false), true), pub);
    const t = secp.xonlyTweakAdd(xonly, msg)!;
    assert.ok(secp.xonlyTweakAddCheck(t.output, t.parity, xonly, msg));
    assert.deepEqual(secp.pubkeyTweakAdd(pub, msg), secp.pubkeyCreate(secp.seckeyTweakAdd(sk, msg)!));
    assert.throws(() => secp.pubkeyCreate(new Uint8Array(32)), secp.Secp256k1Error);
  });
});

describe('without the crypto addon', () => {
  it('the façades fall back to JS and still verify', function () {
    this.timeout(20_000);
    // A copy of the compiled src/crypto and src/util with no native/ folder beside them.
    const jsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-nonative-'));
    try {
      for (const dir of ['src/crypto', 'src/util']) fs.cpSync(path.join(jsRoot, dir), path.join(tmp, dir), { recursive: true });
      fs.writeFileSync(path.join(tmp, 'package.json'), '{"type":"module"}');
      fs.symlinkSync(path.join(SOURCE_DIR, 'node_modules'), path.join(tmp, 'node_modules'));
      const script = `
        const secp = await import('./src/crypto/secp256k1.js');
        const { sha256d } = await import('./src/crypto/sha256.js');
        const batch = await import('./src/crypto/sha256_batch.js');
        const sk = new Uint8Array(32); sk[31] = 3;
        const msg = sha256d(new Uint8Array(0));
        const sig = secp.ecdsaSign(msg, sk);
        console.log(JSON.stringify({
          backend: secp.secp256k1Backend, batch: batch.sha256dBatchBackend,
          msg: Buffer.from(msg).toString('hex'),
          ok: secp.ecdsaVerify(sig, msg, secp.pubkeyCreate(sk)),
          tampered: secp.ecdsaVerify(sig, msg.map((b) => b ^ 1), secp.pubkeyCreate(sk)),
        }));`;
      const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmp, encoding: 'utf8' }));
      assert.deepEqual(out, {
        backend: 'js', batch: 'js',
        msg: '5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456',
        ok: true, tampered: false,
      });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
