// What smithcoin-node is (Core's init/bitcoin-node.cpp): the same node as smithcoind, built to serve
// IPC, so it accepts -ipcbind. Serving IPC connections comes with the IPC issue.
import type { NodeInitInfo } from '../node/init_daemon.js';

export function makeNodeInit(): NodeInitInfo {
  return { exeName: 'smithcoin-node', canListenIpc: true };
}
