// Entry point of smithcoin-gui: the Smithcoin GUI with IPC (multiprocess) support.
import { runUnavailableProgram } from './common/unavailable.js';

process.exitCode = runUnavailableProgram({
  exeName: 'smithcoin-gui',
  kind: 'GUI',
  purpose: 'the Smithcoin GUI with IPC (multiprocess) support.',
  missing: 'the GUI has not landed yet.',
}, process.argv.slice(2));
