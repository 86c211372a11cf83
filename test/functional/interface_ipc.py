#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""smithcoin-node serving Bitcoin Core's IPC interfaces on -ipcbind, end to end.

An independent C++ Cap'n Proto client (test/ipc/ipc_node_client, built from our .capnp files with capnpc-c++)
mines a block through Init.construct -> makeMining -> createNewBlock -> getCoinbaseTx -> submitSolution and
the block shows over RPC; it also echoes and runs executeRpc. Then: the socket (owner-only, a stale one
replaced), Core's init errors for -ipcbind, -ipcmaxconnections, -debug=ipc lines in Core's format, echoipc
through a spawned smithcoin-node, smithcoin-cli -ipcconnect, the wrapper choosing smithcoin-node for
-ipcbind, a client that disconnects in waitTipChanged, stop with a wait pending, and smithcoin-node listening
on <datadir>/regtest/node.sock without -ipcbind (the quick start's `smithcoin -m node`) unless -noipcbind.
"""

import contextlib
import os
import pathlib
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import append_config, assert_equal, rpc_port, wait_until_helper_internal

COINBASE_TAG_HEX = "ipcnode".encode().hex()
SUBSIDY_BTC = 50
CLI_ECHO_FOO = '[\n  "foo"\n]\n'
NOT_LISTENING_HINT = ("Probably smithcoin-node is not running or not listening on a unix socket. Can be started with:\n\n"
                      "    smithcoin-node -chain=regtest -ipcbind=unix")


@contextlib.contextmanager
def short_tmpdir():
    """A directory with a short path (unix socket paths are limited to 107 bytes); removed afterwards."""
    path = pathlib.Path(tempfile.mkdtemp(prefix="test-ipc-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class InterfaceIpcTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1
        self.extra_init = [{"ipcbind": True}]
        self.extra_args = [["-debug=ipc"]]

    def skip_test_if_missing_module(self):
        self.skip_if_no_ipc()

    @property
    def node_client(self):
        return os.path.join(self.config["environment"]["BUILDDIR"], "test", "ipc",
                            "ipc_node_client" + self.config["environment"]["EXEEXT"])

    def run_test(self):
        node = self.nodes[0]
        self.sock = str(node.ipc_socket_path)
        self.test_socket_file()
        self.test_cpp_client_mines()
        self.test_echoipc()
        self.test_cli_ipcconnect()
        self.test_disconnect_during_wait()
        self.test_max_connections()
        self.test_stop_with_pending_wait()
        self.test_init_errors()
        self.test_stale_socket_replaced()
        self.test_wrapper_selects_node()
        self.test_default_listening()

    # --- helpers ----------------------------------------------------------------------------------------

    def run_client(self, scenario, sock=None):
        proc = subprocess.run([self.node_client, sock or self.sock, scenario], capture_output=True, text=True,
                              timeout=60 * self.options.timeout_factor)
        return proc.returncode, proc.stdout, proc.stderr

    def start_waiter(self):
        """An ipc_node_client blocked in Mining.waitTipChanged (the node is executing the call on return)."""
        node = self.nodes[0]
        start = node.debug_log_size()
        proc = subprocess.Popen([self.node_client, self.sock, "wait"], stdout=subprocess.PIPE, text=True)
        assert_equal(proc.stdout.readline(), "waiting\n")
        pattern = re.compile(r"IPC server recv request  #(\d+) Mining\.waitTipChanged\$Params")

        def executing():
            log = self.read_log_from(start)
            m = pattern.search(log)
            return m is not None and f"IPC server executing request #{m.group(1)}\n" in log
        self.wait_until(executing)
        return proc

    def wait_until(self, predicate):
        wait_until_helper_internal(predicate, timeout=30, timeout_factor=self.options.timeout_factor)

    def read_log_from(self, start):
        with open(self.nodes[0].debug_log_path, "rb") as f:
            f.seek(start)
            return f.read().decode("utf-8", errors="replace")

    def cli(self, *args, datadir=None):
        node = self.nodes[0]
        argv = [*node.binaries.rpc_argv(), f"-datadir={datadir or node.datadir_path}", "-regtest", *args]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60 * self.options.timeout_factor)
        return proc.returncode, proc.stdout, proc.stderr

    # --- tests ------------------------------------------------------------------------------------------

    def test_socket_file(self):
        self.log.info("the node listens on its socket, owner-only, and says so in debug.log")
        st = os.lstat(self.sock)
        assert stat.S_ISSOCK(st.st_mode), oct(st.st_mode)
        assert_equal(stat.S_IMODE(st.st_mode), 0o600)
        with open(self.nodes[0].debug_log_path, encoding="utf-8") as f:
            assert f"Listening for IPC requests on address unix:{self.sock}\n" in f.read()

    def test_cpp_client_mines(self):
        node = self.nodes[0]
        self.log.info("a C++ Cap'n Proto client mines a block through Mining/BlockTemplate, echoes, runs executeRpc")
        start = node.debug_log_size()
        code, out, err = self.run_client("mine")
        assert_equal((code, err), (0, ""))
        lines = out.splitlines()
        assert all(line.startswith("ok ") for line in lines), out
        assert "ok submitSolution: accepted with nonce " in out, out
        assert 'ok makeEcho, echo and destroy: "hallo"' in lines, out
        assert 'ok makeRpc and executeRpc: {"result":1,"error":null,"id":1}' in lines, out

        self.log.info("the block is the node's tip, with the client's coinbase")
        assert_equal(node.getblockcount(), 1)
        tip = node.getbestblockhash()
        assert f"ok getTip after submitSolution: height 1 hash {tip}" in lines, out
        coinbase = node.getblock(tip, 2)["tx"][0]
        assert coinbase["vin"][0]["coinbase"].endswith("07" + COINBASE_TAG_HEX), coinbase
        assert_equal(coinbase["vout"][0]["scriptPubKey"]["hex"], "51")
        assert_equal(coinbase["vout"][0]["value"], SUBSIDY_BTC)

        self.log.info("-debug=ipc: a request/response pair in Core's format")
        log = self.read_log_from(start)
        tag = rf"\{{smithcoin-node-{node.process.pid}/capnp-loop\}}"
        m = re.search(rf"\[ipc\] {tag} IPC server recv request  #(\d+) Echo\.echo\$Params\n", log)
        assert m is not None, log
        n = m.group(1)
        lane = rf"\{{smithcoin-node-{node.process.pid}/\d+ \(from ipc_node_client/main\)\}}"
        for line in (rf"\[ipc\] {tag} IPC server post request  #{n} {lane}\n",
                     rf"\[ipc\] {lane} IPC server executing request #{n}\n",
                     rf"\[ipc\] {tag} IPC server send response #{n} Echo\.echo\$Results\n"):
            assert re.search(line, log) is not None, f"{line!r} not in debug.log:\n{log}"
        assert re.search(rf"ipc: {tag} IPC server: socket connected\.\n", log), log

    def test_echoipc(self):
        node = self.nodes[0]
        self.log.info("echoipc goes through a spawned smithcoin-node, which exits with the Echo")
        with node.assert_debug_log(["[ipc] Process smithcoin-node pid ", " launched",
                                    " exited with status 0"]):
            for text in ("hallo", "", "ünïcödé ✓"):
                assert_equal(node.echoipc(text), text)

    def test_cli_ipcconnect(self):
        node = self.nodes[0]
        self.log.info("smithcoin-cli -ipcconnect (a wrong -rpcpassword: only IPC can answer)")
        bad = "-rpcpassword=wrong"
        code, out, err = self.cli(bad, f"-ipcconnect=unix:{self.sock}", "echo", "foo")
        assert_equal((code, out, err), (0, CLI_ECHO_FOO, ""))
        with short_tmpdir() as d:
            # "auto" and "unix" look for <datadir>/regtest/node.sock; the node's own may be too long a path.
            (d / "regtest").mkdir()
            code, out, err = self.cli(bad, "-ipcconnect=unix", "echo", "foo", datadir=d)
            assert_equal(code, 1)
            assert err.startswith("error: ") and err.endswith(NOT_LISTENING_HINT + "\n"), err
            os.symlink(self.sock, d / "regtest" / "node.sock")
            for opts in ([], ["-ipcconnect=auto"], ["-ipcconnect=unix"]):
                code, out, err = self.cli(bad, *opts, "echo", "foo", datadir=d)
                assert_equal((opts, code, out, err), (opts, 0, CLI_ECHO_FOO, ""))
        code, out, err = self.cli(bad, f"-ipcconnect=unix:{self.sock}", "-rpcconnect=127.0.0.1", "echo", "foo")
        assert_equal((code, err), (1, "error: -rpcconnect and -ipcconnect options cannot both be enabled\n"))
        self.log.info("-noipcconnect uses HTTP, where the wrong password fails; the cookie works")
        code, out, err = self.cli(bad, "-noipcconnect", "echo", "foo")
        assert code != 0 and "Incorrect rpcuser or rpcpassword" in err, (code, err)
        code, out, err = self.cli("-noipcconnect", "getblockcount")
        assert_equal((code, out), (0, "1\n"))

    def test_disconnect_during_wait(self):
        node = self.nodes[0]
        self.log.info("a client killed in waitTipChanged: Core's log lines, and the node carries on")
        proc = self.start_waiter()
        start = node.debug_log_size()
        order = ["IPC server: socket disconnected.", "canceled while executing.", "interrupted (canceled)"]
        with node.assert_debug_log(order):
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
        log = self.read_log_from(start)
        positions = [log.find(text) for text in order]
        assert positions == sorted(positions), f"{list(zip(order, positions))}\n{log}"
        assert_equal(node.getblockcount(), 1)
        self.generate(node, 1)
        code, out, _ = self.run_client("mine")
        assert code == 0, out
        assert_equal(node.getblockcount(), 3)

    def test_max_connections(self):
        node = self.nodes[0]
        self.log.info("-ipcmaxconnections=1: a second connection is closed at once, with a log line")
        self.restart_node(0, extra_args=["-debug=ipc", "-ipcmaxconnections=1"])
        holder = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            holder.connect(self.sock)
            with node.assert_debug_log(["IPC server: connection refused: already serving 1 connections (maxConnections)."]):
                code, out, _ = self.cli(f"-ipcconnect=unix:{self.sock}", "echo", "foo")
                assert code != 0, out
        finally:
            holder.close()
        self.wait_until(lambda: self.cli(f"-ipcconnect=unix:{self.sock}", "echo", "foo")[0] == 0)

    def test_stop_with_pending_wait(self):
        node = self.nodes[0]
        self.log.info("stop while a client waits in waitTipChanged: the wait returns an empty hash, the node exits")
        proc = self.start_waiter()
        start = node.debug_log_size()
        node.stop_node()
        out, _ = proc.communicate(timeout=30 * self.options.timeout_factor)
        assert_equal((proc.returncode, out), (0, "ok waitTipChanged returned: hash of 0 bytes\ndisconnected by the node\n"))
        self.log.info("shutdown answered the wait, then dropped the client, before the node was torn down")
        log = self.read_log_from(start)
        order = ["Shutdown in progress...", "IPC server send response", "Mining.waitTipChanged$Results",
                 "IPC server: socket disconnected.", "Shutdown done"]
        positions = [log.find(text) for text in order]
        assert -1 not in positions and positions == sorted(positions), f"{list(zip(order, positions))}\n{log}"

    def test_init_errors(self):
        node = self.nodes[0]
        self.log.info("init errors for -ipcbind, with Core's texts")
        with short_tmpdir() as d:
            regular = d / "file.sock"
            regular.write_text("not a socket")
            node.assert_start_raises_init_error(
                [f"-ipcbind=unix:{regular}"],
                f"Error: Unable to bind to IPC address 'unix:{regular}'. Address already in use")
            assert_equal(regular.read_text(), "not a socket")
        long_name = "x" * 120
        full = node.chain_path / long_name
        node.assert_start_raises_init_error(
            [f"-ipcbind=unix:{long_name}"],
            f"Error: Unable to bind to IPC address 'unix:{full}'. "
            f"Unix address path \"{full}\" exceeded maximum socket path length")
        node.assert_start_raises_init_error(
            ["-ipcbind=tcp:127.0.0.1:1"],
            "Error: Unable to bind to IPC address 'tcp:127.0.0.1:1'. Unrecognized address 'tcp:127.0.0.1:1'")
        node.assert_start_raises_init_error(
            ["-ipcmaxconnections=0"], "Error: -ipcmaxconnections must be a positive integer.")

    def test_stale_socket_replaced(self):
        node = self.nodes[0]
        self.log.info("a stale socket at the path is replaced (missing parent directories are made)")
        stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        with short_tmpdir() as d:
            path = d / "node.sock"
            stale.bind(str(path))
            stale.close()
            assert stat.S_ISSOCK(os.lstat(path).st_mode)
            self.start_node(0, extra_args=[f"-ipcbind=unix:{path}", f"-ipcbind=unix:{d / 'new' / 'dir' / 'node.sock'}"])
            for sock in (path, d / "new" / "dir" / "node.sock"):
                code, out, _ = self.run_client("mine", sock=str(sock))
                assert code == 0, out
            self.stop_node(0)

    def test_wrapper_selects_node(self):
        node = self.nodes[0]
        wrapper = self.binary_paths.smithcoin_bin
        prefix = node.binaries.node_argv(need_ipc=True)
        options = node.args[len(prefix):]
        saved = node.args
        self.log.info("`smithcoin node -ipcbind=...` (no -m) runs smithcoin-node, which serves the socket")
        try:
            node.args = [wrapper, "node", *options]
            self.start_node(0)
            assert_equal(self.cli(f"-ipcconnect=unix:{self.sock}", "echo", "foo")[1], CLI_ECHO_FOO)
            self.stop_node(0)
            self.log.info("ipcbind in smithcoin.conf does the same")
            node.args = [wrapper, "node", *(a for a in options if not a.startswith("-ipcbind"))]
            append_config(node.datadir_path, [f"ipcbind=unix:{self.sock}"])
            self.start_node(0)
            assert_equal(self.cli(f"-ipcconnect=unix:{self.sock}", "echo", "foo")[1], CLI_ECHO_FOO)
            self.stop_node(0)
        finally:
            node.args = saved

    def test_default_listening(self):
        node = self.nodes[0]
        self.log.info("without -ipcbind smithcoin-node listens on <datadir>/regtest/node.sock; -noipcbind turns it off")
        with short_tmpdir() as d:
            argv = [*node.binaries.node_argv(need_ipc=True), f"-datadir={d}", "-regtest", "-debug=ipc",
                    f"-rpcport={rpc_port(node.index + 1)}", "-listen=0"]
            sock = d / "regtest" / "node.sock"
            bad = "-rpcpassword=wrong"
            for extra, listens in (([], True), (["-noipcbind"], False)):
                proc = subprocess.Popen([*argv, *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                try:
                    # -rpcwait over HTTP with the cookie: the node is up, the socket (if any) is bound by then.
                    code, out, _ = self.cli("-noipcconnect", "-rpcwait", f"-rpcport={rpc_port(node.index + 1)}",
                                            "getblockcount", datadir=d)
                    assert_equal((code, out), (0, "0\n"))
                    assert_equal(sock.exists(), listens)
                    code, out, err = self.cli(bad, "-ipcconnect=unix", "echo", "foo", datadir=d)
                    if listens:
                        assert_equal((code, out, err), (0, CLI_ECHO_FOO, ""))
                        assert_equal(stat.S_IMODE(os.lstat(sock).st_mode), 0o600)
                        log = (d / "regtest" / "debug.log").read_text(encoding="utf-8")
                        assert f"Listening for IPC requests on address unix:{sock}\n" in log
                    else:
                        assert err.endswith(NOT_LISTENING_HINT + "\n"), err
                    code, _, _ = self.cli("-noipcconnect", f"-rpcport={rpc_port(node.index + 1)}", "stop", datadir=d)
                    assert_equal(code, 0)
                    assert_equal(proc.wait(timeout=60 * self.options.timeout_factor), 0)
                finally:
                    if proc.poll() is None:
                        proc.kill()
                        proc.wait()
            self.log.info("a datadir too deep for the default socket: a warning line, and the node runs")
            deep = d / ("x" * 100)
            deep.mkdir()
            with subprocess.Popen([*argv, f"-datadir={deep}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True) as proc:
                code, out, _ = self.cli("-noipcconnect", "-rpcwait", f"-rpcport={rpc_port(node.index + 1)}",
                                        "getblockcount", datadir=deep)
                assert_equal((code, out), (0, "0\n"))
                code, _, _ = self.cli("-noipcconnect", f"-rpcport={rpc_port(node.index + 1)}", "stop", datadir=deep)
                assert_equal(code, 0)
                assert_equal(proc.wait(timeout=60 * self.options.timeout_factor), 0)
                assert_equal(proc.stderr.read(), "")
            sock = deep / "regtest" / "node.sock"
            log = (deep / "regtest" / "debug.log").read_text(encoding="utf-8")
            assert (f"[warning] Unable to bind to IPC address 'unix:{sock}'. Unix address path \"{sock}\" exceeded "
                    "maximum socket path length. Not listening for IPC requests; -ipcbind=unix:<path> chooses another "
                    "path.\n") in log, log


if __name__ == "__main__":
    InterfaceIpcTest(__file__).main()
