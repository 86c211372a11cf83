#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Malformed HTTP and JSON-RPC get Core's answers and never take the node down: bad request lines,
oversized headers, bad Content-Length, chunked garbage, unknown methods, oversized bodies, non-UTF-8,
truncated and deeply nested JSON, duplicate keys, wrong member types, batches of non-objects; then a
few hundred deterministically mutated requests. The node must answer RPC after each group."""

import base64
import http.client
import json
import random
import socket

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, get_auth_cookie, rpc_port

MAX_HEADERS_SIZE = 8192
MAX_BODY_SIZE = 32 * 1024 * 1024
MAX_JSON_DEPTH = 512
FUZZ_SEED = 0x5EED
FUZZ_ROUNDS = 300
# What a reply to anything may be; a mutated request can end up authorised, unauthorised or malformed.
FUZZ_STATUSES = {200, 204, 400, 401, 403, 404, 405, 413, 500}
INVALID_REQUEST = -32600
PARSE_ERROR = -32700
NO_ID = object()


class HTTPFuzzTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def run_test(self):
        user, password = get_auth_cookie(self.nodes[0].datadir_path, "regtest")
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.check_http_layer()
        self.check_bodies()
        self.check_json_layer()
        self.check_batches()
        self.fuzz()

    # --- Helpers -------------------------------------------------------------------------------------

    def raw(self, data, *, timeout=10):
        """Send bytes on a fresh connection, close our side, read to EOF: (status or None, headers, body)."""
        with socket.create_connection(("127.0.0.1", rpc_port(0)), timeout=timeout) as sock:
            try:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the node may answer and close before it has read everything
            reply = b""
            try:
                while chunk := sock.recv(65536):
                    reply += chunk
            except ConnectionResetError:
                pass
        return parse_reply(reply)

    def request_bytes(self, body, *, headers=None, line="POST / HTTP/1.1"):
        body = body.encode() if isinstance(body, str) else body
        fields = {"Host": "127.0.0.1", "Authorization": self.auth, "Content-Type": "application/json",
                  "Content-Length": str(len(body))}
        fields.update(headers or {})
        head = line + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v is not None) + "\r\n"
        return head.encode("latin-1") + body

    def post(self, body):
        """POST a body; (status, parsed JSON reply or None)."""
        conn = http.client.HTTPConnection("127.0.0.1", rpc_port(0), timeout=60)
        conn.request("POST", "/", body, {"Authorization": self.auth, "Content-Type": "application/json"})
        resp = conn.getresponse()
        raw = resp.read()
        conn.close()
        return resp.status, json.loads(raw) if raw else None

    def assert_error(self, body, status, code, message, *, request_id=NO_ID):
        """A JSON-RPC 1.0 error reply with Core's HTTP status; "id" is null when the request never got as far as its
        id (Core's request starts with a null id)."""
        got_status, reply = self.post(body)
        expected = {"result": None, "error": {"code": code, "message": message}, "id": None if request_id is NO_ID else request_id}
        assert_equal((got_status, reply), (status, expected))

    def assert_alive(self):
        assert_equal(self.nodes[0].getblockcount(), 0)

    # --- Cases -----------------------------------------------------------------------------------------

    def check_http_layer(self):
        self.log.info("malformed HTTP: 400 and the connection is closed")
        bad_requests = [
            b"GARBAGE\r\n\r\n",                                      # request line too short
            b"POST / HTTP/1.1 extra\r\n\r\n",                        # four words
            b"POST /HTTP/1.1\r\n\r\n",                               # two words
            b"POST / HTTP/2.0\r\nContent-Length: 0\r\n\r\n",         # version
            b"POST / FTP/1.1\r\nContent-Length: 0\r\n\r\n",
            b"POST / HTTP/1.1\r\nNoColonHere\r\n\r\n",
            b"POST / HTTP/1.1\r\nBad Name: x\r\n\r\n",
            b"POST / HTTP/1.1\r\n: empty name\r\n\r\n",
            self.request_bytes("{}", headers={"Content-Length": "abc"}),
            self.request_bytes("{}", headers={"Content-Length": "-2"}),
            self.request_bytes("{}", headers={"X-Big": "x" * (MAX_HEADERS_SIZE + 1)}),
            self.request_bytes("{}", headers={f"X-Many-{i}": "y" * 100 for i in range(100)}),
            self.request_bytes(b"zz\r\n{}\r\n0\r\n\r\n", headers={"Content-Length": None, "Transfer-Encoding": "chunked"}),
            self.request_bytes(b"2\r\n{}XX0\r\n\r\n", headers={"Content-Length": None, "Transfer-Encoding": "chunked"}),
        ]
        for data in bad_requests:
            status, headers, body = self.raw(data)
            assert_equal((status, headers[":reason"], body), (400, "Bad Request", b""))
        # Two Content-Length headers that differ.
        data = self.request_bytes("{}").replace(b"Content-Length: 2\r\n", b"Content-Length: 2\r\nContent-Length: 3\r\n")
        assert_equal(self.raw(data)[0], 400)
        self.assert_alive()

        self.log.info("an unknown method is 405; a well-formed chunked body is read")
        status, headers, _ = self.raw(b"FOO / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        assert_equal((status, headers[":reason"]), (405, "Method Not Allowed"))
        assert_equal(self.raw(b"DELETE / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")[0], 405)
        body = b'{"method":"getblockcount","id":1}'
        chunked = b"%x;ext=1\r\n%s\r\n0\r\nTrailer: x\r\n\r\n" % (len(body), body)
        status, _, reply = self.raw(self.request_bytes(chunked, headers={"Content-Length": None, "Transfer-Encoding": "chunked"}))
        assert_equal((status, json.loads(reply)), (200, {"result": 0, "error": None, "id": 1}))
        self.assert_alive()

    def check_bodies(self):
        self.log.info("bodies over 32 MiB: 413, declared or streamed in chunks")
        status, headers, _ = self.raw(self.request_bytes(b"", headers={"Content-Length": str(MAX_BODY_SIZE + 1)}))
        assert_equal((status, headers[":reason"]), (413, "Content too large"))
        big_chunk = b"%x\r\n" % (MAX_BODY_SIZE + 1) + b"x" * (MAX_BODY_SIZE + 1) + b"\r\n0\r\n\r\n"
        status, _, _ = self.raw(self.request_bytes(big_chunk, headers={"Content-Length": None, "Transfer-Encoding": "chunked"}))
        assert_equal(status, 413)
        self.log.info("a large body within the limit is parsed (and rejected as the JSON it is)")
        large = '{"method":"echo","params":["' + "a" * (4 * 1024 * 1024) + '"],"id":1}'
        status, reply = self.post(large)
        assert_equal((status, len(reply["result"][0])), (200, 4 * 1024 * 1024))
        self.assert_alive()

    def check_json_layer(self):
        self.log.info("bodies that are not JSON: 500, Parse error")
        for body in [b'{"method":"getblockcount"', b'{"method":"echo","params":["\xff"]}', b"\xc3\x28", b"",
                     b'{"method":"getblockcount"} trailing', b"[1,]", b'{"a":1,}']:
            self.assert_error(body, 500, PARSE_ERROR, "Parse error")
        self.assert_error(b'"just a string"', 500, PARSE_ERROR, "Top-level object parse error")
        self.assert_error(b"null", 500, PARSE_ERROR, "Top-level object parse error")

        self.log.info(f"nesting: {MAX_JSON_DEPTH} levels parse, one more is a parse error")
        # The object is level 1 and params level 2.
        inner = MAX_JSON_DEPTH - 2
        status, reply = self.post('{"method":"echo","id":1,"params":[' + "[" * inner + "]" * inner + "]}")
        assert_equal(status, 200)
        depth, value = 0, reply["result"]
        while isinstance(value, list) and value:
            depth, value = depth + 1, value[0]
        assert_equal(depth, inner)
        self.assert_error('{"method":"echo","params":[' + "[" * (inner + 1) + "]" * (inner + 1) + "]}",
                          500, PARSE_ERROR, "Parse error")
        self.assert_error("[" * 100000, 500, PARSE_ERROR, "Parse error")

        self.log.info("wrong member types: 400, Invalid Request")
        self.assert_error('{"id":1}', 400, INVALID_REQUEST, "Missing method", request_id=1)
        self.assert_error('{"method":null,"id":1}', 400, INVALID_REQUEST, "Missing method", request_id=1)
        self.assert_error('{"method":7,"id":1}', 400, INVALID_REQUEST, "Method must be a string", request_id=1)
        self.assert_error('{"method":["getblockcount"],"id":1}', 400, INVALID_REQUEST, "Method must be a string", request_id=1)
        self.assert_error('{"method":"getblockcount","params":5,"id":1}', 400, INVALID_REQUEST,
                          "Params must be an array or object", request_id=1)
        self.assert_error('{"method":"getblockcount","params":"x","id":1}', 400, INVALID_REQUEST,
                          "Params must be an array or object", request_id=1)
        self.assert_error('{"method":"getblockcount","jsonrpc":2,"id":1}', 400, INVALID_REQUEST,
                          "jsonrpc field must be a string", request_id=1)
        self.log.info("any JSON value is an id, and comes back as sent")
        for request_id in ([1, 2], {"a": None}, True, 1.5, "", None):
            status, reply = self.post(json.dumps({"method": "getblockcount", "id": request_id}))
            assert_equal((status, reply), (200, {"result": 0, "error": None, "id": request_id}))

        self.log.info("duplicate keys: the first one counts, as UniValue's find_value; named ones twice are an error")
        status, reply = self.post('{"method":"getblockcount","method":"nosuchmethod","id":1,"id":2}')
        assert_equal((status, reply), (200, {"result": 0, "error": None, "id": 1}))
        self.assert_error('{"method":"getblockhash","params":{"height":0,"height":1},"id":1}', 500, -8,
                          "Parameter height specified multiple times", request_id=1)
        self.assert_alive()

    def check_batches(self):
        self.log.info("a batch of non-objects: one Invalid Request object per member, HTTP 200")
        status, reply = self.post('[1, "x", null, [], true]')
        error = {"code": INVALID_REQUEST, "message": "Invalid Request object"}
        assert_equal((status, reply), (200, [{"result": None, "error": error, "id": None}] * 5))
        self.log.info("a member that fails keeps the id and version of the one before it, as Core's reused request does")
        status, reply = self.post('[{"jsonrpc":"2.0","id":5,"method":"getblockcount"}, 7, {"method":"getblockcount"}]')
        assert_equal((status, reply), (200, [{"jsonrpc": "2.0", "result": 0, "id": 5},
                                             {"jsonrpc": "2.0", "error": error, "id": 5},
                                             {"result": 0, "error": None}]))
        self.assert_alive()

    def fuzz(self):
        self.log.info(f"{FUZZ_ROUNDS} mutated requests (seed {FUZZ_SEED:#x}): each answer is HTTP or nothing; the node lives")
        rng = random.Random(FUZZ_SEED)
        seeds = [
            self.request_bytes('{"jsonrpc":"2.0","method":"getblockcount","id":1}'),
            self.request_bytes('[{"method":"echo","params":[1,"a",{"b":[null]}],"id":"x"},{"method":"uptime"}]'),
            self.request_bytes('{"method":"getblockhash","params":{"height":0},"id":null}'),
            self.request_bytes(b"1c\r\n" + b'{"method":"uptime","id":[1]}' + b"\r\n0\r\n\r\n",
                               headers={"Content-Length": None, "Transfer-Encoding": "chunked"}),
        ]
        for round_no in range(FUZZ_ROUNDS):
            data = mutate(rng, rng.choice(seeds))
            status, headers, body = self.raw(data)
            if status is not None:
                assert status in FUZZ_STATUSES, f"round {round_no}: status {status} for {data!r}"
                if headers.get("content-type") == "application/json" and body:
                    json.loads(body)
            if round_no % 50 == 49:
                self.assert_alive()
        self.assert_alive()


def parse_reply(reply):
    """The first HTTP response in reply: (status, lower-cased headers, body by Content-Length); Nones if empty."""
    if not reply:
        return None, {}, b""
    head, _, rest = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, status = lines[0].split(" ")[:2]
    assert version in ("HTTP/1.0", "HTTP/1.1"), f"bad status line {lines[0]!r}"
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    # The reason phrase, under a key no real header can have.
    headers[":reason"] = lines[0].split(" ", 2)[2] if lines[0].count(" ") >= 2 else ""
    length = int(headers.get("content-length", len(rest)))
    return int(status), headers, rest[:length]


def mutate(rng, data):
    """One to four random edits: flip, insert, delete, duplicate or truncate."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(data) + 1)
        kind = rng.randrange(5)
        if kind == 0 and data:
            data[min(pos, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data[pos:pos] = bytes(rng.choice([0, 10, 13, 32, 34, 44, 58, 91, 93, 123, 125, 255]) for _ in range(rng.randint(1, 8)))
        elif kind == 2:
            del data[pos:pos + rng.randint(1, 16)]
        elif kind == 3:
            data[pos:pos] = data[pos:pos + rng.randint(1, 64)]
        else:
            del data[pos:]
    return bytes(data)


if __name__ == "__main__":
    HTTPFuzzTest(__file__).main()
