#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""smithcoin-cli against a running smithcoind: the cookie and conf from the datadir, -rpcuser and
-rpcpassword, -stdinrpcpass, -named, Core's error texts and exit codes, -rpcwait through start-up,
a refused connection, and stop."""

import subprocess

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, get_auth_cookie, rpc_port

HINT = ("\n\nMake sure the smithcoind server is running and that you are connecting to the correct RPC port.\n"
        'Use "smithcoin-cli -help" for more info.')


class CliTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def skip_test_if_missing_module(self):
        self.skip_if_no_cli()

    def run_cli(self, *args, stdin="", datadir=True):
        node = self.nodes[0]
        argv = [*node.binaries.rpc_argv(), *([f"-datadir={node.datadir_path}"] if datadir else []), *args]
        proc = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60 * self.options.timeout_factor)
        return proc.returncode, proc.stdout, proc.stderr

    def run_test(self):
        node = self.nodes[0]
        client = self.config["environment"]["CLIENT_NAME"]
        conf = node.datadir_path / "smithcoin.conf"

        self.log.info("-version names the RPC client")
        code, out, _ = self.run_cli("-version", datadir=False)
        assert_equal(code, 0)
        assert out.startswith(f"{client} RPC client version v"), out

        self.log.info("the chain, port and cookie come from the datadir")
        code, out, err = self.run_cli("uptime")
        assert_equal((code, err), (0, ""))
        assert int(out) >= 0
        code, out, _ = self.run_cli("help")
        assert "== Control ==\n" in out and "\nstop\n" in out, out
        code, out, _ = self.run_cli("-named", "help", "command=uptime")
        assert out.startswith("uptime\n"), out

        self.log.info("RPC errors: Core's two lines on stderr, |code| as the exit status (mod 256)")
        code, out, err = self.run_cli("nosuchmethod")
        assert_equal((code, out, err), (32601 % 256, "", "error code: -32601\nerror message:\nMethod not found\n"))
        code, _, err = self.run_cli("-named", "uptime", "nosuch=1")
        assert_equal((code, err), (8, "error code: -8\nerror message:\nUnknown named parameter nosuch\n"))

        self.log.info("-getinfo reports the chain and the network; -generate and -netinfo pass on the node's error for what it does not serve yet")
        code, out, err = self.run_cli("-getinfo")
        assert_equal((code, err), (0, ""))
        assert out.startswith("Chain: regtest\nBlocks: 0\nHeaders: 0\n"), out
        assert "Version: " in out and "Warnings: (none)" in out, out
        for option in ("-generate", "-netinfo"):
            code, _, err = self.run_cli(option)
            assert_equal((code, err), (32601 % 256, "error code: -32601\nerror message:\nMethod not found\n"))

        self.log.info("-rpcuser/-rpcpassword: the cookie's credentials work, a wrong password gets Core's text")
        user, password = get_auth_cookie(node.datadir_path, self.chain)
        code, out, _ = self.run_cli(f"-rpcuser={user}", f"-rpcpassword={password}", "uptime")
        assert_equal(code, 0)
        code, out, _ = self.run_cli(f"-rpcuser={user}", "-stdinrpcpass", "uptime", stdin=password + "\n")
        assert_equal(code, 0)
        code, out, err = self.run_cli(f"-rpcuser={user}", "-rpcpassword=wrong", "uptime")
        assert_equal((code, err), (1, f"error: Authorization failed: Incorrect rpcuser or rpcpassword were specified. Configuration file: ({conf})\n"))
        code, _, err = self.run_cli("-rpccookiefile=nonexistent", "uptime")
        assert_equal(err, f"error: Authorization failed: Failed to read cookie file and no rpcpassword was specified. Configuration file: ({conf})\n")

        self.log.info("stop through the CLI, then a refused connection and an expired -rpcwait")
        code, out, _ = self.run_cli("stop")
        assert_equal((code, out), (0, f"{client} stopping\n"))
        node.process.wait(timeout=60 * self.options.timeout_factor)
        node._forget_process()
        port = rpc_port(0)
        code, _, err = self.run_cli("uptime")
        assert_equal((code, err), (1, f"error: Error while attempting to communicate with server 127.0.0.1:{port} (Could not connect to the server){HINT}\n"))
        code, _, err = self.run_cli("-rpcwait", "-rpcwaittimeout=1", "uptime")
        assert_equal(err, f"error: timeout on transient error: Error while attempting to communicate with server 127.0.0.1:{port} "
                     f"(Could not connect to the server){HINT}\n")

        self.log.info("-rpcwait waits for the node to start and leave warm-up")
        node_argv = [*node.binaries.rpc_argv(), f"-datadir={node.datadir_path}", "-rpcwait", "-rpcwaittimeout=120", "uptime"]
        waiter = subprocess.Popen(node_argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.start_node(0)
        out, err = waiter.communicate(timeout=120 * self.options.timeout_factor)
        assert_equal((waiter.returncode, err), (0, ""))
        assert int(out) >= 0


if __name__ == "__main__":
    CliTest(__file__).main()
