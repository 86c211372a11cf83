// RPC authentication as Core does it: the .cookie file, -rpcuser/-rpcpassword (kept only as a
// salted HMAC), -rpcauth "user:salt$hash" lines, and -rpcwhitelist method allowlists.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hmacSha256 } from '../crypto/hmac.js';
import { RPCConfigError } from './netfilter.js';

export const COOKIEAUTH_USER = '__cookie__';
export const COOKIEAUTH_FILE = '.cookie';

export interface AuthLog {
  info(message: string): void;
  warning(message: string): void;
}

/** Bound on remembered good headers (a handful of users and cookies in practice); the cache restarts when full. */
const MAX_VERIFIED_HEADERS = 64;

interface Credential {
  user: string;
  salt: string;
  hash: string;
}

/** Passwords are raw bytes: the header's bytes, or the UTF-8 of a configured one. */
function hmacHex(salt: string, password: Uint8Array): string {
  return Buffer.from(hmacSha256(Buffer.from(salt, 'utf8'), password)).toString('hex');
}

/** Compares without an early exit on the first differing byte. */
function timingResistantEqual(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  return crypto.timingSafeEqual(x, y);
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Core's PermsToSymbolicString: "rwxrwxrwx" with "-" for each permission not granted. */
export function permsToSymbolicString(mode: number): string {
  return 'rwxrwxrwx'.replace(/./g, (letter, i: number) => (mode & (0o400 >> i) ? letter : '-'));
}

/**
 * Writes "__cookie__:<64 hex>" to a temp file and renames it into place, owner-only unless -rpccookieperms
 * (`perms`) says otherwise, then logs the permissions the file ended up with, as Core does.
 */
export function generateAuthCookie(cookiePath: string, log: AuthLog, perms = 0o600): { user: string; password: string } {
  const password = crypto.randomBytes(32).toString('hex');
  const tmp = `${cookiePath}.tmp`;
  fs.writeFileSync(tmp, `${COOKIEAUTH_USER}:${password}`, { mode: 0o600 });
  fs.renameSync(tmp, cookiePath);
  fs.chmodSync(cookiePath, perms);
  log.info(`Generated RPC authentication cookie ${cookiePath}`);
  log.info(`Permissions used for cookie: ${permsToSymbolicString(fs.statSync(cookiePath).mode)}`);
  return { user: COOKIEAUTH_USER, password };
}

export function deleteAuthCookie(cookiePath: string): void {
  fs.rmSync(cookiePath, { force: true });
}

export interface AuthOptions {
  rpcuser?: string;
  rpcpassword?: string;
  rpcauth?: readonly string[];
  rpcwhitelist?: readonly string[];
  rpcwhitelistdefault?: boolean;
  /** Where .cookie goes when no -rpcpassword is set. */
  datadir: string;
  /** The cookie's mode (-rpccookieperms); owner-only by default. */
  cookiePerms?: number;
  log: AuthLog;
}

export class RPCAuth {
  private readonly credentials: Credential[] = [];
  readonly whitelist = new Map<string, Set<string>>();
  readonly whitelistDefault: boolean;
  readonly cookiePath: string | undefined;
  /**
   * Headers that passed the check, with their user. Credentials never change after construction, so a header that
   * passed once always passes; clients repeat the same header on every call and the HMAC is most of the RPC cost.
   * Only successes are kept, so wrong passwords always take the full check (and the caller's delay).
   */
  private readonly verified = new Map<string, string>();

  constructor(options: AuthOptions) {
    const { user, password, cookiePath } = plaintextCredential(options);
    this.cookiePath = cookiePath;
    if (user !== '' || password !== '') {
      // Only a salted hash of the plaintext password stays in memory.
      const salt = crypto.randomBytes(16).toString('hex');
      this.credentials.push({ user, salt, hash: hmacHex(salt, utf8(password)) });
    }
    const rpcauth = options.rpcauth ?? [];
    if (rpcauth.length > 0) options.log.info('Using rpcauth authentication.');
    for (const line of rpcauth) this.credentials.push(parseRpcAuth(line, options.log));
    const whitelist = options.rpcwhitelist ?? [];
    this.whitelistDefault = options.rpcwhitelistdefault ?? whitelist.length > 0;
    for (const entry of whitelist) this.addWhitelist(entry);
  }

  /** The user name from a Basic header, and whether its password checks out. */
  authorize(header: string): { user: string; ok: boolean } | undefined {
    const known = this.verified.get(header);
    if (known !== undefined) return { user: known, ok: true };
    const result = this.authorizeUncached(header);
    if (result?.ok) {
      if (this.verified.size >= MAX_VERIFIED_HEADERS) this.verified.clear();
      this.verified.set(header, result.user);
    }
    return result;
  }

  private authorizeUncached(header: string): { user: string; ok: boolean } | undefined {
    if (!header.startsWith('Basic ')) return undefined;
    const encoded = header.slice(6).trim();
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
    const decoded = Buffer.from(encoded, 'base64');
    const colon = decoded.indexOf(0x3a);
    if (colon < 0) return undefined;
    const user = decoded.subarray(0, colon);
    return { user: user.toString('utf8'), ok: this.check(user, decoded.subarray(colon + 1)) };
  }

  private check(user: Uint8Array, password: Uint8Array): boolean {
    return this.credentials.some((c) => timingResistantEqual(utf8(c.user), user)
      && timingResistantEqual(utf8(hmacHex(c.salt, password)), utf8(c.hash)));
  }

  /** "user" or "user:m1,m2"; a user listed twice keeps only methods in both lists. */
  private addWhitelist(entry: string): void {
    const colon = entry.indexOf(':');
    const user = colon < 0 ? entry : entry.slice(0, colon);
    const existing = this.whitelist.get(user);
    if (colon < 0) {
      if (existing === undefined) this.whitelist.set(user, new Set());
      return;
    }
    const methods = new Set(entry.slice(colon + 1).split(/[, ]/));
    this.whitelist.set(user, existing === undefined ? methods : new Set([...methods].filter((m) => existing.has(m))));
  }
}

function plaintextCredential(options: AuthOptions): { user: string; password: string; cookiePath?: string } {
  if ((options.rpcpassword ?? '') === '') {
    const cookiePath = path.join(options.datadir, COOKIEAUTH_FILE);
    const cookie = generateAuthCookie(cookiePath, options.log, options.cookiePerms);
    options.log.info('Using random cookie authentication.');
    return { user: cookie.user, password: cookie.password, cookiePath };
  }
  options.log.info('Using rpcuser/rpcpassword authentication.');
  options.log.warning('The use of rpcuser/rpcpassword is less secure, because credentials are configured in plain text. It is recommended that locally-run instances switch to cookie-based auth, or otherwise to use hashed rpcauth credentials. See share/rpcauth in the source directory for more information.');
  return { user: options.rpcuser ?? '', password: options.rpcpassword ?? '' };
}

/** "user:salt$hash": exactly one colon and one dollar sign, as Core splits it. */
function parseRpcAuth(line: string, log: AuthLog): Credential {
  const fields = line.split(':');
  const saltHash = fields[fields.length - 1].split('$');
  if (fields.length !== 2 || saltHash.length !== 2) {
    log.warning('Invalid -rpcauth argument.');
    throw new RPCConfigError('Invalid -rpcauth argument.');
  }
  return { user: fields[0], salt: saltHash[0], hash: saltHash[1] };
}
