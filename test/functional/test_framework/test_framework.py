#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Base class of every functional test: options, temp dir, logging, nodes, skips and exit codes."""

import argparse
import configparser
import enum
import logging
import os
import pdb
import random
import shutil
import subprocess
import sys
import tempfile
import time

from .test_node import TestNode
from .util import (
    MAX_NODES,
    Binaries,
    PortSeed,
    assert_equal,
    get_binary_paths,
    get_datadir_path,
    initialize_datadir,
)


class TestStatus(enum.Enum):
    PASSED = 1
    FAILED = 2
    SKIPPED = 3


TEST_EXIT_PASSED = 0
TEST_EXIT_FAILED = 1
TEST_EXIT_SKIPPED = 77

TMPDIR_PREFIX = "smithcoin_func_test_"


class SkipTest(Exception):
    """Raised to skip a test; the runner counts exit code 77 as skipped."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class SmithcoinTestMetaClass(type):
    """Makes subclasses override set_test_params and run_test, and leave __init__ and main alone."""

    def __new__(cls, clsname, bases, dct):
        if clsname != "SmithcoinTestFramework":
            if not ("run_test" in dct and "set_test_params" in dct):
                raise TypeError("SmithcoinTestFramework subclasses must override 'run_test' and 'set_test_params'")
            if "__init__" in dct or "main" in dct:
                raise TypeError("SmithcoinTestFramework subclasses may not override '__init__' or 'main'")
        return super().__new__(cls, clsname, bases, dct)


class SmithcoinTestFramework(metaclass=SmithcoinTestMetaClass):
    """Base class for a Smithcoin functional test.

    A test must define set_test_params() (setting at least num_nodes) and run_test() (the test itself),
    and may override add_options(),
    skip_test_if_missing_module(), setup_chain(), setup_network() and setup_nodes().
    Run it with `MyTest(__file__).main()`.
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
        # Keeps addrman entries from turning into outbound connections (connect=0).
        self.disable_autoconnect = True
        # False adds -disablewallet; skip_if_no_wallet() sets it; None passes nothing.
        self.uses_wallet = False
        self.success = TestStatus.FAILED
        self.log = logging.getLogger("TestFramework")
        self._logging_started = False
        self.parse_args(test_file)
        self.set_test_params()
        self.rpc_timeout = int(self.rpc_timeout * self.options.timeout_factor)

    def main(self):
        """Run the test and exit with its status. Not to be overridden."""
        assert hasattr(self, "num_nodes"), "Test must set self.num_nodes in set_test_params()"
        try:
            self.setup()
            self.run_test()
        except SkipTest as e:
            self.log.warning("Test Skipped: %s" % e.message)
            self.success = TestStatus.SKIPPED
        except AssertionError:
            self.log.exception("Assertion failed")
            self.success = TestStatus.FAILED
        except KeyError:
            self.log.exception("Key error")
            self.success = TestStatus.FAILED
        except subprocess.CalledProcessError as e:
            self.log.exception("Called Process failed with '{}'".format(e.output))
            self.success = TestStatus.FAILED
        except Exception:
            self.log.exception("Unexpected exception caught during testing")
            self.success = TestStatus.FAILED
        except KeyboardInterrupt:
            self.log.warning("Exiting after keyboard interrupt")
            self.success = TestStatus.FAILED
        finally:
            exit_code = self.shutdown()
            sys.exit(exit_code)

    def parse_args(self, test_file):
        parser = argparse.ArgumentParser(usage="%(prog)s [options]")
        parser.add_argument("--nocleanup", dest="nocleanup", default=False, action="store_true",
                            help="Leave smithcoinds and test.* datadir on exit or error")
        parser.add_argument("--noshutdown", dest="noshutdown", default=False, action="store_true",
                            help="Don't stop smithcoinds after the test execution")
        parser.add_argument("--cachedir", dest="cachedir",
                            default=os.path.abspath(os.path.dirname(test_file) + "/../cache"),
                            help="Directory for caching pregenerated datadirs (default: %(default)s)")
        parser.add_argument("--tmpdir", dest="tmpdir", help="Root directory for datadirs (must not exist)")
        parser.add_argument("-l", "--loglevel", dest="loglevel", default="INFO",
                            help="log events at this level and higher to the console. Can be set to DEBUG, INFO, "
                                 "WARNING, ERROR or CRITICAL. Passing --loglevel DEBUG will output all logs to "
                                 "console. Note that logs at all levels are always written to the "
                                 "test_framework.log file in the temporary test directory.")
        parser.add_argument("--portseed", dest="port_seed", default=os.getpid(), type=int,
                            help="The seed to use for assigning port numbers (default: current process id)")
        parser.add_argument("--configfile", dest="configfile",
                            default=os.path.abspath(os.path.dirname(test_file) + "/../config.ini"),
                            help="Location of the test framework config file (default: %(default)s)")
        parser.add_argument("--pdbonfailure", dest="pdbonfailure", default=False, action="store_true",
                            help="Attach a python debugger if test fails")
        parser.add_argument("--randomseed", type=int,
                            help="set a random seed for deterministically reproducing a previous test run")
        parser.add_argument("--timeout-factor", dest="timeout_factor", type=float,
                            help="adjust test timeouts by a factor. Setting it to 0 disables all timeouts")
        parser.add_argument("--v2transport", dest="v2transport", default=False, action="store_true",
                            help="use BIP324 v2 connections between all nodes by default")
        parser.add_argument("--v1transport", dest="v1transport", default=False, action="store_true",
                            help="Explicitly use v1 transport (can be used to overwrite global --v2transport option)")
        self.add_options(parser)
        self.options = parser.parse_args()
        if self.options.timeout_factor == 0:
            self.options.timeout_factor = 99999
        self.options.timeout_factor = self.options.timeout_factor or 1
        if self.options.v1transport:
            self.options.v2transport = False

        config = configparser.ConfigParser()
        with open(self.options.configfile, encoding="utf8") as f:
            config.read_file(f)
        self.config = config
        PortSeed.n = self.options.port_seed

    def get_binaries(self, bin_dir=None):
        return Binaries(self.binary_paths, bin_dir)

    def setup(self):
        """Prepare paths, the temp directory, logging and the nodes."""
        self.options.cachedir = os.path.abspath(self.options.cachedir)
        config = self.config
        self.binary_paths = get_binary_paths(config)
        # Bare program names (e.g. SMITHCOIN_CMD="smithcoin -m") resolve to this build.
        os.environ["PATH"] = os.pathsep.join([os.path.join(config["environment"]["BUILDDIR"], "bin"),
                                              os.environ.get("PATH", "")])

        if self.options.tmpdir:
            self.options.tmpdir = os.path.abspath(self.options.tmpdir)
            os.makedirs(self.options.tmpdir, exist_ok=False)
        else:
            self.options.tmpdir = tempfile.mkdtemp(prefix=TMPDIR_PREFIX)
        self._start_logging()

        # Runs are reproducible only while a single thread draws from this PRNG.
        seed = self.options.randomseed
        if seed is None:
            seed = random.randrange(sys.maxsize)
        else:
            self.log.info("User supplied random seed {}".format(seed))
        random.seed(seed)
        self.log.info("PRNG seed is: {}".format(seed))

        self.skip_test_if_missing_module()
        self.setup_chain()
        self.setup_network()
        self.success = TestStatus.PASSED

    def shutdown(self):
        """Stop the nodes, clean up and return the exit code."""
        if self.success == TestStatus.FAILED and self.options.pdbonfailure:
            print("Testcase failed. Attaching python debugger. Enter ? for help")
            pdb.set_trace()

        if not self.options.noshutdown:
            self.log.info("Stopping nodes")
            if self.nodes:
                try:
                    self.stop_nodes()
                except Exception:
                    self.log.exception("Unexpected exception caught while stopping nodes")
                    self.success = TestStatus.FAILED
                    self._kill_leftover_nodes()
        else:
            for node in self.nodes:
                node.cleanup_on_exit = False
            self.log.info("Note: smithcoinds were not stopped and may still be running")

        tmpdir = self.options.tmpdir
        should_clean_up = (
            not self.options.nocleanup and
            not self.options.noshutdown and
            self.success != TestStatus.FAILED and
            self._logging_started
        )
        if should_clean_up:
            self.log.info("Cleaning up {} on exit".format(tmpdir))
        elif tmpdir:
            self.log.warning("Not cleaning up dir {}".format(tmpdir))

        if self.success == TestStatus.PASSED:
            self.log.info("Tests successful")
            exit_code = TEST_EXIT_PASSED
        elif self.success == TestStatus.SKIPPED:
            self.log.info("Test skipped")
            exit_code = TEST_EXIT_SKIPPED
        else:
            self.log.error("Test failed. Test logging available at %s/test_framework.log", tmpdir)
            self.log.error("")
            self.log.error("If this failure happened unexpectedly or intermittently, please file a bug and "
                           "provide a link or upload of the test logs.")
            self.log.error(self.config["environment"].get("CLIENT_BUGREPORT", ""))
            self.log.error("")
            exit_code = TEST_EXIT_FAILED
        # Flush and close the log file before deleting the directory it lives in.
        logging.shutdown()
        if should_clean_up:
            shutil.rmtree(tmpdir)
        self.nodes.clear()
        return exit_code

    # Methods a test may override
    ##############################

    def add_options(self, parser):
        """Add test-specific command-line options."""

    def skip_test_if_missing_module(self):
        """Raise SkipTest (e.g. through skip_if_no_ipc()) when a needed component was not built."""

    def setup_chain(self):
        self.log.info("Initializing test directory " + self.options.tmpdir)
        if not self.setup_clean_chain:
            # The shared 199-block cache is made by create_cache.py through the node's RPC.
            raise AssertionError("The cached chain is not available yet: set self.setup_clean_chain = True")
        self._initialize_chain_clean()

    def setup_network(self):
        self.setup_nodes()

    def setup_nodes(self):
        self.add_nodes(self.num_nodes, self.extra_args)
        self.start_nodes()

    # Node helpers
    ##############

    def add_nodes(self, num_nodes, extra_args=None):
        """Create TestNode objects for datadirs node0..node<num_nodes - 1> (without starting them)."""
        assert num_nodes <= MAX_NODES, "A test may use at most {} nodes".format(MAX_NODES)
        extra_confs = [["bind=127.0.0.1"] if self.bind_to_localhost_only else [] for _ in range(num_nodes)]
        if extra_args is None:
            extra_args = [[] for _ in range(num_nodes)]
        extra_init = self.extra_init or [{} for _ in range(num_nodes)]
        assert_equal(len(extra_args), num_nodes)
        assert_equal(len(extra_init), num_nodes)
        for i in range(num_nodes):
            self.nodes.append(TestNode(
                i,
                get_datadir_path(self.options.tmpdir, i),
                chain=self.chain,
                binaries=self.get_binaries(),
                timewait=self.rpc_timeout,
                timeout_factor=self.options.timeout_factor,
                cwd=self.options.tmpdir,
                extra_conf=extra_confs[i],
                extra_args=list(extra_args[i]),
                v2transport=self.options.v2transport,
                uses_wallet=self.uses_wallet,
                **extra_init[i],
            ))

    def start_node(self, i, *args, **kwargs):
        """Start node i's process (waiting for its RPC server joins once the node serves RPC)."""
        self.nodes[i].start(*args, **kwargs)

    def start_nodes(self, extra_args=None):
        for i, node in enumerate(self.nodes):
            node.start(None if extra_args is None else extra_args[i])

    def stop_node(self, i, expected_stderr=""):
        self.nodes[i].stop_node(expected_stderr)

    def stop_nodes(self):
        running = [node for node in self.nodes if node.running]
        for node in running:
            if node.process.poll() is None:
                node.stop_node(wait=False)
        for node in running:
            node.wait_until_stopped()

    def _kill_leftover_nodes(self):
        for node in self.nodes:
            if node.process is not None and node.process.poll() is None:
                node.process.kill()
                node.process.wait()
            node.running = False
            node.process = None

    # Private helpers
    #################

    def _initialize_chain_clean(self):
        """Fresh datadirs with only smithcoin.conf; the nodes start from genesis."""
        for i in range(self.num_nodes):
            initialize_datadir(self.options.tmpdir, i, self.chain, self.disable_autoconnect)

    def _start_logging(self):
        self.log.setLevel(logging.DEBUG)
        # Everything goes to the file; the console gets --loglevel and above, on stdout, because the
        # runner fails any test that writes to stderr.
        fh = logging.FileHandler(self.options.tmpdir + "/test_framework.log", encoding="utf-8")
        fh.setLevel(logging.DEBUG)
        ch = logging.StreamHandler(sys.stdout)
        ll = int(self.options.loglevel) if self.options.loglevel.isdigit() else self.options.loglevel.upper()
        ch.setLevel(ll)
        # Same timestamp shape as debug.log (microseconds, UTC), so the logs can be merged and sorted.
        formatter = logging.Formatter(fmt="%(asctime)s.%(msecs)03d000Z %(name)s (%(levelname)s): %(message)s",
                                      datefmt="%Y-%m-%dT%H:%M:%S")
        formatter.converter = time.gmtime
        fh.setFormatter(formatter)
        ch.setFormatter(formatter)
        self.log.addHandler(fh)
        self.log.addHandler(ch)
        self._logging_started = True

    # Components
    ############

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

    def skip_if_no_ipc(self):
        if not self.is_ipc_compiled():
            raise SkipTest("ipc has not been compiled.")

    def skip_if_no_cli(self):
        if not self.is_cli_compiled():
            raise SkipTest("smithcoin-cli has not been compiled.")

    def skip_if_no_wallet(self):
        self.uses_wallet = True
        if not self.is_wallet_compiled():
            raise SkipTest("wallet has not been compiled.")

    def skip_if_no_wallet_tool(self):
        if not self.is_wallet_tool_compiled():
            raise SkipTest("smithcoin-wallet has not been compiled")

    def skip_if_no_smithcoin_tx(self):
        if not self.is_smithcoin_tx_compiled():
            raise SkipTest("smithcoin-tx has not been compiled")

    def skip_if_no_smithcoin_util(self):
        if not self.is_smithcoin_util_compiled():
            raise SkipTest("smithcoin-util has not been compiled")
