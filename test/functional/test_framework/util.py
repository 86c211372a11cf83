#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Helpers for functional tests: assertions, ports, datadirs, smithcoin.conf and binary selection."""

import enum
import inspect
import logging
import os
import re
import shlex
import time
import types
import unittest

logger = logging.getLogger("TestFramework.utils")


# Assertions
############

def assert_equal(thing1, thing2, *args):
    if thing1 != thing2 or any(thing1 != arg for arg in args):
        raise AssertionError("not(%s)" % " == ".join(str(arg) for arg in (thing1, thing2) + args))


def assert_not_equal(thing1, thing2, *args):
    if thing1 == thing2 and all(thing1 == arg for arg in args):
        raise AssertionError("(%s)" % " == ".join(str(arg) for arg in (thing1, thing2) + args))


def assert_greater_than(thing1, thing2):
    if thing1 <= thing2:
        raise AssertionError("%s <= %s" % (thing1, thing2))


def assert_greater_than_or_equal(thing1, thing2):
    if thing1 < thing2:
        raise AssertionError("%s < %s" % (thing1, thing2))


def assert_raises_message(exc, message, fun, *args, **kwds):
    """Call fun and check it raises exc whose str() contains message (None: any message)."""
    try:
        fun(*args, **kwds)
    except exc as e:
        if message is not None and message not in str(e):
            raise AssertionError(
                "Expected substring not found in exception:\nsubstring: '{}'\nexception: '{}'.".format(message, e))
    except Exception as e:
        raise AssertionError("Unexpected exception raised: " + type(e).__name__)
    else:
        raise AssertionError("No exception raised")


def assert_raises(exc, fun, *args, **kwds):
    assert_raises_message(exc, None, fun, *args, **kwds)


class ErrorMatch(enum.Enum):
    """How assert_start_raises_init_error compares a node's stderr with the expected message."""
    FULL_TEXT = 1
    FULL_REGEX = 2
    PARTIAL_REGEX = 3


def wait_until_helper_internal(predicate, *, timeout=60, lock=None, timeout_factor=1.0, check_interval=0.05):
    """Poll predicate until it returns true, or raise AssertionError after timeout * timeout_factor seconds."""
    timeout = timeout * timeout_factor
    time_end = time.time() + timeout
    while time.time() < time_end:
        if lock:
            with lock:
                if predicate():
                    return
        elif predicate():
            return
        time.sleep(check_interval)
    try:
        source = inspect.getsource(predicate)
    except (OSError, TypeError):
        source = repr(predicate)
    predicate_source = "''''\n" + source + "'''"
    logger.error("wait_until() failed. Predicate: {}".format(predicate_source))
    raise AssertionError("Predicate {} not true after {} seconds".format(predicate_source, timeout))


# Ports
#######

# A test may start at most this many nodes; each gets a P2P, an RPC and a Tor port.
MAX_NODES = 12
# No port below this is handed out.
PORT_MIN = int(os.getenv("TEST_RUNNER_PORT_MIN", default=11000))
# How many ports are set aside for each of P2P, RPC and Tor.
PORT_RANGE = 5000


class PortSeed:
    # Set once per test process (from --portseed) so parallel tests use different ports.
    n = None


def p2p_port(n):
    assert n <= MAX_NODES
    return PORT_MIN + n + (MAX_NODES * PortSeed.n) % (PORT_RANGE - 1 - MAX_NODES)


def rpc_port(n):
    return p2p_port(n) + PORT_RANGE


def tor_port(n):
    return p2p_port(n) + 2 * PORT_RANGE


# Datadirs and smithcoin.conf
#############################

CONF_NAME = "smithcoin.conf"


def get_datadir_path(dirname, n):
    return os.path.join(dirname, "node" + str(n))


def chain_conf_names(chain):
    """The config-file line and section for a chain directory name (testnet3 is 'testnet=1' / [test])."""
    if chain == "testnet3":
        return "testnet", "test"
    return chain, chain


def write_config(config_path, *, n, chain, extra_config="", disable_autoconnect=True):
    """Write smithcoin.conf in the same order as Core's framework writes bitcoin.conf."""
    conf_arg, conf_section = chain_conf_names(chain)
    lines = []
    if conf_arg:
        lines.append("{}=1".format(conf_arg))
    if conf_section:
        lines.append("[{}]".format(conf_section))
    lines += [
        "port=" + str(p2p_port(n)),
        "rpcport=" + str(rpc_port(n)),
        "rpcservertimeout=99000",
        "rpcdoccheck=1",
        "rpcthreads=2",
        "fallbackfee=0.0002",
        "server=1",
        "keypool=1",
        "discover=0",
        "dnsseed=0",
        "fixedseeds=0",
        "listenonion=0",
        "peertimeout=999999999",
        "printtoconsole=0",
        "natpmp=0",
        "shrinkdebugfile=0",
        "unsafesqlitesync=1",
    ]
    if disable_autoconnect:
        lines.append("connect=0")
    lines += [
        "maxconnections=94",
        "par=" + str(min(2, os.cpu_count() or 1)),
        "prevoutfetchthreads=1",
    ]
    with open(config_path, "w", encoding="utf8") as f:
        f.write("\n".join(lines) + "\n")
        f.write(extra_config)


def initialize_datadir(dirname, n, chain, disable_autoconnect=True):
    datadir = get_datadir_path(dirname, n)
    os.makedirs(datadir, exist_ok=True)
    write_config(os.path.join(datadir, CONF_NAME), n=n, chain=chain, disable_autoconnect=disable_autoconnect)
    # The framework keeps each start's stdout and stderr here.
    os.makedirs(os.path.join(datadir, "stderr"), exist_ok=True)
    os.makedirs(os.path.join(datadir, "stdout"), exist_ok=True)
    return datadir


def append_config(datadir, options):
    with open(os.path.join(datadir, CONF_NAME), "a", encoding="utf8") as f:
        for option in options:
            f.write(option + "\n")


def delete_cookie_file(datadir, chain):
    cookie = os.path.join(datadir, chain, ".cookie")
    if os.path.isfile(cookie):
        logger.debug("Deleting leftover cookie file")
        os.remove(cookie)


# Binaries
##########

# Executable name -> environment variable that overrides its path (one path each, never split).
BINARY_ENV_VARS = {
    "smithcoin": "SMITHCOIN_BIN",
    "smithcoind": "SMITHCOIND",
    "smithcoin-cli": "SMITHCOINCLI",
    "smithcoin-util": "SMITHCOINUTIL",
    "smithcoin-tx": "SMITHCOINTX",
    "smithcoin-chainstate": "SMITHCOINCHAINSTATE",
    "smithcoin-wallet": "SMITHCOINWALLET",
    "bench_smithcoin": "SMITHCOIN_BENCH",
}


def get_binary_paths(config, env=None):
    """Paths of the executables: env overrides, else <BUILDDIR>/bin/<name><EXEEXT>.

    Attribute names are the lowercased variable names (paths.smithcoind, paths.smithcoin_bin, ...).
    paths.smithcoin_cmd is SMITHCOIN_CMD split like a shell command line, or None when unset/empty.
    """
    env = os.environ if env is None else env
    paths = types.SimpleNamespace()
    for name, var in BINARY_ENV_VARS.items():
        default = os.path.join(config["environment"]["BUILDDIR"], "bin", name + config["environment"]["EXEEXT"])
        setattr(paths, var.lower(), env.get(var, default))
    paths.smithcoin_cmd = shlex.split(env.get("SMITHCOIN_CMD", "")) or None
    return paths


class Binaries:
    """Command lines for the executables a test runs.

    With SMITHCOIN_CMD set, every program goes through it as SMITHCOIN_CMD + [subcommand]; otherwise each
    runs from its own path. bin_dir (previous releases) takes precedence over both.
    """

    def __init__(self, paths, bin_dir=None):
        self.paths = paths
        self.bin_dir = bin_dir

    def node_argv(self, *, need_ipc=False):
        return self._argv("node", self.paths.smithcoind, need_ipc=need_ipc)

    def rpc_argv(self):
        # `smithcoin rpc` turns -named on; smithcoin-cli has it off, and tests expect that.
        return self._argv("rpc", self.paths.smithcoincli) + ["-nonamed"]

    def tx_argv(self):
        return self._argv("tx", self.paths.smithcointx)

    def util_argv(self):
        return self._argv("util", self.paths.smithcoinutil)

    def wallet_argv(self):
        return self._argv("wallet", self.paths.smithcoinwallet)

    def chainstate_argv(self):
        return self._argv("chainstate", self.paths.smithcoinchainstate)

    def bench_argv(self):
        return self._argv("bench", self.paths.smithcoin_bench)

    def _argv(self, command, bin_path, *, need_ipc=False):
        if self.bin_dir is not None:
            return [os.path.join(self.bin_dir, os.path.basename(bin_path))]
        if self.paths.smithcoin_cmd is not None or need_ipc:
            # IPC needs the multiprocess executable, which only the wrapper's -m selects.
            cmd = self.paths.smithcoin_cmd or [self.paths.smithcoin_bin]
            return cmd + (["-m"] if need_ipc else []) + [command]
        return [bin_path]


def get_exe_name(version_output):
    """The executable name that a -version banner ends its first line with (bytes in, bytes out)."""
    match = re.match(rb"[^\n]*?(\S+)[ \t]*(?:\r?\n|$)", version_output.strip())
    if match is None:
        raise AssertionError("No version line in output {!r}".format(version_output))
    return match.group(1)


# Unit tests for this module, run by test_runner.py before any functional test.
###############################################################################

class TestFrameworkUtil(unittest.TestCase):
    CONFIG = {"environment": {"BUILDDIR": "/b", "EXEEXT": ""}}

    def test_binary_paths_defaults_and_overrides(self):
        paths = get_binary_paths(self.CONFIG, env={"SMITHCOIND": "/x/my smithcoind"})
        self.assertEqual(paths.smithcoind, "/x/my smithcoind")
        self.assertEqual(paths.smithcoin_bin, "/b/bin/smithcoin")
        self.assertEqual(paths.smithcoincli, "/b/bin/smithcoin-cli")
        self.assertEqual(paths.smithcoin_bench, "/b/bin/bench_smithcoin")
        self.assertIsNone(paths.smithcoin_cmd)
        self.assertIsNone(get_binary_paths(self.CONFIG, env={"SMITHCOIN_CMD": "  "}).smithcoin_cmd)

    def test_argv_direct(self):
        b = Binaries(get_binary_paths(self.CONFIG, env={}))
        self.assertEqual(b.node_argv(), ["/b/bin/smithcoind"])
        self.assertEqual(b.rpc_argv(), ["/b/bin/smithcoin-cli", "-nonamed"])
        self.assertEqual(b.wallet_argv(), ["/b/bin/smithcoin-wallet"])
        self.assertEqual(b.node_argv(need_ipc=True), ["/b/bin/smithcoin", "-m", "node"])

    def test_argv_through_smithcoin_cmd(self):
        b = Binaries(get_binary_paths(self.CONFIG, env={"SMITHCOIN_CMD": "node '/p q/smithcoin.js' -m"}))
        self.assertEqual(b.node_argv(), ["node", "/p q/smithcoin.js", "-m", "node"])
        self.assertEqual(b.rpc_argv(), ["node", "/p q/smithcoin.js", "-m", "rpc", "-nonamed"])
        self.assertEqual(b.tx_argv()[-1], "tx")
        self.assertEqual(b.util_argv()[-1], "util")
        self.assertEqual(b.chainstate_argv()[-1], "chainstate")
        self.assertEqual(b.node_argv(need_ipc=True)[-2:], ["-m", "node"])

    def test_argv_bin_dir(self):
        b = Binaries(get_binary_paths(self.CONFIG, env={"SMITHCOIN_CMD": "smithcoin -m"}), bin_dir="/rel/bin")
        self.assertEqual(b.node_argv(), ["/rel/bin/smithcoind"])

    def test_ports(self):
        self.addCleanup(setattr, PortSeed, "n", PortSeed.n)
        PortSeed.n = 3
        self.assertEqual(p2p_port(0), PORT_MIN + 36)
        self.assertEqual(rpc_port(1), PORT_MIN + 37 + 5000)
        self.assertEqual(tor_port(2), PORT_MIN + 38 + 10000)
        PortSeed.n = 10**6
        self.assertLess(p2p_port(MAX_NODES), PORT_MIN + PORT_RANGE)
        self.assertRaises(AssertionError, p2p_port, MAX_NODES + 1)

    def test_get_exe_name(self):
        self.assertEqual(get_exe_name(b"Smithcoin Core daemon version v0.1.0 smithcoind\nCopyright\n"), b"smithcoind")
        self.assertEqual(get_exe_name(b"\n  X version v1 smithcoin-node  \r\n\n"), b"smithcoin-node")
        self.assertEqual(get_exe_name(b"one"), b"one")
        self.assertRaises(AssertionError, get_exe_name, b"")

    def test_asserts(self):
        assert_equal(1, 1, 1)
        self.assertRaises(AssertionError, assert_equal, 1, 1, 2)
        self.assertRaises(AssertionError, assert_not_equal, 2, 2)
        assert_raises_message(ValueError, "bad", int, "bad")
        self.assertRaises(AssertionError, assert_raises, ValueError, int, "1")
        self.assertRaises(AssertionError, assert_raises_message, ValueError, "zzz", int, "bad")
