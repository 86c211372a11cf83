// Hash functions used with primitives, re-exported from src/crypto (kept because other modules import them from here).
export { hash256, sha256 } from '../crypto/sha256.js';
export { taggedHash, taggedHashPrefix } from '../crypto/tagged.js';
