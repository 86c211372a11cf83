// Loading of the native addons, and the façades picking the crypto addon when the build has it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { cryptoAddon } from '../../../src/crypto/native.js';
import * as secp from '../../../src/crypto/secp256k1.js';
import { loadNativeAddon, NativeAddonError, nativeAddonPath } from '../../../src/util/native_addon.js';
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
