"""Runs bitcoind and smithcoind side by side for the differential checks: a node on a copy of a datadir, a small
JSON-RPC client, and the normalisation that maps one product's names onto the other's."""

import base64
import http.client
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import time

HERE = pathlib.Path(__file__).resolve().parent
SRC = HERE.parent.parent
BUILD = pathlib.Path(os.environ.get("SMITHCOIN_BUILD", SRC / "build"))
SMITHCOIND = str(BUILD / "bin" / "smithcoind")
SMITHCOIN_CLI = str(BUILD / "bin" / "smithcoin-cli")
FIXTURE = pathlib.Path(os.environ.get("CORE_FIXTURE", SRC.parent / "shared" / "fixtures" / "core-regtest"))
SCRATCH = pathlib.Path(os.environ.get("CORE_DIFF_SCRATCH", "/tmp/smithcoin-core-diff"))


def core_binary(name):
    """bitcoind (CORE_BITCOIND) or a program beside it, e.g. bitcoin-cli."""
    bitcoind = os.environ.get("CORE_BITCOIND")
    if not bitcoind or not os.access(bitcoind, os.X_OK):
        raise SystemExit("Set CORE_BITCOIND to a Bitcoin Core bitcoind (see README.md).")
    return str(pathlib.Path(bitcoind).with_name(name))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_datadir(name, fixture=True):
    """A scratch datadir, holding a writable copy of the Core fixture's regtest/ when `fixture`."""
    path = SCRATCH / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    if fixture:
        shutil.copytree(FIXTURE / "regtest", path / "regtest")
        for p in (path / "regtest").rglob("*"):
            p.chmod(0o700 if p.is_dir() else 0o600)
    return path


class Node:
    def __init__(self, exe, datadir, extra=()):
        self.exe, self.datadir, self.port = exe, pathlib.Path(datadir), free_port()
        self.proc = subprocess.Popen([exe, "-regtest", f"-datadir={datadir}", f"-rpcport={self.port}", f"-port={free_port()}",
                                      "-listen=0", "-rest", *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if self.call("getblockcount")[1] is None:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.proc.kill()
        raise RuntimeError(f"{exe} did not start")

    def auth(self):
        return "Basic " + base64.b64encode((self.datadir / "regtest" / ".cookie").read_bytes()).decode()

    def http(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request(method, path, body=body, headers=headers or {})
        reply = conn.getresponse()
        data = reply.read()
        conn.close()
        return reply, data

    def call(self, method, *params, named=None):
        body = json.dumps({"jsonrpc": "1.0", "id": 1, "method": method, "params": named if named is not None else list(params)})
        _, data = self.http("POST", "/", body, {"Authorization": self.auth(), "Content-Type": "application/json"})
        reply = json.loads(data)
        return reply.get("result"), reply.get("error")

    def stop(self):
        try:
            self.call("stop")
        except OSError:
            pass
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


NAMES = [("bitcoin-cli", "X-cli"), ("smithcoin-cli", "X-cli"), ("bitcoind", "Xd"), ("smithcoind", "Xd"),
         ("bitcoin.conf", "x.conf"), ("smithcoin.conf", "x.conf"), ("Bitcoin Core", "X Core"), ("Smithcoin Core", "X Core"),
         ("Bitcoin", "X"), ("Smithcoin", "X"), ("bitcoin", "x"), ("smithcoin", "x")]
# Core's master builds are pre-releases: they warn so, and carry another version.
PRE_RELEASE_WARNING = "This is a pre-release test build - use at your own risk - do not use for mining or merchant applications"


def norm(text):
    """Product names, versions and scratch paths made equal, so only behaviour differs."""
    text = re.sub(re.escape(str(SCRATCH)) + r"/[^/\s\"']+", "DATADIR", text)
    for a, b in NAMES:
        text = text.replace(a, b)
    text = text.replace(f'"{PRE_RELEASE_WARNING}"', "").replace(PRE_RELEASE_WARNING, "(none)")
    text = re.sub(r"v\d+\.\d+\.\d+(-g[0-9a-f]+)?", "vVER", text)
    return re.sub(r"(Version: |\"version\": )\d+", r"\1N", text)


def report(title, differences, total):
    print(f"{title}: {differences} of {total} differ")
    return differences
