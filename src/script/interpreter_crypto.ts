// Deprecated re-export, kept only while test/unit/consensus/tx_verify.test.ts imports hash160 from here.
// Everything in src/script imports src/crypto directly; delete this file once that test does too.
export { hash160 } from '../crypto/ripemd160.js';
