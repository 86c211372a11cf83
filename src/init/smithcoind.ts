// What smithcoind is (Core's init/bitcoind.cpp): the monolithic node. It cannot serve IPC, so -ipcbind
// is an unknown option here.
import type { NodeInitInfo } from '../node/init_daemon.js';

export function makeNodeInit(): NodeInitInfo {
  return { exeName: 'smithcoind', canListenIpc: false };
}
