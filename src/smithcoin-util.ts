// Entry point of smithcoin-util: the utility tool.
import { runUnavailableProgram } from './common/unavailable.js';

process.exitCode = runUnavailableProgram({
  exeName: 'smithcoin-util',
  kind: 'smithcoin-util utility',
  purpose: 'the utility tool.',
  missing: 'the utility commands have not landed yet.',
}, process.argv.slice(2));
