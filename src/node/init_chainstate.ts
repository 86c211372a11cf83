// Init's seam for the chainstate (Core's AppInitMain step 7, "load block chain"): the one place init
// awaits the block index and coins database. The RPC server is already up in warm-up while this runs.
import fs from 'node:fs';
import path from 'node:path';
import type { NodeContext } from './context.js';

export interface LoadChainstateHooks {
  /** Core's uiInterface.InitMessage: shown to RPC clients as the warm-up status. */
  initMessage(message: string): void;
}

/**
 * Loads the chainstate into ctx.chainman. Until the ChainstateManager lands this only lays out the
 * directories it will use (blocks/index and chainstate; init already created the blocks directory),
 * so the datadir has Core's shape; no chain is loaded and ctx.chainman stays unset.
 */
export async function loadChainstate(ctx: NodeContext, hooks: LoadChainstateHooks): Promise<void> {
  hooks.initMessage('Loading block index…');
  const netDir = ctx.args.getDataDirNet();
  // The block index lives in the data directory even when -blocksdir moves the block files.
  fs.mkdirSync(path.join(netDir, 'blocks', 'index'), { recursive: true });
  fs.mkdirSync(path.join(netDir, 'chainstate'), { recursive: true });
}
