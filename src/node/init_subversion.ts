// The P2P user agent (Core's FormatSubVersion and the -uacomment checks of AppInitMain):
// "/Smithcoin:<x.y.z>(<comment>; <comment>)/", BIP 14 comments, at most 256 characters.
import type { ArgsManager } from '../common/args.js';
import { BUILD_INFO } from '../clientversion.js';
import type { InitUI } from './init_ui.js';

/** The user agent name (Core's UA_NAME "Satoshi"). */
export const UA_NAME = 'Smithcoin';
export const MAX_SUBVERSION_LENGTH = 256;
/** Core's SAFE_CHARS_UA_COMMENT (BIP 14). */
const SAFE_CHARS_UA_COMMENT = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;-_?@';

export function formatSubVersion(name: string, version: string, comments: readonly string[]): string {
  const tail = comments.length > 0 ? `(${comments.join('; ')})` : '';
  return `/${name}:${version}${tail}/`;
}

/** Checks -uacomment and returns the node's user agent; undefined after reporting Core's init error. */
export function initSubVersion(args: ArgsManager, ui: InitUI): string | undefined {
  const comments: string[] = [];
  for (const comment of args.getArgs('-uacomment')) {
    if ([...comment].some((c) => !SAFE_CHARS_UA_COMMENT.includes(c))) {
      ui.initError(`User Agent comment (${comment}) contains unsafe characters.`);
      return undefined;
    }
    comments.push(comment);
  }
  const subversion = formatSubVersion(UA_NAME, BUILD_INFO.version, comments);
  if (subversion.length > MAX_SUBVERSION_LENGTH) {
    ui.initError(`Total length of network version string (${subversion.length}) exceeds maximum length (${MAX_SUBVERSION_LENGTH}). Reduce the number or size of uacomments.`);
    return undefined;
  }
  return subversion;
}
