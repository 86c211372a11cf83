// Satoshi amounts: COIN, MAX_MONEY, MoneyRange and Core's FormatMoney (consensus/amount.h, util/moneystr.cpp).

/** Amount in satoshis (Core's CAmount, an int64). */
export type Amount = bigint;

/** Satoshis per bitcoin. */
export const COIN: Amount = 100_000_000n;

/**
 * Upper bound (21 million BTC, in satoshis) on any single amount the consensus checks accept. The real
 * supply ends a little below it, since each halving rounds the subsidy down; this is a sanity limit only.
 */
export const MAX_MONEY: Amount = 21_000_000n * COIN;

/** Core's MoneyRange: 0 <= value <= MAX_MONEY. */
export function moneyRange(value: Amount): boolean {
  return value >= 0n && value <= MAX_MONEY;
}

/**
 * Core's FormatMoney: "<int>.<8 digits>" with trailing zeros trimmed but at least two decimals kept,
 * and a leading '-' for negative amounts. Used in debug strings such as "value in (%s) < value out (%s)".
 */
export function formatMoney(n: Amount): string {
  // Core works on the absolute value so that INT64_MIN prints correctly too.
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const quotient = abs / COIN;
  const remainder = abs % COIN;
  let frac = remainder.toString().padStart(8, '0');
  let trim = 0;
  while (trim < 6 && frac[frac.length - 1 - trim] === '0') trim++;
  frac = frac.slice(0, frac.length - trim);
  return `${neg ? '-' : ''}${quotient}.${frac}`;
}
