// Loads a build's crypto façade and prints what it computes for fixed inputs, as JSON. The cross
// test runs it with the build machine's node on the native build and with an arm64 node under
// qemu on the cross build, and compares the two.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const jsdir = process.argv[2];
const load = (rel) => import(pathToFileURL(path.join(jsdir, rel)).href);
const secp = await load('src/crypto/secp256k1.js');
const { sha256d } = await load('src/crypto/sha256.js');
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));

const key = unhex('0000000000000000000000000000000000000000000000000000000000000003');
const msg = sha256d(new TextEncoder().encode('smithcoin cross check'));
const sig = secp.ecdsaSign(msg, key);
const pub = secp.pubkeyCreate(key, true);
const tampered = Uint8Array.from(msg);
tampered[0] ^= 1;
// BIP340 test vector 0.
const bipPub = unhex('F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9');
const bipSig = unhex('E907831F80848D1069A5371B402410364BDF1C5F8307B0084C55F1CE2DCA821525F66A4A85EA8B71E482A74F382D2CE5EBEEE8FDB2172F477DF4900D310536C0');
const zero32 = new Uint8Array(32);
const badSig = Uint8Array.from(bipSig);
badSig[63] ^= 1;

// The LevelDB addon, when the build has one: a copy of Core's regtest chainstate must give its best
// block through the obfuscation key, and a new database must round-trip an obfuscated value.
async function leveldbCheck() {
  const { leveldbAddon } = await load('src/node/leveldb_native.js');
  if (leveldbAddon === null) return null;
  const { DBWrapper } = await load('src/node/dbwrapper.js');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smithcoin-cross-leveldb-'));
  try {
    const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'core-regtest', 'regtest', 'chainstate');
    const dir = path.join(tmp, 'chainstate');
    fs.cpSync(fixture, dir, { recursive: true });
    for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
    const core = new DBWrapper({ path: dir, cacheBytes: 1 << 20, obfuscate: true });
    const best = core.read(Uint8Array.of(0x42));
    core.close();
    const db = new DBWrapper({ path: path.join(tmp, 'new'), cacheBytes: 1 << 20, obfuscate: true });
    db.write(Uint8Array.of(1), new TextEncoder().encode('coin'), true);
    const roundTrip = new TextDecoder().decode(db.read(Uint8Array.of(1)));
    db.close();
    return `${best === null ? 'none' : hex(best.slice().reverse())} ${roundTrip}`;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

console.log(JSON.stringify({
  arch: process.arch,
  backend: secp.secp256k1Backend,
  sha256dEmpty: hex(sha256d(new Uint8Array(0))),
  ecdsaSig: hex(sig),
  ecdsaValid: secp.ecdsaVerify(sig, msg, pub),
  ecdsaTampered: secp.ecdsaVerify(sig, tampered, pub),
  schnorrValid: secp.schnorrVerify(bipSig, zero32, bipPub),
  schnorrTampered: secp.schnorrVerify(badSig, zero32, bipPub),
  leveldb: await leveldbCheck(),
}));
