#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""The blockchain RPCs on the cached 200-block chain: getblockchaininfo, getblockcount/hash/header/block,
getchaintxstats, getdifficulty, gettxout, gettxoutsetinfo, gettxoutproof/verifytxoutproof,
getdeploymentinfo, the wait RPCs, verifychain; Core's error codes and texts for bad input; restart
persistence.
"""

import hashlib
import threading
from decimal import Decimal

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.test_node import DETERMINISTIC_ADDRESSES
from test_framework.util import (
    assert_equal,
    assert_greater_than,
    assert_raises_rpc_error,
    utxo_set_facts,
    wait_until_helper_internal,
)

HEIGHT = 200
REGTEST_BITS = "207fffff"
REGTEST_TARGET = "7fffff" + "0" * 58
# Regtest halves the subsidy every 150 blocks: block 200 pays 25.
SUBSIDY_AT_TIP = Decimal(25)
INFO_KEYS = sorted(["bestblockhash", "bits", "blocks", "chain", "chainwork", "difficulty", "headers",
                    "initialblockdownload", "mediantime", "pruned", "size_on_disk", "target", "time",
                    "verificationprogress", "warnings"])
BAD_HASH = "ZZZ" + "0" * 61
NO_BLOCK = "0" * 64


def hash256_hex(raw_hex):
    """Display hash (reversed double SHA-256) of serialized bytes given as hex."""
    digest = hashlib.sha256(hashlib.sha256(bytes.fromhex(raw_hex)).digest()).digest()
    return digest[::-1].hex()


class BlockchainTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.node = self.nodes[0]
        self.test_counts_and_hashes()
        self.test_getblockchaininfo()
        self.test_getchaintxstats()
        self.test_getblockheader()
        self.test_getdifficulty()
        self.test_getblock()
        self.test_gettxout()
        self.test_gettxoutsetinfo()
        self.test_txoutproof()
        self.test_getdeploymentinfo()
        self.test_wait_rpcs()
        self.test_verifychain()
        self.test_restart_persistence()

    def test_counts_and_hashes(self):
        self.log.info("getblockcount, getbestblockhash, getblockhash")
        node = self.node
        assert_equal(node.getblockcount(), HEIGHT)
        best = node.getbestblockhash()
        assert_equal(node.getblockhash(HEIGHT), best)
        assert_equal(node.getblockhash(0), "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206")
        for bad in (-1, HEIGHT + 1):
            assert_raises_rpc_error(-8, "Block height out of range", node.getblockhash, bad)
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type number", node.getblockhash, "1")

    def test_getblockchaininfo(self):
        self.log.info("getblockchaininfo")
        res = self.node.getblockchaininfo()
        assert_equal(sorted(res.keys()), INFO_KEYS)
        tip = self.node.getblockheader(self.node.getbestblockhash())
        assert_equal((res["chain"], res["blocks"], res["headers"]), ("regtest", HEIGHT, HEIGHT))
        assert_equal((res["bestblockhash"], res["time"], res["mediantime"]), (tip["hash"], tip["time"], tip["mediantime"]))
        assert_equal((res["bits"], res["target"], res["chainwork"]), (REGTEST_BITS, REGTEST_TARGET, tip["chainwork"]))
        assert_equal(int(res["chainwork"], 16), 2 * (HEIGHT + 1))
        assert_equal((res["initialblockdownload"], res["pruned"], res["warnings"]), (False, False, []))
        assert_greater_than(res["size_on_disk"], 0)
        assert_equal(res["verificationprogress"], 1)

    def test_getchaintxstats(self):
        self.log.info("getchaintxstats: errors, the default window, a one-block window, genesis")
        node = self.node
        bad_count = "Invalid block count: should be between 0 and the block's height - 1"
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type number", node.getchaintxstats, "")
        assert_raises_rpc_error(-8, bad_count, node.getchaintxstats, -1)
        assert_raises_rpc_error(-8, bad_count, node.getchaintxstats, HEIGHT)
        assert_raises_rpc_error(-3, "JSON value of type number is not of expected type string",
                                node.getchaintxstats, blockhash=0)
        assert_raises_rpc_error(-8, "blockhash must be of length 64 (not 1, for '0')", node.getchaintxstats, blockhash="0")
        assert_raises_rpc_error(-8, f"blockhash must be hexadecimal string (not '{BAD_HASH}')",
                                node.getchaintxstats, blockhash=BAD_HASH)
        assert_raises_rpc_error(-5, "Block not found", node.getchaintxstats, blockhash=NO_BLOCK)
        tip_hash = node.getblockhash(HEIGHT)
        node.invalidateblock(tip_hash)
        assert_raises_rpc_error(-8, "Block is not in main chain", node.getchaintxstats, blockhash=tip_hash)
        node.reconsiderblock(tip_hash)
        assert_equal(node.getbestblockhash(), tip_hash)

        b1 = node.getblockheader(node.getblockhash(1))
        tip = node.getblockheader(tip_hash)
        stats = node.getchaintxstats()
        # The default window is a month of blocks, here capped at the chain's height - 1.
        interval = tip["mediantime"] - b1["mediantime"]
        assert_equal(stats, {"time": tip["time"], "txcount": HEIGHT + 1, "window_final_block_hash": tip_hash,
                             "window_final_block_height": HEIGHT, "window_block_count": HEIGHT - 1,
                             "window_tx_count": HEIGHT - 1, "window_interval": interval,
                             "txrate": stats["txrate"]})
        assert_equal(round(stats["txrate"] * interval, 10), Decimal(HEIGHT - 1))

        one = node.getchaintxstats(nblocks=1)
        assert_equal((one["window_block_count"], one["window_tx_count"]), (1, 1))
        prev = node.getblockheader(tip["previousblockhash"])
        assert_equal(one["window_interval"], tip["mediantime"] - prev["mediantime"])

        at_b1 = node.getchaintxstats(blockhash=b1["hash"])
        assert_equal(at_b1, {"time": b1["time"], "txcount": 2, "window_final_block_hash": b1["hash"],
                             "window_final_block_height": 1, "window_block_count": 0})
        genesis = node.getchaintxstats(blockhash=node.getblockhash(0))
        assert_equal((genesis["txcount"], genesis["window_final_block_height"], genesis["window_block_count"]), (1, 0, 0))

    def test_getblockheader(self):
        self.log.info("getblockheader: errors, JSON and hex")
        node = self.node
        assert_raises_rpc_error(-8, "hash must be of length 64 (not 8, for 'nonsense')", node.getblockheader, "nonsense")
        assert_raises_rpc_error(-8, f"hash must be hexadecimal string (not '{BAD_HASH}')", node.getblockheader, BAD_HASH)
        assert_raises_rpc_error(-5, "Block not found", node.getblockheader, NO_BLOCK)
        best = node.getbestblockhash()
        header = node.getblockheader(blockhash=best)
        assert_equal(sorted(header.keys()), sorted(["hash", "confirmations", "height", "version", "versionHex",
                                                    "merkleroot", "time", "mediantime", "nonce", "bits", "target",
                                                    "difficulty", "chainwork", "nTx", "previousblockhash"]))
        assert_equal((header["hash"], header["height"], header["confirmations"], header["nTx"]), (best, HEIGHT, 1, 1))
        assert_equal(header["previousblockhash"], node.getblockhash(HEIGHT - 1))
        assert_equal((header["bits"], header["target"]), (REGTEST_BITS, REGTEST_TARGET))
        assert_equal(header["versionHex"], f"{header['version']:08x}")
        assert isinstance(header["difficulty"], Decimal)
        raw = node.getblockheader(best, False)
        assert_equal(len(raw), 160)
        assert_equal(hash256_hex(raw), best)
        assert_equal(raw, node.getblock(best, 0)[:160])
        first = node.getblockheader(node.getblockhash(0))
        assert "previousblockhash" not in first
        assert_equal(first["nextblockhash"], node.getblockhash(1))
        assert_equal(first["confirmations"], HEIGHT + 1)

    def test_getdifficulty(self):
        self.log.info("getdifficulty is the regtest minimum")
        difficulty = self.node.getdifficulty()
        assert abs(difficulty * 2**31 - 1) < 0.0001
        assert_equal(difficulty, self.node.getblockchaininfo()["difficulty"])

    def test_getblock(self):
        self.log.info("getblock: verbosity 0 to 3, errors, missing data")
        node = self.node
        best = node.getbestblockhash()
        raw = node.getblock(best, 0)
        assert_equal(raw, node.getblock(best, False))
        assert_equal(hash256_hex(raw[:160]), best)
        one = node.getblock(best)
        assert_equal(one, node.getblock(best, 1))
        assert_equal(one, node.getblock(best, True))
        header = node.getblockheader(best)
        for key, value in header.items():
            assert_equal(one[key], value)
        coinbase_txid = one["tx"][0]
        two = node.getblock(best, 2)
        cb = two["tx"][0]
        assert_equal(cb["txid"], coinbase_txid)
        assert_equal(cb["hex"], raw[-len(cb["hex"]):])
        assert "fee" not in cb
        assert_equal(one["coinbase_tx"], {"version": cb["version"], "locktime": cb["locktime"],
                                          "sequence": cb["vin"][0]["sequence"], "coinbase": cb["vin"][0]["coinbase"],
                                          "witness": cb["vin"][0]["txinwitness"][0]})
        assert_equal((one["size"], one["weight"]), (two["size"], two["weight"]))
        assert_equal(one["size"], len(raw) // 2)
        three = node.getblock(best, 3)
        assert_equal(three["tx"][0]["vin"], cb["vin"])
        # As in Core, below 0 is the hex and above 3 the most detail.
        assert_equal(node.getblock(best, -1), raw)
        assert_equal(node.getblock(best, 4), three)
        assert "nextblockhash" not in one
        assert "previousblockhash" not in node.getblock(node.getblockhash(0))
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type number", node.getblock, best, "2")
        assert_raises_rpc_error(-5, "Block not found", node.getblock, NO_BLOCK)
        assert_raises_rpc_error(-8, "blockhash must be of length 64 (not 3, for 'abc')", node.getblock, "abc")

        self.log.info("getblock without undo data, and with the block file gone")
        blocks = node.chain_path / "blocks"
        (blocks / "rev00000.dat").rename(blocks / "rev_wrong")
        try:
            for verbosity in (2, 3):
                assert_raises_rpc_error(
                    -32603, "Undo data expected but can't be read. This could be due to disk corruption or a conflict "
                    "with a pruning event.", node.getblock, best, verbosity)
        finally:
            (blocks / "rev_wrong").rename(blocks / "rev00000.dat")
        (blocks / "blk00000.dat").rename(blocks / "blk00000.dat.bak")
        try:
            assert_raises_rpc_error(-1, "Block not found on disk", node.getblock, best)
        finally:
            (blocks / "blk00000.dat.bak").rename(blocks / "blk00000.dat")
        assert_equal(node.getblock(best, 0), raw)

        self.log.info("getblock when only the header is known")
        template = node.generateblock(output=f"addr({DETERMINISTIC_ADDRESSES[0]})", transactions=[], submit=False)
        node.submitheader(template["hex"][:160])
        assert_raises_rpc_error(-1, "Block not available (not fully downloaded)", node.getblock, template["hash"])
        assert_equal(node.getblockheader(template["hash"])["confirmations"], -1)
        assert_equal(node.getblockchaininfo()["headers"], HEIGHT + 1)
        # The block itself never comes: the header stays a "headers-only" tip.
        assert_equal(node.getchaintips()[0], {"height": HEIGHT + 1, "hash": template["hash"], "branchlen": 1,
                                              "status": "headers-only"})

    def test_gettxout(self):
        self.log.info("gettxout of a coinbase, a spent or unknown output, bad arguments")
        node = self.node
        best = node.getbestblockhash()
        txid = node.getblock(best)["tx"][0]
        txout = node.gettxout(txid, 0, False)
        script = node.getblock(best, 2)["tx"][0]["vout"][0]["scriptPubKey"]
        assert_equal(txout, {"bestblock": best, "confirmations": 1, "value": SUBSIDY_AT_TIP,
                             "scriptPubKey": script, "coinbase": True})
        assert_equal(script["address"], DETERMINISTIC_ADDRESSES[0])
        first = node.gettxout(node.getblock(node.getblockhash(1))["tx"][0], 0, False)
        assert_equal(first["confirmations"], HEIGHT)
        # The witness commitment is not in the UTXO set, nor an output past the end, nor an unknown txid.
        assert_equal(node.gettxout(txid, 1, False), None)
        assert_equal(node.gettxout(txid, 5, False), None)
        assert_equal(node.gettxout(NO_BLOCK, 0, False), None)
        # The genesis coinbase never enters the UTXO set.
        assert_equal(node.gettxout(node.getblock(node.getblockhash(0))["tx"][0], 0, False), None)
        assert_raises_rpc_error(-8, "txid must be of length 64 (not 4, for 'abcd')", node.gettxout, "abcd", 0)
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type number", node.gettxout, txid, "0")

    def test_gettxoutsetinfo(self):
        self.log.info("gettxoutsetinfo: totals, hash types, after invalidate/reconsider")
        node = self.node
        res = node.gettxoutsetinfo()
        # 150 blocks pay 50, the 50 after the first halving (at 150) pay 25.
        assert_equal(res["total_amount"], Decimal("8725.00000000"))
        assert_equal((res["transactions"], res["txouts"], res["height"]), (HEIGHT, HEIGHT, HEIGHT))
        assert_equal(res["bestblock"], node.getblockhash(HEIGHT))
        assert_equal(len(res["hash_serialized_3"]), 64)
        assert "muhash" not in res
        b1 = node.getblockhash(1)
        node.invalidateblock(b1)
        empty = node.gettxoutsetinfo()
        assert_equal((empty["transactions"], empty["txouts"], empty["height"], empty["bogosize"]), (0, 0, 0, 0))
        assert_equal((empty["total_amount"], empty["bestblock"]), (Decimal(0), node.getblockhash(0)))
        node.reconsiderblock(b1)
        res.pop("disk_size")
        assert_equal(utxo_set_facts(node, "hash_serialized_3"), res)
        none = node.gettxoutsetinfo("none")
        assert "hash_serialized_3" not in none and "muhash" not in none
        mu = node.gettxoutsetinfo("muhash")
        assert_equal(len(mu["muhash"]), 64)
        assert mu["muhash"] != res["hash_serialized_3"]
        assert_raises_rpc_error(-8, "'foo hash' is not a valid hash_type", node.gettxoutsetinfo, "foo hash")

    def test_txoutproof(self):
        self.log.info("gettxoutproof and verifytxoutproof")
        node = self.node
        best = node.getbestblockhash()
        txid = node.getblock(best)["tx"][0]
        proof = node.gettxoutproof([txid])
        assert_equal(proof[:160], node.getblockheader(best, False))
        assert_equal(node.verifytxoutproof(proof), [txid])
        assert_equal(node.gettxoutproof([txid], best), proof)
        old_block = node.getblockhash(50)
        old_txid = node.getblock(old_block)["tx"][0]
        assert_equal(node.verifytxoutproof(node.gettxoutproof([old_txid], old_block)), [old_txid])
        assert_raises_rpc_error(-5, "Not all transactions found in specified or retrieved block",
                                node.gettxoutproof, [txid], old_block)
        assert_raises_rpc_error(-5, "Transaction not yet in block", node.gettxoutproof, [NO_BLOCK])
        assert_raises_rpc_error(-5, "Block not found", node.gettxoutproof, [txid], NO_BLOCK)
        assert_raises_rpc_error(-8, "txid must be of length 64 (not 5, for '00000')", node.gettxoutproof, ["00000"])
        assert_raises_rpc_error(-8, f"Invalid parameter, duplicated txid: {txid}", node.gettxoutproof, [txid, txid])
        # A proof of a block off the active chain is refused.
        node.invalidateblock(best)
        assert_raises_rpc_error(-5, "Block not found in chain", node.verifytxoutproof, proof)
        assert_raises_rpc_error(-8, "proof must be hexadecimal string (not 'zz')", node.verifytxoutproof, "zz")
        node.reconsiderblock(best)
        assert_equal(node.verifytxoutproof(proof), [txid])

    def test_getdeploymentinfo(self):
        self.log.info("getdeploymentinfo with moved activation heights, at the tip and at an older block")
        node = self.node
        self.restart_node(0, ["-testactivationheight=bip34@2", "-testactivationheight=dersig@3",
                              "-testactivationheight=cltv@4", "-testactivationheight=csv@5",
                              "-testactivationheight=segwit@6"])
        tip = node.getbestblockhash()
        info = node.getdeploymentinfo()
        assert_equal(info["hash"], tip)
        assert_equal(info["height"], HEIGHT)
        assert_equal(info["script_flags"], ["CHECKLOCKTIMEVERIFY", "CHECKSEQUENCEVERIFY", "DERSIG", "NULLDUMMY",
                                            "P2SH", "TAPROOT", "WITNESS"])
        buried = {name: {"type": "buried", "active": True, "height": h}
                  for name, h in (("bip34", 2), ("bip66", 3), ("bip65", 4), ("csv", 5), ("segwit", 6))}
        assert_equal({k: v for k, v in info["deployments"].items() if k != "testdummy"}, buried)
        dummy = info["deployments"]["testdummy"]
        elapsed = HEIGHT - 143
        assert_equal(dummy, {"type": "bip9", "active": False, "bip9": {
            "bit": 28, "start_time": 0, "timeout": 0x7fffffffffffffff, "min_activation_height": 0,
            "status": "started", "status_next": "started", "since": 144,
            "statistics": {"period": 144, "threshold": 108, "elapsed": elapsed, "count": elapsed, "possible": True},
            "signalling": "#" * elapsed}})
        old = node.getdeploymentinfo(node.getblockhash(150))
        assert_equal((old["height"], old["deployments"]["testdummy"]["bip9"]["statistics"]["elapsed"]), (150, 7))
        # "active" is for the block after the one asked about: after block 2, bip66 (at 3) is on, bip65 (at 4) not.
        early = node.getdeploymentinfo(node.getblockhash(2))
        assert_equal(early["deployments"]["bip65"]["active"], False)
        assert_equal(early["deployments"]["bip66"]["active"], True)
        assert_raises_rpc_error(-5, "Block not found", node.getdeploymentinfo, NO_BLOCK)
        self.restart_node(0)

    def test_wait_rpcs(self):
        self.log.info("waitforblock, waitfornewblock, waitforblockheight with timeouts")
        node = self.node
        tip = node.getbestblockhash()
        height = node.getblockcount()
        here = {"hash": tip, "height": height}
        rollback = node.getblockhash(height - 3)
        rollback_prev = node.getblockhash(height - 4)
        node.invalidateblock(rollback)
        # Timed out: each returns the tip it has.
        assert_equal(node.waitforblock(blockhash=tip, timeout=1), {"hash": rollback_prev, "height": height - 4})
        assert_equal(node.waitfornewblock(timeout=1), {"hash": rollback_prev, "height": height - 4})
        assert_equal(node.waitforblockheight(height=height, timeout=1), {"hash": rollback_prev, "height": height - 4})
        node.reconsiderblock(rollback)
        # Already satisfied: they return at once, whatever the timeout.
        assert_equal(node.waitforblock(tip, 0), here)
        assert_equal(node.waitforblockheight(height - 10, 0), here)
        assert_equal(node.waitfornewblock(current_tip=rollback_prev), here)
        for rpc, args in ((node.waitforblock, [tip]), (node.waitforblockheight, [height]), (node.waitfornewblock, [])):
            assert_raises_rpc_error(-1, "Negative timeout", rpc, *args, -1)
        assert_raises_rpc_error(-8, "blockhash must be of length 64 (not 3, for 'abc')", node.waitforblock, "abc")
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type number",
                                node.waitforblockheight, "1")

        self.log.info("a wait ends when a block arrives (from a second connection)")
        waiter = node._make_proxy()
        mined = []
        thread = threading.Thread(target=lambda: mined.append(waiter.waitforblockheight(height + 1, 60000)))
        thread.start()
        # Mine only once the wait is running on the node, so the block is what ends it.
        self.wait_until_waiting(node, "waitforblockheight")
        new_hash = self.generate(node, 1, sync_fun=self.no_op)[0]
        thread.join(timeout=60)
        assert_equal(mined, [{"hash": new_hash, "height": height + 1}])
        node.invalidateblock(new_hash)
        assert_equal(node.getbestblockhash(), tip)

    def wait_until_waiting(self, node, method):
        def running():
            return any(c["method"] == method for c in node.getrpcinfo()["active_commands"])
        wait_until_helper_internal(running, timeout=30, timeout_factor=self.options.timeout_factor)

    def test_verifychain(self):
        self.log.info("verifychain at every level")
        for level in range(5):
            assert_equal(self.node.verifychain(level, 0), True)
        assert_equal(self.node.verifychain(), True)

    def test_restart_persistence(self):
        self.log.info("the chain, the UTXO set and invalidated blocks survive a restart")
        node = self.node
        # Another address than the invalidated block's, which could otherwise be mined again in the same second.
        self.generatetoaddress(node, 3, DETERMINISTIC_ADDRESSES[1], sync_fun=self.no_op)
        def facts():
            info = node.getblockchaininfo()
            info.pop("size_on_disk")
            return {"info": info, "tips": node.getchaintips(), "utxo": utxo_set_facts(node, "muhash")}
        before = facts()
        self.restart_node(0)
        after = facts()
        assert_equal(after, before)
        assert_equal(sorted(t["status"] for t in after["tips"]), ["active", "headers-only", "invalid"])
        assert_equal(node.verifychain(4, 0), True)


if __name__ == "__main__":
    BlockchainTest(__file__).main()
