// -getinfo: one batch of getnetworkinfo, getblockchaininfo, getwalletinfo and getbalances, merged
// into Core's summary and printed as its human-readable text.
import { formatFixed } from './format.js';
import type { RequestHandler } from './handlers.js';
import { processBatchReply, replyObj, requestObj } from './request.js';
import { getReal, JsonObject, member, num, obj, pushKV, valStr, values, type Json } from './univalue.js';

/** The protocol's unit (Core's CURRENCY_UNIT); Smithcoin speaks Bitcoin's protocol. */
const CURRENCY_UNIT = 'BTC';

const ID_NETWORKINFO = 0;
const ID_BLOCKCHAININFO = 1;
const ID_WALLETINFO = 2;
const ID_BALANCES = 3;

export class GetinfoRequestHandler implements RequestHandler {
  prepareRequest(_method: string, args: string[]): Json {
    if (args.length > 0) throw new Error('-getinfo takes no arguments');
    return [
      requestObj('getnetworkinfo', null, num(ID_NETWORKINFO)),
      requestObj('getblockchaininfo', null, num(ID_BLOCKCHAININFO)),
      requestObj('getwalletinfo', null, num(ID_WALLETINFO)),
      requestObj('getbalances', null, num(ID_BALANCES)),
    ];
  }

  /** Node errors are passed on; the wallet calls may fail when there is no wallet. */
  processReply(reply: Json): Json {
    const batch = processBatchReply(reply);
    if (member(batch[ID_NETWORKINFO], 'error') !== null) return batch[ID_NETWORKINFO]!;
    if (member(batch[ID_BLOCKCHAININFO], 'error') !== null) return batch[ID_BLOCKCHAININFO]!;
    const network = member(batch[ID_NETWORKINFO], 'result');
    const chain = member(batch[ID_BLOCKCHAININFO], 'result');
    const wallet = member(batch[ID_WALLETINFO], 'result');
    const balances = member(batch[ID_BALANCES], 'result');
    const result = obj([
      ['version', member(network, 'version')],
      ['blocks', member(chain, 'blocks')],
      ['headers', member(chain, 'headers')],
      ['verificationprogress', member(chain, 'verificationprogress')],
      ['timeoffset', member(network, 'timeoffset')],
      ['connections', obj([
        ['in', member(network, 'connections_in')],
        ['out', member(network, 'connections_out')],
        ['total', member(network, 'connections')],
      ])],
      ['networks', member(network, 'networks')],
      ['difficulty', member(chain, 'difficulty')],
      ['chain', member(chain, 'chain')],
    ]);
    if (wallet !== null) {
      pushKV(result, 'has_wallet', true);
      pushKV(result, 'keypoolsize', member(wallet, 'keypoolsize'));
      pushKV(result, 'walletname', member(wallet, 'walletname'));
      if (member(wallet, 'unlocked_until') !== null) pushKV(result, 'unlocked_until', member(wallet, 'unlocked_until'));
    }
    if (balances !== null) pushKV(result, 'balance', member(member(balances, 'mine'), 'trusted'));
    pushKV(result, 'relayfee', member(network, 'relayfee'));
    pushKV(result, 'warnings', member(network, 'warnings'));
    return replyObj(result);
  }
}

interface Colors {
  reset: string;
  green: string;
  blue: string;
  yellow: string;
  magenta: string;
  cyan: string;
}

const NO_COLORS: Colors = { reset: '', green: '', blue: '', yellow: '', magenta: '', cyan: '' };
const ANSI_COLORS: Colors = { reset: '\x1B[0m', green: '\x1B[32m', blue: '\x1B[34m', yellow: '\x1B[33m', magenta: '\x1B[35m', cyan: '\x1B[36m' };

/** -color: always, never, or auto (when stdout is a terminal). */
export function shouldColorize(setting: string, stdoutIsTTY: boolean): boolean {
  if (setting === 'always') return true;
  if (setting === 'never') return false;
  if (setting !== 'auto') throw new Error('Invalid value for -color option. Valid values: always, auto, never.');
  return stdoutIsTTY;
}

/** Blocks of ▒ for the part done and ░ for the rest, 5% each; nothing outside [0, 1]. */
export function progressBar(progress: number): string {
  if (progress < 0 || progress > 1) return '';
  const increment = 0.05;
  let bar = '';
  for (let i = 0; i < progress / increment; i++) bar += '\u2592';
  for (let i = 0; i < (1 - progress) / increment; i++) bar += '\u2591';
  return bar;
}

function proxiesLine(networks: Json): string {
  const byProxy = new Map<string, string[]>();
  for (const network of values(networks)) {
    const proxy = valStr(member(network, 'proxy'));
    if (proxy === '') continue;
    const list = byProxy.get(proxy) ?? [];
    list.push(valStr(member(network, 'name')));
    byProxy.set(proxy, list);
  }
  const formatted = [...byProxy].map(([proxy, names]) => `${proxy} (${names.join(', ')})`);
  return `Proxies: ${formatted.length === 0 ? 'n/a' : formatted.join(', ')}\n`;
}

function balancesBlock(balances: Json, c: Colors): string {
  if (!(balances instanceof JsonObject)) return '';
  let width = 10;
  for (const balance of balances.values) width = Math.max(width, valStr(balance).length);
  let text = `${c.cyan}Balances${c.reset}\n`;
  balances.keys.forEach((wallet, i) => {
    text += `${valStr(balances.values[i]).padStart(width)} ${wallet === '' ? '""' : wallet}\n`;
  });
  return text + '\n';
}

/** Core's ParseGetInfoResult text (without the trailing newline the caller adds). */
export function formatGetInfo(result: JsonObject, colorize: boolean): string {
  const c = colorize ? ANSI_COLORS : NO_COLORS;
  const get = (key: string): Json => member(result, key);
  let text = `${c.blue}Chain: ${valStr(get('chain'))}${c.reset}\n`;
  text += `Blocks: ${valStr(get('blocks'))}\n`;
  text += `Headers: ${valStr(get('headers'))}\n`;
  const progress = getReal(get('verificationprogress'));
  // The bar is shown only before 99%.
  const bar = progress < 0.99 ? progressBar(progress) + ' ' : '';
  text += `Verification progress: ${bar}${formatFixed(progress * 100, 4)}%\n`;
  text += `Difficulty: ${valStr(get('difficulty'))}\n\n`;
  const connections = get('connections');
  text += `${c.green}Network: in ${valStr(member(connections, 'in'))}, out ${valStr(member(connections, 'out'))}, total ${valStr(member(connections, 'total'))}${c.reset}\n`;
  text += `Version: ${valStr(get('version'))}\n`;
  text += `Time offset (s): ${valStr(get('timeoffset'))}\n`;
  text += proxiesLine(get('networks'));
  text += `Min tx relay fee rate (${CURRENCY_UNIT}/kvB): ${valStr(get('relayfee'))}\n\n`;
  if (get('has_wallet') !== null) {
    const name = valStr(get('walletname'));
    text += `${c.magenta}Wallet: ${name === '' ? '""' : name}${c.reset}\n`;
    text += `Keypool size: ${valStr(get('keypoolsize'))}\n`;
    if (get('unlocked_until') !== null) text += `Unlocked until: ${valStr(get('unlocked_until'))}\n`;
  }
  if (get('balance') !== null) text += `${c.cyan}Balance:${c.reset} ${valStr(get('balance'))}\n\n`;
  text += balancesBlock(get('balances'), c);
  const warnings = valStr(get('warnings'));
  text += `${c.yellow}Warnings:${c.reset} ${warnings === '' ? '(none)' : warnings}`;
  return text;
}
