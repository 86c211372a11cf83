#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""preciousblock: among branches of equal work the precious one becomes the tip (and the UTXO set
follows), again and again; a branch with less work cannot be preferred; more work still wins.

The nodes are not connected (no P2P yet): each mines its own branch and the blocks move between them
with getblock/submitblock."""

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

DESCRIPTORS = ["raw(51)", "raw(52)", "raw(53)"]


class PreciousTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 3

    def mine(self, i, n):
        return self.nodes[i].generatetodescriptor(n, DESCRIPTORS[i])

    def relay(self, hashes, src, dst):
        """Hand src's blocks to dst with submitblock, as a peer would."""
        for h in hashes:
            self.nodes[dst].submitblock(self.nodes[src].getblock(h, 0))

    def utxo_hash(self, i):
        return self.nodes[i].gettxoutsetinfo()["hash_serialized_3"]

    def check_tip(self, i, tip):
        assert_equal(self.nodes[i].getbestblockhash(), tip)
        assert_equal(self.utxo_hash(i), self.utxo_at[tip])

    def run_test(self):
        node0, node1, node2 = self.nodes
        self.log.info("node0 mines A-B-C, node1 mines E-F-G, each from genesis")
        abc, efg = self.mine(0, 3), self.mine(1, 3)
        self.utxo_at = {abc[-1]: self.utxo_hash(0), efg[-1]: self.utxo_hash(1)}
        assert self.utxo_at[abc[-1]] != self.utxo_at[efg[-1]]

        self.log.info("each gets the other's branch: equal work, no reorg (the first seen stays)")
        self.relay(efg, 1, 0)
        self.relay(abc, 0, 1)
        self.check_tip(0, abc[-1])
        self.check_tip(1, efg[-1])

        self.log.info("preciousblock switches between the equal branches, back and forth")
        for node, order in ((0, (efg, abc, efg)), (1, (abc, efg, abc))):
            for branch in order:
                self.nodes[node].preciousblock(branch[-1])
                self.check_tip(node, branch[-1])
        # Preferring the tip again changes nothing.
        node0.preciousblock(efg[-1])
        self.check_tip(0, efg[-1])

        self.log.info("node0 mines H on G; node1 follows the longer branch and can no longer prefer C")
        h = node0.generatetodescriptor(1, DESCRIPTORS[0])[0]
        self.utxo_at[h] = self.utxo_hash(0)
        self.relay([h], 0, 1)
        self.check_tip(1, h)
        node1.preciousblock(abc[-1])
        self.check_tip(1, h)

        self.log.info("node2's longer branch I-J-K-L-M wins on node0 whatever was precious")
        ijkl = self.mine(2, 5)
        self.utxo_at[ijkl[-1]] = self.utxo_hash(2)
        self.relay(ijkl, 2, 0)
        self.check_tip(0, ijkl[-1])
        node0.preciousblock(h)
        self.check_tip(0, ijkl[-1])

        self.log.info("an unknown block")
        assert_raises_rpc_error(-5, "Block not found", node0.preciousblock, "00" * 32)


if __name__ == "__main__":
    PreciousTest(__file__).main()
