// Entry point of smithcoin-wallet: the offline wallet tool.
import { runUnavailableProgram } from './common/unavailable.js';

process.exitCode = runUnavailableProgram({
  exeName: 'smithcoin-wallet',
  kind: 'wallet',
  purpose: 'the offline wallet tool.',
  missing: 'the wallet has not landed yet.',
}, process.argv.slice(2));
