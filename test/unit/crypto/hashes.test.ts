// Known-answer tests for the hash functions (NIST, RIPEMD-160 paper, RFC 4231, Core's crypto_tests).
import assert from 'node:assert/strict';
import { hmacSha256, hmacSha512 } from '../../../src/crypto/hmac.js';
import { hash160, hash160Js, loadRipemd160Js, ripemd160, ripemd160Node } from '../../../src/crypto/ripemd160.js';
import { sha1 } from '../../../src/crypto/sha1.js';
import crypto from 'node:crypto';
import { hash256, sha256, sha256Concat, sha256ConcatTransient, sha256d, sha256dConcat, sha256dConcatTransient, sha256dJs } from '../../../src/crypto/sha256.js';
import { makeTaggedHasher, taggedHash, taggedHashPrefix } from '../../../src/crypto/tagged.js';
import { bytesToHex, hexToBytes } from '../../../src/util/hex.js';

const hex = bytesToHex;
const unhex = hexToBytes;
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const MILLION_A = ascii('a'.repeat(1_000_000));

describe('sha256 / sha256d', () => {
  it('matches the FIPS 180-2 vectors', () => {
    assert.equal(hex(sha256(ascii(''))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(hex(sha256(ascii('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(
      hex(sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    assert.equal(hex(sha256(MILLION_A)), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('double-hashes, and hash256 is the same function', () => {
    assert.equal(hex(sha256d(ascii(''))), '5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456');
    assert.equal(hex(sha256d(ascii('abc'))), hex(sha256(sha256(ascii('abc')))));
    assert.equal(hash256, sha256d);
  });

  it('gives the same double hash through the addon and through node:crypto', () => {
    for (const n of [0, 1, 32, 55, 56, 64, 80, 119, 120, 250, 1000, 100_000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 7 + n) & 0xff);
      assert.deepEqual(sha256d(data), sha256dJs(data), `length ${n}`);
    }
    assert.equal(hex(sha256dJs(ascii(''))), '5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456');
  });

  it('hashes parts back to back exactly as node:crypto hashes their concatenation', () => {
    const data = new Uint8Array(300).map((_, i) => (i * 13 + 5) & 0xff);
    for (const cuts of [[], [0], [300], [0, 0], [1, 64], [55, 56, 120], [63, 64, 65, 200], [32, 97, 129]]) {
      const parts: Uint8Array[] = [];
      let from = 0;
      for (const c of [...cuts, 300]) {
        parts.push(data.subarray(from, c));
        from = c;
      }
      const want = new Uint8Array(crypto.createHash('sha256').update(data).digest());
      assert.deepEqual(sha256Concat(...parts), want, `cuts ${cuts.join(',')}`);
      assert.deepEqual(sha256(data.subarray(0, cuts[0] ?? 0)), new Uint8Array(crypto.createHash('sha256').update(data.subarray(0, cuts[0] ?? 0)).digest()));
    }
    assert.equal(hex(sha256Concat()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.deepEqual(sha256dConcat(data.subarray(0, 32), data.subarray(32)), sha256dJs(data));
    assert.deepEqual(sha256dConcat(data), sha256dJs(data));
    assert.equal(Object.getPrototypeOf(sha256Concat(data)), Uint8Array.prototype);
  });

  it('gives the same digests off the V8 heap, each left intact by later ones across slab boundaries', () => {
    const inputs = Array.from({ length: 1200 }, (_, i) => new Uint8Array(i % 90).map((_, j) => (i + j * 3) & 0xff));
    const single = inputs.map((d) => sha256ConcatTransient(d, inputs[0]!));
    const double = inputs.map((d) => sha256dConcatTransient(d));
    inputs.forEach((d, i) => {
      assert.deepEqual(single[i], sha256Concat(d, inputs[0]!), `single ${i}`);
      assert.deepEqual(double[i], sha256d(d), `double ${i}`);
      assert.equal(Object.getPrototypeOf(double[i]), Uint8Array.prototype);
    });
  });

  it('returns plain Uint8Arrays that compare equal to other byte arrays', () => {
    const h = sha256(ascii('abc'));
    assert.equal(Object.getPrototypeOf(h), Uint8Array.prototype);
    assert.equal(Object.getPrototypeOf(sha256d(h)), Uint8Array.prototype);
    assert.equal(Object.getPrototypeOf(sha256dJs(h)), Uint8Array.prototype);
    assert.deepEqual(h, unhex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'));
  });
});

describe('ripemd160 / hash160', () => {
  // From the RIPEMD-160 page of Bosselaers (also in Core's crypto_tests).
  const vectors: Array<[Uint8Array, string]> = [
    [ascii(''), '9c1185a5c5e9fc54612808977ee8f548b2258d31'],
    [ascii('a'), '0bdc9d2d256b3ee9daae347be6f4dc835a467ffe'],
    [ascii('abc'), '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc'],
    [ascii('message digest'), '5d0689ef49d2fae572b881b123a85ffa21595f36'],
    [ascii('abcdefghijklmnopqrstuvwxyz'), 'f71c27109c692c1b56bbdceb5b9d2865b3708dbc'],
    [ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '12a053384a9c0c88e405a06c27dcf49ada62eb2b'],
    [ascii('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), 'b0e20b6e3116640286ed3a87a5713079b21f5189'],
    [ascii('1234567890'.repeat(8)), '9b752e45573d4b39f4dbd3323cab82bf63326bfb'],
    [MILLION_A, '52783243c1697bdbe16d37f97f68f08325dc1528'],
  ];

  it('matches the reference vectors (exported function)', () => {
    for (const [msg, want] of vectors) assert.equal(hex(ripemd160(msg)), want);
  });

  it('matches the reference vectors with node:crypto and with the pure-JS fallback', async () => {
    const js = await loadRipemd160Js();
    for (const [msg, want] of vectors) {
      assert.equal(hex(ripemd160Node(msg)), want);
      assert.equal(hex(js(msg)), want);
    }
  });

  it('hash160 is RIPEMD-160 of SHA-256', () => {
    // The compressed pubkey of secret key 1 and its well-known key hash.
    const g = unhex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
    assert.equal(hex(hash160(g)), '751e76e8199196d454941c45d1b3a323f1433bd6');
    assert.equal(hex(hash160(ascii('abc'))), hex(ripemd160(sha256(ascii('abc')))));
  });

  it('gives the same HASH160 through the addon as through node:crypto, at every length', () => {
    for (const n of [0, 1, 20, 32, 33, 55, 56, 64, 65, 119, 120, 520, 10_000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 11 + n) & 0xff);
      assert.deepEqual(hash160(data), hash160Js(data), `length ${n}`);
      assert.equal(hash160(data).length, 20);
    }
    assert.equal(Object.getPrototypeOf(hash160(ascii('abc'))), Uint8Array.prototype);
  });
});

describe('sha1', () => {
  it('matches the FIPS 180-1 vectors', () => {
    assert.equal(hex(sha1(ascii(''))), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
    assert.equal(hex(sha1(ascii('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(
      hex(sha1(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
  });
});

describe('hmac', () => {
  // RFC 4231 test cases 1, 2 and 6.
  it('HMAC-SHA512 matches RFC 4231', () => {
    assert.equal(
      hex(hmacSha512(new Uint8Array(20).fill(0x0b), ascii('Hi There'))),
      '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde' +
        'daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    );
    assert.equal(
      hex(hmacSha512(ascii('Jefe'), ascii('what do ya want for nothing?'))),
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554' +
        '9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    );
    assert.equal(
      hex(hmacSha512(new Uint8Array(131).fill(0xaa), ascii('Test Using Larger Than Block-Size Key - Hash Key First'))),
      '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352' +
        '6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
    );
  });

  it('HMAC-SHA256 matches RFC 4231', () => {
    assert.equal(
      hex(hmacSha256(new Uint8Array(20).fill(0x0b), ascii('Hi There'))),
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    assert.equal(
      hex(hmacSha256(ascii('Jefe'), ascii('what do ya want for nothing?'))),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('tagged hashes', () => {
  it('is SHA256(SHA256(tag) || SHA256(tag) || msg)', () => {
    const tagHash = sha256(ascii('TapLeaf'));
    const msg = ascii('some leaf');
    const want = sha256(new Uint8Array([...tagHash, ...tagHash, ...msg]));
    assert.deepEqual(taggedHash('TapLeaf', msg), want);
    assert.deepEqual(taggedHash('TapLeaf', msg.subarray(0, 4), msg.subarray(4)), want);
    assert.deepEqual(makeTaggedHasher('TapLeaf')(msg), want);
    assert.deepEqual(taggedHashPrefix('TapLeaf'), new Uint8Array([...tagHash, ...tagHash]));
  });

  it('gives the known BIP340 challenge tag prefix', () => {
    // SHA256("BIP0340/challenge"), the midstate Core precomputes for it in hash.cpp.
    assert.equal(
      hex(taggedHashPrefix('BIP0340/challenge').subarray(0, 32)),
      '7bb52d7a9fef58323eb1bf7a407db382d2f3f2d81bb1224f49fe518f6d48d37c',
    );
  });

  it('keeps different tags apart', () => {
    assert.notDeepEqual(taggedHash('TapLeaf', ascii('x')), taggedHash('TapBranch', ascii('x')));
  });
});
