#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""A deep reorganisation with transactions on both branches, among them a coin spent differently on
each: the UTXO set (hash_serialized_3 and muhash) moves to the other branch, back again, and survives a
restart.

The nodes are not connected (no P2P yet): each mines its own branch and blocks move between them with
getblock/submitblock."""

from test_framework.block_builder import OP_TRUE_DESCRIPTOR, coinbase_of, op_true_spend
from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal

FORK_LEN_A = 10
FORK_LEN_B = 11


class ReorgTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 2

    def relay(self, hashes, src, dst, expected=None):
        """Hand src's blocks to dst; each submitblock must answer `expected` (None: connected)."""
        for h in hashes:
            assert_equal(self.nodes[dst].submitblock(self.nodes[src].getblock(h, 0)), expected)

    def utxo_facts(self, i):
        info = self.nodes[i].gettxoutsetinfo()
        muhash = self.nodes[i].gettxoutsetinfo("muhash")["muhash"]
        return info["hash_serialized_3"], muhash, info["txouts"], info["total_amount"]

    def mine_branch(self, i, length, spends):
        """length blocks on node i; the first carries the given spends and their children."""
        node = self.nodes[i]
        txs, children = [], []
        for parent in spends:
            children.append(op_true_spend(parent.txid_hex(), 0, parent.vout[0].value))
            txs += [parent.hex(), children[-1].hex()]
        hashes = [node.generateblock(OP_TRUE_DESCRIPTOR, txs)["hash"]]
        hashes += node.generatetodescriptor(length - 1, f"raw(5{i + 1})")
        return hashes, children

    def check_outputs(self, i, *, present, absent):
        for txid in present:
            assert self.nodes[i].gettxout(txid, 0, False) is not None, f"{txid}:0 should be unspent"
        for txid in absent:
            assert_equal(self.nodes[i].gettxout(txid, 0, False), None)

    def run_test(self):
        node0, node1 = self.nodes
        self.log.info("a common chain of 110 blocks to OP_TRUE, shared with submitblock")
        common = node0.generatetodescriptor(110, OP_TRUE_DESCRIPTOR)
        self.relay(common, 0, 1)
        assert_equal(self.utxo_facts(0), self.utxo_facts(1))
        coinbases = [coinbase_of(node0, common[i]) for i in range(3)]
        shared_spend, only_a, only_b = [op_true_spend(txid, 0, value) for txid, value in coinbases]
        # The same coin spent to a different output on each branch.
        contested, value = coinbase_of(node0, common[3])
        double_a = op_true_spend(contested, 0, value, fee=1000)
        double_b = op_true_spend(contested, 0, value, fee=2000)

        self.log.info("node0 mines branch A (10 blocks), node1 branch B (11 blocks)")
        branch_a, children_a = self.mine_branch(0, FORK_LEN_A, [shared_spend, only_a, double_a])
        branch_b, children_b = self.mine_branch(1, FORK_LEN_B, [shared_spend, only_b, double_b])
        facts_a, facts_b = self.utxo_facts(0), self.utxo_facts(1)
        assert facts_a[:2] != facts_b[:2]
        outputs_a = [c.txid_hex() for c in children_a[1:]]
        outputs_b = [c.txid_hex() for c in children_b[1:]]
        shared = children_a[0].txid_hex()
        assert_equal(children_b[0].txid_hex(), shared)
        self.check_outputs(0, present=[shared, *outputs_a], absent=outputs_b)

        self.log.info("node0 gets B one block at a time: equal work keeps A, one more block reorgs")
        # Stored but not connected: no validation verdict, so BIP22's "inconclusive".
        self.relay(branch_b[:FORK_LEN_A], 1, 0, "inconclusive")
        assert_equal(node0.getbestblockhash(), branch_a[-1])
        assert_equal(self.utxo_facts(0), facts_a)
        self.relay(branch_b[FORK_LEN_A:], 1, 0)
        assert_equal(node0.getbestblockhash(), branch_b[-1])
        assert_equal(self.utxo_facts(0), facts_b)
        self.check_outputs(0, present=[shared, *outputs_b], absent=outputs_a)
        tips = {t["hash"]: (t["status"], t["branchlen"]) for t in node0.getchaintips()}
        assert_equal(tips, {branch_b[-1]: ("active", 0), branch_a[-1]: ("valid-fork", FORK_LEN_A)})

        self.log.info("back to A by invalidating B's first block, then forward again")
        node0.invalidateblock(branch_b[0])
        assert_equal(node0.getbestblockhash(), branch_a[-1])
        assert_equal(self.utxo_facts(0), facts_a)
        self.check_outputs(0, present=[shared, *outputs_a], absent=outputs_b)
        node0.reconsiderblock(branch_b[0])
        assert_equal(self.utxo_facts(0), facts_b)

        self.log.info("node1 gets A and stays on B; after a restart both still agree")
        self.relay(branch_a, 0, 1, "inconclusive")
        assert_equal(node1.getbestblockhash(), branch_b[-1])
        self.restart_node(0)
        assert_equal(node0.getbestblockhash(), branch_b[-1])
        assert_equal(self.utxo_facts(0), facts_b)
        assert_equal(node0.verifychain(4, 0), True)

        self.log.info("A grows past B on node0: node1 reorgs back over 11 blocks")
        node0.invalidateblock(branch_b[0])
        more_a = node0.generatetodescriptor(2, "raw(51)")
        self.relay(more_a[:1], 0, 1, "inconclusive")
        self.relay(more_a[1:], 0, 1)
        assert_equal(node1.getbestblockhash(), more_a[-1])
        assert_equal(self.utxo_facts(1), self.utxo_facts(0))


if __name__ == "__main__":
    ReorgTest(__file__).main()
