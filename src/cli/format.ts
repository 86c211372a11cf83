// printf-style number formatting where the client's text output needs C's exact results.

/** C's "%.<digits>f": the exact binary value rounded half to even (toFixed rounds exact ties up). */
export function formatFixed(x: number, digits: number): string {
  const fixed = x.toFixed(digits);
  if (!Number.isFinite(x) || !isExactTie(x, digits)) return fixed;
  // On an exact tie toFixed picked the larger magnitude; C keeps the even last digit.
  const scaled = BigInt(fixed.replace('-', '').replace('.', ''));
  if (scaled % 2n === 0n) return fixed;
  const down = (scaled - 1n).toString().padStart(digits + 1, '0');
  const text = digits > 0 ? `${down.slice(0, -digits)}.${down.slice(-digits)}` : down;
  return (x < 0 ? '-' : '') + text;
}

/** Whether |x| * 10^digits lies exactly halfway between two integers. */
function isExactTie(x: number, digits: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  if (exponent !== 0) mantissa |= 1n << 52n;
  // |x| = mantissa * 2^shift
  const shift = (exponent === 0 ? 1 : exponent) - 1075;
  if (shift >= 0) return false; // an integer times a power of two: never a half
  const denominator = 1n << BigInt(-shift);
  const numerator = mantissa * 10n ** BigInt(digits) * 2n;
  // 2 * |x| * 10^digits must be an odd integer.
  return numerator % denominator === 0n && (numerator / denominator) % 2n === 1n;
}

