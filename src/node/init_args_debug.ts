// The daemon's debugging/testing, chain selection, relay, block creation, RPC and IPC options (the second
// half of Core's SetupServerArgs), with Core's help texts.
import { ArgsFlags, OptionsCategory, TEST_OPTIONS_DOC, type ArgsManager } from '../common/args.js';
import { DEFAULT_HTTP_SERVER_TIMEOUT, DEFAULT_HTTP_THREADS, DEFAULT_HTTP_WORKQUEUE } from '../rpc/httpserver.js';
import type { ChainDefaults } from './init_args.js';
import { DEFAULT_IPC_MAX_CONNECTIONS } from './init_ipc.js';

const CHECKLEVEL_DOC = [
  'level 0 reads the blocks from disk',
  'level 1 verifies block validity',
  'level 2 verifies undo data',
  'level 3 checks disconnection of tip blocks',
  'level 4 tries to reconnect the blocks',
  'each level includes the checks of the previous levels',
];
export const DEFAULT_REST_ENABLE = false;
/** Core turns -rpcdoccheck on by default only in debug builds. */
export const DEFAULT_RPC_DOC_CHECK = false;

export function addDebugArgs(args: ArgsManager, d: ChainDefaults): void {
  const { ALLOW_ANY, DEBUG_ONLY } = ArgsFlags;
  const add = (name: string, help: string, flags: number = ALLOW_ANY | DEBUG_ONLY) => args.addArg(name, help, flags, OptionsCategory.DEBUG_TEST);
  add('-checkblocks=<n>', 'How many blocks to check at startup (default: 6, 0 = all)');
  add('-checklevel=<n>', `How thorough the block verification of -checkblocks is: ${CHECKLEVEL_DOC.join(', ')} (0-4, default: 3)`);
  add('-checkblockindex', `Do a consistency check for the block tree, chainstate, and other validation data structures every <n> operations. Use 0 to disable. (default: ${d.consistencyChecks.main}, regtest: ${d.consistencyChecks.regtest})`);
  add('-checkaddrman=<n>', 'Run addrman consistency checks every <n> operations. Use 0 to disable. (default: 0)');
  add('-checkmempool=<n>', `Run mempool consistency checks every <n> transactions. Use 0 to disable. (default: ${d.consistencyChecks.main}, regtest: ${d.consistencyChecks.regtest})`);
  // Options Core removed but still recognises, to explain that they have no effect.
  args.addArg('-checkpoints', '', ALLOW_ANY, OptionsCategory.HIDDEN);
  add('-deprecatedrpc=<method>', 'Allows deprecated RPC method(s) to be used');
  add('-stopafterblockimport', 'Stop running after importing blocks from disk (default: 0)');
  add('-stopatheight', 'Stop running after reaching the given height in the main chain (default: 0). Blocks after target height may be processed during shutdown.');
  add('-limitancestorcount=<n>', 'Deprecated setting to not accept transactions if number of in-mempool ancestors is <n> or more (default: 25); replaced by cluster limits (see -limitclustercount) and only used by wallet for coin selection');
  args.addArg('-limitancestorsize', '', ALLOW_ANY, OptionsCategory.HIDDEN);
  args.addArg('-limitdescendantsize', '', ALLOW_ANY, OptionsCategory.HIDDEN);
  add('-limitdescendantcount=<n>', 'Deprecated setting to not accept transactions if any ancestor would have <n> or more in-mempool descendants (default: 25); replaced by cluster limits (see -limitclustercount) and only used by wallet for coin selection');
  add('-test=<option>', `Pass a test-only option. Options include : ${TEST_OPTIONS_DOC.join(', ')}.`);
  add('-limitclustercount=<n>', 'Do not accept transactions into mempool which are directly or indirectly connected to <n> or more other unconfirmed transactions (default: 64, maximum: 64)');
  add('-limitclustersize=<n>', 'Do not accept transactions whose virtual size with all in-mempool connected transactions exceeds <n> kilobytes (default: 101)');
  add('-capturemessages', 'Capture all P2P messages to disk');
  add('-mocktime=<n>', 'Replace actual time with UNIX epoch time (default: 0)');
  add('-maxsigcachesize=<n>', 'Limit sum of signature cache and script execution cache sizes to <n> MiB (default: 32)');
  add('-maxtipage=<n>', `Maximum tip age in seconds to consider node in initial block download (default: ${24 * 60 * 60})`);
  add('-printpriority', 'Log transaction fee rate in BTC/kvB when mining blocks (default: 0)');
  add('-uacomment=<cmt>', 'Append comment to the user agent string', ALLOW_ANY);
}

/** Core's SetupChainParamsBaseOptions. */
export function setupChainParamsBaseOptions(args: ArgsManager): void {
  const { ALLOW_ANY, DEBUG_ONLY, DISALLOW_NEGATION } = ArgsFlags;
  const { CHAINPARAMS, DEBUG_TEST } = OptionsCategory;
  args.addArg('-chain=<chain>', 'Use the chain <chain> (default: main). Allowed values: main, test, testnet4, signet, regtest', ALLOW_ANY, CHAINPARAMS);
  args.addArg('-regtest', 'Enter regression test mode, which uses a special chain in which blocks can be solved instantly. This is intended for regression testing tools and app development. Equivalent to -chain=regtest.', ALLOW_ANY | DEBUG_ONLY, CHAINPARAMS);
  args.addArg('-testactivationheight=name@height.', "Set the activation height of 'name' (segwit, bip34, dersig, cltv, csv). (test-only)", ALLOW_ANY | DEBUG_ONLY, DEBUG_TEST);
  args.addArg('-testnet', 'Use the testnet3 chain. Equivalent to -chain=test. Support for testnet3 is deprecated and will be removed in an upcoming release. Consider moving to testnet4 now by using -testnet4.', ALLOW_ANY, CHAINPARAMS);
  args.addArg('-testnet4', 'Use the testnet4 chain. Equivalent to -chain=testnet4.', ALLOW_ANY, CHAINPARAMS);
  args.addArg('-vbparams=deployment:start:end[:min_activation_height]', 'Use given start/end times and min_activation_height for specified version bits deployment (test-only)', ALLOW_ANY | DEBUG_ONLY, CHAINPARAMS);
  args.addArg('-signet', 'Use the signet chain. Equivalent to -chain=signet. Note that the network is defined by the -signetchallenge parameter', ALLOW_ANY, CHAINPARAMS);
  args.addArg('-signetchallenge', 'Blocks must satisfy the given script to be considered valid (only for signet networks; defaults to the global default signet test network challenge)', ALLOW_ANY | DISALLOW_NEGATION, CHAINPARAMS);
  args.addArg('-signetseednode', 'Specify a seed node for the signet network, in the hostname[:port] format, e.g. sig.net:1234 (may be used multiple times to specify multiple seed nodes; defaults to the global default signet test network seed node(s))', ALLOW_ANY | DISALLOW_NEGATION, CHAINPARAMS);
}

export function addRelayAndMiningArgs(args: ArgsManager): void {
  const { ALLOW_ANY, DEBUG_ONLY } = ArgsFlags;
  const relay = (name: string, help: string, flags: number = ALLOW_ANY) => args.addArg(name, help, flags, OptionsCategory.NODE_RELAY);
  relay('-acceptnonstdtxn', 'Relay and mine "non-standard" transactions (test networks only; default: 0)', ALLOW_ANY | DEBUG_ONLY);
  relay('-incrementalrelayfee=<amt>', 'Fee rate (in BTC/kvB) used to define cost of relay, used for mempool limiting and replacement policy. (default: 0.000001)', ALLOW_ANY | DEBUG_ONLY);
  relay('-dustrelayfee=<amt>', 'Fee rate (in BTC/kvB) used to define dust, the value of an output such that it will cost more than its value in fees at this fee rate to spend it. (default: 0.00003)', ALLOW_ANY | DEBUG_ONLY);
  args.addArg('-acceptstalefeeestimates', 'Read fee estimates even if they are stale (regtest only; default: 0) fee estimates are considered stale if they are 60 hours old', ALLOW_ANY | DEBUG_ONLY, OptionsCategory.DEBUG_TEST);
  relay('-bytespersigop', 'Equivalent bytes per sigop in transactions for relay and mining (default: 20)');
  relay('-datacarrier', 'Relay and mine data carrier transactions (default: 1)');
  relay('-datacarriersize', 'Relay and mine transactions whose data-carrying raw scriptPubKeys in aggregate are of this size or less, allowing multiple outputs (default: 100000)');
  relay('-permitbaremultisig', 'Relay transactions creating non-P2SH multisig outputs (default: 1)');
  relay('-minrelaytxfee=<amt>', 'Fees (in BTC/kvB) smaller than this are considered zero fee for relaying, mining and transaction creation (default: 0.000001)');
  relay('-privatebroadcast', 'Broadcast transactions submitted via sendrawtransaction RPC using short-lived connections through the Tor or I2P networks, without putting them in the mempool first. Transactions submitted through the wallet are not affected by this option (default: 0)');
  relay('-whitelistforcerelay', "Add 'forcerelay' permission to whitelisted peers with default permissions. This will relay transactions even if the transactions were already in the mempool. (default: 0)");
  relay('-whitelistrelay', "Add 'relay' permission to whitelisted peers with default permissions. This will accept relayed transactions even when not relaying transactions (default: 1)");
  const mining = (name: string, help: string, flags: number = ALLOW_ANY) => args.addArg(name, help, flags, OptionsCategory.BLOCK_CREATION);
  mining('-blockmaxweight=<n>', 'Set maximum BIP141 block weight (default: 4000000)', ALLOW_ANY | DEBUG_ONLY);
  mining('-blockreservedweight=<n>', 'Reserve space for the fixed-size block header plus the largest coinbase transaction the mining software may add to the block. Only affects mining RPC clients, not IPC clients. (default: 8000).');
  mining('-blockmintxfee=<amt>', 'Set lowest fee rate (in BTC/kvB) for transactions to be included in block creation. (default: 0.00000001)');
  mining('-blockversion=<n>', 'Override block version to test forking scenarios', ALLOW_ANY | DEBUG_ONLY);
}

export function addRpcArgs(args: ArgsManager, d: ChainDefaults, canListenIpc: boolean): void {
  const { ALLOW_ANY, DEBUG_ONLY, SENSITIVE, NETWORK_ONLY } = ArgsFlags;
  const add = (name: string, help: string, flags: number = ALLOW_ANY) => args.addArg(name, help, flags, OptionsCategory.RPC);
  const p = d.rpcPort;
  add('-rest', `Accept public REST requests (default: ${Number(DEFAULT_REST_ENABLE)})`);
  add('-rpcallowip=<ip>', 'Allow JSON-RPC connections from specified source. Valid values for <ip> are a single IP (e.g. 1.2.3.4), a network/netmask (e.g. 1.2.3.4/255.255.255.0), a network/CIDR (e.g. 1.2.3.4/24), all ipv4 (0.0.0.0/0), or all ipv6 (::/0). RFC4193 is allowed only if -cjdnsreachable=0. This option can be specified multiple times');
  add('-rpcauth=<userpw>', 'Username and HMAC-SHA-256 hashed password for JSON-RPC connections. The field <userpw> comes in the format: <USERNAME>:<SALT>$<HASH>. A canonical python script is included in share/rpcauth. The client then connects normally using the rpcuser=<USERNAME>/rpcpassword=<PASSWORD> pair of arguments. This option can be specified multiple times', ALLOW_ANY | SENSITIVE);
  add('-rpcbind=<addr>[:port]', 'Bind to given address to listen for JSON-RPC connections. Do not expose the RPC server to untrusted networks such as the public internet! This option is ignored unless -rpcallowip is also passed. Port is optional and overrides -rpcport. Use [host]:port notation for IPv6. This option can be specified multiple times (default: 127.0.0.1 and ::1 i.e., localhost)', ALLOW_ANY | NETWORK_ONLY);
  add('-rpcdoccheck', `Throw a non-fatal error at runtime if the documentation for an RPC is incorrect (default: ${Number(DEFAULT_RPC_DOC_CHECK)})`, ALLOW_ANY | DEBUG_ONLY);
  add('-rpccookiefile=<loc>', 'Location of the auth cookie. Relative paths will be prefixed by a net-specific datadir location. (default: data dir)');
  add('-rpccookieperms=<readable-by>', 'Set permissions on the RPC auth cookie file so that it is readable by [owner|group|all] (default: owner [via umask 0077])');
  add('-rpcpassword=<pw>', 'Password for JSON-RPC connections', ALLOW_ANY | SENSITIVE);
  add('-rpcport=<port>', `Listen for JSON-RPC connections on <port> (default: ${p.main}, testnet3: ${p.test}, testnet4: ${p.testnet4}, signet: ${p.signet}, regtest: ${p.regtest})`, ALLOW_ANY | NETWORK_ONLY);
  add('-rpcservertimeout=<n>', `Timeout during HTTP requests (default: ${DEFAULT_HTTP_SERVER_TIMEOUT})`, ALLOW_ANY | DEBUG_ONLY);
  add('-rpcthreads=<n>', `Set the number of threads to service RPC calls (default: ${DEFAULT_HTTP_THREADS})`);
  add('-rpcuser=<user>', 'Username for JSON-RPC connections', ALLOW_ANY | SENSITIVE);
  add('-rpcwhitelist=<whitelist>', 'Set a whitelist to filter incoming RPC calls for a specific user. The field <whitelist> comes in the format: <USERNAME>:<rpc 1>,<rpc 2>,...,<rpc n>. If multiple whitelists are set for a given user, they are set-intersected. See -rpcwhitelistdefault documentation for information on default whitelist behavior.');
  add('-rpcwhitelistdefault', 'Sets default behavior for rpc whitelisting. Unless rpcwhitelistdefault is set to 0, if any -rpcwhitelist is set, the rpc server acts as if all rpc users are subject to empty-unless-otherwise-specified whitelists. If rpcwhitelistdefault is set to 1 and no -rpcwhitelist is set, rpc server acts as if all rpc users are subject to empty whitelists.');
  add('-rpcworkqueue=<n>', `Set the maximum depth of the work queue to service RPC calls (default: ${DEFAULT_HTTP_WORKQUEUE})`, ALLOW_ANY | DEBUG_ONLY);
  add('-server', 'Accept command line and JSON-RPC commands');
  if (canListenIpc) {
    args.addArg('-ipcbind=<address>', 'Bind to Unix socket address and listen for incoming connections. Valid address values are "unix" to listen on the default path, <datadir>/node.sock, or "unix:/custom/path" to specify a custom path. Can be specified multiple times to listen on multiple paths. Default behavior is to listen on the default path; -noipcbind turns listening off. If relative paths are specified, they are interpreted relative to the network data directory. If paths include any parent directory components and the parent directories do not exist, they will be created. Enabling this gives local processes that can access the socket unauthenticated RPC access, so it\'s important to choose a path with secure permissions if customizing this.', ALLOW_ANY, OptionsCategory.IPC);
    args.addArg('-ipcmaxconnections=<n>', `Serve at most <n> IPC connections at once on each -ipcbind address; a connection beyond that is closed as soon as it is accepted (default: ${DEFAULT_IPC_MAX_CONNECTIONS})`, ALLOW_ANY, OptionsCategory.IPC);
  }
}
