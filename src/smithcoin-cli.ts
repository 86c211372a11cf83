// Entry point of smithcoin-cli: the command-line RPC client.
import { runUnavailableProgram } from './common/unavailable.js';

process.exitCode = runUnavailableProgram({
  exeName: 'smithcoin-cli',
  kind: 'RPC client',
  purpose: 'the command-line RPC client.',
  missing: 'the RPC client has not landed yet.',
}, process.argv.slice(2));
