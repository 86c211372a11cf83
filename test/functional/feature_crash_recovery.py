#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Crash recovery: after SIGKILL at any moment the node restarts (without -reindex) to a consistent state and
loses nothing it reported as flushed.

node0 runs with a small cache (-dbcache=4) and a small write batch (-dbbatchsize), so the coins cache is flushed
every few blocks and each flush goes out in many partial batches. It is killed at random moments:
  - while mining: a worker thread keeps generateblock (blocks with a transaction that spends hundreds of coins and
    creates hundreds more, so the cache fills), generatetoaddress and gettxoutsetinfo calls in flight; mock time
    jumps past the periodic-flush interval now and then; some kills are aimed a few milliseconds into a
    gettxoutsetinfo, while its flush writes its partial batches (the log says how many kills made the next start
    replay blocks);
  - during a -reindex (and again, sometimes, during the reindex the restart resumes);
  - during a -loadblock import into a fresh node (node2).
After each kill the node is restarted with no -reindex and must start (so no "Corrupted block database detected"
or a request to reindex), `verifychain 4 0` must pass, and `gettxoutsetinfo` (hash_serialized_3 and muhash) must
equal that of node1, a clean reference node fed the crashed node's active chain with submitblock.

"Reported as flushed" follows Core: a returned gettxoutsetinfo has flushed the chainstate at the height it reports,
a completed `stop` has flushed everything, and the tip a node loaded at start is on disk. The block at each such
height must still be on the active chain after every later kill. A -reindex discards what came before it, by
request.

The kill times are random but reproducible from the seed printed at the start (--randomseed=N repeats a run; the
moments depend on timing, so a repeat hits the same phases, not the same instructions). The default run makes 20
kills (CI); `--kills=100` (or SMITHCOIN_CRASH_KILLS=100 in the environment) makes the long run.
"""

import hashlib
import http.client
import os
import random
import shutil
import struct
import threading
import time

from test_framework.authproxy import JSONRPCException
from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, assert_greater_than_or_equal, wait_until_helper_internal

# Core's ADDRESS_BCRT1_P2WSH_OP_TRUE: pay to the witness script OP_TRUE, spendable with no signature.
OP_TRUE_ADDRESS = "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85"
OP_TRUE_SCRIPT = b"\x00\x20" + hashlib.sha256(b"\x51").digest()
REGTEST_MAGIC = bytes.fromhex("fabfb5da")
COINBASE_MATURITY = 100
# -maxmempool=0: the coins cache may otherwise grow into the unused mempool allowance (Core's feature_dbcrash does the same).
SMALL_CACHE_ARGS = ["-dbcache=4", "-maxmempool=0", "-dbbatchsize=4096", "-maxtipage=100000000"]
VERIFY_ARGS = ["-dbcache=300", "-maxtipage=100000000"]
# Texts of a start that found the datadir broken; none may ever appear after a kill.
BROKEN_DATADIR_TEXTS = ("Corrupted block database detected", "-reindex", "inconsistent state", "Unable to replay")
# What a client sees when the node dies under its request.
KILLED_ERRORS = (OSError, http.client.HTTPException)
# A coin set around this size keeps the cache flushing every few blocks without slowing verifychain much.
TARGET_COINS = 8000
# Mock time steps past Core's longest periodic-flush interval (70 minutes).
MOCKTIME_STEP = 71 * 60


def compact_size(n):
    if n < 0xfd:
        return bytes([n])
    if n <= 0xffff:
        return b"\xfd" + struct.pack("<H", n)
    return b"\xfe" + struct.pack("<I", n)


def op_true_tx(inputs, values):
    """A version 2 segwit transaction spending P2WSH(OP_TRUE) outpoints [(txid hex, n)] into P2WSH(OP_TRUE)
    outputs of `values` satoshis. Returns (txid hex, raw hex)."""
    vin = b"".join(bytes.fromhex(txid)[::-1] + struct.pack("<I", n) + b"\x00" + b"\xff\xff\xff\xff"
                   for txid, n in inputs)
    vout = b"".join(struct.pack("<q", v) + compact_size(len(OP_TRUE_SCRIPT)) + OP_TRUE_SCRIPT for v in values)
    body = compact_size(len(inputs)) + vin + compact_size(len(values)) + vout
    version, locktime = struct.pack("<i", 2), b"\x00" * 4
    txid = hashlib.sha256(hashlib.sha256(version + body + locktime).digest()).digest()[::-1].hex()
    witness = b"\x01\x01\x51" * len(inputs)
    return txid, (version + b"\x00\x01" + body + witness + locktime).hex()


def on_active_chain(node, block_hash):
    try:
        return node.getblockheader(block_hash)["confirmations"] > 0
    except JSONRPCException as e:
        if e.error["code"] != -5:  # RPC_INVALID_ADDRESS_OR_KEY: "Block not found"
            raise
        return False


class Record:
    """One generateblock call of the worker: the coins its transaction spends and creates, and where its block
    went (None while the call is in flight)."""

    def __init__(self, txid, spends, creates):
        self.txid = txid
        self.spends = spends
        self.creates = creates
        self.hash = None


class CoinModel:
    """The OP_TRUE coins the test can spend: `base` is on the node's disk; `records` are this round's blocks."""

    def __init__(self, rng):
        self.rng = rng
        self.base = {}
        self.records = []
        self.current = {}

    def start_round(self):
        self.records = []
        self.current = dict(self.base)

    def next_tx(self):
        """A transaction spending a random part of the coins, growing the set while it is below its target."""
        outpoints = list(self.current)
        k = min(len(outpoints), self.rng.randint(100, 300))
        spends = self.rng.sample(outpoints, k)
        m = k + (self.rng.randint(200, 400) if len(outpoints) < TARGET_COINS else 0)
        total = sum(self.current[o] for o in spends)
        values = [total // m] * m
        txid, raw = op_true_tx(spends, values)
        rec = Record(txid, spends, [((txid, n), v) for n, v in enumerate(values)])
        return rec, raw

    def apply(self, coins, rec):
        for o in rec.spends:
            del coins[o]
        coins.update(rec.creates)

    def settle(self, node):
        """After a restart: keep the records whose block the node still has; they must be a prefix."""
        included = []
        for rec in self.records:
            if rec.hash is not None:
                inside = on_active_chain(node, rec.hash)
            else:
                inside = node.gettxout(rec.txid, 0, False) is not None
            included.append(inside)
        assert included == sorted(included, reverse=True), f"blocks kept after a kill are not a prefix: {included}"
        for rec, inside in zip(self.records, included):
            if inside:
                self.apply(self.base, rec)
        self.records = []
        self.current = dict(self.base)
        return included.count(True), len(included)


class MiningWorker(threading.Thread):
    """Keeps mining RPCs in flight on its own connection until the node dies under it."""

    def __init__(self, node, model, rng, flushed, mocktime):
        super().__init__(daemon=True)
        self.mocktime = mocktime
        self.rpc = node._make_proxy()
        self.model = model
        self.rng = rng
        self.flushed = flushed
        self.calls = 0
        self.failure = None
        # Set as a gettxoutsetinfo (which flushes first) goes out, for kills aimed at a flush.
        self.flushing = threading.Event()

    def run(self):
        try:
            while True:
                self.step()
                self.calls += 1
        except KILLED_ERRORS:
            pass
        except Exception as e:  # anything but the node dying is a failure the main thread re-raises
            self.failure = e

    def step(self):
        op = self.rng.random()
        if op < 0.45:
            rec, raw = self.model.next_tx()
            self.model.records.append(rec)
            rec.hash = self.rpc.generateblock(OP_TRUE_ADDRESS, [raw])["hash"]
            self.model.apply(self.model.current, rec)
        elif op < 0.8:
            self.rpc.generatetoaddress(self.rng.randint(1, 3), OP_TRUE_ADDRESS)
        elif op < 0.9:
            # The next block's activation then makes a periodic flush (Core's DATABASE_WRITE_INTERVAL_MAX).
            self.mocktime[0] += MOCKTIME_STEP
            self.rpc.setmocktime(self.mocktime[0])
        else:
            self.flushing.set()
            info = self.rpc.gettxoutsetinfo("none")
            self.flushed.append((info["height"], info["bestblock"]))


class CrashRecoveryTest(SmithcoinTestFramework):
    def add_options(self, parser):
        parser.add_argument("--kills", type=int, default=int(os.environ.get("SMITHCOIN_CRASH_KILLS", "20")),
                            help="how many times to kill a node (default: 20, or SMITHCOIN_CRASH_KILLS)")

    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 3
        self.extra_args = [SMALL_CACHE_ARGS, [], SMALL_CACHE_ARGS]

    def setup_network(self):
        self.add_nodes(self.num_nodes, self.extra_args)
        self.start_node(0)
        self.start_node(1)

    def run_test(self):
        self.rng = random.Random(random.getrandbits(63))
        self.kills = 0
        self.replays = 0
        self.ref_stats = {}
        # Reports of a flushed chainstate on node0: (height, hash) pairs that must survive every kill.
        self.flushed = []
        node0 = self.nodes[0]
        assert_equal(node0.validateaddress(OP_TRUE_ADDRESS)["scriptPubKey"], OP_TRUE_SCRIPT.hex())
        # Shared with the mining worker, which moves it on.
        self.mocktime = [int(time.time()) - 30 * 24 * 3600]
        node0.setmocktime(self.mocktime[0])
        self.setup_coins(node0)

        total = self.options.kills
        n_reindex = max(2, total // 4)
        n_loadblock = max(2, total // 8)
        n_mining = max(1, total - n_reindex - n_loadblock)
        self.log.info("%d kills: %d while mining, %d during -reindex, %d during -loadblock",
                      n_mining + n_reindex + n_loadblock, n_mining, n_reindex, n_loadblock)
        self.mining_kills(n_mining)
        self.reindex_kills(n_reindex)
        self.loadblock_kills(n_loadblock)
        self.log.info("%d kills, all recovered; %d of them interrupted a coins flush (the start replayed blocks)",
                      self.kills, self.replays)

    # --- Checks ------------------------------------------------------------------------------------------

    def setup_coins(self, node):
        """101 blocks to OP_TRUE; the first coinbase funds the model."""
        hashes = node.generatetoaddress(COINBASE_MATURITY + 1, OP_TRUE_ADDRESS)
        coinbase = node.getblock(hashes[0], 2)["tx"][0]
        self.model = CoinModel(self.rng)
        for out in coinbase["vout"]:
            if out["scriptPubKey"]["hex"] == OP_TRUE_SCRIPT.hex():
                self.model.base[(coinbase["txid"], out["n"])] = int(out["value"] * 100_000_000)
        assert_equal(len(self.model.base), 1)
        self.restart_clean(0, VERIFY_ARGS)
        self.check_consistent(0)
        self.restart_clean(0, None)

    def kill(self, node):
        node.kill_process()
        self.kills += 1

    def restart(self, i, extra_args=None):
        """A start after a kill: no -reindex, and nothing in the log that asks for one."""
        node = self.nodes[i]
        log_start = node.debug_log_size() if node.debug_log_path.exists() else 0
        self.start_node(i, extra_args)
        with open(node.debug_log_path, "rb") as f:
            f.seek(log_start)
            written = f.read().decode("utf-8", errors="replace")
        for text in BROKEN_DATADIR_TEXTS:
            assert text not in written, f"node{i} logged {text!r} when restarting after a kill:\n{written}"
        if "Replaying blocks" in written:
            self.replays += 1

    def wait_until_connected(self, node):
        """Until the start has connected every block whose header it knows."""
        def connected():
            info = node.getblockchaininfo()
            return info["blocks"] == info["headers"]
        wait_until_helper_internal(connected, timeout=self.rpc_timeout, timeout_factor=self.options.timeout_factor)

    def check_flushed_kept(self, node):
        """Every height reported flushed is still on the active chain with the same block."""
        tip = node.getblockcount()
        for height, block_hash in self.flushed:
            assert height <= tip, f"block {block_hash} at height {height} was reported flushed, the tip is now {tip}"
            assert_equal(node.getblockhash(height), block_hash)

    def feed_reference(self, node):
        """Gives node1 node's active chain: the blocks it lacks, after invalidating its own branch past the fork
        (a -reindex may find blocks a kill had left unindexed in the files, and they may win)."""
        ref = self.nodes[1]
        tip = node.getblockcount()
        fork = min(ref.getblockcount(), tip)
        while node.getblockhash(fork) != ref.getblockhash(fork):
            fork -= 1
        if fork < ref.getblockcount():
            ref.invalidateblock(ref.getblockhash(fork + 1))
        for h in range(fork + 1, tip + 1):
            assert_equal(ref.submitblock(node.getblock(node.getblockhash(h), 0)), None)
        assert_equal(ref.getbestblockhash(), node.getbestblockhash())

    def check_consistent(self, i):
        """On node i, started with a cache big enough for verifychain's levels 3 and 4 over the whole chain (with
        -dbcache=4 it skips them and answers false, as Core's does): `verifychain 4 0` passes and the UTXO set
        equals the reference's at the same tip."""
        node = self.nodes[i]
        assert_equal(node.verifychain(4, 0), True)
        self.feed_reference(node)
        for hash_type in ("hash_serialized_3", "muhash"):
            ours = node.gettxoutsetinfo(hash_type)
            ours.pop("disk_size")
            assert_equal(ours, self.reference_stats(hash_type))
        # A returned gettxoutsetinfo flushed the chainstate.
        self.flushed.append((ours["height"], ours["bestblock"]))

    def reference_stats(self, hash_type):
        """node1's gettxoutsetinfo, asked once per tip (import rounds all end at the same one)."""
        ref = self.nodes[1]
        key = (ref.getbestblockhash(), hash_type)
        if key not in self.ref_stats:
            stats = ref.gettxoutsetinfo(hash_type)
            stats.pop("disk_size")
            self.ref_stats[key] = stats
        return self.ref_stats[key]

    def restart_clean(self, i, extra_args):
        """A completed stop flushed everything: the same tip comes back."""
        tip = self.nodes[i].getbestblockhash()
        self.stop_node(i)
        self.start_node(i, extra_args)
        assert_equal(self.nodes[i].getbestblockhash(), tip)

    # --- Phases ------------------------------------------------------------------------------------------

    def mining_kills(self, n):
        node = self.nodes[0]
        self.log.info("kills while mining")
        for _ in range(n):
            self.mocktime[0] += MOCKTIME_STEP
            node.setmocktime(self.mocktime[0])
            self.model.start_round()
            worker = MiningWorker(node, self.model, random.Random(self.rng.getrandbits(63)), self.flushed,
                                  self.mocktime)
            worker.start()
            delay = self.rng.uniform(0.05, 1.5)
            if self.rng.random() < 0.3:
                # Aim at a flush: a few milliseconds into the next gettxoutsetinfo, while its batches go out.
                worker.flushing.wait(timeout=delay)
                time.sleep(self.rng.uniform(0, 0.05))
            else:
                time.sleep(delay)
            self.kill(node)
            worker.join()
            if worker.failure is not None:
                raise worker.failure
            # The start after the kill has the big cache that verifychain needs; the recovery is the same.
            self.restart(0, VERIFY_ARGS)
            self.check_flushed_kept(node)
            # Blocks whose index entries were flushed but whose coins were not get connected after RPC is up.
            self.wait_until_connected(node)
            kept, made = self.model.settle(node)
            self.log.debug("kill %d after %d calls: %d of %d generateblock blocks kept, tip %d",
                           self.kills, worker.calls, kept, made, node.getblockcount())
            self.check_consistent(0)
            self.restart_clean(0, None)
        self.log.info("mining: tip %d, %d coins", node.getblockcount(), len(self.model.base))

    def timed_import(self, i, extra_args, done_text):
        """Starts node i, waits until its import logged done_text and connected every header it found, and
        returns how long that took; node1 then follows node i's chain, the target of every later import."""
        node = self.nodes[i]
        started = time.monotonic()
        log_start = node.debug_log_size() if node.debug_log_path.exists() else 0
        self.start_node(i, extra_args)

        def done():
            with open(node.debug_log_path, "rb") as f:
                f.seek(log_start)
                if done_text not in f.read().decode("utf-8", errors="replace"):
                    return False
            info = node.getblockchaininfo()
            return info["blocks"] == info["headers"]
        wait_until_helper_internal(done, timeout=self.rpc_timeout * 2, timeout_factor=self.options.timeout_factor)
        elapsed = time.monotonic() - started
        self.feed_reference(node)
        self.stop_node(i)
        return elapsed

    def wait_for_tip(self, node):
        """Waits for node to reach node1's tip (getblockcount first: there may be no tip yet to name)."""
        ref = self.nodes[1]
        height, target = ref.getblockcount(), ref.getbestblockhash()
        wait_until_helper_internal(lambda: node.getblockcount() == height and node.getbestblockhash() == target,
                                   timeout=self.rpc_timeout * 2, timeout_factor=self.options.timeout_factor)

    def kill_at_random(self, node, window):
        """Kills node at a random moment of `window` seconds; maybe first asks it to flush, and records that."""
        deadline = time.monotonic() + self.rng.uniform(0, window)
        if self.rng.random() < 0.5:
            time.sleep(self.rng.uniform(0, window) / 2)
            try:
                info = node.gettxoutsetinfo("none")
                self.flushed.append((info["height"], info["bestblock"]))
            except JSONRPCException:
                # Before an import into an empty datadir connected genesis there is no UTXO set to report.
                if node.getblockcount() != -1:
                    raise
        time.sleep(max(0.0, deadline - time.monotonic()))
        self.kill(node)

    def import_kills(self, i, n, first_args, resume_args, done_text):
        """Kills node i n times while it imports: it starts with first_args, and each restart (with resume_args)
        resumes the import, which is sometimes killed again before it ends."""
        node = self.nodes[i]
        first_args = self.extra_args[i] + first_args
        resume_args = self.extra_args[i] + resume_args
        self.prepare_import(i)
        window = self.timed_import(i, first_args, done_text)
        self.log.info("node%d imports in %.1f s", i, window)
        while n > 0:
            self.prepare_import(i)
            # What came before a -reindex is discarded on purpose.
            self.flushed = []
            self.start_node(i, first_args)
            while True:
                self.kill_at_random(node, window)
                n -= 1
                self.restart(i, resume_args)
                self.check_flushed_kept(node)
                if n == 0 or self.rng.random() >= 0.4:
                    break
            self.wait_for_tip(node)
            self.check_flushed_kept(node)
            self.restart_clean(i, VERIFY_ARGS)
            self.check_consistent(i)
            self.stop_node(i)

    def prepare_import(self, i):
        """node2 imports into an empty datadir each time."""
        if i == 2:
            for sub in ("blocks", "chainstate"):
                shutil.rmtree(self.nodes[2].chain_path / sub, ignore_errors=True)

    def reindex_kills(self, n):
        self.log.info("kills during -reindex")
        self.stop_node(0)
        self.import_kills(0, n, ["-reindex"], [], "Reindexing finished")

    def loadblock_kills(self, n):
        self.log.info("kills during -loadblock")
        node0 = self.nodes[0]
        self.start_node(0)
        path = os.path.join(self.options.tmpdir, "bootstrap.dat")
        with open(path, "wb") as f:
            for h in range(1, node0.getblockcount() + 1):
                raw = bytes.fromhex(node0.getblock(node0.getblockhash(h), 0))
                f.write(REGTEST_MAGIC + struct.pack("<I", len(raw)) + raw)
        self.import_kills(2, n, [f"-loadblock={path}"], [f"-loadblock={path}"], "blocks from external file")


if __name__ == "__main__":
    CrashRecoveryTest(__file__).main()
