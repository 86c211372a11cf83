// Per-network address facts (Base58 prefixes, bech32 HRP, BIP32 versions) as in Core's kernel/chainparams.cpp.
// The only copy of these facts: chainparams.ts holds the rest of each network's parameters and this table
// is keyed by its ChainType, so both cover the same networks.
import type { ChainType } from './chainparams.js';

/** Which Base58 prefix (CChainParams::Base58Type). */
export type Base58Type = 'PUBKEY_ADDRESS' | 'SCRIPT_ADDRESS' | 'SECRET_KEY' | 'EXT_PUBLIC_KEY' | 'EXT_SECRET_KEY';

/** Address encoding facts of one network. */
export interface AddressParams {
  /** Core's chain type string: main, test, testnet4, signet or regtest. */
  readonly chain: ChainType;
  readonly base58Prefixes: Readonly<Record<Base58Type, Uint8Array>>;
  readonly bech32Hrp: string;
}

function prefixes(pubkey: number, script: number, secret: number, xpub: number[], xprv: number[]): Record<Base58Type, Uint8Array> {
  return {
    PUBKEY_ADDRESS: Uint8Array.of(pubkey),
    SCRIPT_ADDRESS: Uint8Array.of(script),
    SECRET_KEY: Uint8Array.of(secret),
    EXT_PUBLIC_KEY: Uint8Array.from(xpub),
    EXT_SECRET_KEY: Uint8Array.from(xprv),
  };
}

const MAIN_PREFIXES = prefixes(0, 5, 128, [0x04, 0x88, 0xb2, 0x1e], [0x04, 0x88, 0xad, 0xe4]);
// testnet3, testnet4, signet and regtest share the test prefixes; only the HRP of regtest differs.
const TEST_PREFIXES = prefixes(111, 196, 239, [0x04, 0x35, 0x87, 0xcf], [0x04, 0x35, 0x83, 0x94]);

const ALL: Readonly<Record<ChainType, AddressParams>> = {
  main: { chain: 'main', base58Prefixes: MAIN_PREFIXES, bech32Hrp: 'bc' },
  test: { chain: 'test', base58Prefixes: TEST_PREFIXES, bech32Hrp: 'tb' },
  testnet4: { chain: 'testnet4', base58Prefixes: TEST_PREFIXES, bech32Hrp: 'tb' },
  signet: { chain: 'signet', base58Prefixes: TEST_PREFIXES, bech32Hrp: 'tb' },
  regtest: { chain: 'regtest', base58Prefixes: TEST_PREFIXES, bech32Hrp: 'bcrt' },
};

/** Chain type strings that have address parameters. */
export const ADDRESS_CHAINS: readonly string[] = Object.keys(ALL);

/** Address parameters of a chain ("main", "test", "testnet4", "signet", "regtest"). */
export function addressParams(chain: string): AddressParams {
  const p = (ALL as Readonly<Record<string, AddressParams | undefined>>)[chain];
  if (!p) throw new RangeError(`Unknown chain ${chain}.`);
  return p;
}
