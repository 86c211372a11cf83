#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Pruning with small block files (-fastprune): -prune=1 and pruneblockchain with Core's errors and
results, getblock on a pruned block, automatic pruning under -prune=550, and the refusal to restart
unpruned.

Blocks are built here with old timestamps and padded to about 20 kB, so that a 64 KiB file holds
three of them. Automatic pruning removes files only once they use more than the 550 MiB target
(feature_pruning_auto.py fills that much): under -prune=550 this test checks that every new file
triggers Core's prune check, with its range (up to 288 below the tip) and its figures, and that
nothing goes below target."""

import os
import re

from test_framework.block_builder import make_chain
from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, assert_greater_than, assert_raises_rpc_error

PAD = 20_000
MIN_BLOCKS_TO_KEEP = 288
PRUNE_AFTER_HEIGHT = 100  # regtest with -fastprune
FIRST_CHAIN = 400
MORE_BLOCKS = 30
PRUNE_CHECK_RE = re.compile(r"\[prune\] \[normal\] target=550MiB actual=(\d+)MiB diff=\d+MiB min_height=0 "
                            r"max_prune_height=(\d+) removed (\d+) blk/rev pairs")


def usage_mib(node):
    """What the block and undo files hold, in whole MiB (Core's CalculateCurrentUsage, as its prune log shows it)."""
    return node.getblockchaininfo()["size_on_disk"] // (1024 * 1024)


class PruningLiteTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1
        self.extra_args = [["-fastprune", "-prune=1"]]

    def blk_files(self):
        return sorted(f for f in os.listdir(self.nodes[0].chain_path / "blocks") if f.startswith("blk"))

    def submit(self, blocks):
        for block in blocks:
            assert_equal(self.nodes[0].submitblock(block.hex()), None)

    def run_test(self):
        node = self.nodes[0]
        genesis = node.getblockheader(node.getbestblockhash())
        self.log.info("manual pruning (-prune=1): reported, and refused on a short chain")
        info = node.getblockchaininfo()
        assert_equal((info["pruned"], info["automatic_pruning"], info["pruneheight"]), (True, False, 0))
        assert_raises_rpc_error(-1, "Blockchain is too short for pruning.", node.pruneblockchain, 10)

        chain = make_chain(genesis["hash"], 1, genesis["time"] + 1, FIRST_CHAIN, PAD)
        self.submit(chain)
        assert_equal(node.getblockcount(), FIRST_CHAIN)
        assert node.getblockchaininfo()["initialblockdownload"]
        files_before = self.blk_files()
        assert_greater_than(len(files_before), 100)

        self.log.info("pruneblockchain's argument checks")
        assert_raises_rpc_error(-8, "Negative block height.", node.pruneblockchain, -1)
        assert_raises_rpc_error(-8, "Blockchain is shorter than the attempted prune height.", node.pruneblockchain,
                                FIRST_CHAIN + 1)
        # A number over a billion is a time; none of the blocks is that late.
        assert_raises_rpc_error(-8, "Could not find block with at least the specified timestamp.", node.pruneblockchain,
                                genesis["time"] + 10 * FIRST_CHAIN + 7200)

        self.log.info("pruneblockchain 50: whole files up to there go; their blocks answer 'pruned data'")
        pruned_to = node.pruneblockchain(50)
        assert 40 <= pruned_to <= 50, pruned_to
        assert_equal(node.getblockchaininfo()["pruneheight"], pruned_to + 1)
        assert "blk00000.dat" not in self.blk_files()
        assert_raises_rpc_error(-1, "Block not available (pruned data)", node.getblock, chain[9].hash())
        assert_equal(node.getblock(chain[pruned_to].hash())["height"], pruned_to + 1)
        assert_equal(node.getblockheader(chain[9].hash())["height"], 10)

        self.log.info("a time works as the argument, and the tip's last 288 blocks are always kept")
        assert_equal(node.pruneblockchain(genesis["time"] + 30), pruned_to)
        kept_from = FIRST_CHAIN - MIN_BLOCKS_TO_KEEP
        pruned_to = node.pruneblockchain(FIRST_CHAIN)
        assert kept_from - 3 <= pruned_to <= kept_from, pruned_to
        assert_equal(node.getblock(chain[kept_from].hash())["height"], kept_from + 1)
        assert_raises_rpc_error(-1, "Block not available (pruned data)", node.getblock, chain[pruned_to - 1].hash())
        self.log.info("verifychain checks what is left; asked for everything it stops at the pruned blocks (false)")
        assert_equal(node.verifychain(4, 100), True)
        with node.assert_debug_log([f"Block verification stopping at height {pruned_to} (no data)"]):
            assert_equal(node.verifychain(4, 0), False)

        self.log.info("automatic pruning (-prune=550): checked at each new file, nothing removed under the target")
        self.restart_node(0, ["-fastprune", "-prune=550"])
        info = node.getblockchaininfo()
        assert_equal((info["automatic_pruning"], info["prune_target_size"], info["pruneheight"]),
                     (True, 550 * 1024 * 1024, pruned_to + 1))
        more = make_chain(chain[-1].hash(), FIRST_CHAIN + 1, chain[-1].time + 1, MORE_BLOCKS, PAD)
        tip = FIRST_CHAIN + MORE_BLOCKS
        files = len(self.blk_files())
        log_start = node.debug_log_size()
        self.submit(more)
        with open(node.debug_log_path, "rb") as f:
            f.seek(log_start)
            checks = PRUNE_CHECK_RE.findall(f.read().decode())
        # The check runs as a block connects, before the tip moves: the last one sees tip - 1.
        assert_greater_than(len(checks), MORE_BLOCKS // 3 - 1)
        assert_equal(max(int(height) for _, height, _ in checks), tip - 1 - MIN_BLOCKS_TO_KEEP)
        assert_equal({removed for _, _, removed in checks}, {"0"})
        assert max(int(actual) for actual, _, _ in checks) <= usage_mib(node)
        assert_equal(len(self.blk_files()), files + MORE_BLOCKS // 3)
        assert_equal(node.getblockchaininfo()["pruneheight"], pruned_to + 1)
        assert_equal(node.verifychain(4, 100), True)

        self.log.info("a pruned node does not restart unpruned")
        self.stop_node(0)
        node.assert_start_raises_init_error(
            ["-fastprune", "-prune=0"],
            "Error: You need to rebuild the database using -reindex to go back to unpruned mode.  "
            "This will redownload the entire blockchain")
        for args, message in ((["-prune=-1"], "Error: Prune cannot be configured with a negative value."),
                              (["-prune=549"], "Error: Prune configured below the minimum of 550 MiB.  Please use a higher number."),
                              (["-prune=550", "-reindex-chainstate"],
                               "Error: Prune mode is incompatible with -reindex-chainstate. Use full -reindex instead.")):
            node.assert_start_raises_init_error(args, message)
        self.start_node(0, ["-fastprune", "-prune=1"])
        assert_equal(node.getblockcount(), tip)


if __name__ == "__main__":
    PruningLiteTest(__file__).main()
