#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""-blocknotify, -startupnotify and -shutdownnotify.

Each -blocknotify run leaves a file named after the hash in a directory, as Core's test does, and
appends the hash to a log, so that a hash notified twice shows. Core notifies only POST_INIT tips: not
while in IBD (old blocks submitted to a fresh node) and not during -reindex, whose import keeps the node
in IBD until it is over."""

import os

from test_framework.block_builder import make_chain
from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal

OLD_BLOCKS = 5
NEW_BLOCKS = 10


class NotificationsTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def setup_network(self):
        tmp = self.options.tmpdir
        self.blocknotify_dir = os.path.join(tmp, "blocknotify")
        self.blocknotify_log = os.path.join(tmp, "blocknotify.log")
        self.startup_file = os.path.join(tmp, "startupnotify.txt")
        self.shutdown_file = os.path.join(tmp, "shutdownnotify.txt")
        os.mkdir(self.blocknotify_dir)
        self.extra_args = [[
            f"-blocknotify=echo > \"{os.path.join(self.blocknotify_dir, '%s')}\"; echo %s >> \"{self.blocknotify_log}\"",
            f"-startupnotify=echo started >> \"{self.startup_file}\"",
            f"-shutdownnotify=echo stopping >> \"{self.shutdown_file}\"",
        ]]
        super().setup_network()

    def notified(self):
        """The hashes notified so far, in the order the commands appended them (one line per run)."""
        if not os.path.exists(self.blocknotify_log):
            return []
        with open(self.blocknotify_log, encoding="utf8") as f:
            return f.read().split()

    def lines(self, path):
        with open(path, encoding="utf8") as f:
            return f.read().split()

    def run_test(self):
        node = self.nodes[0]
        self.log.info("-startupnotify runs once init is done")
        self.wait_until(lambda: os.path.exists(self.startup_file), timeout=10)
        assert_equal(self.lines(self.startup_file), ["started"])

        self.log.info("no -blocknotify while in IBD: old blocks submitted to a fresh node")
        genesis = node.getblockheader(node.getbestblockhash())
        old = make_chain(genesis["hash"], 1, genesis["time"] + 1, OLD_BLOCKS)
        for block in old:
            assert_equal(node.submitblock(block.hex()), None)
        assert_equal(node.getblockcount(), OLD_BLOCKS)
        assert node.getblockchaininfo()["initialblockdownload"]

        self.log.info("-blocknotify: every block mined at the present time, the first leaving IBD included")
        blocks = self.generate(node, NEW_BLOCKS, sync_fun=self.no_op)
        assert not node.getblockchaininfo()["initialblockdownload"]
        self.wait_until(lambda: len(os.listdir(self.blocknotify_dir)) == NEW_BLOCKS, timeout=10)
        assert_equal(sorted(os.listdir(self.blocknotify_dir)), sorted(blocks))
        self.wait_until(lambda: len(self.notified()) == NEW_BLOCKS, timeout=10)
        assert_equal(sorted(self.notified()), sorted(blocks))

        self.log.info("-shutdownnotify runs as the node stops; nothing during -reindex")
        self.restart_node(0, self.extra_args[0] + ["-reindex"])
        assert_equal(self.lines(self.shutdown_file), ["stopping"])
        self.wait_until(lambda: len(self.lines(self.startup_file)) == 2, timeout=10)
        # The import keeps the node in IBD while it connects the blocks; a recent tip ends IBD once it is over.
        self.wait_until(lambda: node.getbestblockhash() == blocks[-1]
                        and not node.getblockchaininfo()["initialblockdownload"], timeout=30)

        self.log.info("the next block is the only one notified since the restart")
        new = self.generate(node, 1, sync_fun=self.no_op)[0]
        # Commands for reindexed tips would have started before this one, so they would show by now.
        self.wait_until(lambda: new in self.notified(), timeout=10)
        assert_equal(sorted(self.notified()), sorted(blocks + [new]))
        assert new in os.listdir(self.blocknotify_dir)

        self.stop_node(0)
        assert_equal(self.lines(self.shutdown_file), ["stopping", "stopping"])

        self.log.info("NODE_EXTRA_CA_CERTS is kept from Node (which would read the CA bundle as it starts) and "
                      "handed back to the commands the node runs")
        certs = os.path.join(self.options.tmpdir, "no-such-extra-ca-certs.pem")
        env_file = os.path.join(self.options.tmpdir, "startupnotify-env.txt")
        self.start_node(0, [f"-startupnotify=printf '%s' \"$NODE_EXTRA_CA_CERTS\" > \"{env_file}\""],
                        env={"NODE_EXTRA_CA_CERTS": certs})
        self.wait_until(lambda: os.path.exists(env_file) and self.text(env_file) == certs, timeout=10)
        with open(f"/proc/{node.process.pid}/environ", "rb") as f:
            environ = f.read().split(b"\0")
        assert f"NODE_EXTRA_CA_CERTS={certs}".encode() not in environ
        assert f"SMITHCOIN_NODE_EXTRA_CA_CERTS={certs}".encode() in environ
        self.stop_node(0)

    def text(self, path):
        with open(path, encoding="utf8") as f:
            return f.read()


if __name__ == "__main__":
    NotificationsTest(__file__).main()
