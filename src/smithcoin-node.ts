// Entry point of smithcoin-node: the Smithcoin node daemon with IPC (multiprocess) support.
import { runUnavailableProgram } from './common/unavailable.js';

process.exitCode = runUnavailableProgram({
  exeName: 'smithcoin-node',
  kind: 'daemon',
  purpose: 'the Smithcoin node daemon with IPC (multiprocess) support.',
  missing: 'the node (validation, block storage, P2P and RPC) has not landed yet.',
}, process.argv.slice(2));
