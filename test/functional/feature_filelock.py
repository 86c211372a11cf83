#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""The datadir lock: a second node on the same data or blocks directory fails with Core's error, and
the lock goes with the process (a killed node leaves no stale lock)."""

import os

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal


class FilelockTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 2

    def setup_network(self):
        self.add_nodes(self.num_nodes, extra_args=None)
        self.nodes[0].start()
        self.nodes[0].wait_for_rpc_connection()

    def run_test(self):
        node0, node1 = self.nodes
        client = self.config["environment"]["CLIENT_NAME"]
        datadir = node0.chain_path

        self.log.info("a second node on the same datadir cannot take the lock")
        expected = f"Error: Cannot obtain a lock on directory {datadir}. {client} is probably already running."
        node1.assert_start_raises_init_error([f"-datadir={node0.datadir_path}", "-noserver"], expected)

        self.log.info("nor on a blocks directory another node holds (-blocksdir)")
        blocksdir = node0.datadir_path / "shared_blocks"
        os.mkdir(blocksdir)
        self.restart_node(0, [f"-blocksdir={blocksdir}"])
        assert (blocksdir / "regtest" / "blocks" / ".lock").exists()
        expected = (f"Error: Cannot obtain a lock on directory {blocksdir}/regtest/blocks. "
                    f"{client} is probably already running.")
        node1.assert_start_raises_init_error([f"-blocksdir={blocksdir}", "-noserver"], expected)

        self.log.info("the lock goes with the process: a killed node leaves none behind")
        node0.kill_process()
        assert (datadir / ".lock").exists()
        self.start_node(0, [f"-blocksdir={blocksdir}"])
        assert_equal(node0.uptime() >= 0, True)


if __name__ == "__main__":
    FilelockTest(__file__).main()
