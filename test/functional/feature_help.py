#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""-help, -version and command-line errors: answered before the node touches its datadir."""

import re

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal


class HelpTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def setup_network(self):
        self.add_nodes(self.num_nodes)

    def get_node_output(self, extra_args):
        """Start the node with extra_args, wait for it to exit; return (code, stdout, stderr)."""
        node = self.nodes[0]
        node.start(extra_args)
        code = node.process.wait(timeout=node.rpc_timeout)
        out = []
        for capture in (node.stdout, node.stderr):
            capture.seek(0)
            out.append(capture.read().decode())
            capture.close()
        node._forget_process()
        return code, out[0], out[1]

    def run_test(self):
        exe = "smithcoin-node" if self.program_kind() == "node" else "smithcoind"
        client = self.config["environment"]["CLIENT_NAME"]

        self.log.info("-h, -? and -help print the usage and every option group, exit 0")
        for flag in ("-h", "-?", "-help"):
            code, out, err = self.get_node_output([flag])
            assert_equal((code, err), (0, ""))
            assert out.startswith(f"{client} daemon version v"), out[:100]
            assert f"Usage: {exe} [options]\n" in out
            for group in ("Options:", "Connection options:", "Debugging/Testing options:", "Chain selection options:",
                          "Node relay options:", "Block creation options:", "RPC server options:"):
                assert f"\n{group}\n" in out, group
            # Debug-only options appear only with -help-debug.
            assert "  -rpcservertimeout=<n>" not in out
        code, out, _ = self.get_node_output(["-help-debug"])
        assert_equal(code, 0)
        assert "  -rpcservertimeout=<n>\n" in out

        self.log.info("-version prints the banner and the licence, exit 0")
        code, out, err = self.get_node_output(["-version"])
        assert_equal((code, err), (0, ""))
        assert re.fullmatch(rf"{re.escape(client)} daemon version v\d+\.\d+\.\d+ {exe}", out.split("\n")[0]), out
        assert "MIT software license" in out

        self.log.info("an unknown option exits 1 with Core's error")
        code, out, err = self.get_node_output(["-fakearg"])
        assert_equal((code, out, err), (1, "", "Error: Error parsing command line arguments: Invalid parameter -fakearg\n"))
        code, out, err = self.get_node_output(["-rpcport.x=1"])
        assert_equal((code, err), (1, "Error: Error parsing command line arguments: Invalid parameter -rpcport.x=1\n"))

        self.log.info("a word that is not an option is refused")
        code, out, err = self.get_node_output(["stray"])
        assert_equal((code, err), (1, f"Error: Command line contains unexpected token 'stray', see {exe} -h for a list of options.\n"))

        self.log.info("-includeconf belongs in config files only")
        code, out, err = self.get_node_output(["-includeconf=x.conf"])
        assert_equal((code, err), (1, 'Error: Error parsing command line arguments: -includeconf cannot be used from commandline; -includeconf="x.conf"\n'))

        if exe == "smithcoind":
            self.log.info("smithcoind cannot serve IPC: -ipcbind is an unknown option, as for Core's bitcoind")
            code, out, err = self.get_node_output(["-ipcbind=unix"])
            assert_equal((code, err), (1, "Error: Error parsing command line arguments: Invalid parameter -ipcbind=unix\n"))
        else:
            self.log.info("smithcoin-node accepts -ipcbind (its -help lists it)")
            code, out, err = self.get_node_output(["-ipcbind=unix", "-help"])
            assert_equal(code, 0)
            assert "IPC interprocess connection options:" in out

    def program_kind(self):
        """"node" when the framework starts smithcoin-node (SMITHCOIN_CMD with -m), else "daemon"."""
        choice = "daemon"
        for arg in self.binary_paths.smithcoin_cmd or []:
            if arg in ("-m", "--multiprocess"):
                choice = "node"
            elif arg in ("-M", "--monolithic"):
                choice = "daemon"
        return choice


if __name__ == "__main__":
    HelpTest(__file__).main()
