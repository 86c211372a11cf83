// Which consensus rules a block is connected under (Core's GetBlockScriptFlags and the BIP30 exceptions of
// validation.cpp): script verification flags from the buried deployments, the BIP68 lock-time flag, and the
// two historical mainnet block pairs that break BIP30.
import { LOCKTIME_VERIFY_SEQUENCE } from '../consensus/consensus.js';
import { BuriedDeployment, type ConsensusParams, deploymentActiveAt } from '../consensus/params.js';
import {
  SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY,
  SCRIPT_VERIFY_CHECKSEQUENCEVERIFY,
  SCRIPT_VERIFY_DERSIG,
  SCRIPT_VERIFY_NULLDUMMY,
  SCRIPT_VERIFY_P2SH,
  SCRIPT_VERIFY_TAPROOT,
  SCRIPT_VERIFY_WITNESS,
  type ScriptVerifyFlags,
} from '../script/verify_flags.js';
import { bytesEqual } from '../util/hex.js';

/** The block fields the rules depend on: its height and display hash. */
export interface BlockPosition {
  readonly height: number;
  readonly hashHex: string;
}

/**
 * Core's GetBlockScriptFlags. P2SH, WITNESS and TAPROOT apply to every block (retroactively: only the blocks in
 * `scriptFlagExceptions` broke them, and those get their listed flags instead); DERSIG, CLTV, CSV and NULLDUMMY
 * (with segwit) from their buried activation heights.
 */
export function getBlockScriptFlags(block: BlockPosition, params: ConsensusParams): ScriptVerifyFlags {
  let flags = params.scriptFlagExceptions.get(block.hashHex) ?? (SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_TAPROOT);
  if (deploymentActiveAt(block.height, params, BuriedDeployment.DEPLOYMENT_DERSIG)) flags |= SCRIPT_VERIFY_DERSIG;
  if (deploymentActiveAt(block.height, params, BuriedDeployment.DEPLOYMENT_CLTV)) flags |= SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY;
  if (deploymentActiveAt(block.height, params, BuriedDeployment.DEPLOYMENT_CSV)) flags |= SCRIPT_VERIFY_CHECKSEQUENCEVERIFY;
  if (deploymentActiveAt(block.height, params, BuriedDeployment.DEPLOYMENT_SEGWIT)) flags |= SCRIPT_VERIFY_NULLDUMMY;
  return flags;
}

/** BIP68 sequence locks are enforced from the CSV activation height (Core's nLockTimeFlags in ConnectBlock). */
export function getBlockLockTimeFlags(block: BlockPosition, params: ConsensusParams): number {
  return deploymentActiveAt(block.height, params, BuriedDeployment.DEPLOYMENT_CSV) ? LOCKTIME_VERIFY_SEQUENCE : 0;
}

/**
 * From this height on BIP30 is checked again even on the BIP34 chain: pre-BIP34 coinbases that claim this height
 * (and higher ones) in their scriptSig could be repeated (Core's BIP34_IMPLIES_BIP30_LIMIT).
 */
export const BIP34_IMPLIES_BIP30_LIMIT = 1_983_702;

/** The two mainnet blocks whose coinbases repeat an earlier coinbase (Core's IsBIP30Repeat). */
export function isBIP30Repeat(block: BlockPosition): boolean {
  return (block.height === 91842 && block.hashHex === '00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec')
    || (block.height === 91880 && block.hashHex === '00000000000743f190a18c5577a3c2d2a1f610ae9601ac046a38084ccb7cd721');
}

/**
 * Whether BIP30 is checked for a block (Core's fEnforceBIP30 and the height limit): always, except for the two
 * historical repeats and on the chain whose BIP34 block matches the parameters (BIP34 makes coinbases unique),
 * and again from the height where pre-BIP34 coinbases could collide. `bip34Ancestor` is the block's ancestor at
 * BIP34Height, if it has one.
 */
export function isBIP30Enforced(block: BlockPosition, bip34Ancestor: { hash: Uint8Array } | undefined, consensus: ConsensusParams): boolean {
  const onBip34Chain = bip34Ancestor !== undefined && bytesEqual(bip34Ancestor.hash, consensus.BIP34Hash);
  return (!isBIP30Repeat(block) && !onBip34Chain) || block.height >= BIP34_IMPLIES_BIP30_LIMIT;
}

/** The two mainnet blocks whose coinbase outputs the repeats above overwrote (Core's IsBIP30Unspendable). */
export function isBIP30Unspendable(block: BlockPosition): boolean {
  return (block.height === 91722 && block.hashHex === '00000000000271a2dc26e7667f8419f2e15416dc6955e5a6c6cdf3f2574dd08e')
    || (block.height === 91812 && block.hashHex === '00000000000af0aed4792b1acee3d966af36cf5def14935db8de83d6f9306f2f');
}
