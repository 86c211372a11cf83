#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Automatic pruning under -prune=550 -fastprune: once the block and undo files pass the target, the oldest
files go as blocks connect, with no pruneblockchain call.

The target is Core's minimum, 550 MiB, and -fastprune does not lower it (it only makes block files small
and lets pruning start at height 100): the chain here is blocks of about 1 MB (their coinbase carries an
OP_RETURN of padding), each in a file of its own, enough of them to pass 550 MiB less the room Core keeps
free for one more chunk of each file kind (16 MiB + 1 MiB)."""

import os
import re

from test_framework.block_builder import make_block
from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, assert_greater_than, assert_raises_rpc_error

MiB = 1024 * 1024
TARGET = 550 * MiB
BUFFER = 17 * MiB  # BLOCKFILE_CHUNK_SIZE + UNDOFILE_CHUNK_SIZE
PAD = 990_000  # a block of about 996 kB, within the 4M weight limit with no witness
MIN_BLOCKS_TO_KEEP = 288
EXTRA = 20  # blocks past the point where pruning starts
BLOCKS_PER_IMPORT_FILE = 100
REGTEST_MAGIC = bytes.fromhex("fabfb5da")
PRUNE_RE = re.compile(r"\[prune\] \[normal\] target=550MiB .* removed (\d+) blk/rev pairs")


class PruningAutoTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1
        self.extra_args = [["-fastprune", "-prune=550"]]

    def files(self, prefix):
        return sorted(f for f in os.listdir(self.nodes[0].chain_path / "blocks") if f.startswith(prefix))

    def run_test(self):
        node = self.nodes[0]
        info = node.getblockchaininfo()
        assert_equal((info["pruned"], info["automatic_pruning"], info["prune_target_size"], info["pruneheight"]),
                     (True, True, TARGET, 0))

        tip = node.getblockheader(node.getbestblockhash())
        size = len(make_block(tip["hash"], 1, tip["time"] + 1, PAD).serialize())
        count = (TARGET - BUFFER) // size + EXTRA
        self.log.info(f"{count} blocks of {size} bytes into -loadblock files (faster than submitblock's hex)")
        hashes, paths = [], []
        for height in range(1, count + 1):
            if (height - 1) % BLOCKS_PER_IMPORT_FILE == 0:
                paths.append(os.path.join(self.options.tmpdir, f"import{len(paths)}.dat"))
                out = open(paths[-1], "wb")
            block = make_block(hashes[-1] if hashes else tip["hash"], height, tip["time"] + height, PAD)
            raw = block.serialize()
            out.write(REGTEST_MAGIC + len(raw).to_bytes(4, "little") + raw)
            hashes.append(block.hash())
            if height % BLOCKS_PER_IMPORT_FILE == 0 or height == count:
                out.close()

        self.log.info("imported with -loadblock; each block connects as it comes, so pruning runs during the import")
        self.restart_node(0, self.extra_args[0] + [f"-loadblock={p}" for p in paths])
        self.wait_until(lambda: node.getblockcount() == count, timeout=120)
        for p in paths:
            os.remove(p)
        with open(node.debug_log_path, encoding="utf8") as f:
            removed = [int(n) for n in PRUNE_RE.findall(f.read())]
        # Nothing went before usage reached the target; then a file or so at a time, as new ones came.
        assert_equal(removed[0], 0)
        assert_greater_than(len([n for n in removed if n > 0]), EXTRA // 4)
        self.log.info("the oldest blk/rev pairs are gone, under the target, and getblockchaininfo says so")
        info = node.getblockchaininfo()
        assert_equal((info["pruned"], info["automatic_pruning"], info["prune_target_size"]), (True, True, TARGET))
        pruneheight = info["pruneheight"]
        assert_greater_than(pruneheight, EXTRA // 2)
        assert pruneheight < count - MIN_BLOCKS_TO_KEEP, pruneheight
        # Genesis is alone in blk00000 (block 1 does not fit in the rest of its 64 KiB), block h in blk<h> with its
        # undo data in rev<h>: every file below pruneheight's went, and none after.
        blk, rev = self.files("blk"), self.files("rev")
        assert_equal(blk, [f"blk{h:05}.dat" for h in range(pruneheight, count + 1)])
        assert_equal(rev, [f"rev{h:05}.dat" for h in range(pruneheight, count + 1)])
        assert info["size_on_disk"] + BUFFER < TARGET, info["size_on_disk"]
        assert_greater_than(info["size_on_disk"] + BUFFER + size, TARGET)

        self.log.info("a pruned block's data is gone, its header stays")
        assert_raises_rpc_error(-1, "Block not available (pruned data)", node.getblock, hashes[pruneheight - 2])
        assert_equal(node.getblockheader(hashes[pruneheight - 2])["height"], pruneheight - 1)
        assert_equal(node.getblock(hashes[pruneheight - 1], 1)["height"], pruneheight)


if __name__ == "__main__":
    PruningAutoTest(__file__).main()
