// The daemon's options (Core's SetupServerArgs), registered with Core's help texts, flags and categories.
// Options of subsystems that do not exist yet are accepted all the same, as Core accepts them, so that a
// smithcoin.conf written for Core starts this node. This file has the general and connection options;
// init_args_debug.ts the debugging, relay, mining and RPC ones.
import { ArgsFlags, OptionsCategory, setupHelpOptions, type ArgsManager } from '../common/args.js';
import { CONF_FILENAME, SETTINGS_FILENAME } from '../common/args.js';
import { baseChainParams, createChainParams, type ChainType } from '../kernel/chainparams.js';
import { addLoggingArgs } from '../util/logging_args.js';
import type { Logger } from '../util/logging.js';
import { defaultDbCache, MIN_DB_CACHE } from './validation_args.js';
import { addDebugArgs, addRpcArgs, addRelayAndMiningArgs, setupChainParamsBaseOptions } from './init_args_debug.js';

export const PID_FILENAME = 'smithcoind.pid';
export const DEFAULT_DAEMON = false;
export const DEFAULT_DAEMONWAIT = false;
const MiB = 1024 * 1024;
export const MAX_ADDNODE_CONNECTIONS = 8;
export const DEFAULT_MAX_PEER_CONNECTIONS = 125;
const MAX_PRIVATE_BROADCAST_CONNECTIONS = 64;
export const DEFAULT_LISTEN = true;

/** A consensus hash as Core's uint256::GetHex prints it. */
function displayHex(hash: Uint8Array): string {
  return Buffer.from(hash).reverse().toString('hex');
}

function chainWorkHex(work: bigint): string {
  return work.toString(16).padStart(64, '0');
}

/** The per-chain defaults quoted in the help texts. */
export interface ChainDefaults {
  assumeValid: Record<ChainType, string>;
  minimumChainWork: Record<ChainType, string>;
  port: Record<ChainType, number>;
  rpcPort: Record<ChainType, number>;
  consistencyChecks: Record<ChainType, number>;
}

function chainDefaults(): ChainDefaults {
  const chains: ChainType[] = ['main', 'test', 'testnet4', 'signet', 'regtest'];
  const params = Object.fromEntries(chains.map((c) => [c, createChainParams(c)])) as Record<ChainType, ReturnType<typeof createChainParams>>;
  const map = <T>(fn: (c: ChainType) => T) => Object.fromEntries(chains.map((c) => [c, fn(c)])) as Record<ChainType, T>;
  return {
    assumeValid: map((c) => displayHex(params[c].consensus.defaultAssumeValid)),
    minimumChainWork: map((c) => chainWorkHex(params[c].consensus.minimumChainWork)),
    port: map((c) => params[c].defaultPort),
    rpcPort: map((c) => baseChainParams(c).rpcPort),
    consistencyChecks: map((c) => (params[c].defaultConsistencyChecks ? 1 : 0)),
  };
}

/** What differs between the executables that share these options (Core's can_listen_ipc). */
export interface ServerArgsOptions {
  canListenIpc: boolean;
}

/** Registers every option smithcoind accepts (Core's SetupServerArgs). */
export function setupServerArgs(args: ArgsManager, logger: Logger, options: ServerArgsOptions): void {
  setupHelpOptions(args);
  args.addArg('-help-debug', 'Print help message with debugging options and exit', ArgsFlags.ALLOW_ANY, OptionsCategory.DEBUG_TEST);
  addLoggingArgs(args, logger);
  const d = chainDefaults();
  addGeneralArgs(args, d);
  addConnectionArgs(args, d);
  addWalletHiddenArgs(args);
  addDebugArgs(args, d);
  setupChainParamsBaseOptions(args);
  addRelayAndMiningArgs(args);
  addRpcArgs(args, d, options.canListenIpc);
  args.addArg('-daemon', `Run in the background as a daemon and accept commands (default: ${Number(DEFAULT_DAEMON)})`, ArgsFlags.ALLOW_ANY, OptionsCategory.OPTIONS);
  args.addArg('-daemonwait', `Wait for initialization to be finished before exiting. This implies -daemon (default: ${Number(DEFAULT_DAEMONWAIT)})`, ArgsFlags.ALLOW_ANY, OptionsCategory.OPTIONS);
  args.addHiddenArgs(['-dbcrashratio', '-forcecompactdb', '-choosedatadir', '-lang=<lang>', '-min', '-resetguisettings', '-splash', '-uiplatform']);
}

function addGeneralArgs(args: ArgsManager, d: ChainDefaults): void {
  const { ALLOW_ANY, DEBUG_ONLY, DISALLOW_NEGATION } = ArgsFlags;
  const add = (name: string, help: string, flags: number = ALLOW_ANY) => args.addArg(name, help, flags, OptionsCategory.OPTIONS);
  add('-version', 'Print version and exit');
  add('-alertnotify=<cmd>', 'Execute command when an alert is raised (%s in cmd is replaced by message)');
  add('-assumevalid=<hex>', `If this block is in the chain assume that it and its ancestors are valid and potentially skip their script verification (0 to verify all, default: ${d.assumeValid.main}, testnet3: ${d.assumeValid.test}, testnet4: ${d.assumeValid.testnet4}, signet: ${d.assumeValid.signet})`);
  add('-blocksdir=<dir>', 'Specify directory to hold blocks subdirectory for *.dat files (default: <datadir>)');
  add('-blocksxor', 'Whether an XOR-key applies to blocksdir *.dat files. The created XOR-key will be zeros for an existing blocksdir or when `-blocksxor=0` is set, and random for a freshly initialized blocksdir. (default: 1)');
  args.addArg('-fastprune', 'Use smaller block files and lower minimum prune height for testing purposes', ALLOW_ANY | DEBUG_ONLY, OptionsCategory.DEBUG_TEST);
  add('-blocknotify=<cmd>', 'Execute command when the best block changes (%s in cmd is replaced by block hash)');
  add('-blockreconstructionextratxn=<n>', 'Extra transactions to keep in memory for compact block reconstructions (default: 100)');
  add('-blocksonly', "Whether to reject transactions from network peers. Disables automatic broadcast and rebroadcast of transactions, unless the source peer has the 'forcerelay' permission. RPC transactions are not affected. (default: 0)");
  add('-coinstatsindex', 'Maintain coinstats index used by the gettxoutsetinfo RPC (default: 0)');
  add('-conf=<file>', `Specify path to read-only configuration file. Relative paths will be prefixed by datadir location (only useable from command line, not configuration file) (default: ${CONF_FILENAME})`);
  add('-datadir=<dir>', 'Specify data directory', ALLOW_ANY | DISALLOW_NEGATION);
  add('-dbbatchsize', `Maximum database write batch size in bytes (default: ${32 * MiB})`, ALLOW_ANY | DEBUG_ONLY);
  add('-dbcache=<n>', `Maximum database cache size <n> MiB (minimum ${MIN_DB_CACHE / MiB}, default: ${defaultDbCache() / MiB}). Make sure you have enough RAM. In addition, unused memory allocated to the mempool is shared with this cache (see -maxmempool).`);
  add('-includeconf=<file>', 'Specify additional configuration file, relative to the -datadir path (only useable from configuration file, not command line)');
  add('-allowignoredconf', `For backwards compatibility, treat an unused ${CONF_FILENAME} file in the datadir as a warning, not an error.`);
  add('-loadblock=<file>', 'Imports blocks from an external file on startup. Obfuscated blocks are not supported.');
  add('-maxmempool=<n>', 'Keep the transaction memory pool below <n> megabytes (default: 300)');
  add('-mempoolexpiry=<n>', 'Do not keep transactions in the mempool longer than <n> hours (default: 336)');
  add('-minimumchainwork=<hex>', `Minimum work assumed to exist on a valid chain in hex (default: ${d.minimumChainWork.main}, testnet3: ${d.minimumChainWork.test}, testnet4: ${d.minimumChainWork.testnet4}, signet: ${d.minimumChainWork.signet})`, ALLOW_ANY | DEBUG_ONLY);
  add('-par=<n>', 'Set the number of script verification threads (0 = auto, up to 15, <0 = leave that many cores free, default: 0)');
  add('-prevoutfetchthreads=<n>', 'Set the number of threads used to prefetch block input prevouts from the chainstate database (0 disables, up to 16, default: 8). Negative values are rejected.');
  add('-persistmempool', 'Whether to save the mempool on shutdown and load on restart (default: 1)');
  add('-persistmempoolv1', 'Whether a mempool.dat file created by -persistmempool or the savemempool RPC will be written in the legacy format (version 1) or the current format (version 2). This temporary option will be removed in the future. (default: 0)');
  add('-pid=<file>', `Specify pid file. Relative paths will be prefixed by a net-specific datadir location. (default: ${PID_FILENAME})`);
  add('-prune=<n>', 'Reduce storage requirements by enabling pruning (deleting) of old blocks. This allows the pruneblockchain RPC to be called to delete specific blocks and enables automatic pruning of old blocks if a target size in MiB is provided. This mode is incompatible with -txindex. Warning: Reverting this setting requires re-downloading the entire blockchain. (default: 0 = disable pruning blocks, 1 = allow manual pruning via RPC, >=550 = automatically prune block files to stay under the specified target size in MiB)');
  add('-reindex', 'If enabled, wipe chain state and block index, and rebuild them from blk*.dat files on disk. Also wipe and rebuild other optional indexes that are active. If an assumeutxo snapshot was loaded, its chainstate will be wiped as well. The snapshot can then be reloaded via RPC.');
  add('-reindex-chainstate', 'If enabled, wipe chain state, and rebuild it from blk*.dat files on disk. If an assumeutxo snapshot was loaded, its chainstate will be wiped as well. The snapshot can then be reloaded via RPC.');
  add('-settings=<file>', `Specify path to dynamic settings data file. Can be disabled with -nosettings. File is written at runtime and not meant to be edited by users (use ${CONF_FILENAME} instead for custom settings). Relative paths will be prefixed by datadir location. (default: ${SETTINGS_FILENAME})`);
  add('-startupnotify=<cmd>', 'Execute command on startup.');
  add('-shutdownnotify=<cmd>', "Execute command immediately before beginning shutdown. The need for shutdown may be urgent, so be careful not to delay it long (if the command doesn't require interaction with the server, consider having it fork into the background).");
  add('-txindex', 'Maintain a full transaction index, used by the getrawtransaction rpc call (default: 0)');
  add('-txospenderindex', 'Maintain a transaction output spender index, used by the gettxspendingprevout rpc call (default: 0)');
  add('-blockfilterindex=<type>', 'Maintain an index of compact filters by block (default: 0, values: basic). If <type> is not supplied or if <type> = 1, indexes for all known types are enabled.');
}

const NET_PERMISSIONS_DOC = [
  'bloomfilter (allow requesting BIP37 filtered blocks and transactions)',
  'noban (do not ban for misbehavior; implies download)',
  'forcerelay (relay transactions that are already in the mempool; implies relay)',
  'relay (relay even in -blocksonly mode, and unlimited transaction announcements)',
  'mempool (allow requesting BIP35 mempool contents)',
  'download (allow getheaders during IBD, no disconnect after maxuploadtarget limit)',
  'addr (responses to GETADDR avoid hitting the cache and contain random records with the most up-to-date info)',
];

function addConnectionArgs(args: ArgsManager, d: ChainDefaults): void {
  const { ALLOW_ANY, DEBUG_ONLY, NETWORK_ONLY, SENSITIVE, DISALLOW_ELISION } = ArgsFlags;
  const add = (name: string, help: string, flags: number = ALLOW_ANY) => args.addArg(name, help, flags, OptionsCategory.CONNECTION);
  const onion = (c: ChainType) => `127.0.0.1:${d.port[c] + 1}=onion`;
  const ports = (v: Record<ChainType, number>) => `default: ${v.main}, testnet3: ${v.test}, testnet4: ${v.testnet4}, signet: ${v.signet}, regtest: ${v.regtest}`;
  add('-addnode=<ip>', `Add a node to connect to and attempt to keep the connection open (see the addnode RPC help for more info). This option can be specified multiple times to add multiple nodes; connections are limited to ${MAX_ADDNODE_CONNECTIONS} at a time and are counted separately from the -maxconnections limit.`, ALLOW_ANY | NETWORK_ONLY);
  add('-asmap=<file>', 'Specify asn mapping used for bucketing of the peers. Relative paths will be prefixed by the net-specific datadir location.');
  add('-bantime=<n>', `Default duration (in seconds) of manually configured bans (default: ${60 * 60 * 24})`);
  add('-bind=<addr>[:<port>][=onion]', `Bind to given address and always listen on it (default: 0.0.0.0). Use [host]:port notation for IPv6. Append =onion to tag any incoming connections to that address and port as incoming Tor connections (default: ${onion('main')}, testnet3: ${onion('test')}, testnet4: ${onion('testnet4')}, signet: ${onion('signet')}, regtest: ${onion('regtest')})`, ALLOW_ANY | NETWORK_ONLY);
  add('-cjdnsreachable', 'If set, then this host is configured for CJDNS (connecting to fc00::/8 addresses would lead us to the CJDNS network, see doc/cjdns.md) (default: 0)');
  add('-connect=<ip>', 'Connect only to the specified node; -noconnect disables automatic connections (the rules for this peer are the same as for -addnode). This option can be specified multiple times to connect to multiple nodes.', ALLOW_ANY | NETWORK_ONLY);
  add('-discover', 'Discover own IP addresses (default: 1 when listening and no -externalip or -proxy)');
  add('-dns', 'Allow DNS lookups for -addnode, -seednode and -connect (default: 1)');
  add('-dnsseed', 'Query for peer addresses via DNS lookup, if low on addresses (default: 1 unless -connect used or -maxconnections=0)');
  add('-externalip=<ip>', 'Specify your own public address');
  add('-fixedseeds', "Allow fixed seeds if DNS seeds don't provide peers (default: 1)");
  add('-forcednsseed', 'Always query for peer addresses via DNS lookup (default: 0)');
  add('-listen', `Accept connections from outside (default: ${Number(DEFAULT_LISTEN)} if no -proxy, -connect or -maxconnections=0)`);
  add('-listenonion', 'Automatically create Tor onion service (default: 1)');
  add('-maxconnections=<n>', `Maintain at most <n> automatic connections to peers (default: ${DEFAULT_MAX_PEER_CONNECTIONS}). This limit does not apply to connections manually added via -addnode or the addnode RPC, which have a separate limit of ${MAX_ADDNODE_CONNECTIONS}. It does not apply to short-lived private broadcast connections either, which have a separate limit of ${MAX_PRIVATE_BROADCAST_CONNECTIONS}.`);
  add('-maxreceivebuffer=<n>', 'Maximum per-connection receive buffer, <n>*1000 bytes (default: 5000)');
  add('-maxsendbuffer=<n>', 'Maximum per-connection memory usage for the send buffer, <n>*1000 bytes (default: 1000)');
  add('-maxuploadtarget=<n>', "Tries to keep outbound traffic under the given target per 24h. Limit does not apply to peers with 'download' permission or blocks created within past week. 0 = no limit (default: 0M). Optional suffix units [k|K|m|M|g|G|t|T] (default: M). Lowercase is 1000 base while uppercase is 1024 base");
  add('-onion=<ip:port|path>', "Use separate SOCKS5 proxy to reach peers via Tor onion services, set -noonion to disable (default: -proxy). May be a local file path prefixed with 'unix:'.");
  add('-i2psam=<ip:port>', 'I2P SAM proxy to reach I2P peers and accept I2P connections');
  add('-i2pacceptincoming', 'Whether to accept inbound I2P connections (default: 1). Ignored if -i2psam is not set. Listening for inbound I2P connections is done through the SAM proxy, not by binding to a local address and port.');
  add('-onlynet=<net>', 'Make automatic outbound connections only to network <net> (ipv4, ipv6, onion, i2p, cjdns). Inbound and manual connections are not affected by this option. It can be specified multiple times to allow multiple networks.');
  add('-v2transport', 'Support v2 transport (default: 1)');
  add('-peerbloomfilters', 'Support filtering of blocks and transaction with bloom filters (default: 0)');
  add('-peerblockfilters', 'Serve compact block filters to peers per BIP 157 (default: 0)');
  add('-txreconciliation', 'Enable transaction reconciliations per BIP 330 (default: 0)', ALLOW_ANY | DEBUG_ONLY);
  add('-port=<port>', `Listen for connections on <port> (${ports(d.port)}). Not relevant for I2P (see doc/i2p.md). If set to a value x, the default onion listening port will be set to x+1.`, ALLOW_ANY | NETWORK_ONLY);
  add('-proxy=<ip>[:<port>]|unix:<path>[=<network>]', "Connect through SOCKS5 proxy, set -noproxy to disable. May be a local file path prefixed with 'unix:' if the proxy supports it. Could end in =network to set the proxy only for that network. The network can be any of ipv4, ipv6, tor or cjdns. (default: disabled)", ALLOW_ANY | DISALLOW_ELISION);
  add('-proxyrandomize', 'Randomize credentials for every proxy connection. This enables Tor stream isolation (default: 1)');
  add('-seednode=<ip>', 'Connect to a node to retrieve peer addresses, and disconnect. This option can be specified multiple times to connect to multiple nodes. During startup, seednodes will be tried before dnsseeds.');
  add('-networkactive', 'Enable all P2P network activity (default: 1). Can be changed by the setnetworkactive RPC command');
  add('-timeout=<n>', 'Specify socket connection timeout in milliseconds. If an initial attempt to connect is unsuccessful after this amount of time, drop it (minimum: 1, default: 5000)');
  add('-peertimeout=<n>', 'Specify a p2p connection timeout delay in seconds. After connecting to a peer, wait this amount of time before considering disconnection based on inactivity (minimum: 1, default: 60)', ALLOW_ANY | DEBUG_ONLY);
  add('-torcontrol=<ip>:<port>', 'Tor control host and port to use if onion listening enabled (default: 127.0.0.1:9051). If no port is specified, the default port of 9051 will be used.');
  add('-torpassword=<pass>', 'Tor control port password (default: empty)', ALLOW_ANY | SENSITIVE);
  add('-natpmp', 'Use PCP or NAT-PMP to map the listening port (default: 1)');
  add('-whitebind=<[permissions@]addr>', `Bind to the given address and add permission flags to the peers connecting to it. Use [host]:port notation for IPv6. Allowed permissions: ${NET_PERMISSIONS_DOC.join(', ')}. Specify multiple permissions separated by commas (default: download,noban,mempool,relay). Can be specified multiple times.`);
  add('-whitelist=<[permissions@]IP address or network>', 'Add permission flags to the peers using the given IP address (e.g. 1.2.3.4) or CIDR-notated network (e.g. 1.2.3.0/24). Uses the same permissions as -whitebind. Additional flags "in" and "out" control whether permissions apply to incoming connections and/or manual (default: incoming only). Can be specified multiple times.');
}

/** Without a wallet, Core's DummyWalletInit accepts the wallet options and ignores them. */
function addWalletHiddenArgs(args: ArgsManager): void {
  args.addHiddenArgs([
    '-addresstype', '-avoidpartialspends', '-changetype', '-consolidatefeerate=<amt>', '-disablewallet', '-discardfee=<amt>',
    '-fallbackfee=<amt>', '-keypool=<n>', '-maxapsfee=<n>', '-maxtxfee=<amt>', '-mintxfee=<amt>', '-signer=<cmd>',
    '-spendzeroconfchange', '-txconfirmtarget=<n>', '-wallet=<path>', '-walletbroadcast', '-walletdir=<dir>',
    '-walletnotify=<cmd>', '-walletrbf', '-walletrejectlongchains', '-walletcrosschain', '-unsafesqlitesync',
  ]);
}
