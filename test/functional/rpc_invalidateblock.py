#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""invalidateblock and reconsiderblock on one node: the tip moves back and the UTXO set with it, a
competing branch takes over, reconsidering restores the best chain (ancestors and descendants of the
reconsidered block alike), and the status shows in getchaintips and getblockheader."""

from test_framework.block_builder import OP_TRUE_DESCRIPTOR
from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

OTHER_DESCRIPTOR = "raw(51)"


class InvalidateBlockTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def utxo_hash(self):
        return self.nodes[0].gettxoutsetinfo()["hash_serialized_3"]

    def tips(self):
        return {t["hash"]: t["status"] for t in self.nodes[0].getchaintips()}

    def run_test(self):
        node = self.nodes[0]
        self.log.info("mine a chain of 10, remembering the UTXO set after each block")
        chain_a, hashes = [], {}
        for _ in range(10):
            chain_a += node.generatetodescriptor(1, OP_TRUE_DESCRIPTOR)
            hashes[chain_a[-1]] = self.utxo_hash()

        self.log.info("invalidating block 6 takes the tip back to 5 and the UTXO set with it")
        node.invalidateblock(chain_a[5])
        assert_equal(node.getbestblockhash(), chain_a[4])
        assert_equal(self.utxo_hash(), hashes[chain_a[4]])
        assert_equal(self.tips()[chain_a[9]], "invalid")
        assert_equal(node.getblockheader(chain_a[7])["confirmations"], -1)
        assert_equal(node.getblockheader(chain_a[4])["confirmations"], 1)

        self.log.info("a shorter branch mined on 5 becomes the best valid chain")
        chain_b = node.generatetodescriptor(3, OTHER_DESCRIPTOR)
        assert_equal(node.getblockcount(), 8)
        hash_b = self.utxo_hash()
        assert hash_b not in hashes.values()
        assert_equal(self.tips(), {chain_b[-1]: "active", chain_a[9]: "invalid"})

        self.log.info("reconsidering a descendant also clears the failed ancestor; more work wins")
        node.reconsiderblock(chain_a[8])
        assert_equal(node.getbestblockhash(), chain_a[9])
        assert_equal(self.utxo_hash(), hashes[chain_a[9]])
        assert_equal(self.tips(), {chain_a[9]: "active", chain_b[-1]: "valid-fork"})

        self.log.info("invalidating a block off the active chain leaves the tip alone")
        node.invalidateblock(chain_b[1])
        assert_equal(node.getbestblockhash(), chain_a[9])
        assert_equal(self.tips()[chain_b[-1]], "invalid")
        node.reconsiderblock(chain_b[0])
        assert_equal(self.tips()[chain_b[-1]], "valid-fork")

        self.log.info("invalidating the fork point's child switches to the other branch")
        node.invalidateblock(chain_a[5])
        assert_equal(node.getbestblockhash(), chain_b[-1])
        assert_equal(self.utxo_hash(), hash_b)
        node.reconsiderblock(chain_a[5])
        assert_equal(node.getbestblockhash(), chain_a[9])
        assert_equal(self.utxo_hash(), hashes[chain_a[9]])

        self.log.info("invalidating deep and the tip; reconsidering the deep one clears its descendants too")
        node.invalidateblock(chain_a[9])
        node.invalidateblock(chain_a[2])
        assert_equal(node.getbestblockhash(), chain_a[1])
        assert_equal(self.utxo_hash(), hashes[chain_a[1]])
        node.reconsiderblock(chain_a[2])
        assert_equal(node.getbestblockhash(), chain_a[9])
        assert_equal(self.utxo_hash(), hashes[chain_a[9]])

        self.log.info("the state survives a restart")
        node.invalidateblock(chain_a[9])
        self.restart_node(0)
        assert_equal(node.getbestblockhash(), chain_a[8])
        assert_equal(self.utxo_hash(), hashes[chain_a[8]])
        assert_equal(self.tips()[chain_a[9]], "invalid")
        node.reconsiderblock(chain_a[9])
        assert_equal(node.getbestblockhash(), chain_a[9])

        self.log.info("unknown blocks")
        assert_raises_rpc_error(-5, "Block not found", node.invalidateblock, "00" * 32)
        assert_raises_rpc_error(-5, "Block not found", node.reconsiderblock, "00" * 32)
        assert_raises_rpc_error(-8, "blockhash must be of length 64 (not 2, for '00')", node.invalidateblock, "00")


if __name__ == "__main__":
    InvalidateBlockTest(__file__).main()
