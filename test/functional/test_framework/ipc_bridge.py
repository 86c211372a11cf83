#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Drives smithcoin-node's IPC interfaces from a test through our own runtime's client side.

<build>/js/test/ipc/ipc_bridge.js (from test/ipc/ipc_bridge.ts) connects to the node's socket and runs the calls a
test sends it, one JSON line each; replies come back as the calls finish, so a test can leave a wait pending,
act over RPC, and then collect it. Interfaces come back as Remote objects whose methods are the schema's:
    mining = bridge.init.makeMining()
    template = mining.createNewBlock({}, False)
    pending = template.start("waitNext", {"timeout": 60000.0, "feeThreshold": I64(1)})
Bytes travel as bytes; a 64-bit schema integer (Int64/UInt64: fees, weights, sigops) must be passed as I64(n),
every other number as a Python int or float.
"""

import json
import os
import queue
import shutil
import subprocess
import threading


class I64:
    """A 64-bit schema integer (a bigint on the TypeScript side)."""

    def __init__(self, value):
        self.value = int(value)


class IpcCallError(Exception):
    """A call that failed: the client's error message (a remote exception's text included)."""


def _encode(v):
    if isinstance(v, (bytes, bytearray)):
        return {"hex": bytes(v).hex()}
    if isinstance(v, I64):
        return {"int": str(v.value)}
    if isinstance(v, Remote):
        raise TypeError("interfaces cannot be passed as arguments")
    if isinstance(v, (list, tuple)):
        return [_encode(x) for x in v]
    if isinstance(v, dict):
        return {k: _encode(x) for k, x in v.items()}
    return v


class Remote:
    """An interface object held by the bridge; attribute access gives its methods (a blocking call each)."""

    def __init__(self, bridge, handle):
        self._bridge, self._handle = bridge, handle

    def __getattr__(self, method):
        if method.startswith("_"):
            raise AttributeError(method)
        return lambda *args: self._bridge.result(self.start(method, *args))

    def start(self, method, *args):
        """Sends a call without waiting; collect it with bridge.result(id) (or check bridge.done(id))."""
        return self._bridge.send(self._handle, method, args)


class IpcBridge:
    def __init__(self, config, socket_path, stderr_path, timeout):
        bridge_js = os.path.join(config["environment"]["BUILDDIR"], "js", "test", "ipc", "ipc_bridge.js")
        # The Node.js the launchers use: SMITHCOIN_NODE, else the one on PATH.
        node_js = os.environ.get("SMITHCOIN_NODE") or shutil.which("node")
        assert node_js is not None, "no Node.js for the IPC bridge (set SMITHCOIN_NODE)"
        self.timeout = timeout
        self._stderr = open(stderr_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen([node_js, bridge_js, str(socket_path)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._stderr, text=True, encoding="utf-8")
        self._lines = queue.Queue()
        self._replies = {}
        self._next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        ready = self._line()
        assert ready == {"ready": True}, ready
        self.init = Remote(self, "init")

    def _read(self):
        for line in self.proc.stdout:
            self._lines.put(json.loads(line))
        self._lines.put(None)

    def _line(self, timeout=None):
        try:
            line = self._lines.get(timeout=self.timeout if timeout is None else timeout)
        except queue.Empty:
            raise AssertionError(f"the IPC bridge gave no reply within {self.timeout} s") from None
        if line is None:
            raise AssertionError(f"the IPC bridge exited (code {self.proc.wait()}); see {self._stderr.name}")
        return line

    def send(self, handle, method, args):
        self._next_id += 1
        self.proc.stdin.write(json.dumps({"id": self._next_id, "obj": handle, "method": method,
                                          "args": _encode(list(args))}) + "\n")
        self.proc.stdin.flush()
        return self._next_id

    def _drain(self):
        while not self._lines.empty():
            line = self._line()
            self._replies[line["id"]] = line

    def done(self, call_id):
        """Whether the call has replied (without waiting)."""
        self._drain()
        return call_id in self._replies

    def result(self, call_id):
        while call_id not in self._replies:
            line = self._line()
            self._replies[line["id"]] = line
        reply = self._replies.pop(call_id)
        if "error" in reply:
            raise IpcCallError(reply["error"])
        return self._decode(reply["result"])

    def _decode(self, v):
        if isinstance(v, list):
            return [self._decode(x) for x in v]
        if isinstance(v, dict):
            if "hex" in v:
                return bytes.fromhex(v["hex"])
            if "int" in v:
                return int(v["int"])
            if "handle" in v:
                return Remote(self, v["handle"])
            return {k: self._decode(x) for k, x in v.items()}
        return v

    def close(self):
        """Disconnects (EOF on the bridge's input) and waits for the bridge to exit cleanly."""
        self.proc.stdin.close()
        code = self.proc.wait(timeout=self.timeout)
        self._stderr.close()
        assert code == 0, f"the IPC bridge exited with {code}; see {self._stderr.name}"
