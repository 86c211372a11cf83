// Entry point of smithcoind: the Smithcoin node daemon.
import { runUnavailableProgram } from './common/unavailable.js';

process.exitCode = runUnavailableProgram({
  exeName: 'smithcoind',
  kind: 'daemon',
  purpose: 'the Smithcoin node daemon.',
  missing: 'the node (validation, block storage, P2P and RPC) has not landed yet.',
}, process.argv.slice(2));
