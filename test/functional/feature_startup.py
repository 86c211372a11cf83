#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Start-up and shutdown: the datadir layout, debug.log, the pid file, the cookie, SIGTERM and the stop
RPC, -startupnotify/-shutdownnotify, -daemon and -daemonwait."""

import os
import pathlib
import signal
import stat
import subprocess

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, wait_until_helper_internal

# What a fresh node creates under <datadir>/regtest (directories end in "/").
LAYOUT = {"blocks/", "blocks/index/", "blocks/.lock", "chainstate/", "wallets/", "debug.log", ".cookie",
          ".lock", "smithcoind.pid", "settings.json"}


def tree(root):
    found = set()
    for path in pathlib.Path(root).rglob("*"):
        rel = path.relative_to(root).as_posix()
        found.add(rel + "/" if path.is_dir() else rel)
    return found


class StartupTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.check_layout(node)
        self.check_private_files(node)
        self.check_cookie(node)
        self.check_pid_file(node)
        self.check_debug_log(node)
        self.check_sigterm(node)
        self.check_notify(node)
        self.check_custom_pid(node)
        self.check_daemon(node)

    def check_layout(self, node):
        self.log.info("a new node lays out <datadir>/regtest as Core does, wallets/ empty")
        found = tree(node.chain_path)
        assert LAYOUT <= found, f"missing: {sorted(LAYOUT - found)}"
        # Only blocks, chainstate and wallets as directories: the cache build removes every other entry as a file.
        assert_equal(sorted(p for p in found if p.endswith("/") and p.count("/") == 1), ["blocks/", "chainstate/", "wallets/"])
        assert_equal(os.listdir(node.chain_path / "wallets"), [])

    def check_private_files(self, node):
        self.log.info("everything the node creates is its owner's only (umask 077, as Core's SetupEnvironment)")
        shared = [f"{p.relative_to(node.chain_path)} {stat.filemode(p.stat().st_mode)}"
                  for p in pathlib.Path(node.chain_path).rglob("*") if p.stat().st_mode & 0o077]
        assert_equal(shared, [])
        # LevelDB's own log goes to debug.log (-debug=leveldb), as Core routes it: no LOG files in the databases.
        assert_equal(sorted(p.name for p in pathlib.Path(node.chain_path).rglob("LOG*")), [])

    def check_cookie(self, node):
        self.log.info("the cookie is __cookie__:<64 hex>, readable by the owner only")
        cookie = node.chain_path / ".cookie"
        user, password = cookie.read_text().split(":")
        assert_equal(user, "__cookie__")
        assert_equal(len(bytes.fromhex(password)), 32)
        assert_equal(stat.S_IMODE(cookie.stat().st_mode), 0o600)

    def check_pid_file(self, node):
        self.log.info("smithcoind.pid holds the node's pid and goes away at shutdown, with the cookie")
        pid_file = node.chain_path / "smithcoind.pid"
        assert_equal(pid_file.read_text(), f"{node.process.pid}\n")
        self.stop_node(0)
        assert not pid_file.exists()
        assert not (node.chain_path / ".cookie").exists()

    def check_debug_log(self, node):
        self.log.info("debug.log gets Core's start and stop lines")
        chainstate = node.chain_path / "chainstate"
        with node.assert_debug_log(["init message: Loading block index…", "init message: Done loading",
                                    "Using random cookie authentication.", "Generated RPC authentication cookie",
                                    "Permissions used for cookie: rw-------", "Cache configuration:",
                                    "* Using 2.0 MiB for block index database", "Validating signatures for all blocks.",
                                    "Setting nMinimumChainWork=" + "0" * 64, f"Opening LevelDB in {chainstate}",
                                    "Opened LevelDB successfully", f"Using obfuscation key for {chainstate}: ",
                                    "Initializing chainstate Chainstate [ibd] @ height -1 (null)",
                                    "init message: Verifying blocks…", "Block index and chainstate loaded",
                                    "block tree size = 1", "nBestHeight = 0"],
                                   unexpected_msgs=["[leveldb]"]):
            self.start_node(0)

        with node.assert_debug_log(["Shutdown in progress...", "Shutdown done"]):
            self.stop_node(0)

    def check_sigterm(self, node):
        self.log.info("SIGTERM and SIGINT shut the node down cleanly (exit 0, empty stderr)")
        for sig in (signal.SIGTERM, signal.SIGINT):
            self.start_node(0)
            node.process.send_signal(sig)
            node.wait_until_stopped()

    def check_notify(self, node):
        self.log.info("-startupnotify runs after init, -shutdownnotify before shutdown, through the shell")
        started = node.datadir_path / "started"
        stopped = node.datadir_path / "stopped"
        self.start_node(0, [f"-startupnotify=echo up > {started}", f"-shutdownnotify=echo down >> {stopped}",
                            f"-shutdownnotify=echo again >> {stopped}"])
        wait_until_helper_internal(lambda: started.exists() and started.read_text() == "up\n", timeout=30)
        assert not stopped.exists()
        self.stop_node(0)
        assert_equal(sorted(stopped.read_text().split()), ["again", "down"])
        self.log.info("a failing notify command is logged, never fatal")
        with node.assert_debug_log(["runCommand error: system(exit 3) returned 768"]):
            self.start_node(0, ["-startupnotify=exit 3"])
        self.stop_node(0)

    def check_custom_pid(self, node):
        self.log.info("-pid=<file> is relative to the chain dir; -nopid writes none")
        self.start_node(0, ["-pid=my.pid"])
        assert_equal((node.chain_path / "my.pid").read_text(), f"{node.process.pid}\n")
        assert not (node.chain_path / "smithcoind.pid").exists()
        self.stop_node(0)
        assert not (node.chain_path / "my.pid").exists()
        self.start_node(0, ["-nopid"])
        assert not (node.chain_path / "smithcoind.pid").exists()
        self.stop_node(0)
        self.log.info("an unwritable pid file is Core's init error")
        node.assert_start_raises_init_error(
            ["-pid=/nonexistent/dir/x.pid"],
            "Error: Unable to create the PID file '/nonexistent/dir/x.pid': No such file or directory (2)")

    def check_daemon(self, node):
        for option in ("-daemon", "-daemonwait"):
            self.log.info(f"{option}: the command exits 0 after 'Smithcoin Core starting', the node runs on detached")
            run = subprocess.run(node.args + [option], capture_output=True, timeout=node.rpc_timeout, cwd=self.options.tmpdir)
            assert_equal((run.returncode, run.stdout.decode(), run.stderr), (0, "Smithcoin Core starting\n", b""))
            pid_file = node.chain_path / "smithcoind.pid"
            wait_until_helper_internal(lambda: pid_file.exists() and pid_file.read_text().endswith("\n"), timeout=60)
            pid = int(pid_file.read_text())
            # Adopt the detached node: its RPC, then stop it through RPC and wait for its pid file to go.
            node.process = DetachedProcess(pid)
            node.running = True
            node.stdout = node.stderr = None
            node.wait_for_rpc_connection()
            node.rpc.stop()
            wait_until_helper_internal(lambda: not pid_file.exists(), timeout=60)
            wait_until_helper_internal(lambda: not DetachedProcess(pid).alive(), timeout=60)
            node._forget_process()
        self.log.info("-daemonwait reports a failed init with exit code 1")
        run = subprocess.run(node.args + ["-daemonwait", "-debug=nosuchcategory"], capture_output=True,
                             timeout=node.rpc_timeout, cwd=self.options.tmpdir)
        assert_equal(run.returncode, 1)
        assert_equal(run.stderr.decode(), "Error: Unsupported logging category -debug=nosuchcategory.\n")
        self.log.info("-daemonwait: a failure in the detached node itself is reported by the waiting command")
        run = subprocess.run(node.args + ["-daemonwait", "-pid=/nonexistent/dir/x.pid"], capture_output=True,
                             timeout=node.rpc_timeout, cwd=self.options.tmpdir)
        assert_equal((run.returncode, run.stdout.decode(), run.stderr.decode()),
                     (1, "Smithcoin Core starting\n", "Error during initialization - check debug.log for details\n"))


class DetachedProcess:
    """Enough of Popen for the framework to watch a process that is not our child."""

    def __init__(self, pid):
        self.pid = pid
        self.returncode = None

    def alive(self):
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def poll(self):
        return None if self.alive() else 0

    def kill(self):
        os.kill(self.pid, signal.SIGKILL)

    def wait(self, timeout=None):
        wait_until_helper_internal(lambda: not self.alive(), timeout=timeout or 60)
        return 0


if __name__ == "__main__":
    StartupTest(__file__).main()
