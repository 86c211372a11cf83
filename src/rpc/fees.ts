// Fee estimation RPC (Core's rpc/fees.cpp): estimatesmartfee with Core's argument checks and modes. The
// node has no mempool yet, so its estimator never observes a block: every answer is "no estimate".
import type { NodeContext } from '../node/context.js';
import { RPCError, RPCErrorCode } from './protocol.js';
import type { JSONObject } from './request.js';
import type { RPCTable } from './server.js';
import { helpExampleCli, helpExampleRpc, Optional, parseConfirmTarget, registerCommands, RPCHelpMan } from './util.js';

const CURRENCY_UNIT = 'BTC';

/** Core's fee estimator horizons: the long one tracks 42 periods of 24 blocks. */
const LONG_BLOCK_PERIODS = 42;
const LONG_SCALE = 24;
export const MAX_CONFIRM_TARGET = LONG_BLOCK_PERIODS * LONG_SCALE;

type FeeEstimateMode = 'unset' | 'economical' | 'conservative';
const FEE_MODES: readonly FeeEstimateMode[] = ['unset', 'economical', 'conservative'];

function feeModeInfo(mode: FeeEstimateMode, defaultInfo: string): string {
  switch (mode) {
    case 'unset':
      return `${mode} means no mode set (${defaultInfo}). \n`;
    case 'economical':
      return `${mode} estimates use a shorter time horizon, making them more\n` +
        'responsive to short-term drops in the prevailing fee market. This mode\n' +
        'potentially returns a lower fee rate estimate.\n';
    case 'conservative':
      return `${mode} estimates use a longer time horizon, making them\n` +
        'less responsive to short-term drops in the prevailing fee market. This mode\n' +
        'potentially returns a higher fee rate estimate.\n';
  }
}

/** Core's FeeModesDetail. */
export function feeModesDetail(defaultInfo: string): string {
  return `${FEE_MODES.join(', ')} \n${FEE_MODES.map((m) => feeModeInfo(m, defaultInfo)).join('')}`;
}

export function invalidEstimateModeErrorMessage(): string {
  return `Invalid estimate_mode parameter, must be one of: "${FEE_MODES.join('", "')}"`;
}

/** Core's FeeModeFromString: case-insensitive (ASCII). */
export function feeModeFromString(s: string): FeeEstimateMode | undefined {
  const key = s.replace(/[a-z]/g, (c) => c.toUpperCase());
  return FEE_MODES.find((m) => m.toUpperCase() === key);
}

/**
 * CBlockPolicyEstimator::estimateSmartFee's target handling when no block has been observed: the
 * usable horizon is 0 blocks, so the target clamps to 0 and there is no fee rate.
 */
function returnedTargetWithoutHistory(confTarget: number): number {
  const maxUsable = 0;
  return Math.min(confTarget === 1 ? 2 : confTarget, maxUsable);
}

function estimatesmartfee(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'estimatesmartfee',
    description: 'Estimates the approximate fee per kilobyte needed for a transaction to begin\n' +
      'confirmation within conf_target blocks if possible and return the number of blocks\n' +
      'for which the estimate is valid. Uses virtual transaction size as defined\n' +
      'in BIP 141 (witness data is discounted).\n',
    args: [
      { names: 'conf_target', type: 'NUM', fallback: Optional.NO, description: 'Confirmation target in blocks (1 - 1008)' },
      { names: 'estimate_mode', type: 'STR', fallback: { default: 'economical' },
        description: `The fee estimate mode.\n${feeModesDetail('default mode will be used')}` },
    ],
    results: { type: 'OBJ', description: '', inner: [
      { type: 'NUM', key: 'feerate', optional: true, description: `estimate fee rate in ${CURRENCY_UNIT}/kvB (only present if no errors were encountered)` },
      { type: 'ARR', key: 'errors', optional: true, description: 'Errors encountered during processing (if there are any)',
        inner: [{ type: 'STR', description: 'error' }] },
      { type: 'NUM', key: 'blocks', description: 'block number where estimate was found\n' +
        'The request target will be clamped between 2 and the highest target\n' +
        'fee estimation is able to return based on how long it has been running.\n' +
        'An error is returned if not enough transactions and blocks\n' +
        'have been observed to make an estimate for any number of blocks.' },
    ] },
    examples: helpExampleCli('estimatesmartfee', '6') + helpExampleRpc('estimatesmartfee', '6'),
    handler: (req, _ctx, args) => {
      const confTarget = parseConfirmTarget(req.params[0], MAX_CONFIRM_TARGET);
      if (feeModeFromString(args.str('estimate_mode')) === undefined) {
        throw new RPCError(RPCErrorCode.RPC_INVALID_PARAMETER, invalidEstimateModeErrorMessage());
      }
      const result: JSONObject = { errors: ['Insufficient data or no feerate found'] };
      result.blocks = returnedTargetWithoutHistory(confTarget);
      return result;
    },
  });
}

export function registerFeeRPCCommands(table: RPCTable, ctx: NodeContext): void {
  registerCommands(table, ctx, 'util', [estimatesmartfee()]);
}
