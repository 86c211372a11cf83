#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Shared helpers for the functional tests.

Four groups: assertions (the names tests import), the port plan for nodes running side by side,
datadir and smithcoin.conf creation, and the choice of executables (direct, or through SMITHCOIN_CMD).
"""

import enum
import inspect
import logging
import os
import pathlib
import re
import shlex
import time
import types
import unittest
import urllib.parse
from dataclasses import dataclass

log = logging.getLogger("TestFramework.utils")


# --- Assertions -------------------------------------------------------------------------------------
# The names and call shapes are the ones Core's tests use; the failure texts are ours.

def _joined(values, sep):
    return sep.join(str(v) for v in values)


def assert_equal(thing1, thing2, *args):
    """All values equal the first one."""
    values = (thing1, thing2, *args)
    if any(v != thing1 for v in values[1:]):
        raise AssertionError(f"not({_joined(values, ' == ')})")


def assert_not_equal(thing1, thing2, *args):
    """At least one value differs from the first one."""
    values = (thing1, thing2, *args)
    if all(v == thing1 for v in values[1:]):
        raise AssertionError(f"({_joined(values, ' == ')})")


def assert_greater_than(thing1, thing2):
    if not thing1 > thing2:
        raise AssertionError(f"{thing1} <= {thing2}")


def assert_greater_than_or_equal(thing1, thing2):
    if not thing1 >= thing2:
        raise AssertionError(f"{thing1} < {thing2}")


def assert_raises_message(exc, message, fun, *args, **kwds):
    """fun(*args, **kwds) must raise exc; when message is not None, str() of it must contain message."""
    try:
        fun(*args, **kwds)
    except exc as raised:
        text = str(raised)
        if message is None or message in text:
            return
        raise AssertionError(f"{type(raised).__name__} was raised, but its text {text!r} lacks {message!r}")
    except Exception as other:
        raise AssertionError(f"expected {exc.__name__}, got {type(other).__name__}: {other}") from other
    raise AssertionError(f"expected {exc.__name__}, but nothing was raised")


def assert_raises(exc, fun, *args, **kwds):
    assert_raises_message(exc, None, fun, *args, **kwds)


def try_rpc(code, message, fun, *args, **kwds):
    """Call fun; True if it raised a JSON-RPC error with `code` and `message` in its text, False if it
    returned. Any other outcome is an AssertionError. code or message None: not checked."""
    from .authproxy import JSONRPCException
    try:
        fun(*args, **kwds)
    except JSONRPCException as e:
        if code is not None and code != e.error["code"]:
            raise AssertionError(f"unexpected JSON-RPC error code {e.error['code']} (wanted {code}): {e.error['message']}")
        if message is not None and message not in e.error["message"]:
            raise AssertionError(f"expected {message!r} in the error message, got {e.error['message']!r}")
        return True
    except Exception as e:
        raise AssertionError(f"unexpected exception {type(e).__name__}: {e}")
    return False


def assert_raises_rpc_error(code, message, fun, *args, **kwds):
    """fun(*args, **kwds) must fail with a JSON-RPC error (code and message checked unless None)."""
    assert try_rpc(code, message, fun, *args, **kwds), "no JSON-RPC error was raised"


class ErrorMatch(enum.Enum):
    """How assert_start_raises_init_error compares a node's stderr with the expected message."""
    FULL_TEXT = 1
    FULL_REGEX = 2
    PARTIAL_REGEX = 3


def utxo_set_facts(node, hash_type="hash_serialized_3"):
    """gettxoutsetinfo without disk_size, LevelDB's estimate of its files, which moves with every flush."""
    stats = node.gettxoutsetinfo(hash_type)
    stats.pop("disk_size")
    return stats


def _describe(predicate):
    """The predicate's source for a failure message; a builtin or a partial has none, so repr it."""
    try:
        return inspect.getsource(predicate).strip()
    except (OSError, TypeError):
        return repr(predicate)


def wait_until_helper_internal(predicate, *, timeout=60, lock=None, timeout_factor=1.0, check_interval=0.05):
    """Poll predicate (under lock, if given) until it is true; AssertionError after timeout * timeout_factor s."""
    limit = timeout * timeout_factor
    deadline = time.monotonic() + limit
    while True:
        if lock is None:
            done = predicate()
        else:
            with lock:
                done = predicate()
        if done:
            return
        if time.monotonic() >= deadline:
            break
        time.sleep(check_interval)
    source = _describe(predicate)
    log.error("gave up waiting after %s s for: %s", limit, source)
    raise AssertionError(f"condition still false after {limit} s: {source}")


# --- Ports ------------------------------------------------------------------------------------------
# Each node gets a P2P port; its RPC and Tor ports sit PORT_RANGE and 2 * PORT_RANGE above it. The
# seed shifts a whole test's block of ports so that tests run in parallel do not share any.

MAX_NODES = 12
PORT_MIN = int(os.getenv("TEST_RUNNER_PORT_MIN", default=11000))
PORT_RANGE = 5000


class PortSeed:
    # Set once per test process from --portseed.
    n = None


def p2p_port(n):
    assert n <= MAX_NODES, f"node index {n} is above the {MAX_NODES}-node limit"
    slots = PORT_RANGE - 1 - MAX_NODES
    block_start = (PortSeed.n * MAX_NODES) % slots
    return PORT_MIN + block_start + n


def rpc_port(n):
    return p2p_port(n) + PORT_RANGE


def tor_port(n):
    return p2p_port(n) + PORT_RANGE * 2


# --- Datadirs and smithcoin.conf --------------------------------------------------------------------

CONF_NAME = "smithcoin.conf"

# MiniWallet's default address: P2TR with internal key 0x00..01 and one script leaf OP_TRUE (Core's
# create_deterministic_address_bcrt1_p2tr_op_true). The cached chain pays blocks 76-100 to it.
MINIWALLET_P2TR_ADDRESS = "bcrt1p9yfmy5h72durp7zrhlw9lf7jpwjgvwdg0jr0lqmmjtgg83266lqsekaqka"

# Options every test node gets in its chain section, in the order Core's framework writes them;
# "connect=0" goes in after the last of these, and then AFTER_CONNECT.
BASE_OPTIONS = (
    ("rpcservertimeout", "99000"),
    ("rpcdoccheck", "1"),
    ("rpcthreads", "2"),
    ("fallbackfee", "0.0002"),
    ("server", "1"),
    ("keypool", "1"),
    ("discover", "0"),
    ("dnsseed", "0"),
    ("fixedseeds", "0"),
    ("listenonion", "0"),
    ("peertimeout", "999999999"),
    ("printtoconsole", "0"),
    ("natpmp", "0"),
    ("shrinkdebugfile", "0"),
    ("unsafesqlitesync", "1"),
)
AFTER_CONNECT = (
    ("maxconnections", "94"),
    ("par", str(min(2, os.cpu_count() or 1))),
    ("prevoutfetchthreads", "1"),
)


def get_datadir_path(dirname, n):
    return os.path.join(dirname, f"node{n}")


def chain_conf_names(chain):
    """(option that selects the chain, name of its config section). Mainnet ("") has neither."""
    # testnet3 is the one chain whose directory, option and section names all differ.
    return ("testnet", "test") if chain == "testnet3" else (chain, chain)


def conf_lines(*, n, chain, disable_autoconnect=True):
    """The lines of a node's smithcoin.conf, before any per-test extras."""
    option, section = chain_conf_names(chain)
    head = [f"{option}=1"] if option else []
    if section:
        head.append(f"[{section}]")
    options = [("port", str(p2p_port(n))), ("rpcport", str(rpc_port(n))), *BASE_OPTIONS]
    if disable_autoconnect:
        options.append(("connect", "0"))
    options += AFTER_CONNECT
    return head + [f"{key}={value}" for key, value in options]


def write_config(config_path, *, n, chain, extra_config="", disable_autoconnect=True):
    text = "\n".join(conf_lines(n=n, chain=chain, disable_autoconnect=disable_autoconnect)) + "\n"
    pathlib.Path(config_path).write_text(text + extra_config, encoding="utf8")


def initialize_datadir(dirname, n, chain, disable_autoconnect=True):
    """Create node n's datadir with its smithcoin.conf and the folders for captured output."""
    datadir = pathlib.Path(get_datadir_path(dirname, n))
    for sub in ("stdout", "stderr"):
        (datadir / sub).mkdir(parents=True, exist_ok=True)
    write_config(datadir / CONF_NAME, n=n, chain=chain, disable_autoconnect=disable_autoconnect)
    return str(datadir)


def append_config(datadir, options):
    with open(pathlib.Path(datadir) / CONF_NAME, "a", encoding="utf8") as conf:
        conf.writelines(f"{line}\n" for line in options)


def get_auth_cookie(datadir, chain):
    """(user, password) for RPC: rpcuser/rpcpassword in smithcoin.conf, overridden by <chain>/.cookie.

    ValueError("No RPC credentials") when there are neither (the node has not written its cookie yet).
    """
    user = password = None
    conf = pathlib.Path(datadir) / CONF_NAME
    if conf.is_file():
        for line in conf.read_text(encoding="utf8").splitlines():
            if line.startswith("rpcuser="):
                assert user is None, "two rpcuser lines in smithcoin.conf"
                user = line.split("=", 1)[1]
            if line.startswith("rpcpassword="):
                assert password is None, "two rpcpassword lines in smithcoin.conf"
                password = line.split("=", 1)[1]
    cookie = pathlib.Path(datadir) / chain / ".cookie"
    if cookie.is_file():
        text = cookie.read_text(encoding="ascii")
        user, _, password = text.partition(":")
    if user is None or password is None:
        raise ValueError("No RPC credentials")
    return user, password


def rpc_url(datadir, i, chain, host="127.0.0.1", port=None):
    user, password = (urllib.parse.quote(x, safe="") for x in get_auth_cookie(datadir, chain))
    return f"http://{user}:{password}@{host}:{rpc_port(i) if port is None else port}"


def delete_cookie_file(datadir, chain):
    """A cookie left by an earlier start would be read before the node writes its new one."""
    cookie = pathlib.Path(datadir) / chain / ".cookie"
    if cookie.is_file():
        log.debug("removing stale %s", cookie)
        cookie.unlink()


# --- Executables ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Program:
    exe: str        # file name under <BUILDDIR>/bin, without EXEEXT
    env_var: str    # overrides the path (one path, never split)
    command: str    # the wrapper's subcommand that runs it


PROGRAMS = (
    Program("smithcoin", "SMITHCOIN_BIN", ""),
    Program("smithcoind", "SMITHCOIND", "node"),
    Program("smithcoin-cli", "SMITHCOINCLI", "rpc"),
    Program("smithcoin-util", "SMITHCOINUTIL", "util"),
    Program("smithcoin-tx", "SMITHCOINTX", "tx"),
    Program("smithcoin-chainstate", "SMITHCOINCHAINSTATE", "chainstate"),
    Program("smithcoin-wallet", "SMITHCOINWALLET", "wallet"),
    Program("bench_smithcoin", "SMITHCOIN_BENCH", "bench"),
)
BINARY_ENV_VARS = {p.exe: p.env_var for p in PROGRAMS}


def get_binary_paths(config, env=None):
    """Where each program is: its environment variable, else <BUILDDIR>/bin/<exe><EXEEXT>.

    Attributes are the variable names in lower case (paths.smithcoind, paths.smithcoin_bin, ...);
    paths.smithcoin_cmd is SMITHCOIN_CMD split as a shell would, or None when it is unset or blank.
    """
    env = os.environ if env is None else env
    environment = config["environment"]
    bin_dir = os.path.join(environment["BUILDDIR"], "bin")
    paths = types.SimpleNamespace(
        **{p.env_var.lower(): env.get(p.env_var, os.path.join(bin_dir, p.exe + environment["EXEEXT"]))
           for p in PROGRAMS})
    paths.smithcoin_cmd = shlex.split(env.get("SMITHCOIN_CMD", "")) or None
    return paths


class Binaries:
    """The argv prefix that starts each program.

    bin_dir (a previous release) wins; then SMITHCOIN_CMD, which runs every program as a subcommand of
    it; otherwise the program's own path.
    """

    def __init__(self, paths, bin_dir=None):
        self.paths = paths
        self.bin_dir = bin_dir

    def node_argv(self, *, need_ipc=False):
        return self._argv("node", self.paths.smithcoind, need_ipc=need_ipc)

    def node_runs_multiprocess(self):
        """Whether node_argv() starts smithcoin-node (SMITHCOIN_CMD with -m), which listens on IPC by default."""
        argv = self.node_argv()
        return "-m" in argv[:-1] or os.path.basename(argv[0]).startswith("smithcoin-node")

    def rpc_argv(self):
        # The wrapper's rpc subcommand defaults to -named; smithcoin-cli does not, and tests assume not.
        return [*self._argv("rpc", self.paths.smithcoincli), "-nonamed"]

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

    def _argv(self, command, own_path, *, need_ipc=False):
        if self.bin_dir is not None:
            return [os.path.join(self.bin_dir, os.path.basename(own_path))]
        via_wrapper = self.paths.smithcoin_cmd
        if via_wrapper is None and not need_ipc:
            return [own_path]
        # Only the wrapper's -m reaches the multiprocess executable, so IPC always goes through it.
        prefix = list(via_wrapper or [self.paths.smithcoin_bin])
        return prefix + (["-m"] if need_ipc else []) + [command]


VERSION_LINE_RE = re.compile(rb"[^\n]*?(\S+)[ \t]*(?:\r?\n|$)")


def get_exe_name(version_output):
    """The program name at the end of the first line of a -version banner (bytes in, bytes out)."""
    found = VERSION_LINE_RE.match(version_output.strip())
    if found is None:
        raise AssertionError(f"no version banner in {version_output!r}")
    return found.group(1)


# --- Self-tests (test_runner.py runs them before any test script) -----------------------------------

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
        self.assertFalse(b.node_runs_multiprocess())

    def test_argv_through_smithcoin_cmd(self):
        b = Binaries(get_binary_paths(self.CONFIG, env={"SMITHCOIN_CMD": "node '/p q/smithcoin.js' -m"}))
        self.assertEqual(b.node_argv(), ["node", "/p q/smithcoin.js", "-m", "node"])
        self.assertEqual(b.rpc_argv(), ["node", "/p q/smithcoin.js", "-m", "rpc", "-nonamed"])
        self.assertEqual(b.tx_argv()[-1], "tx")
        self.assertEqual(b.util_argv()[-1], "util")
        self.assertEqual(b.chainstate_argv()[-1], "chainstate")
        self.assertEqual(b.bench_argv()[-1], "bench")
        self.assertEqual(b.node_argv(need_ipc=True)[-2:], ["-m", "node"])
        self.assertTrue(b.node_runs_multiprocess())
        self.assertFalse(Binaries(get_binary_paths(self.CONFIG, env={"SMITHCOIN_CMD": "smithcoin -M"})).node_runs_multiprocess())

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

    def test_conf_lines(self):
        self.addCleanup(setattr, PortSeed, "n", PortSeed.n)
        PortSeed.n = 0
        lines = conf_lines(n=1, chain="regtest")
        self.assertEqual(lines[:5], ["regtest=1", "[regtest]", f"port={PORT_MIN + 1}",
                                     f"rpcport={PORT_MIN + 5001}", "rpcservertimeout=99000"])
        self.assertEqual(lines[lines.index("unsafesqlitesync=1") + 1], "connect=0")
        self.assertEqual(lines[-1], "prevoutfetchthreads=1")
        self.assertNotIn("connect=0", conf_lines(n=0, chain="regtest", disable_autoconnect=False))
        self.assertEqual(conf_lines(n=0, chain="testnet3")[:2], ["testnet=1", "[test]"])
        self.assertTrue(conf_lines(n=0, chain="")[0].startswith("port="))

    def test_auth_cookie(self):
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            datadir = pathlib.Path(tmp)
            self.assertRaisesRegex(ValueError, "No RPC credentials", get_auth_cookie, datadir, "regtest")
            (datadir / CONF_NAME).write_text("regtest=1\n[regtest]\nrpcuser=u\nrpcpassword=p/@:\n")
            self.assertEqual(get_auth_cookie(datadir, "regtest"), ("u", "p/@:"))
            self.addCleanup(setattr, PortSeed, "n", PortSeed.n)
            PortSeed.n = 0
            self.assertEqual(rpc_url(datadir, 1, "regtest"), f"http://u:p%2F%40%3A@127.0.0.1:{rpc_port(1)}")
            # The cookie wins over the config's lines.
            (datadir / "regtest").mkdir()
            (datadir / "regtest" / ".cookie").write_text("__cookie__:" + "ab" * 32)
            self.assertEqual(get_auth_cookie(datadir, "regtest"), ("__cookie__", "ab" * 32))

    def test_get_exe_name(self):
        self.assertEqual(get_exe_name(b"Smithcoin Core daemon version v0.1.0 smithcoind\nCopyright\n"), b"smithcoind")
        self.assertEqual(get_exe_name(b"\n  X version v1 smithcoin-node  \r\n\n"), b"smithcoin-node")
        self.assertEqual(get_exe_name(b"one"), b"one")
        self.assertRaises(AssertionError, get_exe_name, b"")

    def test_asserts(self):
        assert_equal(1, 1, 1)
        self.assertRaisesRegex(AssertionError, r"^not\(1 == 1 == 2\)$", assert_equal, 1, 1, 2)
        self.assertRaises(AssertionError, assert_not_equal, 2, 2)
        assert_not_equal(2, 2, 3)
        assert_greater_than(2, 1)
        self.assertRaises(AssertionError, assert_greater_than, 1, 1)
        assert_greater_than_or_equal(1, 1)
        self.assertRaises(AssertionError, assert_greater_than_or_equal, 0, 1)
        assert_raises_message(ValueError, "bad", int, "bad")
        self.assertRaises(AssertionError, assert_raises, ValueError, int, "1")
        self.assertRaises(AssertionError, assert_raises_message, ValueError, "zzz", int, "bad")
        self.assertRaises(AssertionError, assert_raises, KeyError, int, "bad")

    def test_wait_until(self):
        calls = []
        wait_until_helper_internal(lambda: calls.append(1) or len(calls) >= 3, timeout=5, check_interval=0)
        self.assertEqual(len(calls), 3)
        quiet = logging.getLogger("TestFramework.utils")
        self.addCleanup(setattr, quiet, "disabled", quiet.disabled)
        quiet.disabled = True
        with self.assertRaisesRegex(AssertionError, "still false after 0.01 s"):
            wait_until_helper_internal(lambda: False, timeout=0.02, timeout_factor=0.5, check_interval=0)
