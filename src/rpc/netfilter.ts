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

/**
 * The allow list as Core's InitHTTPAllowList logs it: each subnet as CSubNet::ToString writes it (the network
 * address, masked, then the prefix length), each followed by a space.
 */
export function allowListDescription(rpcallowip: readonly string[]): string {
  const subnets: Subnet[] = [{ address: '127.0.0.0', prefix: 8, family: 'ipv4' }, { address: '::1', prefix: 128, family: 'ipv6' }];
  for (const spec of rpcallowip) {
    const subnet = parseSubnet(spec);
    if (subnet !== undefined) subnets.push(subnet);
  }
  return subnets.map((n) => `${maskedAddress(n)}/${n.prefix} `).join('');
}

/** The subnet's address with the host bits cleared, in Core's (RFC 5952) text form. */
function maskedAddress(n: Subnet): string {
  const bytes = n.family === 'ipv4' ? n.address.split('.').map(Number) : ipv6Bytes(n.address);
  const masked = bytes.map((b, i) => b & (0xff << Math.max(0, 8 - Math.max(0, n.prefix - 8 * i))) & 0xff);
  if (n.family === 'ipv4') return masked.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => (masked[2 * i]! << 8) | masked[2 * i + 1]!);
  // The longest run of two or more zero groups (the first of equals) becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j > i ? j : i + 1;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The 16 bytes of an IPv6 address (with "::" expanded; a dotted IPv4 tail is read too). */
function ipv6Bytes(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') as [string, string] : [address, undefined];
  const words = (part: string | undefined): number[] => {
    if (!part) return [];
    return part.split(':').flatMap((w) => (w.includes('.') ? (() => {
      const [a, b, c, d] = w.split('.').map(Number) as [number, number, number, number];
      return [(a << 8) | b, (c << 8) | d];
    })() : [parseInt(w, 16)]));
  };
  const front = words(head);
  const back = words(tail);
  const all = tail === undefined ? front : [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  return all.flatMap((w) => [w >> 8, w & 0xff]);
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
