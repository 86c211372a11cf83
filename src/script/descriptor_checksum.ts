// Output descriptor checksums (Core's DescriptorChecksum / CheckChecksum): an 8-symbol BCH code over GF(32).

const INPUT_CHARSET = '0123456789()[],\'/*abcdefgh@:$%{}' + 'IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~' + 'ijklmnopqrstuvwxyzABCDEFGH`#"\\ ';
const CHECKSUM_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Multiplies the degree-8 polynomial `c` by x, reduces it by the generator and adds `val` (Core's PolyMod). */
function polyMod(c: bigint, val: number): bigint {
  const c0 = Number(c >> 35n);
  c = ((c & 0x7ffffffffn) << 5n) ^ BigInt(val);
  if (c0 & 1) c ^= 0xf5dee51989n;
  if (c0 & 2) c ^= 0xa9fdca3312n;
  if (c0 & 4) c ^= 0x1bab10e32dn;
  if (c0 & 8) c ^= 0x3706b1677an;
  if (c0 & 16) c ^= 0x644d626ffdn;
  return c;
}

/** The 8-character checksum of a descriptor without '#', or "" if it has a character outside the charset. */
export function descriptorChecksum(desc: string): string {
  let c = 1n;
  let cls = 0;
  let clscount = 0;
  for (const ch of desc) {
    const pos = ch.length === 1 ? INPUT_CHARSET.indexOf(ch) : -1;
    if (pos === -1) return '';
    // One symbol for the position in the group of 32, and one per 3 characters for the groups.
    c = polyMod(c, pos & 31);
    cls = cls * 3 + (pos >> 5);
    if (++clscount === 3) {
      c = polyMod(c, cls);
      cls = 0;
      clscount = 0;
    }
  }
  if (clscount > 0) c = polyMod(c, cls);
  for (let j = 0; j < 8; j++) c = polyMod(c, 0);
  c ^= 1n;
  let out = '';
  for (let j = 0; j < 8; j++) out += CHECKSUM_CHARSET[Number((c >> BigInt(5 * (7 - j))) & 31n)];
  return out;
}

/** `desc#checksum`. */
export function addChecksum(desc: string): string {
  return `${desc}#${descriptorChecksum(desc)}`;
}

export type ChecksumResult = { ok: true; payload: string; checksum: string } | { ok: false; error: string };

/** Core's CheckChecksum: validates an optional (or required) "#checksum" suffix and returns the payload. */
export function checkChecksum(desc: string, requireChecksum: boolean): ChecksumResult {
  const parts = desc.split('#');
  if (parts.length > 2) return { ok: false, error: "Multiple '#' symbols" };
  if (parts.length === 1 && requireChecksum) return { ok: false, error: 'Missing checksum' };
  if (parts.length === 2 && parts[1]!.length !== 8) {
    return { ok: false, error: `Expected 8 character checksum, not ${parts[1]!.length} characters` };
  }
  const checksum = descriptorChecksum(parts[0]!);
  if (checksum === '') return { ok: false, error: 'Invalid characters in payload' };
  if (parts.length === 2 && parts[1] !== checksum) {
    return { ok: false, error: `Provided checksum '${parts[1]}' does not match computed checksum '${checksum}'` };
  }
  return { ok: true, payload: parts[0]!, checksum };
}

/** GetDescriptorChecksum: the checksum of a descriptor (with or without one), or "" when invalid. */
export function getDescriptorChecksum(desc: string): string {
  const r = checkChecksum(desc, false);
  return r.ok ? r.checksum : '';
}
