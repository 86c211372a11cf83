// Entry point of smithcoin-tx: the transaction editing tool.
import { runUnavailableProgram } from './common/unavailable.js';

process.exitCode = runUnavailableProgram({
  exeName: 'smithcoin-tx',
  kind: 'smithcoin-tx utility',
  purpose: 'the transaction editing tool.',
  missing: 'the transaction editing commands have not landed yet.',
}, process.argv.slice(2));
