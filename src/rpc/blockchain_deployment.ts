// getdeploymentinfo (and /rest/deploymentinfo): the block's script flags and every enabled deployment,
// buried ones by height and BIP9 ones through the version-bits state machine.
import {
  BuriedDeployment, DeploymentPos, MAX_VERSION_BITS_DEPLOYMENTS, NEVER_ACTIVE, NO_TIMEOUT, deploymentActiveAfter, deploymentHeight,
} from '../consensus/params.js';
import { VERSION_BITS_DEPLOYMENT_INFO } from '../kernel/chainparams.js';
import type { BlockIndex } from '../node/chain.js';
import type { ChainstateManagerApi } from '../node/chainstate_api.js';
import { getBlockScriptFlags } from '../node/connect_flags.js';
import type { NodeContext } from '../node/context.js';
import { versionBitsCacheOf } from '../node/versionbits.js';
import { getScriptFlagNames } from '../script/verify_flags.js';
import { isNull, parseHashV } from './blockchain_args.js';
import { activeTip, ensureChainman, lookupBlockOrThrow } from './blockchain_context.js';
import { JSONNumber } from './json.js';
import type { JSONObject, JSONValue } from './request.js';

/** Core's order in DeploymentInfo: the buried deployments, then the version-bits ones. */
const BURIED_ORDER = [
  BuriedDeployment.DEPLOYMENT_HEIGHTINCB, BuriedDeployment.DEPLOYMENT_DERSIG, BuriedDeployment.DEPLOYMENT_CLTV,
  BuriedDeployment.DEPLOYMENT_CSV, BuriedDeployment.DEPLOYMENT_SEGWIT,
];

/** A buried deployment is disabled by an activation height of INT_MAX (-testactivationheight). */
const DISABLED_HEIGHT = 0x7fffffff;

function buried(chainman: ChainstateManagerApi, index: BlockIndex, dep: BuriedDeployment): JSONObject {
  const consensus = chainman.params.consensus;
  return {
    type: 'buried',
    // Reported as active from the block before its activation height, as the rules hold for the next block.
    active: deploymentActiveAfter(index.height, consensus, dep),
    height: deploymentHeight(consensus, dep),
  };
}

/** Core prints the "no timeout" marker as INT64_MAX, beyond a JS number's exact range. */
function timeoutValue(timeout: number): JSONValue {
  return timeout === NO_TIMEOUT ? new JSONNumber('9223372036854775807') : timeout;
}

function bip9(chainman: ChainstateManagerApi, index: BlockIndex, pos: DeploymentPos): JSONObject {
  const consensus = chainman.params.consensus;
  const dep = consensus.deployments[pos]!;
  const info = versionBitsCacheOf(chainman).info(index, consensus, pos);
  const details: JSONObject = {};
  if (info.stats !== undefined) details.bit = dep.bit;
  details.start_time = dep.startTime;
  details.timeout = timeoutValue(dep.timeout);
  details.min_activation_height = dep.minActivationHeight;
  details.status = info.currentState;
  details.since = info.since;
  details.status_next = info.nextState;
  if (info.stats !== undefined) {
    const stats: JSONObject = { period: info.stats.period, elapsed: info.stats.elapsed, count: info.stats.count };
    if (info.stats.threshold > 0 || info.stats.possible) {
      stats.threshold = info.stats.threshold;
      stats.possible = info.stats.possible;
    }
    details.statistics = stats;
    details.signalling = info.signallingBlocks.map((s) => (s ? '#' : '-')).join('');
  }
  const out: JSONObject = { type: 'bip9' };
  let active = false;
  if (info.activeSince !== undefined) {
    out.height = info.activeSince;
    active = info.activeSince <= index.height + 1;
  }
  out.active = active;
  out.bip9 = details;
  return out;
}

export function deploymentInfo(chainman: ChainstateManagerApi, index: BlockIndex): JSONObject {
  const consensus = chainman.params.consensus;
  const softforks: JSONObject = {};
  for (const dep of BURIED_ORDER) {
    if (deploymentHeight(consensus, dep) !== DISABLED_HEIGHT) softforks[dep] = buried(chainman, index, dep);
  }
  for (let pos = 0; pos < MAX_VERSION_BITS_DEPLOYMENTS; pos++) {
    if (consensus.deployments[pos]!.startTime === NEVER_ACTIVE) continue;
    softforks[VERSION_BITS_DEPLOYMENT_INFO[pos]!.name] = bip9(chainman, index, pos);
  }
  return softforks;
}

export function getdeploymentinfo(ctx: NodeContext, params: JSONValue[]): JSONValue {
  const chainman = ensureChainman(ctx);
  const index = isNull(params[0]) ? activeTip(chainman) : lookupBlockOrThrow(chainman, parseHashV(params[0], 'blockhash'));
  return {
    hash: index.hashHex,
    height: index.height,
    script_flags: getScriptFlagNames(getBlockScriptFlags(index, chainman.params.consensus)),
    deployments: deploymentInfo(chainman, index),
  };
}
