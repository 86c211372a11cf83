// Entry point of smithcoin-cli: the command-line RPC client (see cli/main.ts).
import { main } from './cli/main.js';
import { setupEnvironment } from './common/system.js';

setupEnvironment();
process.exitCode = await main(process.argv.slice(2));
