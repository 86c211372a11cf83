// Test helpers for the rpc-* tests: connected socket pairs and small hand-coded servers.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectUnix, listenUnix } from '../src/index.js';

/** A connected pair of unix stream sockets (through a temporary listening socket). */
export async function socketPair(): Promise<[net.Socket, net.Socket]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpc-pair-'));
  const p = path.join(dir, 's.sock');
  let accepted!: (s: net.Socket) => void;
  const acceptedP = new Promise<net.Socket>((r) => { accepted = r; });
  const server = await listenUnix(p, { onConnection: (s) => accepted(s) });
  const client = await connectUnix(p);
  const serverSide = await acceptedP;
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return [client, serverSide];
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns true (or fails after `ms`). */
export async function waitFor(fn: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('waitFor timed out');
    await sleep(2);
  }
}
