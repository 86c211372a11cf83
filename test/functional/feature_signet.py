#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Signet block solutions in the node (BIP325, Core's CheckSignetBlockSolution from CheckBlock).

The default signet's first blocks are accepted; one with a byte of its signature flipped is rejected with
bad-signet-blksig. The same block 1 is valid under -signetchallenge=51 (OP_TRUE: its scriptSig only
pushes) and invalid under a 2-of-2 challenge of the default keys, as in Core's feature_signet.py."""

import json
import pathlib

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal

DEFAULT_KEYS = ("2103ad5e0edad18cb1f0fc0d28a3d4f1f3e445640337489abb10404f2d1e086be430"
                "210359ef5021964fe22d6f8e05b2463c9540ce96883fe3b278760f048f5189f2e6c452ae")
SIGNET_HEADER = "ecc7daa2"


def tamper_signature(block_hex):
    """Flip one bit inside the signature of the solution; the header, and so the proof of work, stay as they are."""
    pos = block_hex.index(SIGNET_HEADER) + len(SIGNET_HEADER) + 40
    flipped = int(block_hex[pos:pos + 2], 16) ^ 1
    return f"{block_hex[:pos]}{flipped:02x}{block_hex[pos + 2:]}"


class SignetTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.chain = "signet"
        self.setup_clean_chain = True
        self.num_nodes = 3
        # Pruned, as Core's test does, so that no disk space warning comes up.
        self.extra_args = [["-prune=550"], ["-prune=550", "-signetchallenge=51"],
                           ["-prune=550", f"-signetchallenge=52{DEFAULT_KEYS}"]]

    def run_test(self):
        data = pathlib.Path(self.config["environment"]["SRCDIR"]) / "test" / "data" / "signet_blocks.json"
        with open(data, encoding="utf8") as f:
            blocks = json.load(f)["blocks"]
        default, op_true, two_of_two = self.nodes
        assert_equal(default.getblockchaininfo()["signet_challenge"], f"51{DEFAULT_KEYS}")

        self.log.info("the default signet accepts its blocks and rejects a tampered solution")
        assert_equal(default.submitblock(blocks[0]), None)
        assert_equal(default.submitblock(tamper_signature(blocks[1])), "bad-signet-blksig")
        assert_equal(default.getblockcount(), 1)
        assert_equal(default.submitblock(blocks[1]), None)
        assert_equal(default.getblockcount(), 2)

        self.log.info("-signetchallenge=51 (OP_TRUE) accepts block 1; a 2-of-2 of the default keys does not")
        assert_equal(op_true.submitblock(blocks[0]), None)
        assert_equal(op_true.getblockcount(), 1)
        assert_equal(two_of_two.submitblock(blocks[0]), "bad-signet-blksig")
        assert_equal(two_of_two.getblockcount(), 0)


if __name__ == "__main__":
    SignetTest(__file__).main()
