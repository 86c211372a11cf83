// Log categories and severity levels with Core's names (the -debug=<category> and -loglevel values).

/** Category bits as Core's BCLog::LogFlags (bit 23, "lock", exists only in lock-contention builds). */
export const LogFlags = {
  NONE: 0,
  NET: 1 << 0,
  TOR: 1 << 1,
  MEMPOOL: 1 << 2,
  HTTP: 1 << 3,
  BENCH: 1 << 4,
  ZMQ: 1 << 5,
  WALLETDB: 1 << 6,
  RPC: 1 << 7,
  ESTIMATEFEE: 1 << 8,
  ADDRMAN: 1 << 9,
  SELECTCOINS: 1 << 10,
  REINDEX: 1 << 11,
  CMPCTBLOCK: 1 << 12,
  RAND: 1 << 13,
  PRUNE: 1 << 14,
  PROXY: 1 << 15,
  MEMPOOLREJ: 1 << 16,
  COINDB: 1 << 17,
  QT: 1 << 18,
  LEVELDB: 1 << 19,
  VALIDATION: 1 << 20,
  I2P: 1 << 21,
  IPC: 1 << 22,
  BLOCKSTORAGE: 1 << 24,
  TXRECONCILIATION: 1 << 25,
  SCAN: 1 << 26,
  TXPACKAGES: 1 << 27,
  KERNEL: 1 << 28,
  PRIVBROADCAST: 1 << 29,
  /** Every category (Core's ~NONE); also the category of unconditional log lines. */
  ALL: 0x7fffffff,
} as const;
export type LogFlag = number;

/** `-debug` names, sorted as Core lists them. */
const CATEGORY_NAMES: ReadonlyArray<[string, LogFlag]> = (
  [
    ['net', LogFlags.NET],
    ['tor', LogFlags.TOR],
    ['mempool', LogFlags.MEMPOOL],
    ['http', LogFlags.HTTP],
    ['bench', LogFlags.BENCH],
    ['zmq', LogFlags.ZMQ],
    ['walletdb', LogFlags.WALLETDB],
    ['rpc', LogFlags.RPC],
    ['estimatefee', LogFlags.ESTIMATEFEE],
    ['addrman', LogFlags.ADDRMAN],
    ['selectcoins', LogFlags.SELECTCOINS],
    ['reindex', LogFlags.REINDEX],
    ['cmpctblock', LogFlags.CMPCTBLOCK],
    ['rand', LogFlags.RAND],
    ['prune', LogFlags.PRUNE],
    ['proxy', LogFlags.PROXY],
    ['mempoolrej', LogFlags.MEMPOOLREJ],
    ['coindb', LogFlags.COINDB],
    ['qt', LogFlags.QT],
    ['leveldb', LogFlags.LEVELDB],
    ['validation', LogFlags.VALIDATION],
    ['i2p', LogFlags.I2P],
    ['ipc', LogFlags.IPC],
    ['blockstorage', LogFlags.BLOCKSTORAGE],
    ['txreconciliation', LogFlags.TXRECONCILIATION],
    ['scan', LogFlags.SCAN],
    ['txpackages', LogFlags.TXPACKAGES],
    ['kernel', LogFlags.KERNEL],
    ['privatebroadcast', LogFlags.PRIVBROADCAST],
  ] as Array<[string, LogFlag]>
).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const BY_NAME = new Map(CATEGORY_NAMES);
const BY_FLAG = new Map(CATEGORY_NAMES.map(([name, flag]) => [flag, name]));

/** The category names in alphabetical order. */
export function logCategoryNames(): string[] {
  return CATEGORY_NAMES.map(([name]) => name);
}

/**
 * The flag a -debug value names: '', '1' and 'all' mean every category; the deprecated 'libevent' is
 * accepted as nothing (with Core's warning); undefined for an unknown name.
 */
export function getLogCategory(str: string, warn: (msg: string) => void = () => {}): LogFlag | undefined {
  if (str === '' || str === '1' || str === 'all') return LogFlags.ALL;
  const flag = BY_NAME.get(str);
  if (flag !== undefined) return flag;
  if (str === 'libevent') {
    warn(`The logging category \`${str}\` is deprecated, does nothing, and will be removed in a future version`);
    return LogFlags.NONE;
  }
  return undefined;
}

export function logCategoryToStr(flag: LogFlag): string {
  if (flag === LogFlags.ALL) return 'all';
  const name = BY_FLAG.get(flag);
  if (name === undefined) throw new RangeError(`unknown log category ${flag}`);
  return name;
}

/** Severity levels; Info and above are always logged. */
export const Level = { Trace: 0, Debug: 1, Info: 2, Warning: 3, Error: 4 } as const;
export type Level = (typeof Level)[keyof typeof Level];

const LEVEL_NAMES = ['trace', 'debug', 'info', 'warning', 'error'] as const;
export type LevelName = (typeof LEVEL_NAMES)[number];

export const DEFAULT_LOG_LEVEL: Level = Level.Debug;
/** Users may lower the threshold down to trace but not raise it above info. */
export const MAX_USER_SETABLE_SEVERITY_LEVEL: Level = Level.Info;

export function logLevelToStr(level: Level): LevelName {
  return LEVEL_NAMES[level];
}

export function getLogLevel(str: string): Level | undefined {
  const i = (LEVEL_NAMES as readonly string[]).indexOf(str);
  return i === -1 ? undefined : (i as Level);
}

/** The levels a user can pick, as Core lists them. */
export function logLevelsString(): string {
  return [Level.Info, Level.Debug, Level.Trace].map(logLevelToStr).join(', ');
}
