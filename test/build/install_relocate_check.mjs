// Run by install_relocate.sh against a moved install whose source and build trees are hidden: loads
// the installed crypto modules and checks known answers, through the crypto addon (hash and
// signatures) and through the pure-JS fallbacks, whose npm packages must come from the install.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const jsdir = process.argv[2];
assert.ok(jsdir, 'usage: install_relocate_check.mjs <prefix>/lib/smithcoin/js');
const load = (rel) => import(pathToFileURL(path.join(jsdir, rel)).href);
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));

// BIP340 test vector 0.
const seckey = unhex('0000000000000000000000000000000000000000000000000000000000000003');
const xonly = unhex('f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9');
const zero32 = new Uint8Array(32);
const bipSig = 'e907831f80848d1069a5371b402410364bdf1c5f8307b0084c55f1ce2dca821525f66a4a85ea8b71e482a74f382d2ce5ebeee8fdb2172f477df4900d310536c0';
const badSig = unhex(bipSig);
badSig[63] ^= 1;

const { cryptoAddon } = await load('src/crypto/native.js');
assert.ok(cryptoAddon, 'the installed crypto addon did not load');
assert.ok(cryptoAddon.hasSha256 && cryptoAddon.sha256d, 'the crypto addon has no SHA-256 (node exports no OpenSSL)');
assert.equal(hex(cryptoAddon.sha256d(new TextEncoder().encode('abc'))),
  '4f8b42c22dd3729b519ba6f68d2da7cc5b2d606d05daed5ad5128cc03e6c6358', 'addon sha256d("abc")');

const secp = await load('src/crypto/secp256k1.js');
assert.equal(secp.secp256k1Backend, 'native');
assert.equal(hex(secp.schnorrSign(zero32, seckey, zero32)), bipSig, 'addon BIP340 signature');
assert.ok(secp.schnorrVerify(unhex(bipSig), zero32, xonly), 'addon BIP340 verify');
assert.ok(!secp.schnorrVerify(badSig, zero32, xonly), 'addon accepted a tampered signature');
const msg = cryptoAddon.sha256d(new TextEncoder().encode('smithcoin install'));
const pub = secp.pubkeyCreate(seckey, true);
assert.ok(secp.ecdsaVerify(secp.ecdsaSign(msg, seckey), msg, pub), 'addon ECDSA round trip');

// The fallbacks load @noble/curves and @noble/hashes, which only the install's node_modules holds.
const { jsBackend } = await load('src/crypto/secp256k1_js.js');
assert.ok(jsBackend.schnorrVerify(unhex(bipSig), zero32, xonly), '@noble/curves BIP340 verify');
assert.ok(!jsBackend.schnorrVerify(badSig, zero32, xonly), '@noble/curves accepted a tampered signature');
const { loadRipemd160Js } = await load('src/crypto/ripemd160.js');
assert.equal(hex((await loadRipemd160Js())(new Uint8Array(0))), '9c1185a5c5e9fc54612808977ee8f548b2258d31', '@noble/hashes RIPEMD-160');
console.log('installed crypto: addon hash and signatures, JS fallbacks: ok');
