// -netinfo: Core's peer dashboard from one batch of getpeerinfo and getnetworkinfo. A server without
// getpeerinfo answers its error, which is printed as any RPC error.
import type { ArgsManager } from '../common/args.js';
import { CLIENT_NAME, formatFullVersion } from '../clientversion.js';
import type { RequestHandler } from './handlers.js';
import { NETINFO_MAX_LEVEL } from './options.js';
import { processBatchReply, replyObj, requestObj } from './request.js';
import { getBool, getInt, getReal, getStr, member, num, values, type Json } from './univalue.js';

export { NETINFO_HELP } from './netinfo_help.js';

const NETWORKS = ['not_publicly_routable', 'ipv4', 'ipv6', 'onion', 'i2p', 'cjdns', 'internal'];
const NETWORK_SHORT_NAMES = ['npr', 'ipv4', 'ipv6', 'onion', 'i2p', 'cjdns', 'int'];
const UNREACHABLE_NETWORK_IDS = [0, 6];
const ID_PEERINFO = 0;
const ID_NETWORKINFO = 1;
const HELP_HINT = 'For more information, run: smithcoin-cli -netinfo help';

interface Peer {
  addr: string;
  subVersion: string;
  connType: string;
  network: string;
  age: string;
  services: string;
  transport: string;
  minPing: number;
  ping: number;
  addrProcessed: number;
  addrRateLimited: number;
  lastBlock: number;
  lastRecv: number;
  lastSend: number;
  lastTxn: number;
  id: number;
  mappedAs: number;
  version: number;
  addrRelay: boolean;
  hbFrom: boolean;
  hbTo: boolean;
  outbound: boolean;
  txRelay: boolean;
}

const CHAIN_SUFFIX: Record<string, string> = { main: '', test: ' testnet', testnet4: ' testnet4', signet: ' signet', regtest: ' regtest' };

function pingText(seconds: number): string {
  if (seconds < 0) return '';
  const ms = Math.round(1000 * seconds);
  return ms > 999999 ? '-' : String(ms);
}

function connectionType(type: string): string {
  const short: Record<string, string> = {
    'outbound-full-relay': 'full', 'block-relay-only': 'block', manual: 'manual', feeler: 'feeler', 'addr-fetch': 'addr', 'private-broadcast': 'priv',
  };
  return short[type] ?? '';
}

function serviceLetters(services: Json): string {
  return values(services).map((v) => {
    const s = getStr(v);
    return s === 'NETWORK_LIMITED' ? 'l' : s === 'P2P_V2' ? '2' : (s[0] ?? '').toLowerCase();
  }).join('');
}

function servicesList(services: Json): string {
  return values(services).map(getStr).join(', ').replace(/_/g, ' ').toLowerCase();
}

const optInt = (v: Json, fallback: number, bits: 32 | 64 = 32): number => (v === null ? fallback : getInt(v, bits));

export class NetinfoRequestHandler implements RequestHandler {
  private readonly counts = [0, 1, 2].map(() => new Array<number>(NETWORKS.length + 1).fill(0));
  private blockRelayPeers = 0;
  private manualPeers = 0;
  private level = 0;
  private outboundOnly = false;
  private asmapOn = false;
  private peers: Peer[] = [];
  private widths = { addr: 0, addrProcessed: 5, addrRateLimited: 6, age: 5, id: 2, services: 6 };

  constructor(private readonly cliArgs: ArgsManager, private readonly now: () => number = () => Math.floor(Date.now() / 1000)) {}

  prepareRequest(_method: string, args: string[]): Json {
    if (args.length > 0) {
      const n = /^[0-9]+$/.test(args[0]!) && Number(args[0]) <= 255 ? Number(args[0]) : undefined;
      if (n === undefined) throw new Error(`invalid -netinfo level argument: ${args[0]}\n${HELP_HINT}`);
      this.level = Math.min(n, NETINFO_MAX_LEVEL);
      if (args.length > 1) {
        const s = args[1]!;
        if (n && (s === 'o' || s === 'outonly')) this.outboundOnly = true;
        else if (n) throw new Error(`invalid -netinfo outonly argument: ${s}\n${HELP_HINT}`);
        else {
          throw new Error(`invalid -netinfo outonly argument: ${s}\nThe outonly argument is only valid for a level greater than 0 (the first argument). ` +
            'For more information, run: smithcoin-cli -netinfo help');
        }
      }
    }
    return [requestObj('getpeerinfo', null, num(ID_PEERINFO)), requestObj('getnetworkinfo', null, num(ID_NETWORKINFO))];
  }

  private get details(): boolean {
    return this.level !== 0;
  }

  private get addressSelected(): boolean {
    return this.level === 2 || this.level === 4;
  }

  private get versionSelected(): boolean {
    return this.level === 3 || this.level === 4;
  }

  processReply(reply: Json): Json {
    const batch = processBatchReply(reply);
    if (member(batch[ID_PEERINFO], 'error') !== null) return batch[ID_PEERINFO]!;
    if (member(batch[ID_NETWORKINFO], 'error') !== null) return batch[ID_NETWORKINFO]!;
    const networkinfo = member(batch[ID_NETWORKINFO], 'result');
    const now = this.now();
    for (const peer of values(member(batch[ID_PEERINFO], 'result'))) this.countPeer(peer, now);
    let text = this.header(networkinfo);
    if (this.details && this.peers.length > 0) text += this.peerList(now);
    text += this.countsTable(networkinfo);
    text += this.localAddresses(networkinfo);
    return replyObj(text);
  }

  private countPeer(peer: Json, now: number): void {
    const networkId = NETWORKS.indexOf(getStr(member(peer, 'network')));
    if (networkId === -1) return;
    const outbound = !getBool(member(peer, 'inbound'));
    const relaytxes = member(peer, 'relaytxes');
    const connType = getStr(member(peer, 'connection_type'));
    const dir = outbound ? 1 : 0;
    this.counts[dir]![networkId]!++;
    this.counts[dir]![NETWORKS.length]!++;
    this.counts[2]![networkId]!++;
    this.counts[2]![NETWORKS.length]!++;
    if (connType === 'block-relay-only') this.blockRelayPeers++;
    if (connType === 'manual') this.manualPeers++;
    if (this.outboundOnly && !outbound) return;
    if (!this.details) return;
    const connTime = getInt(member(peer, 'conntime'), 64);
    const transport = member(peer, 'transport_protocol_type');
    const p: Peer = {
      addr: getStr(member(peer, 'addr')),
      subVersion: getStr(member(peer, 'subver')),
      connType,
      network: NETWORK_SHORT_NAMES[networkId]!,
      age: connTime === 0 ? '' : String(Math.trunc((now - connTime) / 60)),
      services: serviceLetters(member(peer, 'servicesnames')),
      transport: transport === null ? 'v1' : getStr(transport),
      minPing: member(peer, 'minping') === null ? -1 : getReal(member(peer, 'minping')),
      ping: member(peer, 'pingtime') === null ? -1 : getReal(member(peer, 'pingtime')),
      addrProcessed: optInt(member(peer, 'addr_processed'), 0, 64),
      addrRateLimited: optInt(member(peer, 'addr_rate_limited'), 0, 64),
      lastBlock: getInt(member(peer, 'last_block'), 64),
      lastRecv: getInt(member(peer, 'lastrecv'), 64),
      lastSend: getInt(member(peer, 'lastsend'), 64),
      lastTxn: getInt(member(peer, 'last_transaction'), 64),
      id: getInt(member(peer, 'id')),
      mappedAs: optInt(member(peer, 'mapped_as'), 0),
      version: getInt(member(peer, 'version')),
      addrRelay: member(peer, 'addr_relay_enabled') === null ? false : getBool(member(peer, 'addr_relay_enabled')),
      hbFrom: getBool(member(peer, 'bip152_hb_from')),
      hbTo: getBool(member(peer, 'bip152_hb_to')),
      outbound,
      txRelay: relaytxes === null ? true : getBool(relaytxes),
    };
    this.peers.push(p);
    const w = this.widths;
    w.addr = Math.max(p.addr.length + 1, w.addr);
    w.addrProcessed = Math.max(String(p.addrProcessed).length, w.addrProcessed);
    w.addrRateLimited = Math.max(String(p.addrRateLimited).length, w.addrRateLimited);
    w.age = Math.max(p.age.length, w.age);
    w.id = Math.max(String(p.id).length, w.id);
    w.services = Math.max(p.services.length, w.services);
    this.asmapOn ||= p.mappedAs !== 0;
  }

  private header(networkinfo: Json): string {
    const services = this.details ? ` - services ${serviceLetters(member(networkinfo, 'localservicesnames'))}` : '';
    const chain = CHAIN_SUFFIX[this.cliArgs.getChainType()] ?? '';
    return `${CLIENT_NAME} client ${formatFullVersion()}${chain} - server ${getInt(member(networkinfo, 'protocolversion'))}` +
      `${getStr(member(networkinfo, 'subversion'))}${services}\n\n`;
  }

  private peerList(now: number): string {
    const w = this.widths;
    // Inbound before outbound, then by minimum ping.
    this.peers.sort((a, b) => Number(a.outbound) - Number(b.outbound) || a.minPing - b.minPing);
    let text = `<->   type   net ${'serv'.padStart(w.services)}  v  mping   ping send recv  txn  blk  hb ` +
      `${'addrp'.padStart(w.addrProcessed)}${'addrl'.padStart(w.addrRateLimited)}${'age'.padStart(w.age)} `;
    if (this.asmapOn) text += ' asmap ';
    text += `${'id'.padStart(w.id)} ${(this.addressSelected ? 'address' : '').padEnd(this.addressSelected ? w.addr : 0)}${this.versionSelected ? 'version' : ''}\n`;
    for (const p of this.peers) text += this.peerLine(p, now);
    text += `                ${''.padStart(w.services)}         ms     ms  sec  sec  min  min                ${'min'.padStart(w.age)}\n\n`;
    return text;
  }

  private peerLine(p: Peer, now: number): string {
    const w = this.widths;
    const version = String(p.version) + p.subVersion;
    const v = p.transport.length === 2 && p.transport[0] === 'v' ? p.transport[1]! : ' ';
    const since = (t: number, div: number): string => (t ? String(Math.trunc((now - t) / div)) : '');
    const txn = p.lastTxn ? since(p.lastTxn, 60) : p.txRelay ? '' : '*';
    const addrp = p.addrProcessed ? String(p.addrProcessed) : p.addrRelay ? '' : '.';
    return `${(p.outbound ? 'out' : 'in').padStart(3)} ${connectionType(p.connType).padStart(6)} ${p.network.padStart(5)} ` +
      `${p.services.padStart(w.services)} ${v.padStart(2)}${pingText(p.minPing).padStart(7)}${pingText(p.ping).padStart(7)}` +
      `${since(p.lastSend, 1).padStart(5)}${since(p.lastRecv, 1).padStart(5)}${txn.padStart(5)}${since(p.lastBlock, 60).padStart(5)}  ` +
      `${((p.hbTo ? '.' : ' ') + (p.hbFrom ? '*' : ' ')).padStart(2)} ${addrp.padStart(w.addrProcessed)}` +
      `${(p.addrRateLimited ? String(p.addrRateLimited) : '').padStart(w.addrRateLimited)}${p.age.padStart(w.age)}` +
      `${(this.asmapOn && p.mappedAs ? String(p.mappedAs) : '').padStart(this.asmapOn ? 7 : 0)}${String(p.id).padStart(w.id)} ` +
      `${(this.addressSelected ? p.addr : '').padEnd(this.addressSelected ? w.addr : 0)}${this.versionSelected && version !== '0' ? version : ''}\n`;
  }

  private countsTable(networkinfo: Json): string {
    let text = '     ';
    const reachable: number[] = [];
    for (const network of values(member(networkinfo, 'networks'))) {
      if (!getBool(member(network, 'reachable'))) continue;
      const name = getStr(member(network, 'name'));
      const id = NETWORKS.indexOf(name);
      if (id === -1) continue;
      text += name.padStart(8);
      reachable.push(id);
    }
    for (const id of UNREACHABLE_NETWORK_IDS) {
      if (this.counts[2]![id] === 0) continue;
      text += NETWORK_SHORT_NAMES[id]!.padStart(8);
      reachable.push(id);
    }
    text += '   total   block';
    if (this.manualPeers) text += '  manual';
    ['in', 'out', 'total'].forEach((row, i) => {
      text += `\n${row.padEnd(5)}`;
      for (const id of reachable) text += String(this.counts[i]![id]).padStart(8);
      text += `   ${String(this.counts[i]![NETWORKS.length]).padStart(5)}`;
      if (i === 1) {
        text += `   ${String(this.blockRelayPeers).padStart(5)}`;
        if (this.manualPeers) text += `   ${String(this.manualPeers).padStart(5)}`;
      }
    });
    if (!this.details) text += `\n\nLocal services: ${servicesList(member(networkinfo, 'localservicesnames'))}`;
    return text;
  }

  private localAddresses(networkinfo: Json): string {
    const addrs = values(member(networkinfo, 'localaddresses'));
    if (addrs.length === 0) return '\n\nLocal addresses: n/a\n';
    const width = Math.max(0, ...addrs.map((a) => getStr(member(a, 'address')).length + 1));
    let text = '\n\nLocal addresses';
    for (const a of addrs) {
      text += `\n${getStr(member(a, 'address')).padEnd(width)}    port ${String(getInt(member(a, 'port'))).padStart(6)}    score ${String(getInt(member(a, 'score'))).padStart(6)}`;
    }
    return text;
  }
}
