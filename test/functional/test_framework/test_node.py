#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""One node under test: its command line and datadir, starting it, waiting for its RPC, expected start
failures, debug.log checks, stopping it.

RPC methods are called on the node itself (node.getblockcount()); they go through one kept-alive
connection. The CLI and P2P connections are added when the node serves them.
"""

import contextlib
import errno
import http.client
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
import time
import unittest

from .authproxy import JSONRPCException
from .util import (
    Binaries,
    ErrorMatch,
    append_config,
    delete_cookie_file,
    get_binary_paths,
    initialize_datadir,
    p2p_port,
    rpc_url,
    tor_port,
    wait_until_helper_internal,
    PortSeed,
)


def _sun_path_limit():
    """Bytes available for a unix socket path, the terminating NUL included."""
    if sys.platform.startswith("linux"):
        return 108
    if sys.platform.startswith(("darwin", "freebsd", "netbsd", "openbsd")):
        return 104
    return 92


UNIX_PATH_MAX = _sun_path_limit()

# Switches every test node gets, before and after the optional wallet and IPC ones.
LEADING_OPTIONS = ("-logtimemicros", "-debug", "-debugexclude=leveldb", "-debugexclude=rand")
TRAILING_OPTIONS = ("-logthreadnames", "-logsourcelocations", "-loglevel=trace", "-nologratelimit")


# The P2PKH addresses the framework mines to (Core's TestNode.PRIV_KEYS), one per node index.
DETERMINISTIC_ADDRESSES = (
    "mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z",
    "msX6jQXvxiNhx3Q62PKeLPrhrqZQdSimTg",
    "mnonCMyH9TmAsSj3M59DsbH8H63U3RKoFP",
    "mqJupas8Dt2uestQDvV2NH3RU8uZh2dqQR",
)


class FailedToStartError(Exception):
    """The node process ended while the framework expected it to keep running."""


# Errors the readiness poll waits through: the node is still starting (warm-up, no cookie yet, the
# port not open yet, or a non-JSON answer).
RPC_IN_WARMUP = -28
RPC_METHOD_NOT_FOUND = -32601
NON_JSON_RESPONSE = -342
RETRY_ERRNOS = (errno.ECONNREFUSED, errno.ECONNRESET, errno.ETIMEDOUT, errno.ECONNABORTED)
POLL_PER_SECOND = 4
# The stop RPC's answer (CLIENT_NAME + " stopping").
STOP_SUFFIX = " stopping"


def _stderr_matches(expected, actual, match):
    """Whether a node's stripped stderr satisfies expected under the ErrorMatch mode."""
    if match == ErrorMatch.FULL_TEXT:
        return actual == expected
    if match == ErrorMatch.FULL_REGEX:
        return re.fullmatch(expected, actual) is not None
    if match == ErrorMatch.PARTIAL_REGEX:
        return re.search(expected, actual, flags=re.MULTILINE) is not None
    raise ValueError(f"unknown match mode {match!r}")


def _read_all(capture):
    capture.seek(0)
    return capture.read().decode("utf-8").strip()


def _will_listen(extra_args):
    return not any(a in ("-nolisten", "-listen=0") for a in extra_args)


class TestNode:
    """A smithcoind (or smithcoin-node) process and its datadir.

    argv = the program (SMITHCOIN_CMD + node, or its own path), the options every test node gets,
    then each start's extra arguments. Every start captures stdout and stderr in new files under the
    datadir's stdout/ and stderr/ folders.
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
        self.extra_args = extra_args
        self.has_explicit_bind = False
        if extra_conf is not None:
            append_config(self.datadir_path, extra_conf)
            self.has_explicit_bind = any(line.startswith("bind=") for line in extra_conf)

        self.running = False
        self.process = None
        self.rpc = None
        self.rpc_connected = False
        self.stdout = None
        self.stderr = None
        self.cleanup_on_exit = True
        self.log = logging.getLogger(f"TestFramework.node{i}")
        self.ipc_tmp_dir = None
        self.ipc_socket_path = None

        self.args = [*binaries.node_argv(need_ipc=ipcbind), f"-datadir={self.datadir_path}",
                     *LEADING_OPTIONS, f"-uacomment=testnode{i}"]
        # None leaves the wallet to the test's own arguments.
        if uses_wallet is False:
            self.args.append("-disablewallet")
        if ipcbind:
            self.args.append(self._ipcbind_option())
        elif binaries.node_runs_multiprocess():
            # Tests expect what Core's bitcoin-node does without -ipcbind: no socket, so smithcoin-cli uses HTTP.
            self.args.append("-noipcbind")
        self.args += [*TRAILING_OPTIONS, f"-v2transport={1 if v2transport else 0}"]

    def _ipcbind_option(self):
        """-ipcbind for the default socket in the chain dir, or for a short temp path when that is too long."""
        self.ipc_socket_path = self.chain_path / "node.sock"
        if len(os.fsencode(self.ipc_socket_path)) < UNIX_PATH_MAX:
            return "-ipcbind=unix"
        self.ipc_tmp_dir = pathlib.Path(tempfile.mkdtemp(prefix="test-ipc-"))
        self.ipc_socket_path = self.ipc_tmp_dir / "node.sock"
        return f"-ipcbind=unix:{self.ipc_socket_path}"

    def _fail(self, msg):
        raise AssertionError(f"node{self.index}: {msg}")

    def __getattr__(self, name):
        """An RPC method of the running node."""
        if name.startswith("_") or self.__dict__.get("rpc") is None:
            raise AttributeError(f"node{self.__dict__.get('index')}: no attribute {name!r} (and no RPC connection)")
        return getattr(self.rpc, name)

    def generate(self, nblocks, maxtries=1000000, **kwargs):
        """Mine to this node's deterministic address (tests call it through SmithcoinTestFramework.generate)."""
        return self.generatetoaddress(nblocks=nblocks, address=DETERMINISTIC_ADDRESSES[self.index], maxtries=maxtries,
                                      **kwargs)

    @property
    def debug_log_path(self):
        return self.chain_path / "debug.log"

    def wait_for_rpc_connection(self):
        """Poll until the node answers RPC past its warm-up (Core's readiness rules), or fail.

        The probe is getblockcount, as Core's framework uses. A node that does not serve it yet answers
        "Method not found", which also proves warm-up is over.
        """
        deadline = time.monotonic() + self.rpc_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._forget_process()
                raise FailedToStartError(f"node{self.index}: smithcoind exited with status {self.process_returncode} "
                                         f"during initialization. {_read_all(self.stderr)}")
            try:
                proxy = self._make_proxy()
                self._probe(proxy)
                self.rpc = proxy
                self.rpc_connected = True
                self.log.debug("RPC successfully started")
                return
            except JSONRPCException as e:
                if e.error["code"] not in (RPC_IN_WARMUP, NON_JSON_RESPONSE):
                    raise
            except ValueError as e:
                if "No RPC credentials" not in str(e):
                    raise
            except OSError as e:
                if e.errno not in RETRY_ERRNOS:
                    raise
            time.sleep(1.0 / POLL_PER_SECOND)
        self.process.kill()
        self.process.wait()
        self._forget_process()
        self._fail(f"Unable to connect to smithcoind after {self.rpc_timeout}s")

    def _make_proxy(self):
        from .authproxy import AuthServiceProxy
        url = rpc_url(self.datadir_path, self.index, self.chain)
        return AuthServiceProxy(url, timeout=max(self.rpc_timeout // 2, 1))

    def _probe(self, proxy):
        try:
            proxy.getblockcount()
        except JSONRPCException as e:
            if e.error["code"] != RPC_METHOD_NOT_FOUND:
                raise
            return
        # Core's sign that imports and the mempool are loaded; absent before the mempool exists.
        try:
            wait_until_helper_internal(lambda: proxy.getmempoolinfo()["loaded"], timeout=self.rpc_timeout,
                                       timeout_factor=1)
        except JSONRPCException as e:
            if e.error["code"] != RPC_METHOD_NOT_FOUND:
                raise

    def debug_log_size(self):
        with open(self.debug_log_path, "rb") as f:
            f.seek(0, os.SEEK_END)
            return f.tell()

    @contextlib.contextmanager
    def assert_debug_log(self, expected_msgs, unexpected_msgs=None, timeout=2):
        """Every expected message (and none of the unexpected) must appear in debug.log lines written
        while the block runs, waiting up to timeout seconds after it for the expected ones."""
        unexpected_msgs = unexpected_msgs or []
        start = self.debug_log_size()
        yield
        deadline = time.monotonic() + timeout * self.timeout_factor
        while True:
            with open(self.debug_log_path, "rb") as f:
                f.seek(start)
                written = f.read().decode("utf-8", errors="replace")
            for bad in unexpected_msgs:
                if bad in written:
                    self._fail(f"unexpected message {bad!r} in debug.log:\n{written}")
            missing = [m for m in expected_msgs if m not in written]
            if not missing:
                return
            if time.monotonic() >= deadline:
                self._fail(f"expected messages {missing} not found in debug.log:\n{written}")
            time.sleep(0.05)

    def __del__(self):
        # Reached with a live process only after a failed test: do not leave it holding ports.
        if self.process is not None and self.cleanup_on_exit:
            # print, not log: logging may be torn down by now.
            print(f"node{self.index}: killing a process the test left running")
            self.process.kill()
        if self.ipc_tmp_dir is not None:
            shutil.rmtree(self.ipc_tmp_dir, ignore_errors=True)

    def _bind_args(self, extra_args):
        """Without our own -bind, a node would listen on the default ports and collide with parallel tests."""
        explicit = self.has_explicit_bind or any(a.startswith("-bind=") for a in extra_args)
        if explicit or not _will_listen(extra_args):
            return []
        p2p, onion = p2p_port(self.index), tor_port(self.index)
        return [f"-bind=0.0.0.0:{p2p}", f"-bind=127.0.0.1:{onion}=onion"]

    def start(self, extra_args=None, *, cwd=None, stdout=None, stderr=None, env=None):
        """Launch the process and return at once; waiting for it is the caller's business."""
        extra_args = list(self.extra_args or [] if extra_args is None else extra_args)
        extra_args += self._bind_args(extra_args)
        self.stdout = stdout or self._capture_file(self.stdout_dir)
        self.stderr = stderr or self._capture_file(self.stderr_dir)
        delete_cookie_file(self.datadir_path, self.chain)
        # glibc writes its fatal messages to the tty unless told to use stderr, where we capture them.
        child_env = {**os.environ, "LIBC_FATAL_STDERR_": "1", **(env or {})}
        argv = [*self.args, *extra_args]
        self.process = subprocess.Popen(argv, stdout=self.stdout, stderr=self.stderr, env=child_env,
                                        cwd=cwd or self.cwd)
        self.running = True
        self.log.debug("launched pid %d", self.process.pid)

    @staticmethod
    def _capture_file(folder):
        # Kept after the process ends (delete=False): a failed test leaves them for inspection.
        return tempfile.NamedTemporaryFile(dir=folder, prefix="run-", delete=False)

    def _forget_process(self):
        self.running = False
        self.process_returncode = self.process.returncode if self.process is not None else None
        self.process = None
        self.rpc = None
        self.rpc_connected = False

    def assert_start_raises_init_error(self, extra_args=None, expected_msg=None, match=ErrorMatch.FULL_TEXT,
                                       *args, **kwargs):
        """Start the node; it must exit non-zero within the RPC timeout, its stderr matching expected_msg."""
        assert not self.running, "the node is already running"
        with self._capture_file(self.stderr_dir) as err, self._capture_file(self.stdout_dir) as out:
            self.start(extra_args, *args, stdout=out, stderr=err, **kwargs)
            try:
                code = self.process.wait(timeout=self.rpc_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                self._forget_process()
                wanted = "an error" if expected_msg is None else f"the error {expected_msg}"
                self._fail(f"still running after {self.rpc_timeout}s; expected it to exit with {wanted}")
            self._forget_process()
            self.log.debug("exited with code %d during startup, as expected", code)
            if code == 0:
                self._fail("exited with code 0, but a startup error was expected")
            if expected_msg is None:
                return
            actual = _read_all(err)
            if not _stderr_matches(expected_msg, actual, match):
                self._fail(f"stderr does not match ({match.name}).\nexpected: {expected_msg!r}\nactual:   {actual!r}")

    def stop_node(self, expected_stderr="", *, wait=0, wait_until_stopped=True):
        """Stop through the stop RPC (`wait`: its milliseconds of delay), or SIGTERM when there is no RPC
        connection; then, unless told not to, wait for the exit and check exit code and stderr."""
        if self.rpc_connected:
            self.log.debug("stopping via RPC")
            reply = self.rpc.stop(wait) if wait else self.rpc.stop()
            if not reply.endswith(STOP_SUFFIX):
                self._fail(f"unexpected reply to stop: {reply!r}")
        else:
            self.log.debug("sending SIGTERM")
            self.process.send_signal(signal.SIGTERM)
        if wait_until_stopped:
            self.wait_until_stopped(expected_stderr=expected_stderr)

    def send_sigterm(self):
        self.process.send_signal(signal.SIGTERM)

    def is_node_stopped(self, *, expected_stderr="", expected_ret_code=0):
        """False while the process runs; once it has exited, check exit code and stderr, then release it."""
        if not self.running:
            return True
        code = self.process.poll()
        if code is None:
            return False
        if code != expected_ret_code:
            self._fail(f"exit code {code} on shutdown, expected {expected_ret_code}")
        actual = _read_all(self.stderr)
        if actual != expected_stderr:
            self._fail(f"stderr on shutdown was {actual!r}, expected {expected_stderr!r}")
        for capture in (self.stdout, self.stderr):
            capture.close()
        self._forget_process()
        self.log.debug("process has exited")
        return True

    def wait_until_stopped(self, *, timeout=None, expected_stderr="", expected_ret_code=0):
        wait_until_helper_internal(
            lambda: self.is_node_stopped(expected_stderr=expected_stderr, expected_ret_code=expected_ret_code),
            timeout=self.rpc_timeout if timeout is None else timeout, timeout_factor=self.timeout_factor)

    def kill_process(self):
        self.process.kill()
        # Windows reports a killed process as exit code 1, POSIX as the negated signal number.
        killed = -signal.SIGKILL if platform.system() != "Windows" else 1
        self.wait_until_stopped(expected_ret_code=killed)
        assert self.is_node_stopped()


# --- Self-tests (test_runner.py runs them before any test script) -----------------------------------
# They drive a small stand-in program instead of a built node.

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
        # The stand-in's debug lines would clutter the runner's console.
        node_log = logging.getLogger("TestFramework.node0")
        self.addCleanup(setattr, node_log, "propagate", node_log.propagate)
        node_log.propagate = False
        self.addCleanup(setattr, PortSeed, "n", PortSeed.n)
        PortSeed.n = 1
        self.tmp = tempfile.mkdtemp(prefix="smithcoin_test_node_")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        fake = pathlib.Path(self.tmp, "fakenode")
        fake.write_text(FAKE_NODE.format(python=sys.executable), encoding="utf8")
        fake.chmod(0o755)
        config = {"environment": {"BUILDDIR": self.tmp, "EXEEXT": ""}}
        self.binaries = Binaries(get_binary_paths(config, env={"SMITHCOIND": str(fake)}))

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
        self.assertEqual(node.args[8:], ["-logthreadnames", "-logsourcelocations", "-loglevel=trace",
                                         "-nologratelimit", "-v2transport=1"])
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
        out = started_output(self.make_node(extra_args=["-y"]))
        self.assertIn("-v2transport=0 -y -bind=", out)

    def test_init_error_matching(self):
        node = self.make_node()
        node.assert_start_raises_init_error(["-fail"], "Error: fake init failure")
        node.assert_start_raises_init_error(["-fail"], "fake init", match=ErrorMatch.PARTIAL_REGEX)
        node.assert_start_raises_init_error(["-fail"], r"Error: \w+ init failure", match=ErrorMatch.FULL_REGEX)
        with self.assertRaisesRegex(AssertionError, r"stderr does not match \(FULL_TEXT\)"):
            node.assert_start_raises_init_error(["-fail"], "Error: fake init")
        with self.assertRaisesRegex(AssertionError, r"stderr does not match \(FULL_REGEX\)"):
            node.assert_start_raises_init_error(["-fail"], "fake", match=ErrorMatch.FULL_REGEX)
        with self.assertRaisesRegex(AssertionError, "exited with code 0"):
            node.assert_start_raises_init_error(["-version"])
        self.assertFalse(node.running)

    def test_init_error_timeout(self):
        node = self.make_node(timewait=0.5)
        with self.assertRaisesRegex(AssertionError, r"still running after 0.5s; expected it to exit with the error E"):
            node.assert_start_raises_init_error(["-hang"], "E")
        self.assertIsNone(node.process)

    def test_stop_checks_exit_code(self):
        node = self.make_node()
        node.start(["-fail"])
        with self.assertRaisesRegex(AssertionError, r"exit code 1 on shutdown, expected 0"):
            node.wait_until_stopped()
        node.wait_until_stopped(expected_ret_code=1, expected_stderr="Error: fake init failure")
        node.start(["-hang"])
        node.kill_process()
        self.assertFalse(node.running)
