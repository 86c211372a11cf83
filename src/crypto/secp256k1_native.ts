// The secp256k1 backend on the crypto addon (libsecp256k1): what the node uses for validation.
import { cryptoAddon, type CryptoAddon } from './native.js';
import { INVALID_PUBLIC_KEY, INVALID_SECRET_KEY, Secp256k1Error, type Secp256k1Backend } from './secp256k1_backend.js';

function need<T>(value: T | null, message: string): T {
  if (value === null) throw new Secp256k1Error(message);
  return value;
}

/** Wraps a loaded addon; the addon itself checks argument types and sizes. */
export function makeNativeBackend(addon: CryptoAddon): Secp256k1Backend {
  return {
    name: 'native',
    ecdsaVerify: (sigDer, msg32, pubkey) => addon.ecdsaVerify(sigDer, msg32, pubkey),
    isValidPubKey: (pubkey) => addon.isValidPubKey(pubkey),
    schnorrVerify: (sig64, msg32, xonly32) => addon.schnorrVerify(sig64, msg32, xonly32),
    schnorrSign: (msg32, seckey32, auxRand32) =>
      need(addon.schnorrSign(msg32, seckey32, auxRand32), INVALID_SECRET_KEY),
    schnorrVerifyMessage: (sig64, msg, xonly32) => addon.schnorrVerifyMessage(sig64, msg, xonly32),
    schnorrSignMessage: (msg, seckey32, auxRand32) =>
      need(addon.schnorrSignMessage(msg, seckey32, auxRand32), INVALID_SECRET_KEY),
    isValidXOnly: (xonly32) => addon.isValidXOnly(xonly32),
    xonlyTweakAddCheck: (tweaked32, parity, internal32, tweak32) =>
      addon.xonlyTweakAddCheck(tweaked32, parity, internal32, tweak32),
    xonlyTweakAdd(internal32, tweak32) {
      const r = addon.xonlyTweakAdd(internal32, tweak32);
      if (r === null) return null;
      return { output: r.subarray(1), parity: r[0] === 1 ? 1 : 0 };
    },
    pubkeyCreate: (seckey32, compressed = true) =>
      need(addon.pubkeyCreate(seckey32, compressed), INVALID_SECRET_KEY),
    xonlyFromSeckey: (seckey32) => need(addon.xonlyFromSeckey(seckey32), INVALID_SECRET_KEY),
    pubkeyTweakAdd: (pubkey, tweak32, compressed) =>
      addon.pubkeyTweakAdd(pubkey, tweak32, compressed ?? (pubkey instanceof Uint8Array && pubkey.length === 33)),
    seckeyTweakAdd: (seckey32, tweak32) => addon.seckeyTweakAdd(seckey32, tweak32),
    seckeyVerify: (seckey32) => addon.seckeyVerify(seckey32),
    pubkeyCompress: (pubkey, compressed) => need(addon.pubkeyCompress(pubkey, compressed), INVALID_PUBLIC_KEY),
    ecdsaSign: (msg32, seckey32, grind = true) =>
      need(addon.ecdsaSign(msg32, seckey32, grind), INVALID_SECRET_KEY),
    ecdsaSignRecoverable: (msg32, seckey32, compressed) =>
      need(addon.ecdsaSignRecoverable(msg32, seckey32, compressed), INVALID_SECRET_KEY),
    ecdsaRecover: (sig65, msg32) => addon.ecdsaRecover(sig65, msg32),
  };
}

/** The native backend, or null when the build has no crypto addon. */
export const nativeBackend: Secp256k1Backend | null = cryptoAddon ? makeNativeBackend(cryptoAddon) : null;
