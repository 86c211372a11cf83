#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Base class of every functional test: options, temp dir, logging, nodes, skips and exit codes.

A test script subclasses SmithcoinTestFramework, defines set_test_params() and run_test(), and ends with
`MyTest(__file__).main()`. The exit code is the contract with test_runner.py: 0 passed, 77 skipped
(with a "Test Skipped: <why>" line on stdout), anything else failed.
"""

import argparse
import configparser
import enum
import logging
import os
import pathlib
import pdb
import random
import shutil
import subprocess
import sys
import tempfile
import time

from .test_node import DETERMINISTIC_ADDRESSES, TestNode
from .util import (
    MAX_NODES,
    MINIWALLET_P2TR_ADDRESS,
    Binaries,
    PortSeed,
    assert_equal,
    get_binary_paths,
    get_datadir_path,
    initialize_datadir,
    wait_until_helper_internal,
)

# The cache is built by node 0 of create_cache.py (or of the first test that finds none).
CACHE_NODE_ID = 0
CACHE_HEIGHT = 199


class TestStatus(enum.Enum):
    PASSED = enum.auto()
    FAILED = enum.auto()
    SKIPPED = enum.auto()


TEST_EXIT_PASSED = 0
TEST_EXIT_FAILED = 1
TEST_EXIT_SKIPPED = 77
EXIT_CODES = {TestStatus.PASSED: TEST_EXIT_PASSED, TestStatus.SKIPPED: TEST_EXIT_SKIPPED,
              TestStatus.FAILED: TEST_EXIT_FAILED}

TMPDIR_PREFIX = "smithcoin_func_test_"
# Stand-in for "no timeout" when --timeout-factor is 0.
NO_TIMEOUT_FACTOR = 99999


class SkipTest(Exception):
    """Raise to skip the test (exit code 77). Allowed only when a component it needs is not built."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class SmithcoinTestMetaClass(type):
    """Checks at class creation that a test defines its two hooks and keeps the framework's entry points."""

    def __new__(cls, clsname, bases, dct):
        if clsname != "SmithcoinTestFramework":
            missing = [hook for hook in ("set_test_params", "run_test") if hook not in dct]
            if missing:
                raise TypeError(f"{clsname} must define {' and '.join(missing)}")
            kept = [name for name in ("__init__", "main") if name in dct]
            if kept:
                raise TypeError(f"{clsname} must not redefine {' or '.join(kept)}; they belong to the framework")
        return super().__new__(cls, clsname, bases, dct)


def _make_parser(test_file):
    """The options every test script takes; a test adds its own in add_options()."""
    here = pathlib.Path(test_file).parent
    p = argparse.ArgumentParser(usage="%(prog)s [options]")
    p.add_argument("--nocleanup", action="store_true",
                   help="keep the temporary directory (datadirs and logs) when the test ends")
    p.add_argument("--noshutdown", action="store_true",
                   help="leave the nodes running when the test ends")
    p.add_argument("--cachedir", default=os.path.abspath(here / ".." / "cache"),
                   help="where cached datadirs are kept (default: %(default)s)")
    p.add_argument("--tmpdir", help="directory for this run's datadirs and logs; it must not exist yet")
    p.add_argument("-l", "--loglevel", default="INFO",
                   help="lowest level shown on the console (DEBUG, INFO, WARNING, ERROR, CRITICAL or a number); "
                        "test_framework.log in the temporary directory always gets every level")
    p.add_argument("--portseed", dest="port_seed", type=int, default=os.getpid(),
                   help="picks this test's block of ports (default: the process id)")
    p.add_argument("--configfile", default=os.path.abspath(here / ".." / "config.ini"),
                   help="the build's config.ini (default: %(default)s)")
    p.add_argument("--pdbonfailure", action="store_true", help="drop into pdb when the test fails")
    p.add_argument("--randomseed", type=int, help="seed for the random module, to repeat an earlier run")
    p.add_argument("--timeout-factor", dest="timeout_factor", type=float,
                   help="multiply every timeout by this; 0 means wait forever")
    p.add_argument("--v2transport", action="store_true", help="connect nodes with BIP324 v2 transport")
    p.add_argument("--v1transport", action="store_true", help="use v1 transport even if --v2transport is given")
    return p


def _console_level(text):
    return int(text) if text.isdigit() else text.upper()


class SmithcoinTestFramework(metaclass=SmithcoinTestMetaClass):
    """Base class for a Smithcoin functional test.

    Required: set_test_params() (set at least self.num_nodes) and run_test(). Optional overrides:
    add_options(), skip_test_if_missing_module(), setup_chain(), setup_network() and setup_nodes().
    """

    def __init__(self, test_file) -> None:
        self.test_file = test_file
        self.chain = "regtest"
        self.setup_clean_chain = False
        self.nodes = []
        self.extra_args = None
        # Per-node keyword arguments for TestNode, e.g. [{"ipcbind": True}].
        self.extra_init = None
        self.rpc_timeout = 60
        self.bind_to_localhost_only = True
        # connect=0 in smithcoin.conf: nodes make only the connections a test asks for.
        self.disable_autoconnect = True
        # False adds -disablewallet, None adds nothing; skip_if_no_wallet() sets True.
        self.uses_wallet = False
        self.success = TestStatus.FAILED
        self.log = logging.getLogger("TestFramework")
        self._logging_started = False
        self.parse_args(test_file)
        self.set_test_params()
        # The test chose its RPC timeout in set_test_params(); --timeout-factor scales it.
        self.rpc_timeout = int(self.options.timeout_factor * self.rpc_timeout)

    def main(self):
        """Set up, run, tear down, and exit with the status code. Tests call this, never override it."""
        assert hasattr(self, "num_nodes"), "set_test_params() has to set self.num_nodes"
        try:
            self.setup()
            self.run_test()
        except SkipTest as skip:
            # The runner takes the reason from this line: keep its wording.
            self.log.warning("Test Skipped: %s", skip.message)
            self.success = TestStatus.SKIPPED
        except (Exception, KeyboardInterrupt) as e:
            # Anything else, Ctrl-C included, is a failure; the traceback goes to the log.
            self.success = TestStatus.FAILED
            if isinstance(e, subprocess.CalledProcessError):
                self.log.exception("a subprocess failed; its output was %r", e.output)
            elif isinstance(e, KeyboardInterrupt):
                self.log.exception("test failed: interrupted")
            else:
                self.log.exception("test failed: %s raised", type(e).__name__)
        finally:
            sys.exit(self.shutdown())

    def parse_args(self, test_file):
        parser = _make_parser(test_file)
        self.add_options(parser)
        self.options = parser.parse_args()
        factor = self.options.timeout_factor
        self.options.timeout_factor = NO_TIMEOUT_FACTOR if factor == 0 else (factor or 1)
        # --v1transport overrides a --v2transport given to the whole run.
        self.options.v2transport = self.options.v2transport and not self.options.v1transport
        self.config = configparser.ConfigParser()
        with open(self.options.configfile, encoding="utf8") as f:
            self.config.read_file(f)
        PortSeed.n = self.options.port_seed

    def get_binaries(self, bin_dir=None):
        return Binaries(self.binary_paths, bin_dir)

    def setup(self):
        """Paths, temporary directory, logging, random seed, then the test's own chain and network setup."""
        self.options.cachedir = os.path.abspath(self.options.cachedir)
        self.binary_paths = get_binary_paths(self.config)
        # A bare name in SMITHCOIN_CMD (e.g. "smithcoin -m") must find this build's programs first.
        build_bin = os.path.join(self.config["environment"]["BUILDDIR"], "bin")
        os.environ["PATH"] = build_bin + os.pathsep + os.environ.get("PATH", "")
        self._make_tmpdir()
        self._start_logging()
        self._seed_random()
        self.skip_test_if_missing_module()
        self.setup_chain()
        self.setup_network()
        self.success = TestStatus.PASSED

    def _make_tmpdir(self):
        """The runner names a fresh directory with --tmpdir; run by hand, the test makes one itself."""
        if not self.options.tmpdir:
            self.options.tmpdir = tempfile.mkdtemp(prefix=TMPDIR_PREFIX)
            return
        chosen = pathlib.Path(self.options.tmpdir).absolute()
        chosen.mkdir(parents=True, exist_ok=False)
        self.options.tmpdir = str(chosen)

    def _seed_random(self):
        # Repeatable only while one thread draws from the module-level generator.
        seed = self.options.randomseed
        seed = random.SystemRandom().getrandbits(63) if seed is None else seed
        random.seed(seed)
        self.log.info("random seed %d (repeat this run with --randomseed=%d)", seed, seed)

    def shutdown(self):
        """Stop the nodes, remove the temporary directory when that is wanted; return the exit code."""
        if self.success == TestStatus.FAILED and self.options.pdbonfailure:
            print("The test failed; starting pdb (? lists its commands)")
            pdb.set_trace()
        self._stop_or_keep_nodes()
        tmpdir = self.options.tmpdir
        remove_tmpdir = (self._logging_started and self.success != TestStatus.FAILED
                         and not self.options.nocleanup and not self.options.noshutdown)
        if remove_tmpdir:
            self.log.info("removing %s", tmpdir)
        elif tmpdir:
            self.log.warning("keeping %s", tmpdir)
        self._log_outcome(tmpdir)
        # The log file lives in tmpdir: close it before the directory goes.
        logging.shutdown()
        if remove_tmpdir:
            shutil.rmtree(tmpdir)
        self.nodes.clear()
        return EXIT_CODES[self.success]

    def _stop_or_keep_nodes(self):
        if self.options.noshutdown:
            for node in self.nodes:
                node.cleanup_on_exit = False
            self.log.info("--noshutdown: the nodes are left running")
            return
        if not self.nodes:
            return
        self.log.info("stopping the nodes")
        try:
            self.stop_nodes()
        except Exception:
            self.log.exception("a node did not stop cleanly")
            self.success = TestStatus.FAILED
            self._kill_leftover_nodes()

    def _log_outcome(self, tmpdir):
        if self.success != TestStatus.FAILED:
            self.log.info(self.success.name.lower())
        else:
            self.log.error("FAILED; the full log is %s/test_framework.log", tmpdir)
            self.log.error("If this failure is unexpected or comes and goes, please report it with the logs attached: %s",
                           self.config["environment"].get("CLIENT_BUGREPORT", ""))

    # --- Hooks a test may override -------------------------------------------------------------------

    def add_options(self, parser):
        """Add the test's own command-line options to parser."""

    def skip_test_if_missing_module(self):
        """Raise SkipTest (say through skip_if_no_ipc()) when the build lacks something the test needs."""

    def setup_chain(self):
        self.log.info("datadirs under %s", self.options.tmpdir)
        if self.setup_clean_chain:
            self._initialize_chain_clean()
        else:
            self._initialize_chain()

    def setup_network(self):
        self.setup_nodes()

    def setup_nodes(self):
        self.add_nodes(self.num_nodes, self.extra_args)
        self.start_nodes()
        if not self.setup_clean_chain:
            self._leave_ibd()

    def _leave_ibd(self):
        """Every node has the cached 199 blocks; one block at real time takes them all out of IBD."""
        for node in self.nodes:
            assert_equal(node.getblockchaininfo()["blocks"], CACHE_HEIGHT)
        block_hash = self.generate(self.nodes[0], 1, sync_fun=self.no_op)[0]
        block = self.nodes[0].getblock(blockhash=block_hash, verbosity=0)
        for node in self.nodes:
            node.submitblock(block)
            info = node.getblockchaininfo()
            assert_equal((info["blocks"], info["initialblockdownload"]), (CACHE_HEIGHT + 1, False))

    # --- Mining and syncing (each generate call syncs all nodes unless told otherwise) ---------------

    def no_op(self):
        pass

    def generate(self, node, nblocks, *, sync_fun=None, **kwargs):
        blocks = node.generate(nblocks, **kwargs)
        (sync_fun or self.sync_all)()
        return blocks

    def generatetoaddress(self, node, nblocks, address, *, sync_fun=None, **kwargs):
        blocks = node.generatetoaddress(nblocks=nblocks, address=address, **kwargs)
        (sync_fun or self.sync_all)()
        return blocks

    def wait_until(self, test_function, timeout=60):
        """Poll test_function until it is true, the timeout scaled by --timeout-factor (as Core's)."""
        wait_until_helper_internal(test_function, timeout=timeout, timeout_factor=self.options.timeout_factor)

    def sync_blocks(self, nodes=None, timeout=60):
        """Wait until all nodes have the same best block."""
        nodes = nodes or self.nodes
        wait_until_helper_internal(lambda: len({n.getbestblockhash() for n in nodes}) <= 1, timeout=timeout,
                                   timeout_factor=self.options.timeout_factor)

    def sync_mempools(self, nodes=None, timeout=60):
        """Wait until all nodes have the same mempool, then flush their notification queues."""
        nodes = nodes or self.nodes
        wait_until_helper_internal(lambda: len({frozenset(n.getrawmempool()) for n in nodes}) <= 1, timeout=timeout,
                                   timeout_factor=self.options.timeout_factor)
        for n in nodes:
            n.syncwithvalidationinterfacequeue()

    def sync_all(self, nodes=None):
        # One node is always in sync with itself; its queue is flushed by the RPCs that need it.
        if len(nodes or self.nodes) > 1:
            self.sync_blocks(nodes)
            self.sync_mempools(nodes)

    # --- Nodes -----------------------------------------------------------------------------------------

    def add_nodes(self, num_nodes, extra_args=None):
        """Append TestNode objects for datadirs node0 .. node<num_nodes-1>; nothing is started."""
        assert num_nodes <= MAX_NODES, f"at most {MAX_NODES} nodes per test"
        extra_args = extra_args if extra_args is not None else [[]] * num_nodes
        extra_init = self.extra_init or [{}] * num_nodes
        assert_equal(len(extra_args), num_nodes)
        assert_equal(len(extra_init), num_nodes)
        localhost = ["bind=127.0.0.1"] if self.bind_to_localhost_only else []
        for i, (args, init) in enumerate(zip(extra_args, extra_init)):
            self.nodes.append(TestNode(
                i, get_datadir_path(self.options.tmpdir, i),
                chain=self.chain, binaries=self.get_binaries(), timewait=self.rpc_timeout,
                timeout_factor=self.options.timeout_factor, cwd=self.options.tmpdir,
                extra_conf=list(localhost), extra_args=list(args), v2transport=self.options.v2transport,
                uses_wallet=self.uses_wallet, **init))

    def start_node(self, i, *args, **kwargs):
        """Launch node i and wait until its RPC is past warm-up."""
        node = self.nodes[i]
        try:
            node.start(*args, **kwargs)
            node.wait_for_rpc_connection()
        except BaseException:
            self.stop_nodes()
            raise

    def start_nodes(self, extra_args=None, *args, **kwargs):
        """Launch all nodes side by side, then wait for each one's RPC."""
        per_node = extra_args if extra_args is not None else [None] * len(self.nodes)
        assert_equal(len(per_node), len(self.nodes))
        try:
            for node, node_args in zip(self.nodes, per_node):
                node.start(node_args, *args, **kwargs)
            for node in self.nodes:
                node.wait_for_rpc_connection()
        except BaseException:
            self.stop_nodes()
            raise

    def restart_node(self, i, extra_args=None):
        self.stop_node(i)
        self.start_node(i, extra_args)

    def stop_node(self, i, expected_stderr="", wait=0):
        self.nodes[i].stop_node(expected_stderr, wait=wait)

    def stop_nodes(self):
        # Signal them all first, so they shut down side by side, then wait for each.
        running = [node for node in self.nodes if node.running]
        for node in running:
            if node.process.poll() is None:
                node.stop_node(wait_until_stopped=False)
        for node in running:
            node.wait_until_stopped()

    def _kill_leftover_nodes(self):
        for node in self.nodes:
            proc = node.process
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
            node.running = False
            node.process = None

    def _initialize_chain(self):
        """Copy the cached 199-block chain into each node's datadir, building the cache first if missing.

        The cache node mines at genesis time (mock time), so that tests can mine 'recent' blocks later:
        8 calls of 25 blocks (24 the last), paying the deterministic addresses of nodes 0-2 and
        MiniWallet's P2TR address in turn.
        """
        cache_node_dir = get_datadir_path(self.options.cachedir, CACHE_NODE_ID)
        if not os.path.isdir(cache_node_dir):
            self._build_cache(cache_node_dir)
        for i in range(self.num_nodes):
            to_dir = get_datadir_path(self.options.tmpdir, i)
            shutil.copytree(cache_node_dir, to_dir)
            # Fresh smithcoin.conf with this node's ports.
            initialize_datadir(self.options.tmpdir, i, self.chain, disable_autoconnect=self.disable_autoconnect)

    def _build_cache(self, cache_node_dir):
        self.log.debug("building the cached chain in %s", cache_node_dir)
        initialize_datadir(self.options.cachedir, CACHE_NODE_ID, self.chain, disable_autoconnect=self.disable_autoconnect)
        cache_node = TestNode(
            CACHE_NODE_ID, cache_node_dir, chain=self.chain, binaries=self.get_binaries(), timewait=self.rpc_timeout,
            timeout_factor=self.options.timeout_factor, cwd=self.options.cachedir, extra_conf=["bind=127.0.0.1"],
            extra_args=[], uses_wallet=self.uses_wallet)
        self.nodes.append(cache_node)
        self.start_node(len(self.nodes) - 1)
        assert_equal(cache_node.getblockchaininfo()["blocks"], 0)
        cache_node.setmocktime(cache_node.getblockheader(cache_node.getbestblockhash())["time"])
        addresses = [*DETERMINISTIC_ADDRESSES[:3], MINIWALLET_P2TR_ADDRESS]
        for i in range(8):
            cache_node.generatetoaddress(nblocks=25 if i != 7 else 24, address=addresses[i % len(addresses)])
        assert_equal(cache_node.getblockchaininfo()["blocks"], CACHE_HEIGHT)
        self.stop_nodes()
        self.nodes.remove(cache_node)
        chain_dir = os.path.join(cache_node_dir, self.chain)
        # Only the chain stays: the copies get their own wallets, logs, cookies and settings.
        os.rmdir(os.path.join(chain_dir, "wallets"))
        for entry in os.listdir(chain_dir):
            if entry not in ("chainstate", "blocks", "indexes"):
                os.remove(os.path.join(chain_dir, entry))

    def _initialize_chain_clean(self):
        """Datadirs holding only smithcoin.conf: every node starts at genesis."""
        tmpdir = self.options.tmpdir
        for n in range(self.num_nodes):
            initialize_datadir(tmpdir, n, self.chain, disable_autoconnect=self.disable_autoconnect)

    def _start_logging(self):
        """Every record to <tmpdir>/test_framework.log; --loglevel and up to stdout.

        Not stderr: the runner counts any stderr output as a failure.
        """
        self.log.setLevel(logging.DEBUG)
        # The timestamp has debug.log's shape (UTC, microsecond digits) so both logs sort together.
        fmt = logging.Formatter("%(asctime)s.%(msecs)03d000Z %(name)s (%(levelname)s): %(message)s",
                                datefmt="%Y-%m-%dT%H:%M:%S")
        fmt.converter = time.gmtime
        to_file = logging.FileHandler(os.path.join(self.options.tmpdir, "test_framework.log"), encoding="utf-8")
        to_file.setLevel(logging.DEBUG)
        to_console = logging.StreamHandler(sys.stdout)
        to_console.setLevel(_console_level(self.options.loglevel))
        for handler in (to_file, to_console):
            handler.setFormatter(fmt)
            self.log.addHandler(handler)
        self._logging_started = True

    # --- Components in this build (config.ini [components]; a missing key is false) ---------------------

    def _component(self, key):
        return self.config["components"].getboolean(key, fallback=False)

    def is_ipc_compiled(self):
        return self._component("ENABLE_IPC")

    def is_cli_compiled(self):
        return self._component("ENABLE_CLI")

    def is_wallet_compiled(self):
        return self._component("ENABLE_WALLET")

    def is_wallet_tool_compiled(self):
        return self._component("ENABLE_WALLET_TOOL")

    def is_smithcoin_tx_compiled(self):
        return self._component("BUILD_BITCOIN_TX")

    def is_smithcoin_util_compiled(self):
        return self._component("ENABLE_BITCOIN_UTIL")

    def _require(self, built, what):
        if not built:
            raise SkipTest(f"{what} is not part of this build")

    def skip_if_no_ipc(self):
        self._require(self.is_ipc_compiled(), "IPC (ENABLE_IPC)")

    def skip_if_no_cli(self):
        self._require(self.is_cli_compiled(), "smithcoin-cli")

    def skip_if_no_wallet(self):
        self.uses_wallet = True
        self._require(self.is_wallet_compiled(), "the wallet (ENABLE_WALLET)")

    def skip_if_no_wallet_tool(self):
        self._require(self.is_wallet_tool_compiled(), "smithcoin-wallet")

    def skip_if_no_smithcoin_tx(self):
        self._require(self.is_smithcoin_tx_compiled(), "smithcoin-tx")

    def skip_if_no_smithcoin_util(self):
        self._require(self.is_smithcoin_util_compiled(), "smithcoin-util")
