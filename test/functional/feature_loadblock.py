#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""-loadblock imports a file of blocks in Core's framing (network magic, length, block), made here from
another node's blk00000.dat with its xor.dat obfuscation undone, with garbage between the records. As in
Core, the file must be in chain order: a block read before its parent is skipped (Core keeps no list of
waiting blocks for -loadblock files), and so are the blocks after it. Then -reindex rebuilds the same chain
while RPC already answers."""

import hashlib
import os
import random
import struct

from test_framework.block_builder import OP_TRUE_DESCRIPTOR
from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, wait_until_helper_internal

REGTEST_MAGIC = bytes.fromhex("fabfb5da")
CHAIN_LENGTH = 150


def read_blocks(path, key):
    """The raw blocks of a blk file, the XOR key undone; stops at the zero-filled preallocated tail."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    for i in range(len(data)):
        data[i] ^= key[i % len(key)]
    blocks, pos = [], 0
    while pos + 8 <= len(data) and data[pos:pos + 4] == REGTEST_MAGIC:
        size = struct.unpack_from("<I", data, pos + 4)[0]
        assert pos + 8 + size <= len(data), "a block runs past the end of the file"
        blocks.append(bytes(data[pos + 8:pos + 8 + size]))
        pos += 8 + size
    return blocks


def block_hash(raw):
    return hashlib.sha256(hashlib.sha256(raw[:80]).digest()).digest()[::-1].hex()


class LoadblockTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 2

    def facts(self, node):
        return node.getbestblockhash(), node.gettxoutsetinfo()["hash_serialized_3"]

    def run_test(self):
        node0, node1 = self.nodes
        self.log.info(f"node0 mines {CHAIN_LENGTH} blocks; its blk00000.dat, un-XORed, is the bootstrap file")
        node0.generatetodescriptor(CHAIN_LENGTH, OP_TRUE_DESCRIPTOR)
        expected = self.facts(node0)
        self.stop_node(0)
        blocks_dir = node0.chain_path / "blocks"
        key = (blocks_dir / "xor.dat").read_bytes()
        assert_equal(len(key), 8)
        assert key != bytes(8), "a fresh datadir gets a random XOR key"
        blocks = read_blocks(blocks_dir / "blk00000.dat", key)
        assert_equal(len(blocks), CHAIN_LENGTH + 1)  # with genesis

        rng = random.Random(CHAIN_LENGTH)

        def write_bootstrap(name, order):
            path = os.path.join(self.options.tmpdir, name)
            with open(path, "wb") as f:
                for i in order:
                    f.write(REGTEST_MAGIC + struct.pack("<I", len(blocks[i])) + blocks[i])
                    f.write(bytes(rng.randrange(256) for _ in range(rng.randrange(8))))
            return path

        self.log.info("a file with blocks 2 and 3 swapped: node1 takes block 1, then skips the rest as Core does")
        swapped = write_bootstrap("swapped.dat", [0, 1, 3, 2, *range(4, len(blocks))])
        with node1.assert_debug_log([f"LoadExternalBlockFile: Out of order block {block_hash(blocks[3])}, parent {block_hash(blocks[2])} not known",
                                     "Loaded 2 blocks from external file"], timeout=60):
            self.restart_node(1, [f"-loadblock={swapped}", "-debug=reindex"])
        wait_until_helper_internal(lambda: node1.getblockcount() == 2, timeout=60, timeout_factor=self.options.timeout_factor)

        self.log.info("node1 imports the file in chain order, noise between the records, with -loadblock")
        bootstrap = write_bootstrap("bootstrap.dat", range(len(blocks)))
        self.restart_node(1, [f"-loadblock={bootstrap}"])
        wait_until_helper_internal(lambda: node1.getblockcount() == CHAIN_LENGTH, timeout=60,
                                   timeout_factor=self.options.timeout_factor)
        assert_equal(self.facts(node1), expected)

        self.log.info("-reindex rebuilds the chain from node1's own files; RPC answers during it")
        self.restart_node(1, ["-reindex"])
        seen = [node1.getblockcount()]
        wait_until_helper_internal(lambda: seen.append(node1.getblockcount()) or seen[-1] == CHAIN_LENGTH,
                                   timeout=60, timeout_factor=self.options.timeout_factor)
        self.log.info(f"block counts seen during the reindex: {sorted(set(seen))}")
        assert all(0 <= count <= CHAIN_LENGTH for count in seen)
        assert_equal(self.facts(node1), expected)
        self.restart_node(1)
        assert_equal(self.facts(node1), expected)
        assert_equal(node1.verifychain(4, 0), True)


if __name__ == "__main__":
    LoadblockTest(__file__).main()
