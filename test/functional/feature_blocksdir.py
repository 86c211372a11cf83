#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""-blocksdir: a missing directory is an init error; the block and undo files (and xor.dat) go to
<blocksdir>/<chain>/blocks while the block index stays in the datadir; the chain survives a restart."""

import shutil

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, initialize_datadir, utxo_set_facts


class BlocksdirTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.stop_node(0)
        default_blocks = node.chain_path / "blocks"
        assert default_blocks.is_dir()
        assert not (node.datadir_path / "blocks").is_dir()
        # Start again from an empty datadir (only smithcoin.conf).
        shutil.rmtree(node.datadir_path)
        initialize_datadir(self.options.tmpdir, 0, self.chain)
        blocksdir = node.datadir_path.parent / "blocksdir"

        self.log.info("a blocks directory that does not exist is an init error")
        node.assert_start_raises_init_error([f"-blocksdir={blocksdir}"],
                                            f'Error: Specified blocks directory "{blocksdir}" does not exist.')

        self.log.info("the block files go to the blocks directory, the index stays in the datadir")
        blocksdir.mkdir()
        self.start_node(0, [f"-blocksdir={blocksdir}"])
        hashes = self.generate(node, 10, sync_fun=self.no_op)
        moved = blocksdir / self.chain / "blocks"
        for name in ("blk00000.dat", "rev00000.dat", "xor.dat"):
            assert (moved / name).is_file(), name
        assert (node.chain_path / "blocks" / "index").is_dir()
        assert not (node.chain_path / "blocks" / "blk00000.dat").exists()
        assert (node.chain_path / "chainstate").is_dir()

        self.log.info("the chain is read back from the blocks directory after a restart")
        utxo = utxo_set_facts(node, "muhash")
        self.restart_node(0, [f"-blocksdir={blocksdir}"])
        assert_equal([node.getblockhash(h) for h in range(1, 11)], hashes)
        assert_equal(node.getblock(hashes[-1], 0)[:160], node.getblockheader(hashes[-1], False))
        assert_equal(utxo_set_facts(node, "muhash"), utxo)
        assert_equal(node.verifychain(4, 0), True)
        self.stop_node(0)


if __name__ == "__main__":
    BlocksdirTest(__file__).main()
