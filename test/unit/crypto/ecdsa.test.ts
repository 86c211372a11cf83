// ECDSA through both backends: Core's lax DER and low-S rules, signing as CKey::Sign does it,
// signed-message recovery, and pubkey parsing.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { parseDerLax } from '../../../src/crypto/der_lax.js';
import { backends, hex, N, toBigInt, toBytes, toBytes32, unhex } from './secp256k1_helpers.js';

const SK = unhex('b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef');
const MSG = unhex('243f6a8885a308d313198a2e03707344a4093822299f31d0082efa98ec4e6c89');

// DER-encodes a signature from raw integer bodies (so tests can add padding or make them negative).
function der(r: Uint8Array, s: Uint8Array, opts: { seqLen?: number[]; rLen?: number[]; sLen?: number[]; tail?: number[] } = {}): Uint8Array {
  const rLen = opts.rLen ?? [r.length];
  const sLen = opts.sLen ?? [s.length];
  const body = [0x02, ...rLen, ...r, 0x02, ...sLen, ...s];
  return Uint8Array.from([0x30, ...(opts.seqLen ?? [body.length]), ...body, ...(opts.tail ?? [])]);
}

// Splits a strict DER signature into minimal R and S bodies (with their sign padding).
function split(sig: Uint8Array): { r: Uint8Array; s: Uint8Array } {
  const rLen = sig[3]!;
  const r = sig.subarray(4, 4 + rLen);
  const sLen = sig[5 + rLen]!;
  return { r, s: sig.subarray(6 + rLen, 6 + rLen + sLen) };
}

// The minimal DER INTEGER body of a non-negative value: big-endian, with a 0x00 only where the sign needs it.
function minimal(v: bigint): Uint8Array {
  const b = toBytes(v);
  return b[0]! & 0x80 ? Uint8Array.from([0, ...b]) : b;
}

for (const [name, get] of backends()) {
  describe(`ecdsa (${name})`, () => {
    const pub = (compressed = true) => get().pubkeyCreate(SK, compressed);

    it('signs as CKey::Sign does: deterministic, low S, ground to low R', () => {
      const b = get();
      const sig = b.ecdsaSign(MSG, SK);
      assert.deepEqual(b.ecdsaSign(MSG, SK), sig);
      const { r, s } = split(sig);
      assert.ok(r.length <= 32 && r[0]! < 0x80, 'low R');
      assert.ok(toBigInt(s) <= N / 2n, 'low S');
      assert.ok(sig.length <= 70);
      assert.ok(b.ecdsaVerify(sig, MSG, pub()));
      assert.ok(b.ecdsaVerify(sig, MSG, pub(false)));
      assert.ok(!b.ecdsaVerify(sig, MSG.map((x, i) => (i === 0 ? x ^ 1 : x)), pub()));
    });

    it('grinds only when asked to', () => {
      const b = get();
      // Over 64 random messages some plain RFC6979 signatures have a high R (chance 2^-64 of none).
      let differ = 0;
      for (let i = 0; i < 64; i++) {
        const m = new Uint8Array(crypto.createHash('sha256').update(`m${i}`).digest());
        const plain = b.ecdsaSign(m, SK, false);
        const ground = b.ecdsaSign(m, SK, true);
        if (hex(plain) !== hex(ground)) {
          differ++;
          assert.ok(split(plain).r.length === 33, 'only a high R is re-derived');
        }
        assert.ok(b.ecdsaVerify(plain, m, pub()) && b.ecdsaVerify(ground, m, pub()));
      }
      assert.ok(differ > 0);
    });

    describe('lax DER (CPubKey::Verify)', () => {
      const strict = () => split(get().ecdsaSign(MSG, SK));
      const verify = (sig: Uint8Array) => get().ecdsaVerify(sig, MSG, pub());

      it('accepts a high-S signature by normalising it', () => {
        const { r, s } = strict();
        assert.ok(verify(der(r, minimal(N - toBigInt(s)))));
      });

      it('accepts excess zero padding in R and S', () => {
        const { r, s } = strict();
        assert.ok(verify(der(Uint8Array.from([0, 0, 0, ...r]), Uint8Array.from([0, ...s]))));
        // 40 bytes of R: all but 32 are zeros, so it still fits.
        assert.ok(verify(der(Uint8Array.from([...new Uint8Array(40 - r.length), ...r]), s)));
      });

      it('accepts a negative (unpadded) R', () => {
        // Grinding off gives a signature whose R has its top bit set for some message.
        for (let i = 0; i < 64; i++) {
          const m = new Uint8Array(crypto.createHash('sha256').update(`n${i}`).digest());
          const { r, s } = split(get().ecdsaSign(m, SK, false));
          if (r.length !== 33) continue;
          assert.ok(get().ecdsaVerify(der(r.subarray(1), s), m, pub()));
          return;
        }
        assert.fail('no high-R signature found');
      });

      it('accepts long-form lengths, zero bytes inside them, a wrong sequence length and trailing garbage', () => {
        const { r, s } = strict();
        assert.ok(verify(der(r, s, { rLen: [0x81, r.length], sLen: [0x82, 0x00, s.length] })));
        assert.ok(verify(der(r, s, { rLen: [0x84, 0, 0, 0, r.length] })));
        assert.ok(verify(der(r, s, { seqLen: [0x00] })));
        assert.ok(verify(der(r, s, { seqLen: [0x83, 1, 2, 3] })));
        assert.ok(verify(der(r, s, { tail: [0x01] }))); // e.g. a sighash byte left on
        assert.ok(verify(der(r, s, { tail: [1, 2, 3, 4, 5, 6, 7, 8, 9] })));
      });

      it('rejects what even the lax parser cannot read', () => {
        const { r, s } = strict();
        const good = der(r, s);
        assert.ok(verify(good));
        assert.ok(!verify(new Uint8Array(0)));
        assert.ok(!verify(Uint8Array.from([0x31, ...good.subarray(1)])), 'wrong sequence tag');
        assert.ok(!verify(Uint8Array.from([0x30])), 'nothing after the tag');
        assert.ok(!verify(der(r, s, { seqLen: [0x85, 1, 2] })), 'sequence length bytes past the end');
        assert.ok(!verify(good.subarray(0, good.length - 1)), 'S truncated');
        assert.ok(!verify(der(r, s, { rLen: [0x84, 1, 0, 0, 0] })), 'R length needs four bytes');
        assert.ok(verify(der(r, s, { sLen: [0x89, 0, 0, 0, 0, 0, 0, 0, 0, s.length] })), 'zeros in a long length are skipped');
        assert.ok(!verify(der(r, new Uint8Array(0), { sLen: [0x85, 0, 0] })), 'length bytes run past the end');
        const noR = Uint8Array.from(good);
        noR[2] = 0x03;
        assert.ok(!verify(noR), 'R is not an INTEGER');
      });

      it('rejects an R or S that overflows 32 bytes or the group order', () => {
        const { r, s } = strict();
        assert.ok(!verify(der(Uint8Array.from([1, ...toBytes32(toBigInt(r))]), s)));
        // S = s+N: 33 bytes (0x01 first, so no sign padding) that encode a multiple-of-N alias of a valid S.
        // Core's lax parser sees more than 32 significant bytes, flags overflow and sets the whole signature
        // to zero (parsed, not rejected), which libsecp256k1 never verifies; it must not be reduced mod N.
        const sPlusN = minimal(toBigInt(s) + N);
        assert.equal(sPlusN.length, 33);
        assert.equal(sPlusN[0], 0x01);
        assert.equal(toBigInt(sPlusN), toBigInt(s) + N);
        assert.throws(() => toBytes32(toBigInt(s) + N), RangeError);
        const overflowS = der(r, sPlusN);
        assert.deepEqual(parseDerLax(overflowS), { r: 0n, s: 0n });
        assert.ok(!verify(overflowS));
        assert.ok(verify(der(r, minimal(toBigInt(sPlusN) % N))), 'the same S reduced mod N verifies');
        assert.ok(!verify(der(r, minimal(N))));
        assert.ok(!verify(der(r, Uint8Array.of(0))), 'S of zero');
        assert.ok(!verify(der(new Uint8Array(0), s)), 'empty R');
      });

      it('agrees with the other backend on random mutations of a signature', () => {
        const [, otherGet] = backends().find(([n]) => n !== name)!;
        const other = otherGet();
        const base = der(strict().r, strict().s);
        const rnd = (n: number) => crypto.randomInt(n);
        for (let i = 0; i < 200; i++) {
          const bytes = Array.from(base);
          const edits = 1 + rnd(3);
          for (let e = 0; e < edits; e++) {
            const pos = rnd(bytes.length + 1);
            const kind = rnd(4);
            if (kind === 0 && pos < bytes.length) bytes[pos] = rnd(256);
            else if (kind === 1) bytes.splice(pos, 0, rnd(2) ? 0 : rnd(256));
            else if (kind === 2 && pos < bytes.length) bytes.splice(pos, 1);
            else bytes.splice(pos);
          }
          const sig = Uint8Array.from(bytes);
          assert.equal(get().ecdsaVerify(sig, MSG, pub()), other.ecdsaVerify(sig, MSG, pub()), hex(sig));
        }
      });
    });

    describe('public keys', () => {
      it('parses compressed, uncompressed and hybrid keys as libsecp256k1 does', () => {
        const b = get();
        const c = pub(true);
        const u = pub(false);
        assert.ok(b.isValidPubKey(c) && b.isValidPubKey(u));
        const yOdd = (u[64]! & 1) === 1;
        const hybrid = Uint8Array.from(u);
        hybrid[0] = yOdd ? 0x07 : 0x06;
        assert.ok(b.isValidPubKey(hybrid));
        assert.ok(b.ecdsaVerify(b.ecdsaSign(MSG, SK), MSG, hybrid));
        assert.deepEqual(b.pubkeyCompress(hybrid, true), c);
        const wrongParity = Uint8Array.from(hybrid);
        wrongParity[0] ^= 1;
        assert.ok(!b.isValidPubKey(wrongParity));
        assert.ok(!b.isValidPubKey(c.subarray(0, 32)));
        assert.ok(!b.isValidPubKey(Uint8Array.from([...c, 0])));
        assert.ok(!b.isValidPubKey(Uint8Array.from([0x04, ...c.subarray(1)])), '04 with 33 bytes');
        assert.ok(!b.isValidPubKey(Uint8Array.from([0x05, ...u.subarray(1)])));
        assert.ok(!b.isValidPubKey(new Uint8Array(0)));
        const offCurve = Uint8Array.from(u);
        offCurve[64] ^= 1;
        assert.ok(!b.isValidPubKey(offCurve));
        // x = p is not a field element.
        const xIsP = unhex('02fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f');
        assert.ok(!b.isValidPubKey(xIsP));
        assert.ok(!b.ecdsaVerify(b.ecdsaSign(MSG, SK), MSG, xIsP));
      });

      it('re-serializes between the two forms', () => {
        const b = get();
        assert.deepEqual(b.pubkeyCompress(pub(true), false), pub(false));
        assert.deepEqual(b.pubkeyCompress(pub(false), true), pub(true));
        assert.throws(() => b.pubkeyCompress(new Uint8Array(33), true), { name: 'Secp256k1Error', message: 'invalid public key' });
      });

      it('derives the generator from secret key 1', () => {
        const one = toBytes32(1n);
        assert.equal(hex(get().pubkeyCreate(one)), '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
        assert.equal(
          hex(get().pubkeyCreate(one, false)),
          '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798' +
            '483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8',
        );
      });
    });

    describe('signed-message signatures', () => {
      it('round-trips through recovery in both compressions', () => {
        const b = get();
        for (const compressed of [true, false]) {
          const sig = b.ecdsaSignRecoverable(MSG, SK, compressed);
          assert.equal(sig.length, 65);
          const header = sig[0]!;
          assert.ok(compressed ? header >= 31 && header <= 34 : header >= 27 && header <= 30, `header ${header}`);
          assert.deepEqual(b.ecdsaRecover(sig, MSG), pub(compressed));
          // Another message recovers some other key (or none).
          const other = b.ecdsaRecover(sig, MSG.map((x) => x ^ 0xff));
          assert.notDeepEqual(other, pub(compressed));
          // The compact R||S part is an ordinary low-S signature.
          assert.ok(toBigInt(sig.subarray(33)) <= N / 2n);
        }
      });

      it('uses the header arithmetic of RecoverCompact and rejects bad input', () => {
        const b = get();
        const sig = b.ecdsaSignRecoverable(MSG, SK, true);
        const recid = (sig[0]! - 27) & 3;
        // Header 27+recid+4+8 wraps to the same recid and compression.
        const wrapped = Uint8Array.from(sig);
        wrapped[0] = 27 + recid + 4 + 8;
        assert.deepEqual(b.ecdsaRecover(wrapped, MSG), pub(true));
        assert.equal(b.ecdsaRecover(sig.subarray(0, 64), MSG), null);
        const zeroR = Uint8Array.from(sig);
        zeroR.fill(0, 1, 33);
        assert.equal(b.ecdsaRecover(zeroR, MSG), null);
        const bigS = Uint8Array.from(sig);
        bigS.set(toBytes32(N), 33);
        assert.equal(b.ecdsaRecover(bigS, MSG), null);
      });
    });

    describe('argument checks', () => {
      it('throws TypeError for fixed-size arguments of the wrong size or type', () => {
        const b = get();
        const sig = b.ecdsaSign(MSG, SK);
        assert.throws(() => b.ecdsaVerify(sig, MSG.subarray(1), pub()), { name: 'TypeError', message: 'msg32 must be a 32-byte Uint8Array' });
        assert.throws(() => b.ecdsaSign(MSG, SK.subarray(1)), { name: 'TypeError', message: 'seckey32 must be a 32-byte Uint8Array' });
        assert.throws(() => b.ecdsaVerify([1, 2] as unknown as Uint8Array, MSG, pub()), { name: 'TypeError', message: 'sigDer must be a Uint8Array' });
        assert.throws(() => b.ecdsaSignRecoverable(MSG, SK, 1 as unknown as boolean), { name: 'TypeError', message: 'compressed must be a boolean' });
        assert.throws(() => b.ecdsaRecover(sig, new Uint8Array(33)), { name: 'TypeError', message: 'msg32 must be a 32-byte Uint8Array' });
      });

      it('throws Secp256k1Error for an invalid secret key', () => {
        const b = get();
        for (const bad of [new Uint8Array(32), toBytes32(N)]) {
          assert.throws(() => b.ecdsaSign(MSG, bad), { name: 'Secp256k1Error', message: 'invalid secret key' });
          assert.throws(() => b.ecdsaSignRecoverable(MSG, bad, true), { name: 'Secp256k1Error' });
          assert.throws(() => b.pubkeyCreate(bad), { name: 'Secp256k1Error' });
          assert.throws(() => b.schnorrSign(MSG, bad), { name: 'Secp256k1Error' });
          assert.throws(() => b.xonlyFromSeckey(bad), { name: 'Secp256k1Error' });
        }
      });

      it('handles empty inputs without tripping libsecp256k1\'s argument checks', () => {
        // An empty typed array can have a null data pointer, which libsecp256k1 would abort on.
        const b = get();
        const empty = new Uint8Array(0);
        assert.equal(b.ecdsaVerify(empty, MSG, empty), false);
        assert.equal(b.ecdsaVerify(empty, MSG, pub()), false);
        assert.equal(b.isValidPubKey(empty), false);
        assert.equal(b.isValidXOnly(empty), false);
        assert.equal(b.seckeyVerify(empty), false);
        assert.equal(b.ecdsaRecover(empty, MSG), null);
        assert.equal(b.pubkeyTweakAdd(empty, MSG), null);
        assert.equal(b.schnorrVerifyMessage(new Uint8Array(64), empty, b.xonlyFromSeckey(SK)), false);
        assert.throws(() => b.pubkeyCompress(empty, true), { name: 'Secp256k1Error' });
      });

      it('accepts Buffers and subarray views', () => {
        const b = get();
        const padded = new Uint8Array(40);
        padded.set(MSG, 5);
        const sig = b.ecdsaSign(padded.subarray(5, 37), Buffer.from(SK));
        assert.ok(b.ecdsaVerify(Buffer.from(sig), MSG, pub()));
      });
    });
  });
}
