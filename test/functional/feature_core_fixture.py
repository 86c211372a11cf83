#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""A regtest datadir written by Bitcoin Core (test/data/core-regtest/) opens as it is and reports exactly
the facts Core reported (expected.json); the node mines on top of it and keeps the result over a restart;
-reindex and -reindex-chainstate on fresh copies rebuild the same chain and UTXO set.

The node runs under the generation's mock time (mocktime_end): the tip is then recent, so
initialblockdownload is false as it was for Core. Under the real clock the tip would be months old.
"""

import decimal
import http.client
import json
import os
import pathlib
import shutil
import stat

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, rpc_port, utxo_set_facts, wait_until_helper_internal

FIXTURE_BLOCKS = 318
MINED_ON_TOP = 5


def fixture_dir(config):
    return pathlib.Path(config["environment"]["SRCDIR"]) / "test" / "data" / "core-regtest"


def copy_fixture(src, datadir):
    """Copy the chain into <datadir>/regtest; the source may be read-only (CI), the copy must not be."""
    dest = datadir / "regtest"
    shutil.copytree(src / "regtest", dest)
    for root, dirs, files in os.walk(dest):
        for name in dirs + files:
            path = pathlib.Path(root, name)
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    dest.chmod(dest.stat().st_mode | stat.S_IWUSR)


class CoreFixtureTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        # node0 opens the copy as it is, node1 with -reindex, node2 with -reindex-chainstate.
        self.num_nodes = 3

    def setup_network(self):
        src = fixture_dir(self.config)
        with open(src / "expected.json", encoding="utf8") as f:
            self.expected = json.load(f, parse_float=decimal.Decimal)
        self.mocktime = self.expected["mocktime_end"]
        # node0 also serves REST, to read Core's undo data through /rest/spenttxouts.
        self.add_nodes(self.num_nodes, [[f"-mocktime={self.mocktime}", "-rest"]] + [[f"-mocktime={self.mocktime}"]] * 2)
        for node in self.nodes:
            copy_fixture(src, node.datadir_path)

    def run_test(self):
        node = self.nodes[0]
        self.log.info("the Core datadir opens as it is and reports Core's facts")
        self.start_node(0)
        self.check_facts(node, fork_status="valid-fork")

        self.log.info("the block files keep Core's XOR key")
        xor = (node.chain_path / "blocks" / "xor.dat").read_bytes()
        assert_equal(xor.hex(), self.expected["xor_key"])

        self.log.info("every block header's transaction count adds up to Core's total")
        assert_equal(node.getchaintxstats(nblocks=1)["txcount"], self.expected["tx_count"])

        self.check_spent_outputs(node)
        self.check_txoutproof(node)
        self.check_mine_and_restart(node)

        self.log.info("-reindex rebuilds the index and the UTXO set from Core's block files")
        self.start_node(1, [f"-mocktime={self.mocktime}", "-reindex"])
        self.wait_for_import(self.nodes[1], FIXTURE_BLOCKS)
        # The invalidated-then-reconsidered branch was never connected during the rebuild: as in Core, a
        # branch known only from the block files is "valid-headers", not "valid-fork".
        self.check_facts(self.nodes[1], fork_status="valid-headers")
        self.stop_node(1)

        self.log.info("-reindex-chainstate keeps Core's block index and rebuilds the UTXO set")
        self.start_node(2, [f"-mocktime={self.mocktime}", "-reindex-chainstate"])
        self.wait_for_import(self.nodes[2], FIXTURE_BLOCKS)
        self.check_facts(self.nodes[2], fork_status="valid-fork")
        self.stop_node(2)

    def wait_for_import(self, node, height):
        """The rebuild runs in the background; as in Core, the node is in IBD until the import is over."""
        def done():
            info = node.getblockchaininfo()
            return info["blocks"] == height and not info["initialblockdownload"]
        wait_until_helper_internal(done, timeout=60, timeout_factor=self.options.timeout_factor)

    def check_facts(self, node, *, fork_status):
        exp = self.expected
        tip = exp["getblockchaininfo"]["bestblockhash"]
        assert_equal(node.getblockcount(), FIXTURE_BLOCKS)
        assert_equal(node.getbestblockhash(), tip)
        assert_equal([node.getblockhash(h) for h in range(FIXTURE_BLOCKS + 1)], exp["block_hashes"])

        tips = [dict(t) for t in exp["getchaintips"]]
        tips[1]["status"] = fork_status
        assert_equal(sorted(node.getchaintips(), key=lambda t: -t["height"]), tips)
        assert_equal(node.getblockheader(tip), exp["blockheader_tip"])
        for height, block in exp["blocks_verbosity2"].items():
            assert_equal(node.getblock(exp["block_hashes"][int(height)], 2), block)

        info = node.getblockchaininfo()
        assert_equal({key: info[key] for key in exp["getblockchaininfo"]}, exp["getblockchaininfo"])
        for hash_type, key in (("hash_serialized_3", "gettxoutsetinfo_hash_serialized_3"),
                               ("muhash", "gettxoutsetinfo_muhash")):
            # expected.json leaves out disk_size, which depends on the flushes.
            assert_equal(utxo_set_facts(node, hash_type), exp[key])
        # The stale branch's blocks stay on disk and readable.
        stale = node.getblock(exp["stale_branch_first"])
        assert_equal(stale["confirmations"], -1)

    def check_spent_outputs(self, node):
        """Core's undo data (rev00000.dat) read back: /rest/spenttxouts equals getblock verbosity 3's prevouts."""
        self.log.info("Core's undo data gives every spent output of the blocks with spends")
        conn = http.client.HTTPConnection("127.0.0.1", rpc_port(0), timeout=30)
        try:
            for height in self.expected["blocks_verbosity2"]:
                block_hash = self.expected["block_hashes"][int(height)]
                conn.request("GET", f"/rest/spenttxouts/{block_hash}.json")
                resp = conn.getresponse()
                spent = json.loads(resp.read(), parse_float=decimal.Decimal)
                assert_equal(resp.status, 200)
                block = node.getblock(block_hash, 3)
                prevouts = [[{"value": vin["prevout"]["value"], "scriptPubKey": vin["prevout"]["scriptPubKey"]}
                             for vin in tx["vin"] if "coinbase" not in vin] for tx in block["tx"]]
                assert_equal(spent, prevouts)
        finally:
            conn.close()

    def check_txoutproof(self, node):
        """Merkle proofs over Core's many-transaction blocks: any subset of a block's transactions."""
        self.log.info("gettxoutproof/verifytxoutproof over Core's blocks")
        for height in ("111", "318"):
            block = self.expected["blocks_verbosity2"][height]
            txids = [tx["txid"] for tx in block["tx"]]
            for chosen in ([txids[0]], [txids[-1]], [txids[1], txids[len(txids) // 2], txids[-1]], txids):
                proof = node.gettxoutproof(chosen, block["hash"])
                assert_equal(proof[:160], node.getblockheader(block["hash"], False))
                # The matches come back in the block's order, whatever the order asked.
                assert_equal(node.verifytxoutproof(proof), [t for t in txids if t in chosen])
                assert_equal(node.gettxoutproof(list(reversed(chosen)), block["hash"]), proof)

    def check_mine_and_restart(self, node):
        self.log.info("mining on top of Core's chain")
        node.setmocktime(self.mocktime + 600)
        mined = self.generate(node, MINED_ON_TOP, sync_fun=self.no_op)
        height = FIXTURE_BLOCKS + MINED_ON_TOP
        assert_equal(node.getblockcount(), height)
        assert_equal(node.getblockheader(mined[0])["previousblockhash"], self.expected["block_hashes"][-1])
        before = utxo_set_facts(node)
        assert_equal(before["height"], height)
        assert_equal(before["txouts"], self.expected["gettxoutsetinfo_hash_serialized_3"]["txouts"] + MINED_ON_TOP)

        self.log.info("the mined blocks and the UTXO set survive a restart")
        self.restart_node(0, [f"-mocktime={self.mocktime + 600}", "-rest"])
        assert_equal(node.getblockcount(), height)
        assert_equal([node.getblockhash(h) for h in range(FIXTURE_BLOCKS + 1, height + 1)], mined)
        assert_equal(node.getblockhash(FIXTURE_BLOCKS), self.expected["block_hashes"][-1])
        assert_equal(utxo_set_facts(node), before)
        assert_equal(node.verifychain(4, 0), True)
        self.stop_node(0)


if __name__ == "__main__":
    CoreFixtureTest(__file__).main()
