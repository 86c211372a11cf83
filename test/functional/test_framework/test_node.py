#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""One node under test: its command line and datadir, starting it, expected start failures, stopping it.

Talking to the node (RPC, the CLI, P2P) is added when the node serves them.
"""

import logging
import os
import pathlib
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

from .util import (
    Binaries,
    ErrorMatch,
    append_config,
    delete_cookie_file,
    get_binary_paths,
    initialize_datadir,
    p2p_port,
    tor_port,
    wait_until_helper_internal,
    PortSeed,
)

# How long sun_path may be, including the trailing NUL.
if sys.platform.startswith("linux"):
    UNIX_PATH_MAX = 108
elif sys.platform.startswith(("darwin", "freebsd", "netbsd", "openbsd")):
    UNIX_PATH_MAX = 104
else:
    UNIX_PATH_MAX = 92


class FailedToStartError(Exception):
    """Raised when a node process exits while the framework expects it to be running."""


class TestNode:
    """A smithcoind (or smithcoin-node) process and the datadir it runs on.

    The command line is Core's: the binary (or SMITHCOIN_CMD + node), then the fixed test options, then
    the per-start extra arguments. stdout and stderr of each start go to fresh files under the datadir.
    """

    def __init__(self, i, datadir_path, *, chain, binaries, timewait, timeout_factor, cwd,
                 extra_conf=None, extra_args=None, v2transport=False, uses_wallet=False, ipcbind=False):
        self.index = i
        self.datadir_path = pathlib.Path(datadir_path)
        self.chain = chain
        self.chain_path = self.datadir_path / chain
        self.stdout_dir = self.datadir_path / "stdout"
        self.stderr_dir = self.datadir_path / "stderr"
        self.binaries = binaries
        self.rpc_timeout = timewait
        self.timeout_factor = timeout_factor
        self.cwd = cwd
        self.has_explicit_bind = False
        if extra_conf is not None:
            append_config(self.datadir_path, extra_conf)
            self.has_explicit_bind = any(line.startswith("bind=") for line in extra_conf)
        self.extra_args = extra_args

        self.args = self.binaries.node_argv(need_ipc=ipcbind) + [
            f"-datadir={self.datadir_path}",
            "-logtimemicros",
            "-debug",
            "-debugexclude=leveldb",
            "-debugexclude=rand",
            f"-uacomment=testnode{i}",
        ]
        # None means the test decides about the wallet itself.
        if uses_wallet is not None and not uses_wallet:
            self.args.append("-disablewallet")

        self.ipc_tmp_dir = None
        self.ipc_socket_path = None
        if ipcbind:
            self.ipc_socket_path = self.chain_path / "node.sock"
            if len(os.fsencode(self.ipc_socket_path)) < UNIX_PATH_MAX:
                self.args.append("-ipcbind=unix")
            else:
                # The default path does not fit in sun_path: bind in a short temporary directory instead.
                self.ipc_tmp_dir = pathlib.Path(tempfile.mkdtemp(prefix="test-ipc-"))
                self.ipc_socket_path = self.ipc_tmp_dir / "node.sock"
                self.args.append(f"-ipcbind=unix:{self.ipc_socket_path}")

        self.args += [
            "-logthreadnames",
            "-logsourcelocations",
            "-loglevel=trace",
            "-nologratelimit",
            "-v2transport=1" if v2transport else "-v2transport=0",
        ]

        self.running = False
        self.process = None
        self.stdout = None
        self.stderr = None
        self.cleanup_on_exit = True
        self.log = logging.getLogger(f"TestFramework.node{i}")

    def _node_msg(self, msg):
        return "[node %d] %s" % (self.index, msg)

    def _raise_assertion_error(self, msg):
        raise AssertionError(self._node_msg(msg))

    def __del__(self):
        # Never leave a node running after the test; this only happens when a test failed.
        if self.process and self.cleanup_on_exit:
            # The logging module may already be shut down here.
            print(self._node_msg("Cleaning up leftover process"))
            self.process.kill()
        if self.ipc_tmp_dir is not None:
            shutil.rmtree(self.ipc_tmp_dir, ignore_errors=True)

    def start(self, extra_args=None, *, cwd=None, stdout=None, stderr=None, env=None):
        """Start the node process. The caller decides how to wait for it."""
        if extra_args is None:
            extra_args = self.extra_args or []
        extra_args = list(extra_args)
        # Unless told otherwise the node listens on 0.0.0.0:port and 127.0.0.1:port+1 (Tor); pin both to
        # this test's ports so parallel tests do not collide.
        will_listen = all(e != "-nolisten" and e != "-listen=0" for e in extra_args)
        has_explicit_bind = self.has_explicit_bind or any(e.startswith("-bind=") for e in extra_args)
        if will_listen and not has_explicit_bind:
            extra_args.append(f"-bind=0.0.0.0:{p2p_port(self.index)}")
            extra_args.append(f"-bind=127.0.0.1:{tor_port(self.index)}=onion")

        if stderr is None:
            stderr = tempfile.NamedTemporaryFile(dir=self.stderr_dir, delete=False)
        if stdout is None:
            stdout = tempfile.NamedTemporaryFile(dir=self.stdout_dir, delete=False)
        self.stdout = stdout
        self.stderr = stderr
        delete_cookie_file(self.datadir_path, self.chain)

        subp_env = dict(os.environ, LIBC_FATAL_STDERR_="1")
        if env is not None:
            subp_env.update(env)
        self.process = subprocess.Popen(self.args + extra_args, env=subp_env, stdout=stdout, stderr=stderr,
                                        cwd=cwd or self.cwd)
        self.running = True
        self.log.debug("smithcoind started")

    def assert_start_raises_init_error(self, extra_args=None, expected_msg=None, match=ErrorMatch.FULL_TEXT,
                                       *args, **kwargs):
        """Start the node and check that it exits non-zero within the RPC timeout, printing expected_msg."""
        assert not self.running
        with tempfile.NamedTemporaryFile(dir=self.stderr_dir, delete=False) as log_stderr, \
                tempfile.NamedTemporaryFile(dir=self.stdout_dir, delete=False) as log_stdout:
            try:
                self.start(extra_args, *args, stdout=log_stdout, stderr=log_stderr, **kwargs)
                ret = self.process.wait(timeout=self.rpc_timeout)
                self.log.debug(self._node_msg(f"smithcoind exited with status {ret} during initialization"))
                self.running = False
                self.process = None
                if ret == 0:
                    self._raise_assertion_error("smithcoind exited with status 0, expected an error")
                if expected_msg is not None:
                    log_stderr.seek(0)
                    stderr = log_stderr.read().decode("utf-8").strip()
                    if match == ErrorMatch.PARTIAL_REGEX:
                        if re.search(expected_msg, stderr, flags=re.MULTILINE) is None:
                            self._raise_assertion_error(
                                'Expected message "{}" does not partially match stderr:\n"{}"'.format(expected_msg, stderr))
                    elif match == ErrorMatch.FULL_REGEX:
                        if re.fullmatch(expected_msg, stderr) is None:
                            self._raise_assertion_error(
                                'Expected message "{}" does not fully match stderr:\n"{}"'.format(expected_msg, stderr))
                    elif match == ErrorMatch.FULL_TEXT:
                        if expected_msg != stderr:
                            self._raise_assertion_error(
                                'Expected message "{}" does not fully match stderr:\n"{}"'.format(expected_msg, stderr))
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                self.running = False
                self.process = None
                assert_msg = f"smithcoind should have exited within {self.rpc_timeout}s "
                if expected_msg is None:
                    assert_msg += "with an error"
                else:
                    assert_msg += "with expected error " + expected_msg
                self._raise_assertion_error(assert_msg)

    def stop_node(self, expected_stderr="", *, wait=True):
        """Ask the node to shut down. SIGTERM starts the same orderly shutdown as Core's `stop` RPC."""
        self.log.debug("Stopping node")
        self.process.send_signal(signal.SIGTERM)
        if wait:
            self.wait_until_stopped(expected_stderr=expected_stderr)

    def is_node_stopped(self, *, expected_stderr="", expected_ret_code=0):
        """Whether the process has exited; once it has, check its exit code and stderr."""
        if not self.running:
            return True
        return_code = self.process.poll()
        if return_code is None:
            return False
        assert return_code == expected_ret_code, self._node_msg(
            f"Node returned unexpected exit code ({return_code}) vs ({expected_ret_code}) when stopping")
        self.stderr.seek(0)
        stderr = self.stderr.read().decode("utf-8").strip()
        if stderr != expected_stderr:
            raise AssertionError("Unexpected stderr {} != {}".format(stderr, expected_stderr))
        self.stdout.close()
        self.stderr.close()
        self.running = False
        self.process = None
        self.log.debug("Node stopped")
        return True

    def wait_until_stopped(self, *, timeout=None, expected_stderr="", expected_ret_code=0):
        wait_until_helper_internal(
            lambda: self.is_node_stopped(expected_stderr=expected_stderr, expected_ret_code=expected_ret_code),
            timeout=self.rpc_timeout if timeout is None else timeout, timeout_factor=self.timeout_factor)

    def kill_process(self):
        self.process.kill()
        self.wait_until_stopped(expected_ret_code=1 if platform.system() == "Windows" else -9)
        assert self.is_node_stopped()


# Unit tests for this module, run by test_runner.py before any functional test. They drive a small
# stand-in node program, so they do not need a built node.
##########################################################################################

FAKE_NODE = """#!{python}
import signal, sys, time
args = sys.argv[1:]
if "-fail" in args:
    sys.stderr.write("Error: fake init failure\\n")
    sys.exit(1)
if "-version" in args:
    print("Smithcoin Core daemon version v0.1.0 fakenode")
    sys.exit(0)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
if "-hang" not in args:
    print(" ".join(args), flush=True)
while True:
    time.sleep(0.02)
"""


class TestNodeUnit(unittest.TestCase):
    def setUp(self):
        # Keep the nodes' debug lines out of the runner's console.
        node_log = logging.getLogger("TestFramework.node0")
        self.addCleanup(setattr, node_log, "propagate", node_log.propagate)
        node_log.propagate = False
        self.addCleanup(setattr, PortSeed, "n", PortSeed.n)
        PortSeed.n = 1
        self.tmp = tempfile.mkdtemp(prefix="smithcoin_test_node_")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        fake = os.path.join(self.tmp, "fakenode")
        with open(fake, "w", encoding="utf8") as f:
            f.write(FAKE_NODE.format(python=sys.executable))
        os.chmod(fake, 0o755)
        config = {"environment": {"BUILDDIR": self.tmp, "EXEEXT": ""}}
        self.binaries = Binaries(get_binary_paths(config, env={"SMITHCOIND": fake}))

    def make_node(self, *, timewait=30, **kwargs):
        datadir = initialize_datadir(self.tmp, 0, "regtest")
        node = TestNode(0, datadir, chain="regtest", binaries=self.binaries, timewait=timewait,
                        timeout_factor=1.0, cwd=self.tmp, **kwargs)
        self.addCleanup(lambda: node.process and node.process.kill())
        return node

    def test_command_line(self):
        node = self.make_node(v2transport=True)
        self.assertEqual(node.args[1:8], [f"-datadir={self.tmp}/node0", "-logtimemicros", "-debug",
                                          "-debugexclude=leveldb", "-debugexclude=rand", "-uacomment=testnode0",
                                          "-disablewallet"])
        self.assertEqual(node.args[-1], "-v2transport=1")
        self.assertNotIn("-disablewallet", self.make_node(uses_wallet=True).args)
        self.assertNotIn("-disablewallet", self.make_node(uses_wallet=None).args)

    def test_ipcbind_argument(self):
        short = TestNode(0, "/t/node0", chain="regtest", binaries=self.binaries, timewait=1, timeout_factor=1,
                         cwd="/t", ipcbind=True)
        self.assertIn("-ipcbind=unix", short.args)
        self.assertEqual(short.args[:3], [self.binaries.paths.smithcoin_bin, "-m", "node"])
        self.assertEqual(short.ipc_socket_path, pathlib.Path("/t/node0/regtest/node.sock"))
        long_dir = "/" + "d" * 120 + "/node0"
        long = TestNode(0, long_dir, chain="regtest", binaries=self.binaries, timewait=1, timeout_factor=1,
                        cwd="/t", ipcbind=True)
        self.assertIn(f"-ipcbind=unix:{long.ipc_tmp_dir}/node.sock", long.args)
        tmp_dir = long.ipc_tmp_dir
        del long
        self.assertFalse(tmp_dir.exists())

    def test_start_binds_unless_told(self):
        def started_output(node, extra_args=None):
            node.start(extra_args)
            # Stop only once the stand-in has printed its arguments (and so installed its SIGTERM handler).
            out = pathlib.Path(node.stdout.name)
            wait_until_helper_internal(lambda: out.read_text().endswith("\n"), timeout=30)
            node.stop_node()
            return out.read_text().rstrip()

        out = started_output(self.make_node())
        self.assertTrue(out.endswith(f"-v2transport=0 -bind=0.0.0.0:{p2p_port(0)} -bind=127.0.0.1:{tor_port(0)}=onion"))
        out = started_output(self.make_node(extra_conf=["bind=127.0.0.1"]), ["-x"])
        self.assertTrue(out.endswith("-v2transport=0 -x"))
        out = started_output(self.make_node(), ["-listen=0"])
        self.assertTrue(out.endswith("-v2transport=0 -listen=0"))

    def test_init_error_matching(self):
        node = self.make_node()
        node.assert_start_raises_init_error(["-fail"], "Error: fake init failure")
        node.assert_start_raises_init_error(["-fail"], "fake init", match=ErrorMatch.PARTIAL_REGEX)
        node.assert_start_raises_init_error(["-fail"], r"Error: \w+ init failure", match=ErrorMatch.FULL_REGEX)
        with self.assertRaisesRegex(AssertionError, "does not fully match"):
            node.assert_start_raises_init_error(["-fail"], "Error: fake init")
        with self.assertRaisesRegex(AssertionError, "exited with status 0"):
            node.assert_start_raises_init_error(["-version"])
        self.assertFalse(node.running)

    def test_init_error_timeout(self):
        node = self.make_node(timewait=0.5)
        with self.assertRaisesRegex(AssertionError, r"should have exited within 0.5s with expected error E"):
            node.assert_start_raises_init_error(["-hang"], "E")
        self.assertIsNone(node.process)

    def test_stop_checks_exit_code(self):
        node = self.make_node()
        node.start(["-fail"])
        with self.assertRaisesRegex(AssertionError, r"unexpected exit code \(1\) vs \(0\)"):
            node.wait_until_stopped()
        node.wait_until_stopped(expected_ret_code=1, expected_stderr="Error: fake init failure")
        node.start(["-hang"])
        node.kill_process()
        self.assertFalse(node.running)
