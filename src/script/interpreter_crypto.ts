// The hash and signature primitives the interpreter uses, gathered in one place (all from src/crypto).
export { ripemd160, hash160 } from '../crypto/ripemd160.js';
export { sha1 } from '../crypto/sha1.js';
export { sha256, hash256 } from '../crypto/sha256.js';
export { taggedHash } from '../crypto/tagged.js';
export { ecdsaVerify, isValidPubKey, schnorrVerify, xonlyTweakAdd, xonlyTweakAddCheck, secp256k1Backend } from '../crypto/secp256k1.js';
