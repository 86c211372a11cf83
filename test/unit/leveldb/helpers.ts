// Shared by the leveldb tests: the addon (or a printed reason to skip when this build has none).
import { leveldbAddon, type LevelDBAddon } from '../../../src/node/leveldb_native.js';

/** Call inside describe(): skips the suite, saying why, only when configure found no LevelDB. */
export function requireLevelDB(): () => LevelDBAddon {
  before(function () {
    if (leveldbAddon === null) {
      console.log('    LevelDB is off in this build (configure found no LevelDB): the leveldb addon was not built');
      this.skip();
    }
  });
  return () => leveldbAddon!;
}

/** Bytes of a latin1 string, for readable keys. */
export function b(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'latin1'));
}
