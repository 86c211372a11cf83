// -rpcallowip subnets and -rpcbind endpoints: which peers may talk to the RPC server and where it
// listens (loopback unless both options are given, with Core's warnings otherwise).
import net from 'node:net';

export const DEFAULT_ALLOW_HELP = 'Valid values are a single IP (e.g. 1.2.3.4), a network/netmask (e.g. 1.2.3.4/255.255.255.0), a network/CIDR (e.g. 1.2.3.4/24), all ipv4 (0.0.0.0/0), or all ipv6 (::/0). RFC4193 is allowed only if -cjdnsreachable=0.';

export class RPCConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RPCConfigError';
  }
}

/** Peers allowed to connect: loopback always, plus every -rpcallowip entry. */
export function buildAllowList(rpcallowip: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  for (const spec of rpcallowip) {
    const subnet = parseSubnet(spec);
    if (subnet === undefined) {
      throw new RPCConfigError(`Invalid -rpcallowip subnet specification: ${spec}. ${DEFAULT_ALLOW_HELP}`);
    }
    list.addSubnet(subnet.address, subnet.prefix, subnet.family);
  }
  return list;
}

interface Subnet {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

function parseSubnet(spec: string): Subnet | undefined {
  const slash = spec.indexOf('/');
  const address = slash < 0 ? spec : spec.slice(0, slash);
  const kind = net.isIP(address);
  if (kind === 0) return undefined;
  const family = kind === 4 ? 'ipv4' : 'ipv6';
  const bits = kind === 4 ? 32 : 128;
  if (slash < 0) return { address, prefix: bits, family };
  const mask = spec.slice(slash + 1);
  const prefix = /^[0-9]{1,3}$/.test(mask) ? Number(mask) : netmaskPrefix(mask, kind);
  if (prefix === undefined || prefix > bits) return undefined;
  return { address, prefix, family };
}

/** A dotted netmask of the same family as a prefix length; only contiguous masks are valid. */
function netmaskPrefix(mask: string, kind: number): number | undefined {
  if (kind !== 4 || net.isIPv4(mask) === false) return undefined;
  const bitsText = mask.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bitsText) ? bitsText.indexOf('0') === -1 ? 32 : bitsText.indexOf('0') : undefined;
}

/** True when the peer address may use the server (IPv4-mapped IPv6 peers count as IPv4). */
export function clientAllowed(list: net.BlockList, peer: string | undefined): boolean {
  if (peer === undefined) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(peer);
  if (mapped) return list.check(mapped[1], 'ipv4');
  // A socket's remote address is a valid IP, so a colon tells the family; net.isIPv6 would compile its large
  // regular expression (~7 ms) on the first request.
  return list.check(peer, peer.includes(':') ? 'ipv6' : 'ipv4');
}

export interface Endpoint {
  host: string;
  port: number;
}

/** Where to listen, plus the warnings Core logs when -rpcbind/-rpcallowip are not given together. */
export function getBindAddresses(rpcbind: readonly string[], rpcallowip: readonly string[], port: number): {
  endpoints: Endpoint[];
  warnings: string[];
} {
  const warnings: string[] = [];
  if (rpcallowip.length === 0 || rpcbind.length === 0) {
    if (rpcallowip.length > 0) warnings.push('Option -rpcallowip was specified without -rpcbind; this doesn\'t usually make sense');
    if (rpcbind.length > 0) warnings.push('Option -rpcbind was ignored because -rpcallowip was not specified, refusing to allow everyone to connect');
    return { endpoints: [{ host: '::1', port }, { host: '127.0.0.1', port }], warnings };
  }
  return { endpoints: rpcbind.map((b) => splitHostPort(b, port)), warnings };
}

/** "host", "host:port", "[v6]" or "[v6]:port"; a bad port is Core's invalid-port error. */
function splitHostPort(spec: string, defaultPort: number): Endpoint {
  // A bare IPv6 address has several colons and no port.
  const m = /^\[([^\]]*)\](?::(.*))?$/.exec(spec) ?? /^([^:]*):([^:]*)$/.exec(spec);
  if (m === null) return { host: spec, port: defaultPort };
  const portText = m[2];
  if (portText === undefined) return { host: m[1], port: defaultPort };
  const port = /^[0-9]+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new RPCConfigError(`Invalid port specified in -rpcbind: '${spec}'`);
  return { host: m[1], port };
}
