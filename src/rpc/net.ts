// Network RPCs that make sense before P2P exists (Core's rpc/net.cpp): getnetworkinfo. Its fields come from the
// options as Core's init sets them (services, relay, fees); with no peer yet, every count is 0.
import { BUILD_INFO } from '../clientversion.js';
import type { ArgsManager } from '../common/args.js';
import { valueFromAmount } from '../core_io.js';
import type { NodeContext } from '../node/context.js';
import { localServices, serviceFlagNames, serviceFlagsHex } from '../node/local_services.js';
import { DEFAULT_INCREMENTAL_RELAY_FEE, DEFAULT_MIN_RELAY_TX_FEE } from '../node/mempool_args.js';
import type { JSONObject, JSONValue } from './request.js';
import type { RPCTable } from './server.js';
import { RPCHelpMan, registerCommands } from './util.js';
import { helpExampleCli, helpExampleRpc } from './util_examples.js';

/** Core's PROTOCOL_VERSION. */
export const PROTOCOL_VERSION = 70017;

/** Core's network names, in enum order (NET_UNROUTABLE and NET_INTERNAL are not listed). */
const NETWORKS = ['ipv4', 'ipv6', 'onion', 'i2p', 'cjdns'] as const;

/** Core's CLIENT_VERSION: major * 10000 + minor * 100 + build. */
export function clientVersionNumber(version: string = BUILD_INFO.version): number {
  const [major = 0, minor = 0, build = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return major * 10000 + minor * 100 + build;
}

/**
 * Which networks are reachable and their proxies, as Core's init sets them: -onlynet restricts, onion needs
 * -onion or -proxy, i2p needs -i2psam, cjdns needs -cjdnsreachable.
 */
export function networksInfo(args: ArgsManager): JSONValue[] {
  const onlynet = args.getArgs('-onlynet');
  const proxy = args.getArg('-proxy', '');
  const onion = args.getArg('-onion', '') || proxy;
  const reachable = (n: string): boolean => {
    if (onlynet.length > 0 && !onlynet.includes(n)) return false;
    if (n === 'onion') return onion !== '' && onion !== '0';
    if (n === 'i2p') return args.getArg('-i2psam', '') !== '';
    if (n === 'cjdns') return args.getBoolArg('-cjdnsreachable', false);
    return true;
  };
  const proxyFor = (n: string): string => (n === 'onion' ? onion : n === 'ipv4' || n === 'ipv6' ? proxy : '');
  return NETWORKS.map((name): JSONObject => {
    const p = proxyFor(name);
    const usable = p !== '' && p !== '0';
    return {
      name, limited: !reachable(name), reachable: reachable(name),
      proxy: usable ? p : '', proxy_randomize_credentials: usable && args.getBoolArg('-proxyrandomize', true),
    };
  });
}

/** The services and connection fields of getnetworkinfo, in Core's order. */
function localInfo(args: ArgsManager): JSONObject {
  const services = localServices(args);
  return {
    localservices: serviceFlagsHex(services),
    localservicesnames: serviceFlagNames(services),
    localrelay: !args.getBoolArg('-blocksonly', false),
    timeoffset: 0,
    networkactive: args.getBoolArg('-networkactive', true),
    connections: 0,
    connections_in: 0,
    connections_out: 0,
  };
}

function relayFeeInfo(ctx: NodeContext): JSONObject {
  const fees = ctx.relayFees ?? { minRelayFeePerK: DEFAULT_MIN_RELAY_TX_FEE, incrementalRelayFeePerK: DEFAULT_INCREMENTAL_RELAY_FEE };
  return { relayfee: valueFromAmount(fees.minRelayFeePerK), incrementalfee: valueFromAmount(fees.incrementalRelayFeePerK) };
}

function getnetworkinfo(): RPCHelpMan {
  return new RPCHelpMan({
    name: 'getnetworkinfo',
    description: 'Returns an object containing various state info regarding P2P networking.\n',
    args: [],
    results: {
      type: 'OBJ', description: '', inner: [
        { type: 'NUM', key: 'version', description: 'the server version' },
        { type: 'STR', key: 'subversion', description: 'the server subversion string' },
        { type: 'NUM', key: 'protocolversion', description: 'the protocol version' },
        { type: 'STR_HEX', key: 'localservices', description: 'the services we offer to the network' },
        { type: 'ARR', key: 'localservicesnames', description: 'the services we offer to the network, in human-readable form', inner: [
          { type: 'STR', key: 'SERVICE_NAME', description: 'the service name' },
        ] },
        { type: 'BOOL', key: 'localrelay', description: 'true if transaction relay is requested from peers' },
        { type: 'NUM', key: 'timeoffset', description: 'the time offset' },
        { type: 'NUM', key: 'connections', description: 'the total number of connections' },
        { type: 'NUM', key: 'connections_in', description: 'the number of inbound connections' },
        { type: 'NUM', key: 'connections_out', description: 'the number of outbound connections' },
        { type: 'BOOL', key: 'networkactive', description: 'whether p2p networking is enabled' },
        { type: 'ARR', key: 'networks', description: 'information per network', inner: [
          { type: 'OBJ', description: '', inner: [
            { type: 'STR', key: 'name', description: `network (${NETWORKS.join(', ')})` },
            { type: 'BOOL', key: 'limited', description: 'is the network limited using -onlynet?' },
            { type: 'BOOL', key: 'reachable', description: 'is the network reachable?' },
            { type: 'STR', key: 'proxy', description: '("host:port") the proxy that is used for this network, or empty if none' },
            { type: 'BOOL', key: 'proxy_randomize_credentials', description: 'Whether randomized credentials are used' },
          ] },
        ] },
        { type: 'NUM', key: 'relayfee', description: 'minimum relay fee rate for transactions in BTC/kvB' },
        { type: 'NUM', key: 'incrementalfee', description: 'minimum fee rate increment for mempool limiting or replacement in BTC/kvB' },
        { type: 'ARR', key: 'localaddresses', description: 'list of local addresses', inner: [
          { type: 'OBJ', description: '', inner: [
            { type: 'STR', key: 'address', description: 'network address' },
            { type: 'NUM', key: 'port', description: 'network port' },
            { type: 'NUM', key: 'score', description: 'relative score' },
          ] },
        ] },
        { type: 'ARR', key: 'warnings', description: 'any network and blockchain warnings (run with `-deprecatedrpc=warnings` to return the latest warning as a single string)', inner: [
          { type: 'STR', description: 'warning' },
        ] },
      ],
    },
    examples: helpExampleCli('getnetworkinfo', '') + helpExampleRpc('getnetworkinfo', ''),
    handler: (_req, ctx) => ({
      version: clientVersionNumber(),
      subversion: ctx.subversion ?? '',
      protocolversion: PROTOCOL_VERSION,
      ...localInfo(ctx.args),
      networks: networksInfo(ctx.args),
      ...relayFeeInfo(ctx),
      localaddresses: [],
      warnings: [],
    }),
  });
}

export function registerNetRPCCommands(table: RPCTable, ctx: NodeContext): void {
  registerCommands(table, ctx, 'network', [getnetworkinfo()]);
}
