// Output descriptors against cases from Core's descriptor_tests.cpp (test/data/descriptor_vectors.json).
import assert from 'node:assert/strict';
import { addressParams } from '../../../src/kernel/chainparams_base.js';
import { type Descriptor } from '../../../src/script/descriptor.js';
import { addChecksum, checkChecksum, descriptorChecksum, getDescriptorChecksum } from '../../../src/script/descriptor_checksum.js';
import { SigningProvider } from '../../../src/script/descriptor_keys.js';
import { parseDescriptor } from '../../../src/script/descriptor_parser.js';
import { bytesToHex } from '../../../src/util/hex.js';
import { readTestJson } from '../util/paths.js';

interface ValidCase {
  prv: string;
  pub: string;
  flags: string[];
  scripts: string[][];
  paths?: number[][];
}
interface MultipathCase {
  prv: string;
  pub: string;
  expanded_prv: string[];
  expanded_pub: string[];
  flags: string[];
  scripts: string[][][];
  paths: number[][][];
}
interface Vectors {
  valid: ValidCase[];
  multipath: MultipathCase[];
  invalid: [string, string, string][];
}

const main = addressParams('main');

/** Core's EqualDescriptor: a checksum on only one side is ignored. */
function equalDescriptor(a: string, b: string): boolean {
  const ac = a.length > 9 && a[a.length - 9] === '#';
  const bc = b.length > 9 && b[b.length - 9] === '#';
  if (ac !== bc) {
    if (ac) a = a.slice(0, -9);
    if (bc) b = b.slice(0, -9);
  }
  return a === b;
}

function parseOne(s: string): { desc: Descriptor[]; provider: SigningProvider } {
  const r = parseDescriptor(s, main);
  assert.ok(r.ok, `${s}: ${r.ok ? '' : r.error}`);
  return { desc: r.descriptors, provider: r.provider };
}

const pathKey = (p: number[]) => p.join('/');

/** Checks one descriptor pair: strings, ranges, scripts at positions, and the key paths reported. */
function checkPair(
  prvDesc: Descriptor,
  pubDesc: Descriptor,
  keysPriv: SigningProvider,
  keysPub: SigningProvider,
  c: { prv: string; pub: string; flags: string[]; scripts: string[][]; paths: number[][] },
): void {
  const has = (f: string) => c.flags.includes(f);
  assert.ok(keysPriv.keys.size > 0, 'private keys extracted');
  assert.equal(keysPub.keys.size, 0);
  assert.ok(equalDescriptor(c.pub, prvDesc.toString()), `${prvDesc.toString()} != ${c.pub}`);
  assert.ok(equalDescriptor(c.pub, pubDesc.toString()), `${pubDesc.toString()} != ${c.pub}`);
  if (!has('MISSING_PRIVKEYS')) {
    const p1 = prvDesc.toPrivateString(keysPriv);
    assert.ok(p1.ok && equalDescriptor(c.prv, p1.str), `${p1.str} != ${c.prv}`);
    assert.ok(!prvDesc.toPrivateString(keysPub).ok);
    const p2 = pubDesc.toPrivateString(keysPriv);
    assert.ok(p2.ok && equalDescriptor(c.prv, p2.str), `${p2.str} != ${c.prv}`);
    assert.ok(!pubDesc.toPrivateString(keysPub).ok);
  }
  assert.equal(prvDesc.isRange(), has('RANGE'));
  assert.equal(pubDesc.isRange(), has('RANGE'));
  assert.ok(pubDesc.isSolvable());
  const expected = new Set(c.paths.map(pathKey));
  const seen = new Set<string>();
  const max = has('RANGE') ? c.scripts.length : 3;
  for (let i = 0; i < max; i++) {
    const ref = c.scripts[has('RANGE') ? i : 0]!;
    for (const d of [prvDesc, pubDesc]) {
      const out = new SigningProvider();
      const spks = d.expand(i, has('HARDENED') ? keysPriv : keysPub, out);
      assert.ok(spks, `expand ${c.pub} at ${i}`);
      assert.deepEqual(spks.map(bytesToHex), ref, `scripts of ${c.pub} at ${i}`);
      for (const { info } of out.origins.values()) {
        assert.ok(expected.has(pathKey(info.path)), `unexpected key path ${pathKey(info.path)} in ${c.prv}`);
        seen.add(pathKey(info.path));
      }
    }
  }
  assert.deepEqual([...seen].sort(), [...expected].sort(), `key paths of ${c.prv}`);
}

describe('descriptors', () => {
  const v = readTestJson<Vectors>('descriptor_vectors.json');
  const counts = { valid: 0, multipath: 0, invalid: 0 };
  after(() =>
    console.log(`      descriptor_vectors.json: ${counts.valid}/${v.valid.length} valid, ${counts.multipath}/${v.multipath.length} multipath, ${counts.invalid}/${v.invalid.length} invalid`),
  );

  it('has every case of the vector file', () => {
    assert.equal(v.valid.length, 36);
    assert.equal(v.multipath.length, 4);
    assert.equal(v.invalid.length, 42);
  });

  it("parses, prints and expands the valid cases of Core's descriptor_tests", () => {
    for (const c of v.valid) {
      // Core's Check(): as given, and with every ' written as h.
      const variants = [c, ...(c.prv.includes("'") ? [{ ...c, prv: c.prv.replaceAll("'", 'h'), pub: c.pub.replaceAll("'", 'h') }] : [])];
      for (const x of variants) {
        const prv = parseOne(x.prv);
        const pub = parseOne(x.pub);
        assert.equal(prv.desc.length, 1);
        checkPair(prv.desc[0]!, pub.desc[0]!, prv.provider, pub.provider, { ...x, paths: x.paths ?? [[]] });
        // Hardened steps cannot be derived from the public descriptor alone.
        if (x.flags.includes('HARDENED')) assert.equal(pub.desc[0]!.expand(0, pub.provider, new SigningProvider()), null);
      }
      counts.valid++;
    }
  });

  it('expands multipath descriptors into one descriptor per branch', () => {
    for (const c of v.multipath) {
      const prv = parseOne(c.prv);
      const pub = parseOne(c.pub);
      assert.equal(prv.desc.length, c.expanded_pub.length);
      assert.equal(pub.desc.length, c.expanded_pub.length);
      for (let i = 0; i < c.expanded_pub.length; i++) {
        checkPair(prv.desc[i]!, pub.desc[i]!, prv.provider, pub.provider, {
          prv: c.expanded_prv[i]!,
          pub: c.expanded_pub[i]!,
          flags: c.flags,
          scripts: c.scripts[i]!,
          paths: c.paths[i]!,
        });
      }
      counts.multipath++;
    }
  });

  it("rejects the invalid cases with Core's error strings", () => {
    for (const [prv, pub, error] of v.invalid) {
      const rp = parseDescriptor(prv, main);
      assert.ok(!rp.ok, prv);
      const r = parseDescriptor(pub, main);
      assert.ok(!r.ok, pub);
      assert.equal(r.error, error, pub);
      counts.invalid++;
    }
  });

  it('computes and checks checksums like CheckChecksum', () => {
    const prv =
      "sh(multi(2,[00000000/111'/222]xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc,xprv9uPDJpEQgRQfDcW7BkF7eTya6RPxXeJCqCJGHuCJ4GiRVLzkTXBAJMu2qaMWPrS7AANYqdq6vcBcBUdJCVVFceUvJFjaPdGZ2y9WACViL4L/0))";
    const pub =
      "sh(multi(2,[00000000/111'/222]xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL,xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y/0))";
    assert.equal(descriptorChecksum(prv), 'ggrsrxfy');
    assert.equal(descriptorChecksum(pub), 'tjg09x5t');
    assert.equal(getDescriptorChecksum(`${pub}#tjg09x5t`), 'tjg09x5t');
    assert.equal(getDescriptorChecksum(`${pub}#tjg09x5q`), '');
    const err = (s: string, require = false) => {
      const r = checkChecksum(s, require);
      return r.ok ? '' : r.error;
    };
    assert.equal(err(`${prv}#`), 'Expected 8 character checksum, not 0 characters');
    assert.equal(err(`${prv}#ggrsrxfyq`), 'Expected 8 character checksum, not 9 characters');
    assert.equal(err(`${prv}#ggrsrxf`), 'Expected 8 character checksum, not 7 characters');
    assert.equal(err(`${prv}#ggrsrxfy#`), "Multiple '#' symbols");
    assert.equal(err(`${prv}#ggssrxfy`), "Provided checksum 'ggssrxfy' does not match computed checksum 'ggrsrxfy'");
    assert.equal(err(prv, true), 'Missing checksum');
    assert.equal(err(`${prv}#ggrsrxfy`, true), '');
    assert.equal(err('raw(é)'), 'Invalid characters in payload');
    assert.equal(parseDescriptor(`${pub}#tjq09x4t`, main).ok, false);
    const r = parseDescriptor(`${pub}#tjg09x5t`, main, { requireChecksum: true });
    assert.ok(r.ok && r.descriptors[0]!.toString() === addChecksum(pub.replaceAll("'", "'")));
  });

  it('handles addr(), raw(), rawtr() and context errors', () => {
    const addr = parseDescriptor('addr(bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4)', main);
    assert.ok(addr.ok);
    const a = addr.descriptors[0]!;
    assert.ok(!a.isSolvable() && !a.isRange());
    assert.equal(a.getOutputType(), 'bech32');
    assert.deepEqual(a.expand(0, new SigningProvider(), new SigningProvider())!.map(bytesToHex), ['0014751e76e8199196d454941c45d1b3a323f1433bd6']);
    assert.equal(a.toString(), addChecksum('addr(bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4)'));
    const raw = parseDescriptor('raw(A914AB)', main);
    assert.ok(raw.ok && raw.descriptors[0]!.toString() === addChecksum('raw(a914ab)') && !raw.descriptors[0]!.isSolvable());
    const rawtr = parseDescriptor('rawtr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)', main);
    assert.ok(rawtr.ok);
    assert.deepEqual(rawtr.descriptors[0]!.expand(0, new SigningProvider(), new SigningProvider())!.map(bytesToHex), [
      '5120a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd',
    ]);
    const errors: [string, string][] = [
      ['addr(tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx)', 'Address is not valid'],
      ['raw(xyz)', 'Raw script is not hex'],
      ['raw()', 'Raw script is not hex'],
      ['sh(raw(00))', 'Can only have raw() at top level'],
      ['wsh(wpkh(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd))', 'Can only have wpkh() at top level or inside sh()'],
      ['sh(sh(pk(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)))', 'Can only have sh() at top level'],
      ['wsh(wsh(pk(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)))', 'Can only have wsh() at top level or inside sh()'],
      ['sh(combo(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd))', 'Can only have combo() at top level'],
      ['sh(tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd))', 'Can only have tr at top level'],
      ['multi_a(1,03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)', 'Can only have multi_a/sortedmulti_a inside tr()'],
      ['sh(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)', 'A function is needed within P2SH'],
      ['wsh(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)', 'A function is needed within P2WSH'],
      ['foo(bar)', "'foo(bar)' is not a valid descriptor function"],
      ['pk(xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduC)', "pk(): key 'xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduC' is not valid"],
      ['pk( 03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)', "pk(): Key ' 03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd' is invalid due to whitespace"],
      ['pk()', 'pk(): No key provided'],
      ['rawtr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd,pk(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd))', 'rawtr(): only one key expected.'],
      ['tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd,{pk(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)})', "tr(): expected ',' after script expression"],
      ['tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd;pk(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd))', "tr(): key 'a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd;pk(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)' is not valid"],
      ['pkh(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)x', "'pkh(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)x' is not a valid descriptor function"],
    ];
    for (const [d, e] of errors) {
      const r = parseDescriptor(d, main);
      assert.ok(!r.ok, d);
      assert.equal(r.error, e, d);
    }
  });

  it('writes COMPAT strings with apostrophes and keeps h in the public form', () => {
    const r = parseDescriptor(
      'pkh([01234567/10h/20]xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/1h/*h)',
      main,
    );
    assert.ok(r.ok);
    const d = r.descriptors[0]!;
    assert.ok(d.toString().startsWith('pkh([01234567/10h/20]xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/1h/*h)#'));
    assert.ok(d.toString(true).startsWith("pkh([01234567/10'/20]xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/1'/*')#"));
    assert.ok(d.isRange());
    assert.equal(d.expand(0, r.provider, new SigningProvider()), null); // hardened, and no private key
  });
});
