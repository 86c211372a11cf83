// The chainstate's BlockConnector over node/connect_block.ts (ConnectBlock with scripts, caches and -assumevalid)
// and node/connect_coins.ts (DisconnectBlock).
import type { BlockValidationState } from '../consensus/validation.js';
import type { Block } from '../primitives/block.js';
import type { BlockIndex } from './chain.js';
import type { CoinsCache } from './chainstate_api.js';
import type { AssumeValidContext } from './connect_assumevalid.js';
import { type ConnectBlockContext, connectBlock } from './connect_block.js';
import { disconnectBlock } from './connect_coins.js';
import type { BlockUndo } from './undo.js';
import type { BlockConnector, ChainstateManager, DisconnectResult } from './validation.js';

/** What ConnectBlock gets from init: the script pool, the caches, the signet check; -assumevalid's hash. */
export type ConnectorOptions = Omit<ConnectBlockContext, 'justCheck' | 'assumeValid' | 'log'> & { assumeValidHash?: Uint8Array };

export class ChainstateBlockConnector implements BlockConnector {
  /** Set once the chainstate exists: -assumevalid looks at its block index and best header. */
  chainman: ChainstateManager | undefined;

  constructor(private readonly opts: ConnectorOptions) {}

  private assumeValid(): AssumeValidContext | undefined {
    const cm = this.chainman;
    if (!cm || !this.opts.assumeValidHash) return undefined;
    return {
      hash: this.opts.assumeValidHash, lookup: (hex) => cm.lookupBlockIndex(hex), bestHeader: cm.bestHeader(), minimumChainWork: cm.minimumChainWork,
    };
  }

  async connectBlock(block: Block, index: BlockIndex, view: CoinsCache, state: BlockValidationState, justCheck: boolean): Promise<BlockUndo | undefined> {
    const cm = this.chainman;
    const log = cm ? { info: (m: string) => cm.log(m), error: (m: string) => cm.logger.error(m) } : undefined;
    const r = await connectBlock(block, index, view, { ...this.opts, justCheck, assumeValid: this.assumeValid(), log });
    if (r.ok) return r.undo;
    if (r.state.isError()) state.error(r.state.getRejectReason());
    else state.invalid(r.state.getResult(), r.state.getRejectReason(), r.state.getDebugMessage());
    return undefined;
  }

  disconnectBlock(block: Block, index: BlockIndex, undo: BlockUndo, view: CoinsCache): DisconnectResult {
    const cm = this.chainman;
    return disconnectBlock(block, index, view, undo, { logError: cm ? (m) => cm.logger.error(m) : undefined });
  }
}
