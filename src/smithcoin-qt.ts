// Entry point of smithcoin-qt: the Smithcoin GUI.
import { runUnavailableProgram } from './common/unavailable.js';

process.exitCode = runUnavailableProgram({
  exeName: 'smithcoin-qt',
  kind: 'GUI',
  purpose: 'the Smithcoin GUI.',
  missing: 'the GUI has not landed yet.',
}, process.argv.slice(2));
